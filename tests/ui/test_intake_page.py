"""The intake forms: filled by keyboard and mouse, undone, saved, shown to the right people.

Every test runs on a real vault with a fictional case (`workspace_on`), the real task runner
and the real CaseSession; answers are checked in memory, in the evaluation and in the vault.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QRadioButton, QWidget

from clinical.model import ActivityAnswer, Intake, PtsdScreenAnswer
from db.services import answers as answer_service
from ui.workspace.intake_models import IntakeSectionsModel
from ui.workspace.intake_page import IntakePage
from ui.workspace.intake_widgets import (
    ActivityGridEditor,
    InstrumentEditor,
    PrivacyMark,
    PtsdScreenEditor,
    QuestionEditor,
)

OWN_NOTE = "Parley's own questions, not a validated instrument."


# ------------------------------------------------------------------------------ helpers


def intake_page(qtbot, workspace, owner: str | None = "A") -> IntakePage:  # type: ignore[no-untyped-def]
    """The owner's intake page, fully built, in an active window (so focus and keys work)."""
    page = workspace.show_page_by_key(f"intake:{owner or 'joint'}")
    assert isinstance(page, IntakePage)
    page.ensure_built()
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow, timeout=5000)
    QApplication.processEvents()
    return page


def stored_intake(workspace) -> Intake:  # type: ignore[no-untyped-def]
    """What the vault holds once every queued save has run."""
    gateway = workspace.case.gateway
    gateway.runner.wait_until_idle()
    with gateway.vault.session() as session:
        return answer_service.load_intake(session, workspace.case.case_id)


def question(page: IntakePage, answer_id: str) -> QuestionEditor:
    editor = page.editors[answer_id]
    assert isinstance(editor, QuestionEditor)
    return editor


def radio(page: IntakePage, answer_id: str, text: str) -> QRadioButton:
    editor = question(page, answer_id)
    assert editor.choice is not None
    return next(b for b in editor.choice.all_buttons() if b.accessibleName() == text)


def click(qtbot, button: QRadioButton) -> None:  # type: ignore[no-untyped-def]
    """A real mouse click on the button's indicator (what a person would hit)."""
    button.window().activateWindow()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=_indicator(button))


