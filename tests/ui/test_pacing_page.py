"""The pacing-plan page: choose a suggested template, tailor its stages, undo, and the vault."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
)

from clinical.content import load_content
from clinical.model import PacingPlan
from clinical.pacing import plan_from_template
from db.services.plans import get_case_plans
from ui.workspace.pacing_editors import BulletListEdit
from ui.workspace.pacing_edits import (
    blank_stage,
    clean_items,
    with_current_stage,
    with_stage_added,
    with_stage_moved,
    with_stage_removed,
)
from ui.workspace.pacing_models import IS_CURRENT_ROLE, PacingStageModel
from ui.workspace.pacing_page import PacingPlanPage

CONTENT = load_content()


def pacing_page(qtbot, workspace) -> PacingPlanPage:  # type: ignore[no-untyped-def]
    page = workspace.show_page_by_key("pacing")
    assert isinstance(page, PacingPlanPage)
    # Shortcuts only reach an active window.
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow, timeout=2000)
    return page


def stored_plan(workspace) -> PacingPlan | None:  # type: ignore[no-untyped-def]
    """The pacing plan as the vault has it, once every queued save has run."""
    case = workspace.case
    case.gateway.runner.wait_until_idle()
    with case.gateway.vault.session() as session:
        return get_case_plans(session, case.case_id).pacing_plan


def wait_saved(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not workspace.case.gateway.runner.is_busy, timeout=10_000)


def use_first_suggestion(qtbot, page: PacingPlanPage) -> PacingPlan:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(page.chooser.use_button, Qt.MouseButton.LeftButton)
    plan = page.plan
    assert plan is not None
    return plan


def type_into_list(qtbot, editor: BulletListEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    """Put the cursor at the end of a list editor, start a new point and type it."""
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, text)


# ---------------------------------------------------------------------- choosing a template


def test_suggestions_are_listed_best_first_with_their_reasons(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("trauma-role-reversal", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    suggestions = workspace.case.evaluation.pacing_suggestions
    assert page.chooser.shown_templates() == tuple(s.template_id for s in suggestions)
    assert page.chooser.shown_templates()[0] == "trauma-informed-slow-track"
    buttons = page.chooser.group.buttons()
    assert buttons[0].text() == "1. " + suggestions[0].title
    shown = "\n".join(label.text() for label in page.chooser.list_box.findChildren(QLabel))
    for reason in suggestions[0].reasons:
        assert reason in shown
    # The outline of the chosen template: its stages, its PLISSIT level, what it excludes.
    outline = page.chooser.outline.text()
    template = CONTENT.templates["trauma-informed-slow-track"]
    assert all(stage.title in outline for stage in template.stages)
    assert "Intensive therapy" in outline
    assert "Breath play" in outline
    assert page.body.currentWidget() is page.empty_state


def test_showing_every_template_adds_those_not_suggested(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    suggested = page.chooser.shown_templates()
    assert "sensate-focus-foundation" not in suggested
    page.chooser.show_all.setChecked(True)
    shown = page.chooser.shown_templates()
    assert shown[: len(suggested)] == suggested
    assert set(shown) == set(CONTENT.templates)


def test_choosing_a_suggested_template_stores_a_plan_and_shows_its_stages(
    qtbot,  # type: ignore[no-untyped-def]
    workspace_on,
) -> None:
    workspace = workspace_on("trauma-role-reversal", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    plan = use_first_suggestion(qtbot, page)
    assert plan == plan_from_template("trauma-informed-slow-track", CONTENT)
    assert page.body.currentWidget() is page.editor
    stages = [page.stage_model.data(page.stage_model.index(row, 0)) for row in range(5)]
    assert page.stage_model.rowCount() == len(plan.stages) == 5
    for row, stage in enumerate(plan.stages):
        assert stage.title in stages[row]
    assert page.now_label.text() == "Now: stage 1 of 5"
    assert page.now_stage_label.text() == plan.stages[0].title
    assert page.title_edit.text() == plan.title
    stored = stored_plan(workspace)
    assert stored == plan
    # Every plan excludes these three, shown and not editable.
    for exclusion in CONTENT.pacing.exclusions:
        assert exclusion.split(":")[0] in page.exclusions_label.text()


def test_choosing_by_keyboard(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    second = page.chooser.group.buttons()[1]
    second.setFocus()
    second.setChecked(True)
    qtbot.keyClick(
        second,
        Qt.Key.Key_U,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert page.plan is not None
    assert page.plan.template_id == page.chooser.shown_templates()[1]
    assert stored_plan(workspace) == page.plan


def test_replacing_an_edited_plan_asks_first_and_undo_brings_it_back(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    use_first_suggestion(qtbot, page)
    page.choose_stage(2)
    page.mark_current()
    edited = page.plan
    assert edited is not None
    assert edited.current_stage == 2

    other = page.chooser.shown_templates()[1]
    page.chooser.select(other)
    page.use_template(other)
    box = page.replace_box
    assert isinstance(box, QMessageBox)
    assert box.isVisible()
    assert "tailored" in box.text()
    keep = next(b for b in box.buttons() if "Keep" in b.text())
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert page.plan == edited

    page.use_template(other)
    box = page.replace_box
    assert isinstance(box, QMessageBox)
    replace = next(b for b in box.buttons() if "Replace" in b.text())
    qtbot.mouseClick(replace, Qt.MouseButton.LeftButton)
    assert page.plan is not None
    assert page.plan.template_id == other
    assert stored_plan(workspace) == page.plan

    workspace.case.undo_stack.undo()
    assert page.plan == edited
    assert stored_plan(workspace) == edited
    assert page.now_label.text() == "Now: stage 3 of 5"


def test_an_unedited_plan_is_replaced_without_asking(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    use_first_suggestion(qtbot, page)
    other = page.chooser.shown_templates()[1]
    page.use_template(other)
    assert page.replace_box is None
    assert page.plan == plan_from_template(other, CONTENT)


# ---------------------------------------------------------------------- editing the plan


def test_editing_a_stage_moving_the_current_stage_and_undo_redo_round_trip_to_the_vault(
    qtbot,  # type: ignore[no-untyped-def]
    workspace_on,
) -> None:
    workspace = workspace_on("ready-couple", start_page="pacing")
    case = workspace.case
    page = pacing_page(qtbot, workspace)
    original = use_first_suggestion(qtbot, page)
    steps_before = case.undo_stack.count()

    # Rename stage 2 by typing (one undo step for the whole word).
    page.choose_stage(1)
    title_edit = page.stage_editor.title_edit
    title_edit.setFocus()
    title_edit.selectAll()
    qtbot.keyClicks(title_edit, "Talking it through")
    # Add a homework point to it.
    homework = page.stage_editor.lists["homework"]
    type_into_list(qtbot, homework, "Walk together and name one wish each")
    # The couple moves on to stage 2 (keyboard: the page's shortcut).
    page.stage_list.setFocus()
    qtbot.keyClick(
        page.stage_list,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )

    edited = page.plan
    assert edited is not None
    assert edited.stages[1].title == "Talking it through"
    assert edited.stages[1].homework[-1] == "Walk together and name one wish each"
    assert edited.stages[1].homework[:-1] == original.stages[1].homework
    assert edited.current_stage == 1
    assert page.now_label.text() == f"Now: stage 2 of {len(original.stages)}"
    assert page.now_stage_label.text() == "Talking it through"
    assert page.stage_model.data(page.stage_model.index(1, 0), IS_CURRENT_ROLE) is True
    assert case.undo_stack.count() - steps_before == 3
    assert stored_plan(workspace) == edited

    for _ in range(3):
        case.undo_stack.undo()
    assert page.plan == original
    assert page.stage_editor.title_edit.text() == original.stages[1].title
    assert page.stage_editor.lists["homework"].items() == original.stages[1].homework
    assert page.now_label.text() == f"Now: stage 1 of {len(original.stages)}"
    assert stored_plan(workspace) == original

    for _ in range(3):
        case.undo_stack.redo()
    assert page.plan == edited
    assert stored_plan(workspace) == edited


def test_adding_removing_and_reordering_stages(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    original = use_first_suggestion(qtbot, page)
    count = len(original.stages)

    page.choose_stage(0)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    plan = page.plan
    assert plan is not None
    assert len(plan.stages) == count + 1
    assert page.chosen_stage() == 1
    # The new stage's title is selected, ready to be typed over.
    title_edit = page.stage_editor.title_edit
    assert title_edit.hasFocus()
    assert title_edit.selectedText() == "New stage"
    qtbot.keyClicks(title_edit, "Slow dance")
    assert page.plan is not None
    assert page.plan.stages[1].title == "Slow dance"

    # Move it down twice with the keyboard; it stays chosen.
    page.stage_list.setFocus()
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(page.stage_list, Qt.Key.Key_Down, keys)
    qtbot.keyClick(page.stage_list, Qt.Key.Key_Down, keys)
    assert [s.title for s in page.plan.stages][3] == "Slow dance"
    assert page.chosen_stage() == 3

    # Remove it.
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert page.plan == original
    assert stored_plan(workspace) == original


def test_a_plan_keeps_at_least_one_stage(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    page.chooser.show_all.setChecked(True)
    page.chooser.select("maintenance-and-lapse")
    page.use_template("maintenance-and-lapse")
    page.choose_stage(0)
    page.remove_stage()
    assert page.plan is not None
    assert len(page.plan.stages) == 1
    assert not page.remove_button.isEnabled()
    page.remove_stage()
    assert len(page.plan.stages) == 1


def test_an_emptied_title_gets_a_name_back(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    plan = use_first_suggestion(qtbot, page)
    page.title_edit.setFocus()
    page.title_edit.selectAll()
    qtbot.keyClick(page.title_edit, Qt.Key.Key_Delete)
    assert page.plan is not None
    assert page.plan.title == ""
    qtbot.keyClick(page.title_edit, Qt.Key.Key_Return)  # editing finished
    assert page.plan.title == plan.title
    assert page.title_edit.text() == plan.title


def test_non_ascii_typing_reaches_the_plan(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    use_first_suggestion(qtbot, page)
    editor = page.stage_editor.lists["check_ins"]
    type_into_list(qtbot, editor, "Call ")
    for char in "Zoë":
        QApplication.sendEvent(
            editor,
            QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char),
        )
    plan = page.plan
    assert plan is not None
    assert plan.stages[plan.current_stage].check_ins[-1] == "Call Zoë"
    assert stored_plan(workspace) == plan


# ---------------------------------------------------------------------- undo from the keyboard


def test_ctrl_z_in_an_editor_undoes_the_plan_edit_through_the_case(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    original = use_first_suggestion(qtbot, page)
    editor = page.stage_editor.lists["stop_criteria"]
    type_into_list(qtbot, editor, "Either feels rushed")
    assert page.plan is not None
    assert page.plan != original

    # Without a window action (this test's bare workspace), the page answers Ctrl+Z.
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.plan == original
    assert editor.items() == original.stages[0].stop_criteria
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(editor, Qt.Key.Key_Z, redo)
    assert page.plan.stages[0].stop_criteria[-1] == "Either feels rushed"

    # With the main window's Undo action (a window shortcut), the editor leaves Ctrl+Z to it.
    undo_action = workspace.case.undo_stack.createUndoAction(workspace, "&Undo")
    undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    workspace.addAction(undo_action)
    page.title_edit.setFocus()
    qtbot.keyClicks(page.title_edit, " (tailored)")
    assert page.plan.title.endswith("(tailored)")
    with qtbot.waitSignal(undo_action.triggered, timeout=2000):
        qtbot.keyClick(page.title_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.plan.title == original.title
    assert page.title_edit.text() == original.title
    assert stored_plan(workspace) == page.plan


def test_page_actions_have_shortcuts_that_work_from_a_text_field(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    use_first_suggestion(qtbot, page)
    actions = [a for a in page.actions() if isinstance(a, QAction)]
    assert len(actions) >= 8
    assert all(not a.shortcut().isEmpty() and a.text() for a in actions)
    assert all(
        a.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut for a in actions
    )
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    page.choose_stage(1)
    editor = page.stage_editor.lists["homework"]
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_PageDown, keys)  # the couple moves on a stage
    assert page.plan is not None
    assert page.plan.current_stage == 1
    qtbot.keyClick(editor, Qt.Key.Key_PageUp, keys)
    assert page.plan.current_stage == 0
    qtbot.keyClick(page.stage_editor.title_edit, Qt.Key.Key_Up, keys)  # move stage 2 up
    assert page.chosen_stage() == 0
    qtbot.keyClick(editor, Qt.Key.Key_N, keys)
    assert len(page.plan.stages) == 6
    assert page.chosen_stage() == 1
    page.stage_list.setFocus()
    qtbot.keyClick(page.stage_list, Qt.Key.Key_Delete, keys)
    assert len(page.plan.stages) == 5


# ---------------------------------------------------------------------- the page as a whole


def test_every_input_has_an_accessible_name(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    use_first_suggestion(qtbot, page)
    inputs = page.findChildren(QLineEdit) + page.findChildren(QTextEdit)
    inputs += page.findChildren(QPlainTextEdit) + page.findChildren(QListView)
    assert len(inputs) >= 8
    for widget in inputs:
        assert widget.accessibleName(), widget
    for button in page.findChildren(QAbstractButton):
        assert button.accessibleName() or button.text(), button


def test_the_page_follows_the_plan_when_it_changes_elsewhere(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    plan = plan_from_template("communication-first", CONTENT)
    workspace.case.set_pacing_plan(with_current_stage(plan, 2))
    assert page.body.currentWidget() is page.editor
    assert page.now_label.text() == "Now: stage 3 of 3"
    assert page.chooser.selected_template() == "communication-first"
    workspace.case.set_pacing_plan(None)
    assert page.body.currentWidget() is page.empty_state
    wait_saved(qtbot, workspace)


def test_the_stage_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = PacingStageModel()
    plan = plan_from_template("graduated-kink-exploration", CONTENT)
    model.set_plan(plan)
    qtmodeltester.check(model)
    model.set_plan(with_stage_added(plan, 1, blank_stage()))
    qtmodeltester.check(model)
    model.set_plan(with_current_stage(plan, 3))
    assert model.data(model.index(3, 0), IS_CURRENT_ROLE) is True
    assert "▶" in model.data(model.index(3, 0))
    model.set_plan(None)
    assert model.rowCount() == 0
    qtmodeltester.check(model)


# ---------------------------------------------------------------------- plan edits (pure)


@pytest.fixture
def five_stages() -> PacingPlan:
    return with_current_stage(plan_from_template("graduated-kink-exploration", CONTENT), 2)


def test_the_current_stage_follows_its_stage_when_moved(five_stages: PacingPlan) -> None:
    current = five_stages.stages[2]
    for index, offset in ((2, -2), (2, 2), (0, 3), (4, -4), (1, 1), (3, -1)):
        moved = with_stage_moved(five_stages, index, offset)
        assert moved.stages[moved.current_stage] == current
        assert sorted(s.title for s in moved.stages) == sorted(s.title for s in five_stages.stages)
    assert with_stage_moved(five_stages, 0, -1) == five_stages


def test_adding_and_removing_keep_the_current_stage(five_stages: PacingPlan) -> None:
    current = five_stages.stages[2]
    for after in (-1, 0, 2, 4):
        added = with_stage_added(five_stages, after, blank_stage())
        assert added.stages[added.current_stage] == current
    removed = with_stage_removed(five_stages, 0)
    assert removed.stages[removed.current_stage] == current
    removed = with_stage_removed(five_stages, 2)
    assert removed.current_stage == 2
    assert removed.stages[2] == five_stages.stages[3]
    last = with_current_stage(five_stages, 4)
    assert with_stage_removed(last, 4).current_stage == 3


def test_list_items_are_stored_trimmed_on_one_line() -> None:
    assert clean_items(["  a  b ", "", "   ", "c\u2028d"]) == ("a b", "c d")


def test_tab_goes_from_the_suggestions_to_the_outline(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("trauma-role-reversal", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    radios = page.chooser.group.buttons()
    radios[0].setFocus()
    reached = []
    for _ in range(len(radios) + 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
        if reached[-1] is page.chooser.show_all:
            break
    assert reached[-1] is page.chooser.show_all, reached
    assert all(page.chooser.isAncestorOf(widget) for widget in reached)
    qtbot.keyClick(page.chooser.show_all, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.chooser.use_button


def test_a_plan_from_a_retired_template_without_stages_still_opens(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    # A stored plan whose template the content no longer has, and that lost its stages.
    damaged = PacingPlan("retired-template", "An older plan", "Permission (P)", (), 0)
    workspace.case.set_pacing_plan(damaged)
    assert page.body.currentWidget() is page.editor
    assert page.now_label.text() == "No stages yet: add the first one"
    assert "Tailored plan" in page.origin_label.text()
    assert not page.stage_editor.isEnabled()
    assert not page.next_stage_button.isEnabled()

    page.add_stage()
    plan = page.plan
    assert plan is not None
    assert len(plan.stages) == 1
    assert plan.current_stage == 0
    assert page.now_label.text() == "Now: stage 1 of 1"
    assert page.stage_editor.isEnabled()
    assert stored_plan(workspace) == plan

    # Replacing it asks first: a plan whose template is gone counts as the clinician's own.
    page.use_template("communication-first")
    assert page.replace_box is not None
    page.replace_box.reject()
    assert page.plan == plan


def test_a_current_stage_out_of_range_is_shown_as_missing(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="pacing")
    page = pacing_page(qtbot, workspace)
    plan = plan_from_template("communication-first", CONTENT)
    workspace.case.set_pacing_plan(dataclasses.replace(plan, current_stage=9))
    assert page.now_label.text().startswith("No current stage")
    assert not page.next_stage_button.isEnabled()
    page.choose_stage(0)
    page.mark_current()
    assert page.now_label.text() == "Now: stage 1 of 3"


# ---------------------------------------------------------------------- the list editor


def test_the_bullet_list_editor_by_keyboard(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLineEdit as NextField
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    holder = QWidget()
    editor = BulletListEdit("Homework", "What the couple does")
    after = NextField()
    layout = QVBoxLayout(holder)
    layout.addWidget(editor)
    layout.addWidget(after)
    qtbot.addWidget(holder)
    holder.show()
    holder.activateWindow()
    qtbot.waitUntil(holder.isActiveWindow, timeout=2000)
    edits: list[tuple[str, ...]] = []
    editor.items_edited.connect(lambda: edits.append(editor.items()))

    # Empty: the placeholder shows with no bullet drawn over it.
    assert editor.document().begin().textList() is None
    editor.setFocus()
    qtbot.keyClicks(editor, "Walk")
    assert editor.document().begin().textList() is not None
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "Talk")
    assert editor.items() == ("Walk", "Talk")
    assert edits[-1] == ("Walk", "Talk")

    # Backspace at the start of an item joins it to the one before.
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.StartOfBlock)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.items() == ("WalkTalk",)

    # Enter on an empty last item ends the list and moves on to the next field.
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert after.hasFocus()
    assert editor.items() == ("WalkTalk",)
    assert editor.document().blockCount() == 1

    # Shown from the plan: no edit is reported, and nothing moves when already shown.
    count = len(edits)
    editor.set_items(("One", "Two  "))
    editor.set_items(("One", "Two"))
    assert len(edits) == count
    assert editor.items() == ("One", "Two")
