"""Dialogs of the notes page: signing a note or an addendum, and reading earlier versions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clinical.note_formats import NoteFormats
from db.services.notes import NoteVersionInfo
from ui.workspace.notes_models import ID_ROLE, VersionListModel, duration_text, format_day


class SignDialog(QDialog):
    """Asks who signs, and says what signing means, before a note or addendum is signed.

    Attributes:
        name_edit: the signing clinician's name (the practice's clinician by default).
    """

    def __init__(self, what: str, explanation: str, signer: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Sign {what}")
        text = QLabel(explanation)
        text.setWordWrap(True)
        self.name_edit = QLineEdit(signer)
        self.name_edit.setAccessibleName("Signed by")
        self.name_edit.setPlaceholderText("Your name as it goes on the record")
        form = QFormLayout()
        label = QLabel("Signed &by")
        label.setBuddy(self.name_edit)
        form.addRow(label, self.name_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setText(f"Sign {what}")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(
            lambda name: self.sign_button.setEnabled(bool(name.strip()))
        )
        self.sign_button.setEnabled(bool(signer.strip()))
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.name_edit.setFocus()

    @property
    def signer(self) -> str:
        return self.name_edit.text().strip()


def version_text(version: NoteVersionInfo, formats: NoteFormats, note_format: str) -> str:
    """A stored version as plain text, section by section."""
    fmt = formats.by_id.get(note_format)
    lines = [
        f"Session of {format_day(version.session_date)}"
        + (f", {duration_text(version.duration_minutes)}" if version.duration_minutes else ""),
        f"Attended: {', '.join(version.attended) or 'not recorded'}",
    ]
    if version.pacing_stage_title:
        progress = formats.progress_label(version.stage_progress)
        lines.append(
            f"Pacing stage: {version.pacing_stage_title}" + (f" ({progress})" if progress else "")
        )
    for section_id, text in version.sections.items():
        section = fmt.section(section_id) if fmt else None
        lines += ["", section.title if section else section_id, text or "(empty)"]
    return "\n".join(lines)


class VersionsDialog(QDialog):
    """Every stored version of a note, newest first, each readable in full (read-only)."""

    def __init__(
        self,
        versions: tuple[NoteVersionInfo, ...],
        formats: NoteFormats,
        note_format: str,
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Versions of this note")
        self.formats = formats
        self.note_format = note_format
        self.versions = {version.version: version for version in versions}
        self.model = VersionListModel()
        self.model.set_items(sorted(versions, key=lambda v: v.version, reverse=True))
        self.list = QListView()
        self.list.setAccessibleName("Versions")
        self.list.setModel(self.model)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("The chosen version")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self.text)
        splitter.setStretchFactor(1, 2)
        note = QLabel(
            "Every saved version is kept. They can be read here but never changed; a signed "
            "note takes addenda instead."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 120, self.fontMetrics().height() * 32)
        selection = self.list.selectionModel()
        selection.currentChanged.connect(self._show)
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0, 0))
        self.list.setFocus()

    def _show(self) -> None:
        number = self.list.currentIndex().data(ID_ROLE)
        version = self.versions.get(number) if number is not None else None
        self.text.setPlainText(
            "" if version is None else version_text(version, self.formats, self.note_format)
        )
