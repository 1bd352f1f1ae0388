"""Starts the Qt application and runs its life cycle: create or unlock, work, lock, quit."""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from desktop.settings import AppSettings
from ui.tasks import TaskRunner, describe_error
from ui.theme import apply_theme
from ui.vault_dialogs import CreateVaultDialog, RestoreBackupDialog, UnlockDialog

if TYPE_CHECKING:
    from db.vault import Vault
    from ui.idle import IdleWatcher
    from ui.main_window import MainWindow
    from ui.new_case_dialog import PolicyWording

#: Imported while the clinician types the passphrase, not before the first window shows:
#: the database, the engine and the workspace cost half a second that nobody should wait for.
WARM_UP_MODULES = (
    "db.vault",
    "db.services.snapshot",
    "clinical.engine",
    "ui.main_window",
    "ui.workspace.workspace",
)


def warm_up_in_background() -> threading.Thread:
    """Import the heavy modules on a daemon thread (imports only: no widget is touched)."""

    def load() -> None:
        from desktop.logs import configure_logging  # platformdirs and all: after the window

        configure_logging()
        for name in WARM_UP_MODULES:
            importlib.import_module(name)
        from clinical.content import load_content

        load_content()

    thread = threading.Thread(target=load, name="parley-warm-up", daemon=True)
    thread.start()
    return thread


log = logging.getLogger(__name__)


def _default_vault_path() -> Path:
    from db.paths import default_vault_path

    return default_vault_path()


def policy_wordings() -> tuple[PolicyWording, ...]:
    """The confidentiality policies offered at intake, worded from the clinical content."""
    from clinical.consent import load_consent_wordings
    from ui.new_case_dialog import PolicyWording

    return tuple(
        PolicyWording(policy=w.policy, title=w.title, wording=w.wording, version=w.version)
        for w in load_consent_wordings()
    )


