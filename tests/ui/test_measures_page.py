"""The measures page: give an instrument again by mouse and keyboard, see the trend with its
band lines, and find the measures in the case snapshot. All data here is fictional."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from db.services import measures as measure_service
from db.services.snapshot import load_case_snapshot
from ui.workspace.measures_page import MeasuresPage


def measures_page(qtbot, workspace) -> MeasuresPage:  # type: ignore[no-untyped-def]
    page = workspace.show_page_by_key("measures")
    assert isinstance(page, MeasuresPage)
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow, timeout=2000)
    qtbot.waitUntil(lambda: page.records.measures_loaded, timeout=5000)
    return page


def stored(workspace):  # type: ignore[no-untyped-def]
    case = workspace.case
    case.gateway.runner.wait_until_idle()
    with case.gateway.vault.session() as session:
        return measure_service.list_measures(session, case.case_id)


def test_phq9_given_again_by_mouse_joins_the_trend(qtbot, workspace_on, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(vignette="trauma-role-reversal", start_page="measures")
    page = measures_page(qtbot, workspace)
    page.show_series("A", "phq9")
    intake = workspace.case.evaluation.score("A", "phq9")
    assert intake is not None
    assert intake.total is not None
    assert [(p.total, p.at_intake) for p in page.chart.points] == [(intake.total, True)]
    qtmodeltester.check(page.model)
    assert not page.record_button.isEnabled()

    answers = (1, 1, 0, 1, 0, 0, 1, 0, 0)  # 4: minimal
    qtbot.waitUntil(page.form.groups[0].buttons()[0].isVisible, timeout=2000)
    for group, value in zip(page.form.groups, answers, strict=True):
        button = group.button(value)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
    assert page.score_label.text() == "Score 4: Minimal"
    assert page.record_button.isEnabled()
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.chart.points) == 2, timeout=5000)
    assert [(p.total, p.at_intake) for p in page.chart.points] == [
        (intake.total, True),
        (4, False),
    ]
    assert page.model.rowCount() == 2
    assert page.model.index(0, 1).data() == "4"
    assert page.model.index(0, 2).data() == "Minimal"
    assert page.form.answer() == (None,) * 9  # ready for the next one
    assert "4 on" in page.chart.accessibleDescription()
    assert [m.total for m in stored(workspace)] == [4]
    qtmodeltester.check(page.model)

    # The consultation summary gets the series, the intake's score first.
    case = workspace.case
    with case.gateway.vault.session() as session:
        snapshot = load_case_snapshot(session, case.case_id)
    assert [(p.instrument, p.total, p.at_intake) for p in snapshot.measures] == [
        ("phq9", intake.total, True),
        ("phq9", 4, False),
    ]


def test_keyboard_alone_answers_and_records(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="measures")
    page = measures_page(qtbot, workspace)
    page.show_series("B", "gad7")
    first = page.form.groups[0].buttons()[0]
    qtbot.waitUntil(first.isVisible, timeout=2000)  # the rebuilt form shows on the next pass
    first.setFocus()
    for index in range(len(page.form.groups)):
        # Space ticks the focused answer ("Not at all"), Right moves to "Several days" for
        # the last item, Tab goes on to the next item.
        qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Space)
        if index == len(page.form.groups) - 1:
            qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Right)
        else:
            qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
    assert page.form.answer() == (0, 0, 0, 0, 0, 0, 1)
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(stored(workspace)) == 1, timeout=5000)
    record = stored(workspace)[0]
    assert (record.partner, record.instrument, record.total) == ("B", "gad7", 1)


def test_the_ptsd_screen_asks_its_gate_first(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="measures")
    page = measures_page(qtbot, workspace)
    page.show_series("A", "pc_ptsd5")
    assert page.form.gate is not None
    qtbot.waitUntil(page.form.gate.buttons()[0].isVisible, timeout=2000)
    assert "first question" in page.score_label.text()
    assert not any(button.isEnabled() for group in page.form.groups for button in group.buttons())
    no = page.form.gate.button(0)
    qtbot.mouseClick(no, Qt.MouseButton.LeftButton, pos=no.rect().center())
    assert page.score_label.text().startswith("Score 0")
    page.record()
    qtbot.waitUntil(lambda: len(stored(workspace)) == 1, timeout=5000)
    yes = page.form.gate.button(1)
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton, pos=yes.rect().center())
    assert all(button.isEnabled() for group in page.form.groups for button in group.buttons())
    assert "0 of 5 answered" in page.score_label.text()


def test_the_chart_draws_band_lines_in_both_themes(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(vignette="trauma-role-reversal", start_page="measures")
    page = measures_page(qtbot, workspace)
    page.show_series("A", "phq9")
    assert [band.value for band in page.chart.bands] == [5, 10, 15, 20]
    image = page.chart.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert image.width() > 200
    assert image.height() > 150
    # Something is drawn in the series colour (the intake's dot and its ring).
    accent = page.chart.palette().color(page.chart.palette().ColorRole.Highlight).rgb()
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
    }
    assert accent in colours
    page.show_series("B", "audit_c")
    assert [band.value for band in page.chart.bands] == [
        workspace.case.intake.partner("B").audit_c_threshold
    ]


def test_a_critical_item_above_zero_is_flagged_at_once(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="measures")
    page = measures_page(qtbot, workspace)
    page.show_series("A", "phq9")
    qtbot.waitUntil(page.form.groups[8].buttons()[0].isVisible, timeout=2000)
    assert not page.critical_label.isVisible()
    item9 = page.form.groups[8].button(1)
    qtbot.mouseClick(item9, Qt.MouseButton.LeftButton, pos=item9.rect().center())
    assert page.critical_label.isVisible()
    assert "✖ Critical item 9 answered above 0." in page.critical_label.text()
    assert "same-day suicide risk assessment" in page.critical_label.text()
    back = page.form.groups[8].button(0)
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton, pos=back.rect().center())
    assert not page.critical_label.isVisible()
