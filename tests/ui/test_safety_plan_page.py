"""The safety-plan page: the engine's proposal, the clinician's edits, and the couple's preview."""

from __future__ import annotations

import dataclasses
import io

import pypdf
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)

from clinical.model import ActivityAnswer, CrisisContact, SafetyPlanChoices
from clinical.safety_plan import cell_key
from db.services.plans import get_case_plans
from ui.workspace.safety_edits import with_agreed, with_drop_check
from ui.workspace.safety_plan_page import NON_VERBAL_MISSING, SafetyPlanPage

#: Free-text answers with markers no plan wording could contain (fictional test data).
PRIVATE_MARKER = "Qx7private"
SHARED_MARKER = "Qx7shared"


def safety_page(qtbot, workspace) -> SafetyPlanPage:  # type: ignore[no-untyped-def]
    page = workspace.show_page_by_key("safety-plan")
    assert isinstance(page, SafetyPlanPage)
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow, timeout=2000)
    return page


def stored_choices(workspace) -> SafetyPlanChoices:  # type: ignore[no-untyped-def]
    case = workspace.case
    case.gateway.runner.wait_until_idle()
    with case.gateway.vault.session() as session:
        return get_case_plans(session, case.case_id).safety_choices


def wait_for_preview(qtbot, page: SafetyPlanPage) -> bytes:  # type: ignore[no-untyped-def]
    """Wait until the preview shows a document built after everything so far, and return it."""
    preview = page.preview
    qtbot.waitUntil(
        lambda: not preview.timer.isActive() and not preview._in_flight and bool(preview.data),
        timeout=30_000,
    )
    qtbot.waitUntil(lambda: preview.view.is_ready, timeout=10_000)
    assert preview.data is not None
    return preview.data


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def type_text(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.keyClicks(widget, text)


# ---------------------------------------------------------------------- agreed activities


def test_lists_the_ready_couples_mutual_yes_activities(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="safety-plan")
    page = safety_page(qtbot, workspace)
    mutual = [c for c in workspace.case.evaluation.negotiation if c.status == "mutual-yes"]
    assert [cell_key(c) for c in mutual] == list(page.agreed_boxes)
    assert set(page.agreed_boxes) == {
        "verbal_roleplay:A>B",
        "verbal_roleplay:B>A",
        "blindfold:A>B",
        "blindfold:B>A",
        "light_restraint:A>B",
        "role_reversal_power:B>A",
    }
    assert all(box.isChecked() for box in page.agreed_boxes.values())
    box = page.agreed_boxes["light_restraint:A>B"]
    assert box.text().startswith("Light restraint")
    assert "Kim Example gives, Lee Example receives" in box.accessibleName()
    # What is not agreed is open for later talk, not hidden.
    assert "For later talk" in page.later_label.text()
    assert "Power role reversal" in page.later_label.text()


def test_unticking_one_and_setting_the_non_verbal_signal_persist(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="safety-plan")
    case = workspace.case
    page = safety_page(qtbot, workspace)
    before = stored_choices(workspace)
    assert before == SafetyPlanChoices()

    qtbot.mouseClick(page.agreed_boxes["blindfold:A>B"], Qt.MouseButton.LeftButton)
    type_text(qtbot, page.signal_edits["non_verbal"], "Drop the bell")

    stored = stored_choices(workspace)
    assert stored.agreed is not None
    assert "blindfold:A>B" not in stored.agreed
    assert set(stored.agreed) == set(page.agreed_boxes) - {"blindfold:A>B"}
    assert stored.signals.non_verbal == "Drop the bell"
    assert [a.activity for a in page.plan.agreed].count("blindfold") == 1

    text = pdf_text(wait_for_preview(qtbot, page))
    assert "Drop the bell" in text

    # Two undo steps (typing the signal is one): back to the engine's proposal, in the vault.
    case.undo_stack.undo()
    case.undo_stack.undo()
    assert stored_choices(workspace) == SafetyPlanChoices()
    assert page.agreed_boxes["blindfold:A>B"].isChecked()
    assert page.signal_edits["non_verbal"].text() == ""
    case.undo_stack.redo()
    case.undo_stack.redo()
    assert stored_choices(workspace) == stored


def test_an_activity_that_becomes_a_mutual_yes_later_is_not_agreed_by_itself(
    qtbot,  # type: ignore[no-untyped-def]
    workspace_on,
) -> None:
    workspace = workspace_on("ready-couple", start_page="safety-plan")
    page = safety_page(qtbot, workspace)
    qtbot.mouseClick(page.agreed_boxes["blindfold:A>B"], Qt.MouseButton.LeftButton)
    for partner in ("A", "B"):
        workspace.case.set_answer(
            partner, "activity.light_restraint", ActivityAnswer("yes", "yes", "some")
        )
    assert "light_restraint:B>A" in page.agreed_boxes
    assert not page.agreed_boxes["light_restraint:B>A"].isChecked()
    assert page.agreed_boxes["verbal_roleplay:A>B"].isChecked()


# ---------------------------------------------------------------------- signals and problems


def test_a_gag_agreed_without_a_non_verbal_signal_shows_the_problem(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="safety-plan")
    case = workspace.case
    page = safety_page(qtbot, workspace)
    assert not page.non_verbal_problem.isVisibleTo(page)

    case.set_answer("A", "activity.gag", ActivityAnswer("yes", "no", "none"))
    case.set_answer("B", "activity.gag", ActivityAnswer("no", "yes", "none"))
    assert page.agreed_boxes["gag:A>B"].isChecked()
    assert page.non_verbal_problem.isVisibleTo(page)
    assert NON_VERBAL_MISSING in page.non_verbal_problem.text()
    assert "⚠" in page.non_verbal_problem.text()  # never colour alone
    assert "non-verbal" in page.problems_label.text()

    type_text(qtbot, page.signal_edits["non_verbal"], "Three taps")
    assert not page.non_verbal_problem.isVisibleTo(page)
    assert "non-verbal" not in page.problems_label.text()

    page.signal_edits["non_verbal"].selectAll()
    qtbot.keyClick(page.signal_edits["non_verbal"], Qt.Key.Key_Backspace)
    assert page.non_verbal_problem.isVisibleTo(page)

    # Unticking the gag takes the requirement away only if it is not under discussion either:
    # the gag stays open for later talk, so the signal is still required.
    qtbot.mouseClick(page.agreed_boxes["gag:A>B"], Qt.MouseButton.LeftButton)
    assert page.non_verbal_problem.isVisibleTo(page)


def test_an_emptied_signal_word_comes_back(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="safety-plan")
    page = safety_page(qtbot, workspace)
    red = page.signal_edits["red"]
    red.setFocus()
    red.selectAll()
    qtbot.keyClick(red, Qt.Key.Key_Delete)
    assert page.choices.signals.red == ""
    qtbot.keyClick(red, Qt.Key.Key_Tab)  # leaving the field
    assert page.choices.signals.red == "red"
    assert red.text() == "red"
    assert stored_choices(workspace).signals.red == "red"


def test_aftercare_rules_note_and_drop_check_round_trip_with_undo(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="safety-plan")
    case = workspace.case
    page = safety_page(qtbot, workspace)
    assert page.aftercare_problems["A"].isVisibleTo(page)
    steps = case.undo_stack.count()

    type_text(qtbot, page.aftercare_edits["A"], "Blanket, tea and quiet")
    type_text(qtbot, page.rules_edit, "Keep the shears on the bedside table")
    type_text(qtbot, page.note_edit, "Go slowly and enjoy it")
    page.drop_end.setValue(48)

    assert case.undo_stack.count() - steps == 4
    assert not page.aftercare_problems["A"].isVisibleTo(page)
    assert page.aftercare_problems["B"].isVisibleTo(page)
    edited = stored_choices(workspace)
    assert edited.aftercare == {"A": "Blanket, tea and quiet"}
    assert edited.extra_rules == ("Keep the shears on the bedside table",)
    assert edited.notes_for_couple == "Go slowly and enjoy it"
    assert edited.drop_check_hours == (24, 48)
    text = pdf_text(wait_for_preview(qtbot, page))
    for words in ("Blanket, tea and quiet", "Keep the shears", "Go slowly and enjoy it"):
        assert words in text

    for _ in range(4):
        case.undo_stack.undo()
    assert stored_choices(workspace) == SafetyPlanChoices()
    assert page.rules_edit.items() == ()
    assert page.note_edit.toPlainText() == ""
    assert page.drop_end.value() == 72
    for _ in range(4):
        case.undo_stack.redo()
    assert stored_choices(workspace) == edited


def test_crisis_contacts_come_from_the_practice_settings(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="reports")
    case = workspace.case
    case.practice = dataclasses.replace(
        case.practice,
        crisis_contacts=(CrisisContact("Fictional crisis line", "0800 000 000", "day and night"),),
    )
    page = safety_page(qtbot, workspace)
    assert "Fictional crisis line" in page.contacts_label.text()
    assert "0800 000 000" in page.contacts_label.text()
    assert not page.contacts_problem.isVisibleTo(page)
    text = pdf_text(wait_for_preview(qtbot, page))
    assert "Fictional crisis line" in text


def test_without_crisis_contacts_the_page_says_where_to_set_them(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="safety-plan")
    page = safety_page(qtbot, workspace)
    assert page.contacts_problem.isVisibleTo(page)
    labels = [label.text() for label in page.findChildren(type(page.contacts_label))]
    assert any("Practice settings" in text for text in labels)


# ---------------------------------------------------------------------- the preview


def test_the_preview_renders_the_couples_pdf(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="safety-plan")
    page = safety_page(qtbot, workspace)
    data = wait_for_preview(qtbot, page)
    assert data.startswith(b"%PDF")
    assert page.preview.view.is_ready
    assert page.preview.view.page_count >= 2
    assert page.preview.stack.currentWidget() is page.preview.view
    assert "Exactly what the couple receives" in page.preview.status_label.text()
    assert "Blindfold" in pdf_text(data)


def test_the_preview_is_rebuilt_once_after_a_burst_of_typing(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="safety-plan")
    page = safety_page(qtbot, workspace)
    wait_for_preview(qtbot, page)
    builds: list[bool] = []
    page.preview.shown.connect(lambda: builds.append(True))
    type_text(qtbot, page.note_edit, "Be gentle with each other")
    text = pdf_text(wait_for_preview(qtbot, page))
    assert "Be gentle with each other" in text
    assert 1 <= len(builds) <= 2


def test_an_unacknowledged_critical_indicator_holds_the_preview_back(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="safety-plan")
    case = workspace.case
    page = safety_page(qtbot, workspace)
    wait_for_preview(qtbot, page)

    case.set_answer("A", "safety.afraid_of_partner", True)
    qtbot.waitUntil(lambda: page.preview.blocked, timeout=5000)
    preview = page.preview
    assert preview.stack.currentWidget() is preview.blocked_panel
    message = preview.blocked_label.text()
    assert "Intimate-partner violence risk" in message
    assert "acknowledge" in message.lower()
    # Whose it is stays on the indicators page: the couple may be looking at this screen.
    assert "Kim Example" not in message
    assert "Lee Example" not in message

    qtbot.mouseClick(preview.go_to_indicators, Qt.MouseButton.LeftButton)
    assert workspace.specs[workspace.sidebar.currentRow()].key == "indicators"

    indicator = next(i for i in case.evaluation.indicators if i.id == "ipv-risk")
    with qtbot.waitSignal(case.acknowledgements_changed, timeout=10_000):
        case.acknowledge(indicator, "Seen alone; safety planning begun", "Dr Example")
    workspace.show_page_by_key("safety-plan")
    qtbot.waitUntil(lambda: not preview.blocked, timeout=5000)
    text = pdf_text(wait_for_preview(qtbot, page))
    assert "Intimate-partner" not in text
    assert "afraid" not in text.lower()


def test_the_preview_never_contains_a_clinician_only_answer(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="safety-plan")
    case = workspace.case
    page = safety_page(qtbot, workspace)
    shown: list[bytes] = []
    page.preview.shown.connect(lambda: shown.append(page.preview.data or b""))

    aftercare = case.content.safety.aftercare_fact
    signal = case.content.safety.non_verbal_fact
    case.set_answer("A", aftercare, f"Being held {PRIVATE_MARKER}")
    case.set_visibility("A", aftercare, "clinician-only")
    case.set_answer("A", signal, f"Snap fingers {PRIVATE_MARKER}")
    case.set_visibility("A", signal, "clinician-only")
    case.set_answer("B", aftercare, f"Warm tea {SHARED_MARKER}")
    case.set_visibility("B", aftercare, "joint")
    page.preview.refresh_now()

    text = pdf_text(wait_for_preview(qtbot, page))
    assert SHARED_MARKER in text, "the preview shows what the couple shared"
    assert PRIVATE_MARKER not in text
    # The editor says where the shared aftercare comes from; never the private one.
    assert SHARED_MARKER in page.aftercare_sources["B"].text()
    assert not page.aftercare_sources["A"].isVisibleTo(page)

    # A private answer pasted into the note for the couple is refused, with a clear message.
    type_text(qtbot, page.note_edit, f"Being held {PRIVATE_MARKER}")
    page.preview.refresh_now()
    qtbot.waitUntil(lambda: not page.preview._in_flight, timeout=30_000)
    assert page.preview.stack.currentWidget() is page.preview._problem_holder
    assert "only the clinician may see" in page.preview.problem_label.text()
    assert PRIVATE_MARKER not in page.preview.problem_label.text()
    assert shown
    assert all(PRIVATE_MARKER not in pdf_text(data) for data in shown)

    # Taking it out brings the preview back.
    page.note_edit.selectAll()
    qtbot.keyClick(page.note_edit, Qt.Key.Key_Delete)
    page.preview.refresh_now()
    wait_for_preview(qtbot, page)
    qtbot.waitUntil(lambda: page.preview.stack.currentWidget() is page.preview.view, timeout=10_000)


# ---------------------------------------------------------------------- the page as a whole


def test_every_input_has_an_accessible_name(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="safety-plan")
    page = safety_page(qtbot, workspace)
    inputs = page.findChildren(QLineEdit) + page.findChildren(QTextEdit)
    inputs += page.findChildren(QPlainTextEdit) + page.findChildren(QAbstractSpinBox)
    inputs = [w for w in inputs if not isinstance(w.parent(), QAbstractSpinBox)]
    assert len(inputs) >= 10
    for widget in inputs:
        assert widget.accessibleName(), widget
    for button in page.findChildren(QAbstractButton):
        assert button.accessibleName() or button.text(), button
    assert all(not a.shortcut().isEmpty() for a in page.actions())


def test_choice_edits_keep_their_rules() -> None:
    mutual = ["a:A>B", "a:B>A", "b:A>B"]
    choices = with_agreed(SafetyPlanChoices(), mutual, "a:B>A", False)
    assert choices.agreed == ("a:A>B", "b:A>B")
    assert with_agreed(choices, mutual, "a:B>A", True).agreed == ("a:A>B", "b:A>B", "a:B>A")
    assert with_drop_check(SafetyPlanChoices(), 72, 24).drop_check_hours == (72, 72)
    assert with_drop_check(SafetyPlanChoices(), 0, 999).drop_check_hours == (1, 168)


def test_tab_goes_through_the_activities_to_the_signals(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="safety-plan")
    page = safety_page(qtbot, workspace)
    boxes = list(page.agreed_boxes.values())
    boxes[0].setFocus()
    for box in boxes[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is box
    qtbot.keyClick(boxes[-1], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.signal_edits["green"]
    # Space ticks and unticks by keyboard.
    qtbot.keyClick(boxes[-1], Qt.Key.Key_Space)
    assert not boxes[-1].isChecked()
