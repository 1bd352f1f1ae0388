"""Psychotherapy notes: kept apart from the record, their text shown only on request (audited).

The list shows dates only. "Show text" reads the note from the vault, which records a
`psychotherapy-note-viewed` event (the note's number, never its text) before the text comes
back; the text stays on screen until the clinician hides it, picks another note or leaves the
page, and is never kept anywhere else. Edits save as a new version; none is overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QHideEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.services.notes import PsychotherapyNoteInfo, PsychotherapyNoteText
from ui.workspace.notes_models import (
    ID_ROLE,
    PsychotherapyListModel,
    format_day,
    format_moment,
)
from ui.workspace.notes_store import CaseRecords


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class PsychotherapyPanel(QWidget):
    """The psychotherapy-notes tab of the notes page.

    Attributes:
        model: the notes' dates (PsychotherapyListModel).
        shown: the text on screen, or None while hidden.
    """

    def __init__(self, records: CaseRecords) -> None:
        super().__init__()
        self.records = records
        self.shown: PsychotherapyNoteText | None = None
        wording = records.formats.psychotherapy_notes

        intro = QLabel(f"<b>{wording.title}</b>")
        explanation = _muted(wording.explanation)

        self.model = PsychotherapyListModel()
        self.list = QListView()
        self.list.setAccessibleName("Psychotherapy notes by session date")
        self.list.setModel(self.model)
        self.list.setSpacing(4)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.selectionModel().currentChanged.connect(self._chosen)
        self.new_button = QPushButton("&New psychotherapy note")
        self.new_button.setAccessibleName("New psychotherapy note")
        self.new_button.clicked.connect(self.start_new)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.new_button)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setMinimumWidth(self.fontMetrics().averageCharWidth() * 34)
        left_box.setMaximumWidth(self.fontMetrics().averageCharWidth() * 46)

        # ---- right: nothing chosen / hidden / shown / new
        self.pages = QStackedWidget()
        self.empty_page = _muted("Choose a session on the left, or write a new note.")
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.hidden_page = QWidget()
        self.hidden_title = QLabel()
        self.show_button = QPushButton("&Show text")
        self.show_button.setAccessibleName("Show the note's text")
        self.show_button.clicked.connect(self.show_text)
        hidden_layout = QVBoxLayout(self.hidden_page)
        hidden_layout.addWidget(self.hidden_title)
        hidden_layout.addWidget(
            _muted(
                "The text is hidden. Showing it records a view in the audit trail: which note "
                "and when, never what it says."
            )
        )
        row = QHBoxLayout()
        row.addWidget(self.show_button)
        row.addStretch(1)
        hidden_layout.addLayout(row)
        hidden_layout.addStretch(1)

        self.shown_page = QWidget()
        self.shown_title = QLabel()
        self.text_edit = QPlainTextEdit()
        self.text_edit.setAccessibleName("Psychotherapy note text")
        self.text_edit.setTabChangesFocus(True)
        self.save_button = QPushButton("Save as a new &version")
        self.save_button.clicked.connect(self.save_shown)
        self.hide_button = QPushButton("&Hide text")
        self.hide_button.clicked.connect(self.hide_text)
        self.shown_status = _muted("")
        shown_layout = QVBoxLayout(self.shown_page)
        shown_layout.addWidget(self.shown_title)
        shown_layout.addWidget(self.text_edit, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.hide_button)
        buttons.addStretch(1)
        buttons.addWidget(self.shown_status)
        shown_layout.addLayout(buttons)

        self.new_page = QWidget()
        self.new_date = QDateEdit()
        self.new_date.setAccessibleName("Session date of the new psychotherapy note")
        self.new_date.setCalendarPopup(True)
        self.new_date.setDisplayFormat("d MMM yyyy")
        self.new_link = QComboBox()
        self.new_link.setAccessibleName("Session note it belongs to")
        self.new_text = QPlainTextEdit()
        self.new_text.setAccessibleName("New psychotherapy note text")
        self.new_text.setPlaceholderText("Your impressions of the session, for you alone.")
        self.new_text.setTabChangesFocus(True)
        self.new_save = QPushButton("Sa&ve note")
        self.new_save.clicked.connect(self.save_new)
        self.new_cancel = QPushButton("Cancel")
        self.new_cancel.clicked.connect(self._show_current)
        new_form = QFormLayout()
        date_label = QLabel("Session &date")
        date_label.setBuddy(self.new_date)
        new_form.addRow(date_label, self.new_date)
        link_label = QLabel("Session &note")
        link_label.setBuddy(self.new_link)
        new_form.addRow(link_label, self.new_link)
        new_layout = QVBoxLayout(self.new_page)
        new_layout.addLayout(new_form)
        new_layout.addWidget(self.new_text, 1)
        new_buttons = QHBoxLayout()
        new_buttons.addWidget(self.new_save)
        new_buttons.addWidget(self.new_cancel)
        new_buttons.addStretch(1)
        new_layout.addLayout(new_buttons)

        for page in (self.empty_page, self.hidden_page, self.shown_page, self.new_page):
            self.pages.addWidget(page)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorMessage")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        body = QHBoxLayout()
        body.setSpacing(18)
        body.addWidget(left_box)
        right = QVBoxLayout()
        right.addWidget(self.error_label)
        right.addWidget(self.pages, 1)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(explanation)
        layout.addLayout(body, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self._pending_select: int | None = None
        #: Set by the notes page: whether the case is closing (then a last edit is waited for).
        self.case_is_closing: Callable[[], bool] = lambda: False
        records.psychotherapy_changed.connect(self._reload)
        self._reload()

    # ------------------------------------------------------------------ list

    def current_note(self) -> PsychotherapyNoteInfo | None:
        return self.model.item(self.list.currentIndex().row())

    def _reload(self) -> None:
        keep = self._pending_select
        current = self.current_note()
        if keep is None and current is not None:
            keep = current.id
        self.list.selectionModel().blockSignals(True)
        self.model.set_items(self.records.psychotherapy)
        self.list.selectionModel().blockSignals(False)
        if keep is not None:
            row = self.model.row_of(keep)
            if row >= 0:
                self._pending_select = None
                self.list.selectionModel().blockSignals(True)
                self.list.setCurrentIndex(self.model.index(row, 0))
                self.list.selectionModel().blockSignals(False)
        if self.pages.currentWidget() is not self.new_page and self.shown is None:
            self._show_current()

    def select_note(self, note_id: int) -> None:
        """Choose a psychotherapy note (its text stays hidden until asked for)."""
        row = self.model.row_of(note_id)
        if row < 0:
            self._pending_select = note_id
            return
        self.list.setCurrentIndex(self.model.index(row, 0))

    def _chosen(self) -> None:
        self._forget_text()
        self._show_current()

    def _show_current(self) -> None:
        note = self.current_note()
        self.error_label.hide()
        if note is None:
            self.pages.setCurrentWidget(self.empty_page)
            return
        self.hidden_title.setText(f"<b>Session of {format_day(note.session_date)}</b>")
        self.pages.setCurrentWidget(self.hidden_page)

    # ------------------------------------------------------------------ text

    def show_text(self) -> None:
        """Read the chosen note's text (the vault records the view) and show it."""
        note = self.current_note()
        if note is None:
            return
        self.show_button.setEnabled(False)

        def arrived(text: PsychotherapyNoteText) -> None:
            self.show_button.setEnabled(True)
            current = self.current_note()
            if current is None or current.id != text.note_id:
                return  # the clinician moved on; the text is not shown
            self.shown = text
            self.shown_title.setText(
                f"<b>Session of {format_day(current.session_date)}</b>  ·  version "
                f"{text.version}, written {format_moment(text.saved_at)}"
            )
            self.text_edit.setPlainText(text.body)
            self.shown_status.setText("")
            self.pages.setCurrentWidget(self.shown_page)
            self.text_edit.setFocus()

        def failed(message: str) -> None:
            self.show_button.setEnabled(True)
            self._show_error(message)

        self.records.read_psychotherapy_note(note.id, arrived, failed)

    def save_shown(self) -> None:
        shown = self.shown
        if shown is None:
            return
        text = self.text_edit.toPlainText()
        if text == shown.body:
            self.shown_status.setText("No changes to save")
            return

        def saved(info: PsychotherapyNoteInfo) -> None:
            if self.shown is not None and self.shown.note_id == info.id:
                self.shown = PsychotherapyNoteText(
                    info.id, info.version_count, text, info.last_saved_at, ""
                )
                self.shown_status.setText(f"Saved as version {info.version_count}")

        self.records.save_psychotherapy_note(
            shown.note_id, text, shown.version, saved, self._show_error
        )

    def hide_text(self) -> None:
        self._forget_text()
        self._show_current()

    def _forget_text(self) -> None:
        """Take the text off screen; unsaved edits are saved first as a new version."""
        shown = self.shown
        if shown is not None and self.text_edit.toPlainText() != shown.body:
            self.records.save_psychotherapy_note(
                shown.note_id,
                self.text_edit.toPlainText(),
                shown.version,
                lambda _: None,
                self._show_error,
            )
        self.shown = None
        self.text_edit.clear()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        # Leaving the page (or the case) takes the text off screen.
        if self.shown is not None:
            edited = self.text_edit.toPlainText() != self.shown.body
            self.hide_text()
            if edited and self.case_is_closing():
                # The vault may close as soon as this returns: let the edit reach it first.
                self.records.case.gateway.runner.wait_until_idle(10.0)
        super().hideEvent(event)

    # ------------------------------------------------------------------ new

    def start_new(self) -> None:
        self._forget_text()
        self.error_label.hide()
        today = dt.date.today()
        self.new_date.setDate(QDate(today.year, today.month, today.day))
        self.new_link.clear()
        self.new_link.addItem("None", None)
        for note in self.records.notes:
            self.new_link.addItem(f"Session note of {format_day(note.session_date)}", note.id)
        self.new_text.clear()
        self.pages.setCurrentWidget(self.new_page)
        self.new_text.setFocus()

    def save_new(self) -> None:
        text = self.new_text.toPlainText()
        if not text.strip():
            self._show_error("Write the note before saving it.")
            return
        day = self.new_date.date()
        link = self.new_link.currentData()

        def saved(info: PsychotherapyNoteInfo) -> None:
            self.new_text.clear()
            self._pending_select = info.id
            self.pages.setCurrentWidget(self.empty_page)
            self._reload()

        self.records.write_psychotherapy_note(
            dt.date(day.year(), day.month(), day.day()), text, link, saved, self._show_error
        )

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def note_id_at(self, row: int) -> int | None:
        value = self.model.index(row, 0).data(ID_ROLE)
        return None if value is None else int(value)