def _indicator(button: QRadioButton) -> QPoint:
    if button.text():
        height = button.height()
        return QPoint(height // 2, height // 2)
    return button.rect().center()


def key(widget: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    QTest.keyClick(widget, key, modifier)


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, non-ASCII included, as key events that carry it."""
    for character in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, character)
            )


def indicator_ids(case, partner: str | None = "A") -> set[str]:  # type: ignore[no-untyped-def]
    return {i.id for i in case.evaluation.indicators if i.partner == partner}


def focused(widget: QWidget) -> QWidget | None:
    return widget.window().focusWidget()


# ------------------------------------------------------------------------------ filling


def test_fill_a_partners_intake_by_keyboard_and_mouse(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(None)
    case = workspace.case
    page = intake_page(qtbot, workspace)

    # Yes/no by mouse; unanswered is None, never silently "no".
    assert case.answer("A", "safety.afraid_of_partner") is None
    assert radio(page, "safety.afraid_of_partner", "Not asked").isChecked()
    click(qtbot, radio(page, "safety.afraid_of_partner", "No"))
    assert case.answer("A", "safety.afraid_of_partner") is False

    # Yes/no by keyboard: Space chooses, an arrow key moves the choice.
    yes = radio(page, "medical.epilepsy", "Yes")
    yes.setFocus(Qt.FocusReason.TabFocusReason)
    key(yes, Qt.Key.Key_Space)
    assert case.answer("A", "medical.epilepsy") is True
    key(yes, Qt.Key.Key_Right)
    assert case.answer("A", "medical.epilepsy") is False
    assert radio(page, "medical.epilepsy", "No").hasFocus()

    # A scale by keyboard: 0, then seven steps to the right.
    zero = question(page, "sexual.anxiety").choice.buttons[0]  # type: ignore[union-attr]
    zero.setFocus(Qt.FocusReason.TabFocusReason)
    key(zero, Qt.Key.Key_Space)
    assert case.answer("A", "sexual.anxiety") == 0
    assert "severe-sexual-anxiety" not in indicator_ids(case)
    for _ in range(7):
        key(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert case.answer("A", "sexual.anxiety") == 7
    assert "severe-sexual-anxiety" in indicator_ids(case)

    # A choice by mouse.
    click(qtbot, radio(page, "relationship.structure", "Open"))
    assert case.answer("A", "relationship.structure") == "open"

    # Free text with a non-ASCII character, saved after a pause without leaving the field.
    hopes = question(page, "goals.hopes").text_edit
    assert hopes is not None
    hopes.setFocus(Qt.FocusReason.TabFocusReason)
    type_text(hopes, "Zoë's idea: go slowly")
    assert case.answer("A", "goals.hopes") is None  # not on every keystroke
    qtbot.waitUntil(
        lambda: case.answer("A", "goals.hopes") == "Zoë's idea: go slowly", timeout=3000
    )

    # A PHQ-9 item row: item 9 above 0 raises the suicide-risk indicator at once.
    phq9 = page.editors["phq9"]
    assert isinstance(phq9, InstrumentEditor)
    assert "suicide-risk" not in indicator_ids(case)
    click(qtbot, phq9.rows[8].buttons[1])
    assert case.answer("A", "phq9") == (None,) * 8 + (1,)
    assert "suicide-risk" in indicator_ids(case)
    assert "1 of 9 items answered" in phq9.score_label.text()

    # PC-PTSD-5: the items wait for the exposure question; yes opens them.
    ptsd = page.editors["pc_ptsd5"]
    assert isinstance(ptsd, PtsdScreenEditor)
    assert not ptsd.rows[0].buttons[1].isEnabled()
    click(qtbot, ptsd.gate.buttons[0])
    assert ptsd.rows[0].buttons[1].isEnabled()
    for row in ptsd.rows[:3]:
        click(qtbot, row.buttons[1])  # yes
    for row in ptsd.rows[3:]:
        click(qtbot, row.buttons[0])  # no
    assert case.answer("A", "pc_ptsd5") == PtsdScreenAnswer(True, (1, 1, 1, 0, 0))
    assert "ptsd-screen-positive" in indicator_ids(case)
    assert "Screen positive" in ptsd.score_label.text()

    # An activity row: giving yes, receiving maybe (by keyboard), experience some.
    grid = page.editors["activity.blindfold"]
    assert isinstance(grid, ActivityGridEditor)
    giving, receiving, experience = grid.choices["blindfold"]
    click(qtbot, giving.buttons[0])
    receiving.buttons[0].setFocus(Qt.FocusReason.TabFocusReason)
    key(receiving.buttons[0], Qt.Key.Key_Space)
    key(receiving.buttons[0], Qt.Key.Key_Right)
    click(qtbot, experience.buttons[1])
    assert case.answer("A", "activity.blindfold") == ActivityAnswer("yes", "maybe", "some")

    # Everything reached the vault.
    qtbot.waitUntil(lambda: not case.has_unsaved_changes, timeout=10_000)
    stored = stored_intake(workspace).partner("A")
    assert stored.facts["safety.afraid_of_partner"] is False
    assert stored.facts["medical.epilepsy"] is False
    assert stored.facts["sexual.anxiety"] == 7
    assert stored.facts["relationship.structure"] == "open"
    assert stored.facts["goals.hopes"] == "Zoë's idea: go slowly"
    assert stored.instruments["phq9"] == (None,) * 8 + (1,)
    assert stored.instruments["pc_ptsd5"] == PtsdScreenAnswer(True, (1, 1, 1, 0, 0))
    assert stored.activities["blindfold"] == ActivityAnswer("yes", "maybe", "some")
    # The other partner's answers were not touched.
    assert stored_intake(workspace).partner("B").facts == {}


def test_delete_clears_an_answer_back_to_not_asked(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple")
    case = workspace.case
    page = intake_page(qtbot, workspace)
    assert case.answer("A", "sexual.desire") == 6
    six = question(page, "sexual.desire").choice.buttons[6]  # type: ignore[union-attr]
    assert six.isChecked()
    six.setFocus(Qt.FocusReason.TabFocusReason)
    key(six, Qt.Key.Key_Delete)
    assert case.answer("A", "sexual.desire") is None
    assert radio(page, "sexual.desire", "Not asked").isChecked()
    phq9 = page.editors["phq9"]
    assert isinstance(phq9, InstrumentEditor)
    first = phq9.rows[0].focus_target()
    first.setFocus(Qt.FocusReason.TabFocusReason)
    key(first, Qt.Key.Key_Backspace)
    assert case.answer("A", "phq9") == (None,) + (0,) * 8
    assert not any(b.isChecked() for b in phq9.rows[0].buttons)
    assert stored_intake(workspace).partner("A").facts.get("sexual.desire") is None


def test_free_text_saves_when_the_focus_leaves_and_is_one_undo_step(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(None)
    case = workspace.case
    page = intake_page(qtbot, workspace)
    edit = question(page, "goals.worries").text_edit
    assert edit is not None
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    type_text(edit, "Going too fast")
    key(edit, Qt.Key.Key_Tab)  # Tab leaves the field (it does not insert a tab)
    assert case.answer("A", "goals.worries") == "Going too fast"
    assert "\t" not in edit.toPlainText()
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    type_text(edit, ", and ñot being heard")
    edit.commit()
    assert case.answer("A", "goals.worries") == "Going too fast, and ñot being heard"
    steps = case.undo_stack.count()
    assert steps == 1, "typing into one answer is one undo step"
    case.undo_stack.undo()
    assert case.answer("A", "goals.worries") is None
    assert edit.toPlainText() == ""
    case.undo_stack.redo()
    assert edit.toPlainText() == "Going too fast, and ñot being heard"
    assert case.undo_stack.count() == steps


def _group_of(widget: QWidget) -> str:
    """Which answer a focused input belongs to: a radio group's or a text field's name."""
    if isinstance(widget, QRadioButton):
        return widget.accessibleDescription()
    return widget.accessibleName()


def _groups_in_reading_order(page: IntakePage) -> list[str]:
    groups: list[str] = []
    for section in page.sections:
        for editor in section.editors:
            if isinstance(editor, QuestionEditor):
                if editor.choice is not None:
                    groups.append(editor.choice.group_name)
                else:
                    assert editor.text_edit is not None
                    groups.append(editor.text_edit.accessibleName())
            elif isinstance(editor, ActivityGridEditor):
                groups += [c.group_name for row in editor.choices.values() for c in row]
            elif isinstance(editor, PtsdScreenEditor):
                groups.append(editor.gate.group_name)
                groups += [r.group_name for r in editor.rows if r.buttons[0].isEnabled()]
            elif isinstance(editor, InstrumentEditor):
                groups += [r.group_name for r in editor.rows]
    return groups


def test_tab_walks_the_answers_in_reading_order(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple")
    page = intake_page(qtbot, workspace)
    expected = _groups_in_reading_order(page)
    first = page.sections[0].editors[0].focus_target()
    first.setFocus(Qt.FocusReason.TabFocusReason)
    visited: list[str] = []
    landed_on: list[str] = []
    for _ in range(len(expected)):
        widget = QApplication.focusWidget()
        visited.append(_group_of(widget))
        landed_on.append(widget.accessibleName())
        key(widget, Qt.Key.Key_Tab)
    # One stop per answer, in reading order, through every section of the form.
    assert visited == expected
    # Tab lands on the answer given ("3: Fairly easily"), or on the first option, never on
    # "Not asked".
    talk = expected.index(
        "How easily can you talk with your partner about your fantasies? (Kim Example)"
    )
    assert landed_on[talk] == "3: Fairly easily"
    assert "Not asked" not in landed_on
    # Shift+Tab walks back.
    key(QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert _group_of(QApplication.focusWidget()) == expected[-1]


def test_undo_and_redo_update_the_widgets_without_new_changes(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple")
    case = workspace.case
    page = intake_page(qtbot, workspace)
    click(qtbot, radio(page, "safety.afraid_of_partner", "Yes"))
    grid = page.editors["activity.gag"]
    assert isinstance(grid, ActivityGridEditor)
    click(qtbot, grid.choices["gag"][0].buttons[3])  # giving: hard limit
    phq9 = page.editors["phq9"]
    assert isinstance(phq9, InstrumentEditor)
    click(qtbot, phq9.rows[1].buttons[2])
    assert case.undo_stack.count() == 3
    assert "ipv-risk" in indicator_ids(case)

    for _ in range(3):
        case.undo_stack.undo()
    assert case.undo_stack.count() == 3, "refreshing a widget must not push a change"
    assert radio(page, "safety.afraid_of_partner", "Not asked").isChecked()
    assert not any(b.isChecked() for b in grid.choices["gag"][0].buttons)
    assert phq9.rows[1].value() == 0
    assert "ipv-risk" not in indicator_ids(case)

    for _ in range(3):
        case.undo_stack.redo()
    assert radio(page, "safety.afraid_of_partner", "Yes").isChecked()
    assert grid.choices["gag"][0].value() == "limit"
    assert phq9.rows[1].value() == 2
    assert case.undo_stack.index() == 3
    qtbot.waitUntil(lambda: not case.has_unsaved_changes, timeout=10_000)
    stored = stored_intake(workspace).partner("A")
    assert stored.facts["safety.afraid_of_partner"] is True
    assert stored.activities["gag"].giving == "limit"


def test_an_answer_changed_elsewhere_shows_on_both_pages(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple")
    case = workspace.case
    page_a = intake_page(qtbot, workspace, "A")
    page_b = intake_page(qtbot, workspace, "B")
    case.set_answer("B", "medical.asthma_or_respiratory", True)
    assert radio(page_b, "medical.asthma_or_respiratory", "Yes").isChecked()
    assert radio(page_a, "medical.asthma_or_respiratory", "Not asked").isChecked()


# ------------------------------------------------------------------------------ what shows where


def test_the_joint_page_shows_only_what_a_couple_may_answer_together(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple")
    case = workspace.case
    page = intake_page(qtbot, workspace, None)
    joint_ids = {q.id for q in case.content.questionnaire.questions() if q.may_answer_jointly}
    assert set(page.editors) == joint_ids
    assert not any(section.banners for section in page.sections)
    click(qtbot, radio(page, "relationship.length", "1 to 3 years"))
    assert case.intake.joint_facts["relationship.length"] == "1_to_3_years"
    assert case.answer("A", "relationship.length") is None
    editor = question(page, "relationship.length")
    assert editor.choice is not None
    assert "answered together" in editor.choice.group_name
    assert stored_intake(workspace).joint_facts["relationship.length"] == "1_to_3_years"


def test_the_partner_alone_banner_sits_over_what_is_asked_alone(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple")
    case = workspace.case
    page = intake_page(qtbot, workspace, "A")
    content = case.content
    for section in page.sections:
        for editor in section.editors:
            block = editor.parentWidget()
            banner = block.findChild(QLabel, "aloneBanner") if block is not section else None
            if isinstance(editor, ActivityGridEditor):
                expected = content.questionnaire.activity_grid.asked_alone
            else:
                expected = content.questionnaire.question(editor.answer_ids[0]).asked_alone  # type: ignore[union-attr]
            assert (banner is not None) == expected, editor.answer_ids[0]
            if banner is not None:
                assert banner.text().startswith("Ask with Kim Example alone")
                assert banner.isVisibleTo(page)
    by_section = {s.plan.section.id: len(s.banners) for s in page.sections}
    assert by_section["safety"] == 1  # the whole section under one banner
    assert by_section["relationship"] == 0
    assert by_section["mental"] >= 1
    assert by_section["activities"] == 1


def test_clinician_only_marks_notes_and_accessible_names(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple")
    case = workspace.case
    page = intake_page(qtbot, workspace, "A")
    for answer_id, editor in page.editors.items():
        if answer_id.startswith("activity."):
            continue
        spec = case.content.questionnaire.question(answer_id)
        assert spec is not None
        marks = editor.findChildren(PrivacyMark)
        if spec.always_clinician_only:
            assert len(marks) == 1, answer_id
            assert "Clinician only" in marks[0].text.text()
            assert editor.visibility_toggle is None
        else:
            assert not marks
            assert editor.visibility_toggle is not None, answer_id
        if spec.note:
            notes = [label.text() for label in editor.findChildren(QLabel)]
            assert spec.note in notes, answer_id
    for answer_id in ("suicide.thoughts_past_month", "safety.afraid_of_partner"):
        texts = [label.text() for label in page.editors[answer_id].findChildren(QLabel)]
        assert OWN_NOTE in texts
    # Every radio group says which question and whose answer it is.
    epilepsy = question(page, "medical.epilepsy")
    assert epilepsy.choice is not None
    assert epilepsy.choice.group_name == "Do you have epilepsy or seizures? (Kim Example)"
    assert all(
        b.accessibleDescription() == epilepsy.choice.group_name
        for b in epilepsy.choice.all_buttons()
    )
    phq9 = page.editors["phq9"]
    assert isinstance(phq9, InstrumentEditor)
    assert phq9.rows[8].group_name.startswith("PHQ-9 item 9: Thoughts that you would be better")
    assert phq9.rows[8].group_name.endswith("(Kim Example)")
    grid = page.editors["activity.gag"]
    assert isinstance(grid, ActivityGridEditor)
    assert grid.choices["gag"][1].group_name == "Gag, Receiving (Kim Example)"
    # Instruments carry their attribution and the anchors as column headers.
    labels = [label.text() for label in phq9.findChildren(QLabel)]
    assert any(text.startswith("PHQ-9: Kroenke, Spitzer & Williams (2001)") for text in labels)
    for anchor in ("Not at all", "Several days", "More than half the days", "Nearly every day"):
        assert anchor in labels
    audit = page.editors["audit_c"]
    assert isinstance(audit, InstrumentEditor)
    assert [b.text() for b in audit.rows[2].buttons][-1] == "Daily or almost daily"
    assert "threshold 3" in audit.score_label.text()


def test_the_visibility_choice_persists_and_waits_for_an_answer(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("trauma-role-reversal")
    case = workspace.case
    page = intake_page(qtbot, workspace, "A")
    abuse = page.editors["trauma.sexual_abuse_history"]
    toggle = abuse.visibility_toggle
    assert toggle is not None
    # Asked alone under limited-secrets: clinician only until the clinician decides otherwise.
    assert case.visibility("A", "trauma.sexual_abuse_history") == "clinician-only"
    assert toggle.text().startswith("Clinician only")
    assert toggle.isEnabled()
    menu = toggle.choices_menu()
    shared = next(a for a in menu.actions() if a.text().startswith("Shared"))
    shared.trigger()
    assert case.visibility("A", "trauma.sexual_abuse_history") == "joint"
    assert toggle.text().startswith("Shared with the couple")
    # The shortcut switches the focused answer back.
    abuse.focus_target().setFocus(Qt.FocusReason.TabFocusReason)
    page.visibility_action.trigger()
    assert case.visibility("A", "trauma.sexual_abuse_history") == "clinician-only"
    page.visibility_action.trigger()
    stored_visibility = stored_intake(workspace).partner("A").visibility
    assert stored_visibility["trauma.sexual_abuse_history"] == "joint"
    # Unanswered: nothing to choose for yet.
    unanswered = page.editors["trauma.other_abuse_history"].visibility_toggle
    assert unanswered is not None
    assert not unanswered.isEnabled()
    # The activity list has one choice for all its answers.
    grid = page.editors["activity.gag"]
    assert grid.visibility_toggle is not None
    grid.visibility_toggle.set_visibility("joint")
    assert case.visibility("A", "activity.role_reversal_power") == "joint"
    assert case.visibility("A", "activity.gag") == "clinician-only"  # unanswered stays
    qtbot.waitUntil(lambda: not case.has_unsaved_changes, timeout=10_000)
    stored = stored_intake(workspace).partner("A")
    assert stored.visibility["activity.role_reversal_power"] == "joint"


# ------------------------------------------------------------------------------ navigation


def test_section_list_progress_and_moving_between_sections(
    qtbot, workspace_on, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple")
    case = workspace.case
    page = intake_page(qtbot, workspace, "A")
    model = page.sections_model
    qtmodeltester.check(model)
    titles = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert titles == [s.title for s in case.content.questionnaire.sections]
    medical = titles.index("Medical")
    before = model.data(model.index(medical, 0), IntakeSectionsModel.ProgressRole)
    answered_before = page.progress.value()
    click(qtbot, radio(page, "medical.diabetes", "No"))
    after = model.data(model.index(medical, 0), IntakeSectionsModel.ProgressRole)
    assert after == (before[0] + 1, before[1])
    assert page.progress.value() == answered_before + 1
    assert page.progress.maximum() == model.totals()[1]
    assert page.progress_label.text() == f"{answered_before + 1} of {model.totals()[1]} answered"
    qtmodeltester.check(model)

    # Ctrl+PgDown moves to the next section and focuses its first answer.
    page.scroll_to_section(0)
    first = page.sections[0].editors[0].focus_target()
    first.setFocus(Qt.FocusReason.TabFocusReason)
    key(first, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert page.section_list.currentIndex().row() == 1
    target = page.sections[1].editors[0].focus_target()
    assert focused(page) is target
    key(target, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert page.section_list.currentIndex().row() == 0
    key(focused(page), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # type: ignore[arg-type]
    assert page.section_list.currentIndex().row() == 1

    # Choosing a section in the list scrolls the form to it.
    page.section_list.setCurrentIndex(model.index(medical, 0))
    section = page.sections[medical]
    bar = page.form_scroll.verticalScrollBar()
    assert abs(bar.value() - section.y()) < 10 or bar.value() == bar.maximum()
    # Scrolling the form follows in the list.
    bar.setValue(page.sections[2].y())
    assert page.section_list.currentIndex().row() == 2


def test_focus_answer_scrolls_selects_focuses_and_highlights(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("trauma-role-reversal", start_page="indicators")
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow, timeout=5000)
    workspace.show_answer("A", "safety.can_say_no_freely")
    page = workspace.pages["intake:A"]
    assert isinstance(page, IntakePage)
    assert workspace.stack.currentWidget() is page
    editor = page.editors["safety.can_say_no_freely"]
    target = editor.focus_target()
    assert focused(page) is target
    assert target.isChecked()  # the stored answer ("yes") has the focus
    safety_row = [s.plan.section.id for s in page.sections].index("safety")
    assert page.section_list.currentIndex().row() == safety_row
    viewport = page.form_scroll.viewport()

    def in_view(widget: QWidget) -> bool:
        top_left = widget.mapTo(viewport, QPoint(0, 0))
        return top_left.y() >= 0 and top_left.y() + widget.height() <= viewport.height()

    qtbot.waitUntil(lambda: in_view(target), timeout=2000)
    assert editor.highlighted
    qtbot.waitUntil(lambda: not editor.highlighted, timeout=5000)

    # Evidence ids name an instrument item or an activity's role.
    page.focus_answer("phq9.item9")
    phq9 = page.editors["phq9"]
    assert isinstance(phq9, InstrumentEditor)
    assert focused(page) is phq9.rows[8].focus_target()
    assert phq9.grid.highlighted_row == phq9.item_rows[8]
    qtbot.waitUntil(lambda: in_view(phq9.rows[8].focus_target()), timeout=2000)
    page.focus_answer("activity.role_reversal_power.giving")
    grid = page.editors["activity.role_reversal_power"]
    assert isinstance(grid, ActivityGridEditor)
    assert focused(page) is grid.choices["role_reversal_power"][0].focus_target()
    assert grid.grid.highlighted_row == grid.row_of["role_reversal_power"]
    qtbot.waitUntil(lambda: in_view(focused(page)), timeout=2000)  # type: ignore[arg-type]


def test_text_typed_just_before_the_case_closes_is_kept(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(None)
    case = workspace.case
    gateway, case_id = case.gateway, case.case_id
    page = intake_page(qtbot, workspace)
    edit = question(page, "goals.hopes").text_edit
    assert edit is not None
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    type_text(edit, "typed just before closing")
    # Closing the case (Ctrl+W) hides the workspace and deletes it, well within the pause
    # after which the text would have saved itself.
    workspace.hide()
    case.deleteLater()
    workspace.deleteLater()
    QApplication.processEvents()
    gateway.runner.wait_until_idle()
    with gateway.vault.session() as session:
        stored = answer_service.load_intake(session, case_id)
    assert stored.partner("A").facts["goals.hopes"] == "typed just before closing"


def test_text_typed_just_before_locking_reaches_the_vault(  # type: ignore[no-untyped-def]
    qtbot, tmp_path, app_settings
) -> None:
    from db.services import cases as case_service
    from db.services.types import NewCase, NewPartner
    from db.vault import Vault
    from tests.ui.conftest import PASSPHRASE
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    vault = Vault.create(tmp_path / "lock" / "practice.parley", PASSPHRASE)
    with vault.session() as session:
        case_id = case_service.create_case(
            session,
            NewCase(
                "Fictional couple",
                (NewPartner("Kim Example"), NewPartner("Lee Example")),
                "limited-secrets",
            ),
        ).id
    runner = TaskRunner()
    window = MainWindow(vault, runner, app_settings)
    qtbot.addWidget(window)
    window.resize(1440, 900)
    window.show()
    try:
        window.open_case(case_id)
        qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)
        page = intake_page(qtbot, window.workspace, "A")
        edit = question(page, "communication.aftercare_wishes").text_edit
        assert edit is not None
        edit.setFocus(Qt.FocusReason.TabFocusReason)
        type_text(edit, "A blanket, then tea")
        assert window.workspace.case.answer("A", "communication.aftercare_wishes") is None
        # What the app controller does on Ctrl+L: wait for queued saves, clear the window, lock.
        runner.wait_until_idle()
        runner.forget_pending_results()
        window.prepare_to_lock()
        vault.lock()
    finally:
        runner.shutdown()
        vault.lock()
    reopened = Vault.unlock(tmp_path / "lock" / "practice.parley", PASSPHRASE)
    try:
        with reopened.session() as session:
            stored = answer_service.load_intake(session, case_id)
    finally:
        reopened.lock()
    assert stored.partner("A").facts["communication.aftercare_wishes"] == "A blanket, then tea"
