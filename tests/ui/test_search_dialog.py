"""Practice-wide search from the main window, and the records-past-retention window with secure
disposal. All data here is fictional."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from db.audit import count_events
from db.services import cases as case_service
from db.services import notes as note_service
from db.services.notes import NoteDraft
from db.services.search import MARK_START
from db.services.types import NewCase, NewPartner
from db.vault import Vault
from desktop.settings import AppSettings
from tests.ui.conftest import PASSPHRASE, visible_texts
from ui.main_window import MainWindow
from ui.retention_dialog import RetentionDialog, show_retention
from ui.search_dialog import SearchDialog, show_search, snippet_html
from ui.tasks import TaskRunner
from ui.workspace.notes_page import NotesPage

SIGNER = "Dr Robin Example (fictional)"


def type_text(widget: QWidget, text: str) -> None:
    for character in text:
        QApplication.sendEvent(
            widget,
            QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, character),
        )


@pytest.fixture
def practice(
    qtbot, tmp_path: Path, app_settings: AppSettings
) -> Iterator[tuple[MainWindow, dict[str, int]]]:  # type: ignore[no-untyped-def]
    """A main window on a vault with two fictional cases, notes and a psychotherapy note."""
    vault = Vault.create(tmp_path / "search" / "practice.parley", PASSPHRASE)
    ids: dict[str, int] = {}
    with vault.session() as session:
        for label, name in (("Harbour couple", "Zoë Example"), ("Meadow couple", "Lee Example")):
            ids[label] = case_service.create_case(
                session,
                NewCase(label, (NewPartner(name), NewPartner("Sam Example")), "limited-secrets"),
            ).id
        old = note_service.create_note(
            session,
            ids["Harbour couple"],
            "soap",
            NoteDraft(dt.date(2012, 5, 14), {"subjective": "They practised the blindfold signal."}),
        )
        note_service.sign_note(session, old.id, SIGNER)
        ids["note"] = old.id
        newer = note_service.create_note(
            session,
            ids["Meadow couple"],
            "dap",
            NoteDraft(dt.date.today(), {"data": "Blindfold homework done; naïve worries eased."}),
        )
        ids["newer"] = newer.id
        private = note_service.create_psychotherapy_note(
            session, ids["Meadow couple"], dt.date.today(), "Impression: Quillfeather dynamics."
        )
        ids["private"] = private.id
    runner = TaskRunner()
    window = MainWindow(vault, runner, app_settings)
    qtbot.addWidget(window)
    window.resize(1440, 900)
    window.show()
    yield window, ids
    runner.wait_until_idle()
    QApplication.processEvents()
    window.prepare_to_lock()
    runner.wait_until_idle()
    runner.shutdown()
    vault.lock()


def open_search(qtbot, window: MainWindow) -> SearchDialog:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(
        window,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = getattr(window, "search_dialog", None)
    assert isinstance(dialog, SearchDialog)
    qtbot.addWidget(dialog)
    return dialog


def search(qtbot, dialog: SearchDialog, words: str) -> None:  # type: ignore[no-untyped-def]
    done = dialog.searches
    dialog.field.clear()
    dialog.field.setFocus()
    type_text(dialog.field, words)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.searches > done, timeout=5000)


def test_search_finds_note_words_with_bold_snippets_and_opens_the_note(
    qtbot, practice, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    window, ids = practice
    dialog = open_search(qtbot, window)
    search(qtbot, dialog, "blindfold")
    qtmodeltester.check(dialog.model)
    hits = dialog.model.hits
    assert [h.note_id for h in hits] == [ids["newer"], ids["note"]]  # newest first
    assert dialog.status.text() == "Found 2 session notes."
    html = dialog.model.index(0, 0).data(Qt.ItemDataRole.UserRole + 2)
    assert "<b>Blindfold</b>" in html
    assert MARK_START not in dialog.model.index(0, 0).data()

    # Enter on the second result opens its case with the note chosen.
    dialog.results.setFocus()
    dialog.results.setCurrentIndex(dialog.model.index(1, 0))
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            window.workspace is not None
            and isinstance(window.workspace.pages.get("notes"), NotesPage)
            and window.workspace.pages["notes"].current_id == ids["note"]
        ),
        timeout=10_000,
    )
    assert window.workspace is not None
    assert window.workspace.case.case_id == ids["Harbour couple"]
    page = window.workspace.pages["notes"]
    assert page.isVisible()
    assert page.editor.locked


def test_non_ascii_words_and_case_names_are_found(qtbot, practice) -> None:  # type: ignore[no-untyped-def]
    window, ids = practice
    dialog = open_search(qtbot, window)
    search(qtbot, dialog, "naïve")
    assert [h.note_id for h in dialog.model.hits] == [ids["newer"]]
    search(qtbot, dialog, "zoe")
    assert [(h.kind, h.case_id) for h in dialog.model.hits] == [("case", ids["Harbour couple"])]
    assert "<b>Zoë</b>" in snippet_html(dialog.model.hits[0].snippet)
    assert snippet_html("<script>\x02x\x03") == "&lt;script&gt;<b>x</b>"


def test_psychotherapy_notes_only_when_ticked_for_that_search(qtbot, practice) -> None:  # type: ignore[no-untyped-def]
    window, ids = practice
    dialog = open_search(qtbot, window)
    vault = window.gateway.vault

    def searches_audited() -> int:
        window.runner.wait_until_idle()
        with vault.session() as session:
            return count_events(session, "search")

    search(qtbot, dialog, "quillfeather")
    assert dialog.model.rowCount() == 0
    assert dialog.status.text() == "Nothing found."
    assert searches_audited() == 0

    dialog.private_box.setChecked(True)
    # Typing alone does not run a psychotherapy search: it waits for Enter.
    dialog.field.clear()
    type_text(dialog.field, "quillfeather")
    qtbot.wait(dialog.TYPING_PAUSE_MS * 2)
    assert dialog.model.rowCount() == 0
    done = dialog.searches
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.searches > done, timeout=5000)
    assert [(h.kind, h.note_id) for h in dialog.model.hits] == [
        ("psychotherapy-note", ids["private"])
    ]
    assert "recorded" in dialog.status.text()
    assert not dialog.private_box.isChecked()  # for that one search only
    assert searches_audited() == 1

    search(qtbot, dialog, "quillfeather")
    assert dialog.model.rowCount() == 0
    assert searches_audited() == 1


@pytest.mark.parametrize("words", ['"', "NOT", "(", "*", "a:b", "😀", "   "])
def test_malformed_searches_answer_calmly(qtbot, practice, words: str) -> None:  # type: ignore[no-untyped-def]
    window, _ = practice
    dialog = open_search(qtbot, window)
    search(qtbot, dialog, words)
    assert dialog.status.text() in ("Type a word to search for.", "Nothing found.")
    assert dialog.model.rowCount() == 0


def test_typing_searches_after_a_pause(qtbot, practice) -> None:  # type: ignore[no-untyped-def]
    window, ids = practice
    dialog = open_search(qtbot, window)
    type_text(dialog.field, "meadow")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert dialog.model.hits[0].case_id == ids["Meadow couple"]


# ------------------------------------------------------------------------------ retention


def test_a_case_past_retention_is_disposed_of_after_typing_its_name(
    qtbot, practice, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    window, ids = practice
    harbour = ids["Harbour couple"]
    window.open_case(harbour)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=5000)
    dialog = show_retention(window)
    assert isinstance(dialog, RetentionDialog)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    qtmodeltester.check(dialog.model)
    assert dialog.model.index(0, 0).data() == "Harbour couple"
    assert dialog.model.index(0, 2).data() == "14 May 2012 (signed note)"
    assert dialog.model.index(0, 3).data() == "14 May 2019"
    assert "7 years" in dialog.period_label.text()
    assert not dialog.dispose_button.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.dispose_button.isEnabled()

    def confirm() -> None:
        box = dialog.confirm
        assert box is not None
        assert not box.dispose_button.isEnabled()
        type_text(box.name_edit, "Harbour")
        assert not box.dispose_button.isEnabled()  # the whole name, exactly
        type_text(box.name_edit, " couple")
        assert box.dispose_button.isEnabled()
        box.accept()

    QTimer.singleShot(0, confirm)
    with qtbot.waitSignal(dialog.disposed, timeout=30_000):
        dialog.ask_to_dispose()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=5000)
    assert "disposed of securely" in dialog.status.text()
    assert window.workspace is None  # the open case was closed first
    window.runner.wait_until_idle()
    with window.gateway.vault.session() as session:
        assert case_service.count_cases(session) == 1
        assert count_events(session, "disposal") == 1
    assert not any("Harbour" in text for text in visible_texts() if text != dialog.status.text())


def test_disposal_can_be_cancelled(qtbot, practice) -> None:  # type: ignore[no-untyped-def]
    window, _ = practice
    dialog = show_retention(window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    dialog.table.selectRow(0)
    QTimer.singleShot(0, lambda: dialog.confirm.reject() if dialog.confirm else None)
    dialog.ask_to_dispose()
    window.runner.wait_until_idle()
    with window.gateway.vault.session() as session:
        assert case_service.count_cases(session) == 2


def test_search_and_retention_are_in_the_practice_menu(qtbot, practice) -> None:  # type: ignore[no-untyped-def]
    window, _ = practice
    search_action = window.actions_by_name["search"]
    assert search_action.shortcut().toString() == "Ctrl+Shift+F"
    assert window.actions_by_name["retention"].text() == "&Records past retention…"
    first = show_search(window)
    qtbot.addWidget(first)
    assert show_search(window) is first  # one search window at a time


def test_a_note_typed_just_before_locking_reaches_the_vault(qtbot, practice) -> None:  # type: ignore[no-untyped-def]
    window, ids = practice
    window.open_case(ids["Meadow couple"])
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=5000)
    workspace = window.workspace
    assert workspace is not None
    page = workspace.show_page_by_key("notes")
    assert isinstance(page, NotesPage)
    qtbot.waitUntil(lambda: page.records.notes_loaded, timeout=5000)
    page.new_note()
    page.autosave.setInterval(60_000)
    type_text(page.editor.sections["plan"], "Typed a second before Ctrl+L")
    assert page.dirty
    # What the app controller does on Ctrl+L: wait for queued saves, clear the window, lock.
    window.runner.wait_until_idle()
    window.runner.forget_pending_results()
    window.prepare_to_lock()
    vault = window.gateway.vault
    path = vault.path
    vault.lock()
    reopened = Vault.unlock(path, PASSPHRASE)
    try:
        with reopened.session() as session:
            notes = note_service.list_notes(session, ids["Meadow couple"])
    finally:
        reopened.lock()
    assert "Typed a second before Ctrl+L" in [n.current.sections.get("plan") for n in notes]


def test_a_psychotherapy_edit_just_before_locking_reaches_the_vault(qtbot, practice) -> None:  # type: ignore[no-untyped-def]
    window, ids = practice
    window.open_case(ids["Meadow couple"])
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=5000)
    page = window.workspace.show_page_by_key("notes")
    assert isinstance(page, NotesPage)
    page.select_psychotherapy_note(ids["private"])
    panel = page.private
    qtbot.waitUntil(lambda: panel.current_note() is not None, timeout=5000)
    panel.show_text()
    qtbot.waitUntil(lambda: panel.shown is not None, timeout=5000)
    panel.text_edit.moveCursor(panel.text_edit.textCursor().MoveOperation.End)
    type_text(panel.text_edit, " Added before Ctrl+L.")
    window.runner.wait_until_idle()
    window.runner.forget_pending_results()
    window.prepare_to_lock()
    vault = window.gateway.vault
    path = vault.path
    vault.lock()
    reopened = Vault.unlock(path, PASSPHRASE)
    try:
        with reopened.session() as session:
            text = note_service.read_psychotherapy_note(session, ids["private"]).body
    finally:
        reopened.lock()
    assert text.endswith("Added before Ctrl+L.")
