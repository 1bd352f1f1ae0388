"""The notes page: session notes (SOAP, DAP, BIRP) and, on their own tab, psychotherapy notes.

Left, the case's session notes, newest session first, each with its status (✎ draft or
✔ signed). Right, the chosen note. A draft saves itself a moment after typing stops (every
save is a new version; nothing is overwritten), and when the clinician leaves the note or the
page. Signing asks who signs, then locks the note for good: the form turns read-only and only
addenda, each signed, can follow. "Versions…" shows every version ever saved.

Keyboard: Ctrl+Shift+N new note, Ctrl+S save the draft now, Ctrl+Shift+S sign, Ctrl+Shift+A
add the addendum, Ctrl+Shift+H versions; Tab moves through every field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.services.notes import AddendumInfo, NoteDraft, NoteInfo, NoteVersionInfo
from ui.workspace.case_session import CaseSession
from ui.workspace.notes_dialogs import SignDialog, VersionsDialog
from ui.workspace.notes_editor import NoteEditor
from ui.workspace.notes_models import (
    DRAFT_MARK,
    ID_ROLE,
    SIGNED_MARK,
    NoteListModel,
    format_day,
    format_moment,
)
from ui.workspace.notes_private import PsychotherapyPanel
from ui.workspace.notes_store import CaseRecords, records_for
from ui.workspace.pages import Navigator

#: How long after the last keystroke a draft saves itself.
AUTOSAVE_MS = 2500

SIGN_EXPLANATION = (
    "Once signed, this note is locked: it can be read and its earlier versions looked at, but "
    "never changed. Anything to add later goes in an addendum, which is signed in turn."
)
ADDENDUM_EXPLANATION = (
    "The addendum is added below the signed note with your name and the time, and cannot be "
    "changed afterwards."
)


def _muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class NotesPage(QWidget):
    """The workspace's notes page (sidebar key "notes").

    Attributes:
        records: the case's shared notes and measures store.
        model: the session notes list (NoteListModel).
        editor: the chosen note's form.
        current_id: the note on screen; None for a new note not saved yet.
        dirty: the form holds changes not yet sent to the vault.
        private: the psychotherapy-notes tab.
    """

    def __init__(self, case: CaseSession, navigator: Navigator) -> None:
        super().__init__()
        self.case = case
        self.navigator = navigator
        self.records: CaseRecords = records_for(case)
        self.current_id: int | None = None
        self.based_on = 0
        self.dirty = False
        self._saving = False
        self._after_save: list[Callable[[], None]] = []
        self._token = 0  # which note the editor shows; bumps on every switch
        self._pending_select: int | None = None
        self.last_format = self.records.formats.default_format
        self.versions_dialog: VersionsDialog | None = None
        self.sign_dialog: SignDialog | None = None

        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_draft)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Notes")
        self.tabs.addTab(self._build_session_tab(), "&Session notes")
        self.private = PsychotherapyPanel(self.records)
        self.private.case_is_closing = self._case_is_closing
        self.tabs.addTab(self.private, "&Psychotherapy notes")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.tabs)
        self._build_actions()

        self._shown_first = False
        self.new_note()
        self.records.notes_changed.connect(self._notes_changed)
        self._notes_changed()

    # ------------------------------------------------------------------ building

    def _build_session_tab(self) -> QWidget:
        self.model = NoteListModel(self.records.formats)
        self.list = QListView()
        self.list.setAccessibleName("Session notes, newest first")
        self.list.setModel(self.model)
        self.list.setSpacing(4)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.selectionModel().currentChanged.connect(self._note_chosen)
        self.new_button = QPushButton("&New note")
        self.new_button.setToolTip("New session note (Ctrl+Shift+N)")
        self.new_button.clicked.connect(self.new_note)
        self.empty_label = _muted("No session notes yet. The note on the right is the first.")
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.new_button)
        left.addWidget(self.list, 1)
        left.addWidget(self.empty_label)
        left_box = QWidget()
        left_box.setLayout(left)
        chars = self.fontMetrics().averageCharWidth()
        left_box.setMinimumWidth(chars * 36)
        left_box.setMaximumWidth(chars * 50)

        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAccessibleName("Note")
        self.status_label = _muted()
        self.status_label.setWordWrap(False)
        self.status_label.setAccessibleName("Note status")
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(self.status_label)

        self.signed_banner = QLabel()
        self.signed_banner.setObjectName("card")
        self.signed_banner.setWordWrap(True)
        self.signed_banner.setContentsMargins(10, 8, 10, 8)
        self.signed_banner.setAccessibleName("Signature")
        self.signed_banner.hide()

        self.editor = NoteEditor(self.case, self.records.formats)
        self.editor.changed.connect(self._edited)

        self.save_button = QPushButton("Save &draft")
        self.save_button.setToolTip("Drafts also save a moment after you stop typing (Ctrl+S)")
        self.save_button.clicked.connect(self.save_draft)
        self.sign_button = QPushButton("Si&gn note…")
        self.sign_button.setToolTip("Sign and lock this note (Ctrl+Shift+S)")
        self.sign_button.clicked.connect(self.sign)
        self.versions_button = QPushButton("&Versions…")
        self.versions_button.setToolTip("Every saved version of this note (Ctrl+Shift+H)")
        self.versions_button.clicked.connect(self.show_versions)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.versions_button)
        buttons.addStretch(1)

        self.addenda_title = QLabel("<b>Addenda</b>")
        self.addenda_box = QVBoxLayout()
        self.addenda_box.setSpacing(8)
        self.addendum_edit = QPlainTextEdit()
        self.addendum_edit.setAccessibleName("New addendum")
        self.addendum_edit.setPlaceholderText(
            "Something to add to the signed note: a correction, a later call, a result."
        )
        self.addendum_edit.setTabChangesFocus(True)
        lines = self.addendum_edit.fontMetrics().lineSpacing()
        self.addendum_edit.setMinimumHeight(lines * 3 + 16)
        self.addendum_edit.setMaximumHeight(lines * 8 + 16)
        self.addendum_button = QPushButton("&Add addendum…")
        self.addendum_button.setToolTip("Sign and add the addendum (Ctrl+Shift+A)")
        self.addendum_button.clicked.connect(self.add_addendum)
        self.addendum_edit.textChanged.connect(
            lambda: self.addendum_button.setEnabled(bool(self.addendum_edit.toPlainText().strip()))
        )
        self.addendum_button.setEnabled(False)
        addendum_row = QHBoxLayout()
        addendum_row.addWidget(self.addendum_button)
        addendum_row.addStretch(1)
        self.addenda_panel = QWidget()
        addenda_layout = QVBoxLayout(self.addenda_panel)
        addenda_layout.setContentsMargins(0, 6, 0, 0)
        addenda_layout.addWidget(self.addenda_title)
        addenda_layout.addLayout(self.addenda_box)
        addenda_layout.addWidget(self.addendum_edit)
        addenda_layout.addLayout(addendum_row)
        self.addenda_panel.hide()

        self.error_label = QLabel()
        self.error_label.setObjectName("errorMessage")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(16, 4, 16, 16)
        right_layout.setSpacing(12)
        right_layout.addLayout(head)
        right_layout.addWidget(self.error_label)
        right_layout.addWidget(self.signed_banner)
        right_layout.addWidget(self.editor)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.addenda_panel)
        right_layout.addStretch(1)
        self.note_scroll = QScrollArea()
        self.note_scroll.setWidgetResizable(True)
        self.note_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.note_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.note_scroll.setWidget(right)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left_box)
        splitter.addWidget(self.note_scroll)
        splitter.setStretchFactor(1, 1)
        return splitter

    def _build_actions(self) -> None:
        def make(text: str, keys: str, slot: Callable[[], object]) -> QAction:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            return action

        self.new_action = make("New session note", "Ctrl+Shift+N", self.new_note)
        self.save_action = make("Save the note's draft now", "Ctrl+S", self.save_draft)
        self.sign_action = make("Sign the note…", "Ctrl+Shift+S", self.sign)
        self.addendum_action = make("Add the addendum…", "Ctrl+Shift+A", self.add_addendum)
        self.versions_action = make("Versions of the note…", "Ctrl+Shift+H", self.show_versions)

    # ------------------------------------------------------------------ list

    def current_note(self) -> NoteInfo | None:
        return None if self.current_id is None else self.records.note(self.current_id)

    def _notes_changed(self) -> None:
        selection = self.list.selectionModel()
        selection.blockSignals(True)
        self.model.set_items(self.records.notes)
        wanted = self._pending_select if self._pending_select is not None else self.current_id
        row = -1 if wanted is None else self.model.row_of(wanted)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row, 0))
        selection.blockSignals(False)
        self.empty_label.setVisible(self.records.notes_loaded and not self.records.notes)
        if self._pending_select is not None and row >= 0:
            self._pending_select = None
            self._open(self.model.items[row])
            return
        if not self._shown_first and self.records.notes_loaded:
            self._shown_first = True
            if self.current_id is None and not self.dirty and self.model.items:
                # Opening the page shows the newest note; "New note" starts another.
                self._open(self.model.items[0])
                self._select_quietly(self.model.items[0].id)
                return
        note = self.current_note()
        if note is not None and not self.dirty and not self._saving:
            self._show_info(note)  # an addendum or a signature arrived

    def _note_chosen(self, index: QModelIndex) -> None:
        note = self.model.item(index.row())
        if note is None or note.id == self.current_id:
            return
        self._open(note)

    def _open(self, note: NoteInfo) -> None:
        self._leave_current()
        self._token += 1
        self.current_id = note.id
        self.based_on = note.version_count
        self.dirty = False
        self.error_label.hide()
        self.editor.show_note(note)
        self._show_info(note)

    def select_note(self, note_id: int) -> None:
        """Show a session note (for the timeline and search); waits for the list if needed."""
        self.tabs.setCurrentIndex(0)
        row = self.model.row_of(note_id)
        if row < 0:
            self._pending_select = note_id
            return
        self.list.setCurrentIndex(self.model.index(row, 0))
        if self.current_id != note_id:
            self._open(self.model.items[row])

    def select_psychotherapy_note(self, note_id: int) -> None:
        """Show the psychotherapy-notes tab with that note chosen (its text still hidden)."""
        self.tabs.setCurrentIndex(1)
        self.private.select_note(note_id)

    # ------------------------------------------------------------------ showing

    def _show_info(self, note: NoteInfo | None) -> None:
        """Heading, status, signature, buttons and addenda for the note on screen."""
        signed = note is not None and note.is_signed
        if note is None:
            self.heading.setText("New session note")
            self.status_label.setText(f"{DRAFT_MARK} Not saved yet; saves as you type")
        else:
            fmt = self.records.formats.by_id.get(note.note_format)
            self.heading.setText(
                f"Session of {format_day(note.session_date)}  ·  {fmt.title if fmt else ''}"
            )
            if signed:
                self.status_label.setText(f"{SIGNED_MARK} Signed  ·  {note.version_count} versions")
            else:
                self.status_label.setText(
                    f"{DRAFT_MARK} Draft saved {format_moment(note.current.saved_at)}  ·  "
                    f"version {note.version_count}"
                )
        if signed and note is not None:
            self.signed_banner.setText(
                f"{SIGNED_MARK} Signed by {note.current.signed_by} on "
                f"{format_moment(note.current.signed_at)}. This note is locked; add an addendum "
                "below for anything that comes later."
            )
        self.signed_banner.setVisible(signed)
        self.save_button.setVisible(not signed)
        self.sign_button.setEnabled(not signed)
        self.sign_button.setVisible(not signed)
        self.save_action.setEnabled(not signed)
        self.sign_action.setEnabled(not signed)
        self.versions_button.setEnabled(note is not None)
        self.versions_action.setEnabled(note is not None)
        self.addenda_panel.setVisible(signed)
        self.addendum_action.setEnabled(signed)
        self._show_addenda(note.addenda if note is not None else ())

    def _show_addenda(self, addenda: tuple[AddendumInfo, ...]) -> None:
        while self.addenda_box.count():
            item = self.addenda_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        if not addenda:
            self.addenda_box.addWidget(_muted("No addenda."))
        for addendum in addenda:
            label = QLabel()
            label.setObjectName("card")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setContentsMargins(10, 8, 10, 8)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setText(
                f"Addendum {addendum.position}, signed by {addendum.signed_by} on "
                f"{format_moment(addendum.signed_at)}\n\n{addendum.body}"
            )
            label.setAccessibleName(f"Addendum {addendum.position}")
            self.addenda_box.addWidget(label)

    def new_note(self) -> None:
        """Start a new session note (saved once something is written in it)."""
        self._leave_current()
        self._token += 1
        self.tabs.setCurrentIndex(0)
        self.current_id = None
        self.based_on = 0
        self.dirty = False
        self.error_label.hide()
        selection = self.list.selectionModel()
        selection.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentIndex(QModelIndex())
        selection.blockSignals(False)
        self.editor.show_new(self.last_format, dt.date.today())
        self._show_info(None)
        first = next(iter(self.editor.sections.values()), None)
        if first is not None and self.isVisible():
            first.setFocus()

    # ------------------------------------------------------------------ saving

    def _edited(self) -> None:
        self.dirty = True
        self.status_label.setText(f"{DRAFT_MARK} Editing…")
        self.autosave.start()

    def _leave_current(self) -> None:
        """Before another note is shown: send what is unsaved (it is kept as a version)."""
        if self.dirty:
            self.save_draft()

    def save_draft(self) -> None:
        """Send the form to the vault as the note's next version (a new note is created)."""
        self.autosave.stop()
        if not self.dirty or self.editor.locked:
            return
        if self._saving:
            self._after_save.append(self.save_draft)
            return
        if self.current_id is None and not self.editor.has_text():
            return  # an untouched new note is not worth a record yet
        draft = self.editor.draft()
        token = self._token
        note_id = self.current_id
        self._saving = True
        self.dirty = False
        self.status_label.setText("Saving…")

        def done(info: NoteInfo) -> None:
            self._saving = False
            if token == self._token:
                self.current_id = info.id
                self.based_on = info.version_count
                self.last_format = info.note_format
                if self.editor.draft() != draft:
                    self.dirty = True
                self.editor.show_note(info, keep_text=True)
                self._show_info(info)
                if self.dirty:
                    self.status_label.setText(f"{DRAFT_MARK} Editing…")
                    self.autosave.start()
                self._select_quietly(info.id)
            self._run_after_save()

        def failed(message: str) -> None:
            self._saving = False
            if token == self._token:
                self.dirty = True
                self.status_label.setText("Not saved: your text is kept on screen")
                self._show_error(message)
            self._after_save.clear()

        if note_id is None:
            self.records.create_note(self.editor.format_id, draft, done, failed)
        else:
            self.records.save_draft(note_id, draft, self.based_on, done, failed)

    def _run_after_save(self) -> None:
        waiting, self._after_save = self._after_save, []
        for action in waiting:
            action()

    def _select_quietly(self, note_id: int) -> None:
        row = self.model.row_of(note_id)
        if row >= 0:
            selection = self.list.selectionModel()
            selection.blockSignals(True)
            self.list.setCurrentIndex(self.model.index(row, 0))
            selection.blockSignals(False)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        # Leaving the page saves the draft at once rather than after the pause.
        if self.dirty:
            self.save_draft()
            if self._case_is_closing():
                # The case is closing (or the vault locking) right now: the vault may close as
                # soon as this returns, so this one save is waited for (a few milliseconds).
                self.case.gateway.runner.wait_until_idle(10.0)
        super().hideEvent(event)

    def _case_is_closing(self) -> bool:
        """Whether the workspace holding this page was just taken out of the main window."""
        workspace = self.navigator
        if not isinstance(workspace, QWidget):
            return False
        holder = workspace.parentWidget()
        return isinstance(holder, QStackedWidget) and holder.indexOf(workspace) < 0

    # ------------------------------------------------------------------ signing

    def sign(self) -> None:
        """Ask who signs, then sign the note on screen (saving it first if needed)."""
        if self.editor.locked:
            return
        if not self.editor.has_text():
            self._show_error("Write the note before signing it.")
            return
        dialog = SignDialog("note", SIGN_EXPLANATION, self.records.clinician, self)
        self.sign_dialog = dialog
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.sign_dialog = None
        if accepted:
            self.sign_as(dialog.signer)

    def sign_as(self, signer: str) -> None:
        """Sign the note on screen as `signer` (no question asked)."""
        self.autosave.stop()
        if self._saving:
            self._after_save.append(lambda: self.sign_as(signer))
            return
        if self.current_id is None:
            # A new note: create it, then sign what was created.
            self.dirty = True
            self._after_save.append(lambda: self.sign_as(signer))
            self.save_draft()
            return
        draft = self.editor.draft()
        note_id = self.current_id
        token = self._token
        self._saving = True
        self.dirty = False
        self.status_label.setText("Signing…")

        def done(info: NoteInfo) -> None:
            self._saving = False
            if token == self._token:
                self.based_on = info.version_count
                self.editor.show_note(info)
                self._show_info(info)
            self._run_after_save()

        def failed(message: str) -> None:
            self._saving = False
            if token == self._token:
                self.dirty = True
                self.status_label.setText("Not signed: the note is kept on screen")
                self._show_error(message)
            self._after_save.clear()

        self.records.sign(note_id, signer, draft, self.based_on, done, failed)

    def add_addendum(self) -> None:
        """Ask who signs, then add the addendum typed below the signed note."""
        note = self.current_note()
        if note is None or not note.is_signed or not self.addendum_edit.toPlainText().strip():
            return
        dialog = SignDialog("addendum", ADDENDUM_EXPLANATION, self.records.clinician, self)
        self.sign_dialog = dialog
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.sign_dialog = None
        if accepted:
            self.add_addendum_as(dialog.signer)

    def add_addendum_as(self, signer: str) -> None:
        note = self.current_note()
        if note is None:
            return
        text = self.addendum_edit.toPlainText()
        self.addendum_button.setEnabled(False)

        def done(_: AddendumInfo) -> None:
            self.addendum_edit.clear()
            self.error_label.hide()

        def failed(message: str) -> None:
            self.addendum_button.setEnabled(True)
            self._show_error(message)

        self.records.add_addendum(note.id, text, signer, done, failed)

    # ------------------------------------------------------------------ versions

    def show_versions(self) -> None:
        note = self.current_note()
        if note is None:
            return

        def arrived(versions: tuple[NoteVersionInfo, ...]) -> None:
            dialog = VersionsDialog(versions, self.records.formats, note.note_format, self)
            self.versions_dialog = dialog
            dialog.finished.connect(lambda _: setattr(self, "versions_dialog", None))
            dialog.open()

        self.records.versions(note.id, arrived)

    # ------------------------------------------------------------------ for tests and shots

    def draft_on_screen(self) -> NoteDraft:
        return self.editor.draft()

    def note_id_at(self, row: int) -> int | None:
        value = self.model.index(row, 0).data(ID_ROLE)
        return None if value is None else int(value)
