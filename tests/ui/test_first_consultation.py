"""A first consultation, played through the whole app as a therapist would.

Create the vault, create the case by keyboard (one partner's name typed with a non-ASCII
character), fill both partners' intakes by keyboard and mouse, watch the indicators appear,
acknowledge one, choose a pacing template, edit the safety plan; then lock, unlock, reopen the
case and find everything as it was. Real vault, real task runner, real widgets; fictional data.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QWidget

from clinical.model import ActivityAnswer
from db.services import answers as answer_service
from db.services import plans as plan_service
from desktop.app import AppController
from tests.ui.conftest import PASSPHRASE, visible_texts
from ui.new_case_dialog import NewCaseDialog
from ui.shortcuts import ShortcutsDialog
from ui.vault_dialogs import CreateVaultDialog, UnlockDialog
from ui.workspace.indicator_acknowledge import AcknowledgeDialog
from ui.workspace.indicators_page import IndicatorsPage
from ui.workspace.intake_page import IntakePage
from ui.workspace.intake_widgets import ActivityGridEditor, QuestionEditor
from ui.workspace.pacing_page import PacingPlanPage
from ui.workspace.safety_plan_page import SafetyPlanPage

PARTNER_A = "Zoë Example"  # fictional
PARTNER_B = "Lee Example"  # fictional


def type_text(widget: QWidget, text: str) -> None:
    """Type any text as key events that carry it (keyClicks aborts on non-ASCII)."""
    for character in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, character)
            )


def when_modal(kind: type, act) -> None:  # type: ignore[no-untyped-def]
    """Run `act(dialog)` once a modal dialog of `kind` is open (it blocks in exec())."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            try:
                act(dialog)
            finally:
                # A failed step must not leave exec() blocking the test forever.
                if dialog.isVisible():
                    dialog.reject()
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def fill_new_case(qtbot, dialog: NewCaseDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(dialog.label_edit, "First consultation (fictional)")
    name_a = dialog.partner_table.cellWidget(0, 0)
    name_b = dialog.partner_table.cellWidget(1, 0)
    assert isinstance(name_a, QLineEdit)
    assert isinstance(name_b, QLineEdit)
    type_text(name_a, PARTNER_A)
    qtbot.keyClicks(name_b, PARTNER_B)
    assert [check.text() for check in dialog.consent_checks] == [PARTNER_A, PARTNER_B]
    for check in dialog.consent_checks:
        check.setFocus()
        qtbot.keyClick(check, Qt.Key.Key_Space)
    assert all(check.isChecked() for check in dialog.consent_checks)
    create = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.problem_label.text()


def go_to(qtbot, page: IntakePage, answer_id: str) -> None:  # type: ignore[no-untyped-def]
    """Bring an answer into view as the section list would, and wait until it is shown."""
    page.focus_answer(answer_id)
    qtbot.waitUntil(lambda: page.editors[answer_id].isVisible(), timeout=5_000)


def radio(page: IntakePage, answer_id: str, text: str):  # type: ignore[no-untyped-def]
    editor = page.editors[answer_id]
    assert isinstance(editor, QuestionEditor)
    assert editor.choice is not None
    return next(b for b in editor.choice.all_buttons() if b.accessibleName() == text)


def answer_activity(qtbot, page: IntakePage, activity: str, giving: int, receiving: int) -> None:  # type: ignore[no-untyped-def]
    """Click giving and receiving (0 yes, 1 maybe, 2 no, 3 limit) and experience "some"."""
    go_to(qtbot, page, f"activity.{activity}")
    grid = page.editors[f"activity.{activity}"]
    assert isinstance(grid, ActivityGridEditor)
    give, receive, experience = grid.choices[activity]
    qtbot.mouseClick(give.buttons[giving], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(receive.buttons[receiving], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(experience.buttons[1], Qt.MouseButton.LeftButton)


def intake_page(workspace, key: str) -> IntakePage:  # type: ignore[no-untyped-def]
    page = workspace.show_page_by_key(f"intake:{key}")
    assert isinstance(page, IntakePage)
    page.ensure_built()
    return page


def test_a_first_consultation_from_empty_vault_to_lock_and_back(  # type: ignore[no-untyped-def]
    qtbot, controller: AppController
) -> None:
    # ---- first start: create the vault
    controller.start()
    create = controller.create_dialog
    assert isinstance(create, CreateVaultDialog)
    qtbot.keyClicks(create.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(create.confirm_edit, PASSPHRASE)
    with qtbot.waitSignal(controller.unlocked, timeout=20_000):
        qtbot.keyClick(create.confirm_edit, Qt.Key.Key_Return)
    window = controller.main_window
    assert window is not None
    qtbot.addWidget(window)

    # ---- new case by keyboard (Ctrl+N), consent recorded
    when_modal(NewCaseDialog, lambda dialog: fill_new_case(qtbot, dialog))
    window.activateWindow()
    window.actions_by_name["new-case"].trigger()
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=20_000)
    workspace = window.workspace
    assert workspace is not None
    case = workspace.case
    assert [p.name for p in case.detail.partners] == [PARTNER_A, PARTNER_B]
    assert window.windowTitle() == "Parley"  # never a client's name in the title

    # ---- partner A, asked alone: afraid of partner; and the activities
    page_a = intake_page(workspace, "A")
    go_to(qtbot, page_a, "safety.afraid_of_partner")
    qtbot.mouseClick(radio(page_a, "safety.afraid_of_partner", "Yes"), Qt.MouseButton.LeftButton)
    no_pressure = radio(page_a, "safety.pressured_to_try_kink", "No")
    no_pressure.setFocus()
    qtbot.keyClick(no_pressure, Qt.Key.Key_Space)
    answer_activity(qtbot, page_a, "blindfold", 0, 0)
    answer_activity(qtbot, page_a, "gag", 0, 2)
    # ---- partner B: matching interests
    page_b = intake_page(workspace, "B")
    answer_activity(qtbot, page_b, "blindfold", 0, 0)
    answer_activity(qtbot, page_b, "gag", 2, 0)
    assert case.answer("A", "activity.gag") == ActivityAnswer("yes", "no", "some")
    assert window.actions_by_name["undo"].text().startswith("&Undo Answer: ")

    # ---- the indicators appear, the verdict follows, one is acknowledged
    assert any(i.id == "ipv-risk" and i.partner == "A" for i in case.evaluation.indicators)
    assert case.evaluation.disposition == "therapy-essential"
    assert "1 to acknowledge" in workspace.verdict.counts_label.text()
    indicators = workspace.show_page_by_key("indicators")
    assert isinstance(indicators, IndicatorsPage)
    indicators.select_indicator("ipv-risk@A")

    def acknowledge(dialog: AcknowledgeDialog) -> None:
        type_text(dialog.note, "Seen alone; safety planning begun (fictional note)")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    when_modal(AcknowledgeDialog, acknowledge)
    with qtbot.waitSignal(case.acknowledgements_changed, timeout=10_000):
        indicators.detail.acknowledge_button.click()
    assert "to acknowledge" not in workspace.verdict.counts_label.text()

    # ---- a pacing template chosen from the suggestions
    pacing = workspace.show_page_by_key("pacing")
    assert isinstance(pacing, PacingPlanPage)
    qtbot.mouseClick(pacing.chooser.use_button, Qt.MouseButton.LeftButton)
    chosen = pacing.plan
    assert chosen is not None

    # ---- the safety plan: a gag is agreed, so a non-verbal signal is needed
    safety = workspace.show_page_by_key("safety-plan")
    assert isinstance(safety, SafetyPlanPage)
    signal_edit = safety.signal_edits["non_verbal"]
    signal_edit.setFocus()
    type_text(signal_edit, "Drop the bell")
    signal_edit.clearFocus()
    qtbot.waitUntil(lambda: case.plans.safety_choices.signals.non_verbal == "Drop the bell")
    qtbot.waitUntil(lambda: not case.has_unsaved_changes, timeout=10_000)

    # ---- Help lists the shortcuts of the window and of every page opened, this one first
    groups = window.shortcut_groups()
    assert groups[0][0] == "Everywhere"
    assert groups[1][0] == "On the page Safety plan"
    assert any(a.shortcut().toString() for a in groups[1][1])
    assert {title for title, _ in groups} >= {"On the page Indicators", "On the page Pacing plan"}
    shortcuts = ShortcutsDialog(groups, window)
    listed = [shortcuts.table.item(row, 0).text() for row in range(shortcuts.table.rowCount())]
    assert "On the page Safety plan" in listed
    assert "Lock" in listed
    shortcuts.deleteLater()

    # ---- lock: every client detail leaves the screen
    with qtbot.waitSignal(controller.locked, timeout=10_000):
        window.actions_by_name["lock"].trigger()
    assert not any(PARTNER_A in text or PARTNER_B in text for text in visible_texts())

    # ---- unlock and reopen: everything as it was
    unlock = controller.unlock_dialog
    assert isinstance(unlock, UnlockDialog)
    qtbot.keyClicks(unlock.passphrase_edit, PASSPHRASE)
    with qtbot.waitSignal(controller.unlocked, timeout=20_000):
        qtbot.keyClick(unlock.passphrase_edit, Qt.Key.Key_Return)
    window = controller.main_window
    assert window is not None
    qtbot.waitUntil(lambda: window.case_list.model.row_at(0) is not None, timeout=10_000)
    window.open_case(window.case_list.model.case_id_at(0))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)
    reopened = window.workspace.case  # type: ignore[union-attr]
    assert reopened.answer("A", "safety.afraid_of_partner") is True
    assert reopened.answer("A", "safety.pressured_to_try_kink") is False
    assert reopened.answer("B", "activity.blindfold") == ActivityAnswer("yes", "yes", "some")
    assert "ipv-risk@A" in reopened.acknowledgements
    assert reopened.plans.pacing_plan == chosen
    assert reopened.plans.safety_choices.signals.non_verbal == "Drop the bell"
    assert reopened.snapshot().unacknowledged_blocking() == ()
    # ... and in the vault itself, read back through the services.
    vault = controller.vault
    assert vault is not None
    controller.runner.wait_until_idle()
    with vault.session() as session:
        intake = answer_service.load_intake(session, reopened.case_id)
        plans = plan_service.get_case_plans(session, reopened.case_id)
    assert intake.partner("A").facts["safety.afraid_of_partner"] is True
    assert plans.pacing_plan == chosen