class AppController(QObject):
    """Owns the vault, the task runner and the windows; moves between locked and unlocked.

    Signals:
        unlocked(): the main window is showing an unlocked vault.
        locked(): every client detail is gone from the screen; the unlock dialog shows.
    """

    unlocked = Signal()
    locked = Signal()
    restored = Signal()

    def __init__(self, vault_path: Path | None = None, settings: AppSettings | None = None):
        super().__init__()
        self.settings = settings or AppSettings()
        self.runner = TaskRunner(self)
        self._idle: IdleWatcher | None = None
        self.vault: Vault | None = None
        self.vault_path = vault_path or self.settings.last_vault_path or _default_vault_path()
        self.main_window: MainWindow | None = None
        self.unlock_dialog: UnlockDialog | None = None
        self.create_dialog: CreateVaultDialog | None = None
        self.restore_dialog: RestoreBackupDialog | None = None
        self._quitting = False

    @property
    def idle(self) -> IdleWatcher:
        """Watches for inactivity while a vault is open (made at the first unlock)."""
        if self._idle is None:
            from ui.idle import IdleWatcher

            self._idle = IdleWatcher(self)
            self._idle.idle.connect(self._auto_lock)
        return self._idle

    # ------------------------------------------------------------------ start

    def start(self) -> None:
        """Show the first screen: unlock an existing vault, or create one on first start."""
        if self.vault_path.exists():
            self.show_unlock()
        else:
            self.show_create()

    def show_create(self) -> None:
        self._close_entry_dialogs()
        target = self.vault_path
        if target.exists():  # asked for a new vault while one exists at the default place
            target = target.with_name("practice-2.parley")
        dialog = CreateVaultDialog(target)
        dialog.create_requested.connect(self._create_vault)
        dialog.open_other_requested.connect(self._open_other)
        dialog.rejected.connect(self._entry_dialog_closed)
        self.create_dialog = dialog
        dialog.show()

    def show_unlock(self) -> None:
        self._close_entry_dialogs()
        dialog = UnlockDialog(self.vault_path)
        dialog.unlock_requested.connect(self._unlock)
        dialog.open_other_requested.connect(self._open_other)
        dialog.restore_requested.connect(self._restore)
        dialog.create_requested.connect(self.show_create)
        dialog.rejected.connect(self._entry_dialog_closed)
        self.unlock_dialog = dialog
        dialog.show()
        dialog.activateWindow()

    def _entry_dialog_closed(self) -> None:
        # Closing the entry dialog with no vault open means the clinician wants to leave.
        if self.vault is None and not self._quitting:
            QTimer.singleShot(0, self._quit_if_nothing_open)

    def _quit_if_nothing_open(self) -> None:
        if self.vault is None and not any(
            dialog is not None and dialog.isVisible()
            for dialog in (self.unlock_dialog, self.create_dialog)
        ):
            self.quit()

    def _close_entry_dialogs(self) -> None:
        for dialog in (self.unlock_dialog, self.create_dialog):
            if dialog is not None:
                dialog.blockSignals(True)
                dialog.close()
                dialog.deleteLater()
        self.unlock_dialog = None
        self.create_dialog = None

    def _open_other(self, path: Path) -> None:
        self.vault_path = path
        self.show_unlock()

    # ------------------------------------------------------------------ create and unlock

    def _create_vault(self, path: Path, passphrase: str) -> None:
        from db.vault import Vault

        dialog = self.create_dialog

        def failed(error: BaseException) -> None:
            if dialog is not None:
                dialog.show_error(describe_error(error))

        self.runner.submit(
            lambda: Vault.create(path, passphrase), on_done=self._vault_opened, on_error=failed
        )

    def _unlock(self, passphrase: str) -> None:
        from db.errors import VaultDamagedError, WrongPassphraseError
        from db.vault import Vault, list_backups

        path = self.vault_path
        dialog = self.unlock_dialog

        def failed(error: BaseException) -> None:
            log.info("unlock failed: %s", type(error).__name__)
            if dialog is None:
                return
            offer_restore = isinstance(error, WrongPassphraseError | VaultDamagedError) and bool(
                list_backups(path)
            )
            dialog.show_error(describe_error(error), offer_restore=offer_restore)

        self.runner.submit(
            lambda: Vault.unlock(path, passphrase), on_done=self._vault_opened, on_error=failed
        )

    def _vault_opened(self, vault: Vault) -> None:
        from ui.main_window import MainWindow

        log.info("vault unlocked")  # never its path or name: the folder may name a client
        self.vault = vault
        self.vault_path = vault.path
        self.settings.last_vault_path = vault.path
        self._close_entry_dialogs()
        window = MainWindow(vault, self.runner, self.settings, policy_wordings())
        window.lock_requested.connect(self.lock)
        window.quit_requested.connect(self.quit)
        window.auto_lock_minutes_changed.connect(self._auto_lock_changed)
        self.main_window = window
        window.show()
        window.activateWindow()
        self.idle.start(window.auto_lock_minutes * 60_000)
        self.unlocked.emit()

    def _auto_lock_changed(self, minutes: int) -> None:
        if self.vault is not None:
            self.idle.start(minutes * 60_000)

    def _restore(self) -> None:
        from db.vault import list_backups

        dialog = self.unlock_dialog
        backups = list_backups(self.vault_path)
        if dialog is None or not backups:
            return
        chooser = RestoreBackupDialog(
            [(b.path, f"{b.made_at.astimezone():%Y-%m-%d %H:%M}   {b.path.name}") for b in backups],
            dialog,
        )
        chooser.restore_requested.connect(self._restore_backup)
        self.restore_dialog = chooser
        chooser.open()

    def _restore_backup(self, backup: Path, passphrase: str) -> None:
        from db.vault import restore_backup

        path = self.vault_path
        chooser = self.restore_dialog

        def restored(kept_aside: Path | None) -> None:
            if chooser is not None:
                chooser.accept()
            self.restore_dialog = None
            dialog = self.unlock_dialog
            if dialog is not None:
                dialog.error_label.clear_message()
                dialog.restore_button.hide()
                kept = f" The file it replaced is kept as {kept_aside.name}." if kept_aside else ""
                dialog.show_notice(f"The backup was checked and restored.{kept} Unlock to go on.")
            self.restored.emit()

        def failed(error: BaseException) -> None:
            if chooser is not None:
                chooser.show_error(describe_error(error))

        self.runner.submit(
            lambda: restore_backup(backup, path, passphrase), on_done=restored, on_error=failed
        )

    # ------------------------------------------------------------------ lock and quit

    def _auto_lock(self) -> None:
        # Idle: nobody is there to answer a question, and the screen must be cleared.
        self.lock(ask_about_unsaved=False)

    def _unsaved_changes_stay(self) -> bool:
        """Try once more to save what failed; True when the clinician chose to stay unlocked."""
        workspace = self.main_window.workspace if self.main_window is not None else None
        if workspace is None or not workspace.case.has_unsaved_changes:
            return False
        workspace.case.retry_saving()
        self.runner.wait_until_idle()
        QApplication.processEvents()  # deliver the retry's result
        if not workspace.case.has_unsaved_changes:
            return False
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.warning(
            self.main_window,
            "Changes not saved",
            "Some changes could not be saved to the vault and would be lost by locking it. "
            "Stay to fix the problem (for instance free disk space), or lock anyway?",
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Cancel,
        )
        return answer != QMessageBox.StandardButton.Discard

    def lock(self, ask_about_unsaved: bool = True) -> None:
        """Clear every client detail from the screen and return to the unlock dialog."""
        if self.vault is None:
            return
        if ask_about_unsaved and self._unsaved_changes_stay():
            return
        self.idle.stop()
        # Let queued saves finish first: nothing typed before the lock may be lost.
        self.runner.wait_until_idle()
        self.runner.forget_pending_results()
        window = self.main_window
        self.main_window = None
        if window is not None:
            window.prepare_to_lock()
            # Closing the case hands its last typed text to the runner: save it before locking.
            self.runner.wait_until_idle()
            window.close()
            window.deleteLater()
        for widget in QApplication.topLevelWidgets():
            # Dialogs opened from the workspace (reports, notes) may show client data too.
            if widget is not window and widget.isVisible() and _shows_client_data(widget):
                widget.close()
        vault = self.vault
        self.vault = None
        vault.lock()
        log.info("vault locked (%s)", "by the clinician" if ask_about_unsaved else "when idle")
        self.show_unlock()
        self.locked.emit()

    def quit(self) -> None:
        if self.vault is not None and self._unsaved_changes_stay():
            return
        self._quitting = True
        if self.vault is not None:
            self.idle.stop()
            self.runner.wait_until_idle()
            if self.main_window is not None:
                self.main_window.prepare_to_lock()
                self.runner.wait_until_idle()  # the closing case's last saves
            self.vault.lock()
            self.vault = None
            log.info("vault locked (quitting)")
        self.runner.shutdown()
        QApplication.quit()


def _shows_client_data(widget: QWidget) -> bool:
    """Every window other than the entry dialogs may carry client data."""
    return not isinstance(widget, UnlockDialog | CreateVaultDialog | RestoreBackupDialog)


def start_app(vault_path: str | None = None) -> tuple[QApplication, AppController]:
    """Create the application and show its first window (create or unlock the vault).

    Logging starts on the warm-up thread: nothing is logged before the first window, and the
    handler's imports would delay it.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Parley")
    app.setOrganizationName("Parley")
    app.setApplicationDisplayName("Parley")
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app)
    controller = AppController(Path(vault_path).expanduser() if vault_path else None)
    controller.start()
    QTimer.singleShot(0, warm_up_in_background)
    return app, controller


def run_app(vault_path: str | None = None) -> int:
    """Run the desktop app until the user quits; returns the process exit code."""
    app, _controller = start_app(vault_path)
    return int(app.exec())
