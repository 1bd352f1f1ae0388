"""First-start and unlock dialogs: create a practice vault, unlock it, or pick another one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

VAULT_FILE_FILTER = "Parley vaults (*.parley);;All files (*)"


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)
    return label


def _explanation(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class _ErrorLabel(QLabel):
    """A message line under a form, in the palette's error colour plus a leading icon word."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setObjectName("errorMessage")
        self.setAccessibleName("Error message")
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(f"⚠ {text}")
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


class CreateVaultDialog(QDialog):
    """First start: choose where the practice vault lives and its passphrase.

    Signals:
        create_requested(Path, str): the clinician asked to create a vault there.
        open_other_requested(Path): the clinician picked an existing vault file instead.
    """

    create_requested = Signal(Path, str)
    open_other_requested = Signal(Path)

    def __init__(self, default_path: Path, parent: QWidget | None = None) -> None:
        # Imported here: the unlock dialog, shown at every start, does not need it.
        from db.passphrase import MIN_PASSPHRASE_LENGTH

        super().__init__(parent)
        self.setWindowTitle("Parley: create your practice vault")
        self.setMinimumWidth(560)

        self.path_edit = QLineEdit(str(default_path))
        self.path_edit.setAccessibleName("Vault file location")
        browse = QPushButton("Choose…")
        browse.setAccessibleName("Choose vault location")
        browse.clicked.connect(self._choose_location)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName("New passphrase")
        self.passphrase_edit.textChanged.connect(self._update_strength)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit.setAccessibleName("Repeat the passphrase")
        self.confirm_edit.textChanged.connect(self._update_strength)

        self.strength_bar = QProgressBar()
        self.strength_bar.setRange(0, 4)
        self.strength_bar.setTextVisible(False)
        self.strength_bar.setMaximumHeight(8)
        self.strength_bar.setAccessibleName("Passphrase strength")
        self.strength_hint = QLabel()
        self.strength_hint.setWordWrap(True)
        self.strength_hint.setAccessibleName("Passphrase advice")

        form = QFormLayout()
        form.addRow("Vault file", path_row)
        form.addRow("Passphrase", self.passphrase_edit)
        form.addRow("Repeat it", self.confirm_edit)
        form.addRow("", self.strength_bar)
        form.addRow("", self.strength_hint)

        self.error_label = _ErrorLabel()
        self.create_button = QPushButton("Create vault")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._request_create)
        open_other = QPushButton("Open an existing vault…")
        open_other.clicked.connect(self._choose_existing)
        buttons = QHBoxLayout()
        buttons.addWidget(open_other)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(_heading("Welcome to Parley"))
        layout.addWidget(
            _explanation(
                "Parley keeps your practice's records in one encrypted file on this computer. "
                f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters: a few "
                "unrelated words are easy to remember and hard to guess. Nobody, including "
                "Parley's makers, can recover the records without it, so keep it somewhere safe."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._update_strength()

    def _choose_location(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getSaveFileName(
            self, "Where should the vault live?", self.path_edit.text(), VAULT_FILE_FILTER
        )
        if chosen:
            self.path_edit.setText(chosen if chosen.endswith(".parley") else f"{chosen}.parley")

    def _choose_existing(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(
            self, "Open a Parley vault", str(Path(self.path_edit.text()).parent), VAULT_FILE_FILTER
        )
        if chosen:
            self.open_other_requested.emit(Path(chosen))

    def _update_strength(self) -> None:
        from db.passphrase import passphrase_feedback

        passphrase = self.passphrase_edit.text()
        feedback = passphrase_feedback(passphrase)
        self.strength_bar.setValue(feedback.score if passphrase else 0)
        hint = feedback.hint if passphrase else "Type a passphrase to see how strong it is."
        if passphrase and self.confirm_edit.text() and passphrase != self.confirm_edit.text():
            hint = "The two passphrases differ."
        self.strength_hint.setText(hint)
        self.create_button.setEnabled(
            feedback.acceptable and passphrase == self.confirm_edit.text()
        )

    def _request_create(self) -> None:
        if not self.create_button.isEnabled():
            return
        self.error_label.clear_message()
        self.set_busy(True)
        self.create_requested.emit(
            Path(self.path_edit.text()).expanduser(), self.passphrase_edit.text()
        )

    def set_busy(self, busy: bool) -> None:
        self.create_button.setEnabled(not busy)
        self.create_button.setText("Creating…" if busy else "Create vault")

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self._update_strength()
        self.error_label.show_message(message)


class UnlockDialog(QDialog):
    """Unlock the practice vault; or open another, or restore one from a backup.

    Signals:
        unlock_requested(str): the clinician entered a passphrase.
        open_other_requested(Path): another vault file was picked.
        restore_requested(): the clinician wants to restore this vault from a backup.
        create_requested(): the clinician wants a new vault instead.
    """

    unlock_requested = Signal(str)
    open_other_requested = Signal(Path)
    restore_requested = Signal()
    create_requested = Signal()

    def __init__(self, vault_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault_path = vault_path
        self.setWindowTitle("Parley: unlock")
        self.setMinimumWidth(480)

        self.location_label = QLabel()
        self.location_label.setWordWrap(True)
        self.location_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location_label.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred
        )
        self.set_vault_path(vault_path)

        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName("Passphrase")
        self.passphrase_edit.setPlaceholderText("Passphrase")
        self.passphrase_edit.returnPressed.connect(self._request_unlock)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator while the key is derived
        self.progress.setMaximumHeight(6)
        self.progress.setTextVisible(False)
        self.progress.hide()

        self.error_label = _ErrorLabel()
        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.notice_label.setAccessibleName("Notice")
        self.notice_label.hide()
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._request_unlock)
        self.restore_button = QPushButton("Restore from a backup…")
        self.restore_button.clicked.connect(self.restore_requested)
        self.restore_button.hide()
        open_other = QPushButton("Open another vault…")
        open_other.clicked.connect(self._choose_other)
        new_vault = QPushButton("New vault…")
        new_vault.clicked.connect(self.create_requested)

        buttons = QHBoxLayout()
        buttons.addWidget(open_other)
        buttons.addWidget(new_vault)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.unlock_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(_heading("Unlock your practice vault"))
        layout.addWidget(self.location_label)
        layout.addWidget(self.passphrase_edit)
        layout.addWidget(self.progress)
        layout.addWidget(self.error_label)
        layout.addWidget(self.notice_label)
        layout.addStretch(1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+O"), self, self._choose_other)
        self.passphrase_edit.setFocus()

    def set_vault_path(self, path: Path) -> None:
        self.vault_path = path
        self.location_label.setText(f"Vault: {path}")

    def _choose_other(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(
            self, "Open a Parley vault", str(self.vault_path.parent), VAULT_FILE_FILTER
        )
        if chosen:
            self.open_other_requested.emit(Path(chosen))

    def _request_unlock(self) -> None:
        passphrase = self.passphrase_edit.text()
        if not passphrase or not self.unlock_button.isEnabled():
            return
        self.error_label.clear_message()
        self.set_busy(True)
        self.unlock_requested.emit(passphrase)

    def set_busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)
        self.passphrase_edit.setEnabled(not busy)
        self.progress.setVisible(busy)

    def show_error(self, message: str, *, offer_restore: bool = False) -> None:
        self.set_busy(False)
        self.error_label.show_message(message)
        self.restore_button.setVisible(offer_restore)
        self.passphrase_edit.selectAll()
        self.passphrase_edit.setFocus()

    def show_notice(self, message: str) -> None:
        """A calm message (not an error) above the buttons."""
        self.set_busy(False)
        self.notice_label.setText(message)
        self.notice_label.show()

    def clear_passphrase(self) -> None:
        self.passphrase_edit.clear()


class RestoreBackupDialog(QDialog):
    """Pick a backup (newest first) and give its passphrase; the controller restores it.

    Signals:
        restore_requested(Path, str): restore this backup file, opened with this passphrase.
    """

    restore_requested = Signal(Path, str)

    def __init__(
        self,
        backups: list[tuple[Path, str]],
        parent: QWidget | None = None,
    ) -> None:
        from PySide6.QtWidgets import QListWidget

        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.setMinimumSize(520, 380)
        self._paths = [path for path, _ in backups]
        self.backup_list = QListWidget()
        self.backup_list.setAccessibleName("Backups, newest first")
        for _, label in backups:
            self.backup_list.addItem(label)
        self.backup_list.setCurrentRow(0)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName("Passphrase of the backup")
        self.passphrase_edit.returnPressed.connect(self._request)
        self.error_label = _ErrorLabel()
        self.restore_button = QPushButton("Check and restore")
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self._request)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _explanation(
                "Choose a backup. Parley opens it with the passphrase the vault had when the "
                "backup was made and checks it before anything is replaced; the current file "
                "is kept beside the vault, never deleted."
            )
        )
        layout.addWidget(self.backup_list, 1)
        layout.addWidget(QLabel("Passphrase of that backup"))
        layout.addWidget(self.passphrase_edit)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.passphrase_edit.setFocus()

    def _request(self) -> None:
        row = self.backup_list.currentRow()
        passphrase = self.passphrase_edit.text()
        if row < 0 or not passphrase or not self.restore_button.isEnabled():
            return
        self.error_label.clear_message()
        self.restore_button.setEnabled(False)
        self.restore_requested.emit(self._paths[row], passphrase)

    def show_error(self, message: str) -> None:
        self.restore_button.setEnabled(True)
        self.error_label.show_message(message)
