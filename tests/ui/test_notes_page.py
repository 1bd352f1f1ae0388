"""The notes page: write by keyboard, autosave as versions, sign to lock (read-only screen),
addenda in order, versions readable; psychotherapy notes shown only on request, each view
audited. All data here is fictional."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from db.audit import count_events
from db.services import notes as note_service
from db.services.notes import NoteDraft
from tests.ui.conftest import visible_texts
from ui.workspace.notes_models import NoteListModel, PsychotherapyListModel, VersionListModel
from ui.workspace.notes_page import NotesPage

SIGNER = "Dr Robin Example (fictional)"


def notes_page(qtbot, workspace) -> NotesPage:  # type: ignore[no-untyped-def]
    page = workspace.show_page_by_key("notes")
    assert isinstance(page, NotesPage)
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow, timeout=2000)
    qtbot.waitUntil(lambda: page.records.notes_loaded, timeout=5000)
    return page


def type_text(widget: QWidget, text: str) -> None:
    """Type `text` as key events that carry it (non-ASCII safe, unlike keyClicks)."""
    for character in text:
        QApplication.sendEvent(
            widget,
            QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, character),
        )


def stored_notes(workspace):  # type: ignore[no-untyped-def]
    case = workspace.case
    case.gateway.runner.wait_until_idle()
    with case.gateway.vault.session() as session:
        return note_service.list_notes(session, case.case_id)


def idle(qtbot, page: NotesPage) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: not page._saving and not page.case.gateway.runner.is_busy, timeout=10_000
    )


def test_a_note_typed_by_keyboard_saves_itself_as_versions(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="notes")
    page = notes_page(qtbot, workspace)
    assert page.current_id is None  # a new note waits for its first words
    page.autosave.setInterval(50)
    subjective = page.editor.sections["subjective"]
    subjective.setFocus()
    type_text(subjective, "Zoë Example felt calmer; naïve fears eased.")
    qtbot.waitUntil(lambda: page.current_id is not None and not page.dirty, timeout=5000)
    idle(qtbot, page)
    # Tab moves on to the next section, where typing goes on.
    qtbot.keyClick(subjective, Qt.Key.Key_Tab)
    objective = page.editor.sections["objective"]
    assert objective.hasFocus()
    type_text(objective, "Relaxed.")
    qtbot.waitUntil(lambda: not page.dirty and page.based_on == 2, timeout=5000)
    idle(qtbot, page)
    notes = stored_notes(workspace)
    assert len(notes) == 1
    assert notes[0].current.sections["subjective"] == "Zoë Example felt calmer; naïve fears eased."
    assert notes[0].current.sections["objective"] == "Relaxed."
    assert notes[0].current.attended == ("A", "B")
    assert notes[0].status == "draft"
    assert page.model.rowCount() == 1
    assert "Draft" in page.model.index(0, 0).data()


def test_leaving_the_page_saves_a_draft_at_once(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="notes")
    page = notes_page(qtbot, workspace)
    page.autosave.setInterval(60_000)  # only leaving can save it in this test
    type_text(page.editor.sections["plan"], "Homework: sensate focus twice.")
    assert page.dirty
    workspace.show_page_by_key("timeline")
    idle(qtbot, page)
    assert [n.current.sections["plan"] for n in stored_notes(workspace)] == [
        "Homework: sensate focus twice."
    ]


def test_ctrl_s_saves_and_every_version_reads_back(qtbot, workspace_on, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="notes")
    page = notes_page(qtbot, workspace)
    page.autosave.setInterval(60_000)
    box = page.editor.sections["assessment"]
    box.setFocus()
    for words in ("one", " two", " three"):
        type_text(box, words)
        qtbot.keyClick(box, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        idle(qtbot, page)
    assert page.based_on == 3
    page.show_versions()
    qtbot.waitUntil(lambda: page.versions_dialog is not None, timeout=5000)
    dialog = page.versions_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert isinstance(dialog.model, VersionListModel)
    assert dialog.model.rowCount() == 3
    assert "Version 3" in dialog.model.index(0, 0).data()
    dialog.list.setCurrentIndex(dialog.model.index(2, 0))
    assert "one" in dialog.text.toPlainText()
    assert "three" not in dialog.text.toPlainText()
    dialog.close()


def test_a_signed_note_cannot_be_changed_on_screen(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="notes")
    page = notes_page(qtbot, workspace)
    page.autosave.setInterval(60_000)
    type_text(page.editor.sections["subjective"], "What the couple reported.")

    # Signing goes through the dialog: the name is asked for and can be typed.
    def fill_in() -> None:
        dialog = page.sign_dialog
        assert dialog is not None
        # No clinician's name in this practice's settings yet: a name must be typed.
        assert dialog.signer == ""
        assert not dialog.sign_button.isEnabled()
        dialog.name_edit.setText(SIGNER)
        assert dialog.sign_button.isEnabled()
        dialog.accept()

    QTimer.singleShot(0, fill_in)
    page.sign()
    qtbot.waitUntil(lambda: page.editor.locked, timeout=5000)
    idle(qtbot, page)
    notes = stored_notes(workspace)
    assert notes[0].is_signed
    assert notes[0].current.signed_by == SIGNER

    # Every field is read-only, the draft actions are gone, typing changes nothing.
    for edit in page.editor.sections.values():
        assert edit.isReadOnly()
    assert not page.editor.date_edit.isEnabled()
    assert not page.editor.duration_spin.isEnabled()
    assert not any(box.isEnabled() for box in page.editor.attended.values())
    assert not page.save_action.isEnabled()
    assert not page.sign_action.isEnabled()
    assert not page.save_button.isVisible()
    assert page.signed_banner.isVisible()
    assert SIGNER in page.signed_banner.text()
    subjective = page.editor.sections["subjective"]
    subjective.setFocus()
    qtbot.keyClicks(subjective, "tampering")
    qtbot.keyClick(subjective, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    page.save_draft()
    page.sign_as(SIGNER)
    idle(qtbot, page)
    assert subjective.toPlainText() == "What the couple reported."
    again = stored_notes(workspace)
    assert again[0].version_count == notes[0].version_count
    assert again[0].current.sections == notes[0].current.sections


def test_addenda_are_signed_and_keep_their_order(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="notes")
    page = notes_page(qtbot, workspace)
    type_text(page.editor.sections["plan"], "Next session in two weeks.")
    page.sign_as(SIGNER)
    qtbot.waitUntil(lambda: page.editor.locked, timeout=5000)
    assert page.addenda_panel.isVisible()
    assert not page.addendum_button.isEnabled()
    for number in (1, 2, 3):
        page.addendum_edit.setFocus()
        type_text(page.addendum_edit, f"Later call {number}, Zoë")
        assert page.addendum_button.isEnabled()
        page.add_addendum_as(SIGNER)
        qtbot.waitUntil(lambda n=number: len(page.current_note().addenda) == n, timeout=5000)
        idle(qtbot, page)
    note = stored_notes(workspace)[0]
    assert [(a.position, a.body) for a in note.addenda] == [
        (n, f"Later call {n}, Zoë") for n in (1, 2, 3)
    ]

    def shown() -> list[str]:
        """The addenda on screen, top to bottom."""
        box = page.addenda_box
        labels = [box.itemAt(i).widget() for i in range(box.count())]
        return [label.text().split(",")[0] for label in labels if label.isVisible()]

    qtbot.waitUntil(lambda: shown() == ["Addendum 1", "Addendum 2", "Addendum 3"], timeout=5000)
    assert sum("Later call" in text for text in visible_texts()) == 3
    assert page.addendum_edit.toPlainText() == ""


def test_notes_list_and_selection_from_elsewhere(qtbot, workspace_on, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="indicators")
    case = workspace.case
    with case.gateway.vault.session() as session:
        older = note_service.create_note(
            session, case.case_id, "dap", NoteDraft(dt.date(2025, 1, 9), {"data": "older"})
        )
        newer = note_service.create_note(
            session, case.case_id, "birp", NoteDraft(dt.date(2025, 2, 9), {"behaviour": "newer"})
        )
        note_service.sign_note(session, older.id, SIGNER)
    page = notes_page(qtbot, workspace)
    qtmodeltester.check(page.model)
    assert isinstance(page.model, NoteListModel)
    # The page opens on the newest session's note.
    assert page.current_id == newer.id
    assert page.editor.sections["behaviour"].toPlainText() == "newer"
    assert list(page.editor.sections) == ["behaviour", "intervention", "response", "plan"]
    page.select_note(older.id)
    assert page.current_id == older.id
    assert page.editor.locked
    assert page.editor.sections["data"].toPlainText() == "older"
    first, second = (page.model.index(row, 0).data() for row in (0, 1))
    assert first.startswith("9 Feb 2025")
    assert "Draft" in first
    assert second.startswith("9 Jan 2025")
    assert "Signed" in second


def test_page_actions_have_shortcuts_and_inputs_have_names(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="notes")
    page = notes_page(qtbot, workspace)
    shortcuts = {
        action.text(): action.shortcut().toString() for action in page.actions() if action.text()
    }
    assert shortcuts == {
        "New session note": "Ctrl+Shift+N",
        "Save the note's draft now": "Ctrl+S",
        "Sign the note…": "Ctrl+Shift+S",
        "Add the addendum…": "Ctrl+Shift+A",
        "Versions of the note…": "Ctrl+Shift+H",
    }
    for action in page.actions():
        assert action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
    for widget in page.findChildren(QPlainTextEdit):
        assert widget.accessibleName(), widget
    for widget in (
        page.editor.format_combo,
        page.editor.date_edit,
        page.editor.duration_spin,
        page.editor.stage_combo,
        page.editor.progress_combo,
        *page.editor.attended.values(),
    ):
        assert widget.accessibleName()
    # Ctrl+Shift+N starts a new note from anywhere on the page.
    type_text(page.editor.sections["plan"], "first note")
    page.editor.sections["plan"].setFocus()
    qtbot.keyClick(
        page.editor.sections["plan"],
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    idle(qtbot, page)
    assert page.current_id is None
    assert page.editor.sections["plan"].toPlainText() == ""
    assert len(stored_notes(workspace)) == 1  # the first one was saved on the way


# ------------------------------------------------------------------------------ psychotherapy


def test_psychotherapy_text_is_shown_on_request_and_each_view_is_audited(
    qtbot, workspace_on, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="notes")
    page = notes_page(qtbot, workspace)
    page.tabs.setCurrentIndex(1)
    panel = page.private
    panel.start_new()
    type_text(panel.new_text, "Impression: Quokkavine dynamics (fictional).")
    panel.save_new()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    qtmodeltester.check(panel.model)
    assert isinstance(panel.model, PsychotherapyListModel)
    qtbot.waitUntil(lambda: panel.pages.currentWidget() is panel.hidden_page, timeout=5000)
    assert not any("Quokkavine" in text for text in visible_texts())

    vault = workspace.case.gateway.vault

    def views() -> int:
        workspace.case.gateway.runner.wait_until_idle()
        with vault.session() as session:
            return count_events(session, "psychotherapy-note-viewed")

    assert views() == 0
    for expected in (1, 2):
        qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.shown is not None, timeout=5000)
        assert any("Quokkavine" in text for text in visible_texts())
        assert views() == expected
        panel.hide_text()
        assert not any("Quokkavine" in text for text in visible_texts())

    # An edit while shown is saved as a new version when the clinician moves away.
    qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.shown is not None, timeout=5000)
    panel.text_edit.moveCursor(panel.text_edit.textCursor().MoveOperation.End)
    type_text(panel.text_edit, " Later thought.")
    workspace.show_page_by_key("timeline")  # leaving the page hides the text
    assert panel.shown is None
    workspace.case.gateway.runner.wait_until_idle()
    with vault.session() as session:
        listed = note_service.list_psychotherapy_notes(session, workspace.case.case_id)
        read = note_service.read_psychotherapy_note(session, listed[0].id)
    assert listed[0].version_count == 2
    assert read.body.endswith("Later thought.")


def test_a_failed_save_keeps_the_text_and_says_so(qtbot, workspace_on, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db.errors import VaultStorageError

    workspace = workspace_on(start_page="notes")
    page = notes_page(qtbot, workspace)
    page.autosave.setInterval(60_000)
    type_text(page.editor.sections["plan"], "Words that must survive")

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise VaultStorageError()

    monkeypatch.setattr(note_service, "create_note", full_disk)
    page.save_draft()
    qtbot.waitUntil(page.error_label.isVisible, timeout=5000)
    assert "disk is full" in page.error_label.text()
    assert page.status_label.text() == "Not saved: your text is kept on screen"
    assert page.dirty
    assert page.editor.sections["plan"].toPlainText() == "Words that must survive"
    assert stored_notes(workspace) == ()

    monkeypatch.undo()  # the disk has room again: the next save stores everything
    page.save_draft()
    idle(qtbot, page)
    assert [n.current.sections["plan"] for n in stored_notes(workspace)] == [
        "Words that must survive"
    ]


def test_a_note_signed_elsewhere_is_not_overwritten(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="notes")
    page = notes_page(qtbot, workspace)
    page.autosave.setInterval(60_000)
    type_text(page.editor.sections["plan"], "first words")
    page.save_draft()
    idle(qtbot, page)
    note_id = page.current_id
    assert note_id is not None
    # Another window (or another device's copy) signs the note meanwhile.
    with workspace.case.gateway.vault.session() as session:
        note_service.sign_note(session, note_id, SIGNER)
    type_text(page.editor.sections["plan"], ", later words")
    page.save_draft()
    qtbot.waitUntil(page.error_label.isVisible, timeout=5000)
    assert "signed" in page.error_label.text()
    assert page.editor.sections["plan"].toPlainText() == "first words, later words"
    stored = stored_notes(workspace)[0]
    assert stored.is_signed
    assert stored.current.sections["plan"] == "first words"


def test_tab_walks_the_form_in_reading_order(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="notes")
    page = notes_page(qtbot, workspace)
    editor = page.editor
    editor.date_edit.setFocus()
    seen = []
    for _ in range(12):
        widget = QApplication.focusWidget()
        seen.append(widget.accessibleName() if widget is not None else "")
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    order = [
        "Session date",
        "Session length in minutes",
        "Kim Example attended",
        "Lee Example attended",
        "Pacing-plan stage at this session",
        "Progress in that stage",
        "Subjective",
        "Objective",
        "Assessment",
        "Plan",
    ]
    # The stage box is skipped while the case has no pacing plan yet.
    if not editor.stage_combo.isEnabled():
        order.remove("Pacing-plan stage at this session")
    # Tab first steps through the date's day, month and year, as date fields do.
    walked = [name for i, name in enumerate(seen) if i == 0 or name != seen[i - 1]]
    assert walked[: len(order)] == order
