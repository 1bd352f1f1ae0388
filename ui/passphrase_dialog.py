"""Change the vault's passphrase: the current one, and the new one twice with its strength."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from db.passphrase import passphrase_feedback


class ChangePassphraseDialog(QDialog):
    """Asks for the current and a new passphrase; OK only when the new one is acceptable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change passphrase")
        self.setMinimumWidth(460)
        self.current_edit = self._password_field("Current passphrase")
        self.new_edit = self._password_field("New passphrase")
        self.repeat_edit = self._password_field("Repeat the new passphrase")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Current passphrase", self.current_edit)
        form.addRow("New passphrase", self.new_edit)
        form.addRow("Repeat it", self.repeat_edit)
        form.addRow("", self.hint)
        form.addRow(self.buttons)
        for edit in (self.current_edit, self.new_edit, self.repeat_edit):
            edit.textChanged.connect(self._update)
        self._update()

    def _password_field(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(name)
        return edit

    def _update(self) -> None:
        new = self.new_edit.text()
        feedback = passphrase_feedback(new)
        hint = feedback.hint if new else "Choose a new passphrase."
        matches = new == self.repeat_edit.text()
        if new and self.repeat_edit.text() and not matches:
            hint = "The two new passphrases differ."
        self.hint.setText(hint)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.current_edit.text()) and feedback.acceptable and matches)

    def passphrases(self) -> tuple[str, str]:
        """(current, new), once accepted."""
        return self.current_edit.text(), self.new_edit.text()
