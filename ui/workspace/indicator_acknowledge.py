"""The small dialog in which the clinician acknowledges an indicator with a note."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.services.plans import MAX_NOTE_LENGTH

#: The vault refuses longer notes; say so before it does.
NOTE_LIMIT = MAX_NOTE_LENGTH


class AcknowledgeDialog(QDialog):
    """Asks for the note that goes with an acknowledgement; the note is required.

    The window title names no client: the indicator and partner are named inside the dialog.
    """

    def __init__(
        self,
        heading: str,
        consequence: str,
        previous_note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Acknowledge indicator")
        title = QLabel(heading)
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        explanation = QLabel(consequence)
        explanation.setWordWrap(True)
        prompt = QLabel("&Note (what you did or decided; kept in the case's audit trail):")
        prompt.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Acknowledgement note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(
            "For example: seen alone today; no current danger; plan agreed."
        )
        self.note.setPlainText(previous_note)
        prompt.setBuddy(self.note)
        self.problem = QLabel("")
        self.problem.setObjectName("errorMessage")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Acknowledge")
        self.ok_button.setAccessibleName("Acknowledge")
        self.ok_button.setToolTip("Acknowledge (Ctrl+Enter)")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        self.note.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(explanation)
        layout.addSpacing(4)
        layout.addWidget(prompt)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(520, 320)
        self.note.setFocus(Qt.FocusReason.OtherFocusReason)
        self._check()

    def note_text(self) -> str:
        return self.note.toPlainText().strip()

    def _check(self) -> None:
        text = self.note_text()
        too_long = len(text) > NOTE_LIMIT
        self.ok_button.setEnabled(bool(text) and not too_long)
        self.problem.setVisible(too_long)
        if too_long:
            self.problem.setText(f"Keep the note under {NOTE_LIMIT} characters.")

    def accept(self) -> None:
        if self.ok_button.isEnabled():
            super().accept()
