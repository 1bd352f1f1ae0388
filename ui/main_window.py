"""The main window: the case list, the case workspace, and the practice-wide actions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

from PySide6.QtCore import QByteArray, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from db.errors import BackupError
from db.services import cases as case_service
from db.services import practice as practice_service
from db.services.snapshot import OpenedCase, open_case_workspace, update_case_details
from db.services.types import CaseDetail, CaseSummary, PracticeSettingsInfo
from db.vault import Vault
from ui.case_details_dialog import CaseDetailsDialog
from ui.case_list import CaseListPage
from ui.heap import settle_heap_soon
from ui.new_case_dialog import NewCaseDialog, PolicyWording
from ui.practice_settings import PracticeSettingsDialog
from ui.shortcuts import ShortcutsDialog
from ui.tasks import TaskRunner, describe_error
from ui.vault_access import VaultGateway
from ui.workspace.case_session import CaseSession
from ui.workspace.workspace import Workspace


class WindowSettings(Protocol):
    """What the main window may remember between runs (geometry only, no client data)."""

    def window_geometry(self, name: str) -> QByteArray | None: ...

    def save_window_geometry(self, name: str, geometry: QByteArray) -> None: ...


def _page_opener(workspace: Workspace, index: int) -> Callable[[], None]:
    return lambda: workspace.show_page(index)


ActionT = TypeVar("ActionT", bound=QAction)


class UndoRedoAction(QAction):
    """Undo or Redo, its text naming the command it would undo or redo ("Undo Answer: …")."""

    def __init__(self, verb: str, parent: QObject) -> None:
        super().__init__(verb, parent)
        self._verb = verb

    @Slot(str)
    def show_command(self, command: str) -> None:
        self.setText(f"{self._verb} {command}".strip())


class MainWindow(QMainWindow):
    """The unlocked practice: case list and workspace, menus, shortcuts and status.

    Signals:
        lock_requested(): Ctrl+L or the Lock action.
        quit_requested(): the clinician wants to quit.
        auto_lock_minutes_changed(int): the practice setting arrived or changed.
    """

    lock_requested = Signal()
    quit_requested = Signal()
    auto_lock_minutes_changed = Signal(int)

    def __init__(
        self,
        vault: Vault,
        runner: TaskRunner,
        settings: WindowSettings,
        policies: tuple[PolicyWording, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # Never a client detail in the title: it shows in task bars and window switchers.
        self.setWindowTitle("Parley")
        self.setMinimumSize(1024, 640)
        self.gateway = VaultGateway(vault, runner)
        self.runner = runner
        self._settings = settings
        self._policies = policies
        self.auto_lock_minutes = 10
        self.practice: PracticeSettingsInfo | None = None
        self.workspace: Workspace | None = None
        self._case_actions: list[QAction] = []
        self._locking = False

        self.case_list = CaseListPage(self.gateway)
        self.case_list.open_case.connect(self.open_case)
        self.case_list.new_case_requested.connect(self.new_case)
        self.case_list.model.failed.connect(self.show_error)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.case_list)
        self.setCentralWidget(self.stack)

        self.saved_label = QLabel("")
        self.saved_label.setAccessibleName("Save status")
        self.statusBar().addPermanentWidget(self.saved_label)
        runner.busy_changed.connect(self._busy_changed)
        runner.failed.connect(self.show_error)

        self.actions_by_name: dict[str, QAction] = {}
        self._build_menus()
        self._restore_geometry()
        self.case_list.reload()
        self.gateway.call(practice_service.get_practice_settings, on_done=self._practice_loaded)
        if vault.auto_backup_problem:
            self.statusBar().showMessage(
                f"Today's automatic backup failed: {vault.auto_backup_problem}", 15_000
            )

    # ------------------------------------------------------------------ menus

    def _action(
        self,
        name: str,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: Callable[[], object],
    ) -> QAction:
        return self._install(name, QAction(text, self), shortcut, slot)

    def _install(
        self,
        name: str,
        action: ActionT,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: Callable[[], object],
    ) -> ActionT:
        """Give the window `action` with its shortcut, under `name` in `actions_by_name`."""
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _build_menus(self) -> None:
        menu = self.menuBar()
        practice = menu.addMenu("&Practice")
        practice.addAction(self._action("new-case", "&New case…", "Ctrl+N", self.new_case))
        practice.addAction(self._action("cases", "&Case list", "Ctrl+0", self.show_case_list))
        # Issue 6: practice-wide search and retention (wiring in ui/search_dialog.py and
        # ui/retention_dialog.py, imported when first used).
        practice.addAction(self._action("search", "Searc&h…", "Ctrl+Shift+F", self.show_search))
        practice.addAction(
            self._action("retention", "&Records past retention…", None, self.show_retention)
        )
        practice.addSeparator()
        practice.addAction(
            self._action("settings", "Practice &settings…", "Ctrl+,", self.edit_settings)
        )
        practice.addAction(self._action("backup", "&Back up now…", "Ctrl+Shift+B", self.backup_now))
        practice.addAction(
            self._action("passphrase", "Change &passphrase…", None, self.change_passphrase)
        )
        practice.addSeparator()
        practice.addAction(self._action("lock", "&Lock", "Ctrl+L", self.lock_requested.emit))
        practice.addAction(self._action("quit", "&Quit", "Ctrl+Q", self.quit_requested.emit))
        self.case_menu = menu.addMenu("&Case")
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(
            self._action("shortcuts", "&Keyboard shortcuts", "F1", self.show_shortcuts)
        )
        help_menu.addAction(self._action("about", "&About Parley", None, self.show_about))

    # ------------------------------------------------------------------ pages

    def show_case_list(self) -> None:
        self.close_case()
        self.stack.setCurrentWidget(self.case_list)
        self.case_list.reload()
        self.case_list.table.setFocus()

    def open_case(self, case_id: int) -> None:
        """Open a case's workspace; its answers load on the task runner."""
        self.statusBar().showMessage("Opening the case…")
        self.gateway.call(
            open_case_workspace,
            case_id,
            on_done=lambda opened: self._case_opened(case_id, opened),
            on_error=lambda e: self.show_error(describe_error(e)),
        )

    def _case_opened(self, case_id: int, opened: OpenedCase) -> None:
        self.close_case()
        case = CaseSession(self.gateway, case_id, opened, parent=self)
        case.save_failed.connect(self._save_failed)
        workspace = Workspace(case)
        self.workspace = workspace
        self.stack.addWidget(workspace)
        self.stack.setCurrentWidget(workspace)
        self._build_case_menu(workspace)
        # The workspace header shows the case's own save state, failures included.
        self.saved_label.hide()
        self.statusBar().clearMessage()
        settle_heap_soon(workspace)

    def close_case(self) -> None:
        """Leave the open case (its changes are already saved or being saved)."""
        workspace = self.workspace
        if workspace is None:
            return
        self.workspace = None
        for action in self._case_actions:
            self.case_menu.removeAction(action)
            self.removeAction(action)
            self.actions_by_name.pop(action.objectName(), None)
            action.deleteLater()
        self._case_actions = []
        self.case_menu.clear()  # the separators
        self.saved_label.show()
        self.stack.removeWidget(workspace)
        workspace.case.deleteLater()
        workspace.deleteLater()

    def _build_case_menu(self, workspace: Workspace) -> None:
        case = workspace.case
        actions: list[QAction] = []

        def add(name: str, text: str, shortcut: str | None, slot: Callable[[], object]) -> None:
            action = self._action(name, text, shortcut, slot)
            action.setObjectName(name)
            self.case_menu.addAction(action)
            actions.append(action)

        for index, spec in enumerate(workspace.specs[:9]):
            add(
                f"page-{spec.key}",
                spec.title,
                f"Ctrl+{index + 1}",
                _page_opener(workspace, index),
            )
        self.case_menu.addSeparator()
        # Our own actions rather than QUndoStack.createUndoAction: those are deleted with the
        # stack or by QMenu.clear() behind Python's back, which broke closing a case.
        stack = case.undo_stack
        undo = self._install(
            "undo", UndoRedoAction("&Undo", self), QKeySequence.StandardKey.Undo, stack.undo
        )
        redo = self._install(
            "redo", UndoRedoAction("&Redo", self), QKeySequence.StandardKey.Redo, stack.redo
        )
        undo.setEnabled(stack.canUndo())
        redo.setEnabled(stack.canRedo())
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        # Slots of the actions themselves (not lambdas), so Qt drops the connections when the
        # actions are deleted: the stack still announces its clearing as it is destroyed.
        stack.undoTextChanged.connect(undo.show_command)
        stack.redoTextChanged.connect(redo.show_command)
        for name, action in (("undo", undo), ("redo", redo)):
            action.setObjectName(name)
            self.case_menu.addAction(action)
            actions.append(action)
        self.case_menu.addSeparator()
        add("edit-case", "Edit case &details…", "Ctrl+Shift+D", self.edit_case_details)
        add("close-case", "&Back to the case list", "Ctrl+W", self.show_case_list)
        self._case_actions = actions

    def edit_case_details(self) -> None:
        """The case's label, status and partners' details; saved, then shown everywhere."""
        workspace = self.workspace
        if workspace is None:
            return
        case = workspace.case
        dialog = CaseDetailsDialog(case.detail, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        changes = dialog.changes()
        if changes is None:
            return

        def saved(detail: CaseDetail) -> None:
            if self.workspace is not None and self.workspace.case is case:
                case.set_detail(detail)
            self.statusBar().showMessage("Case details saved", 3000)
            self.case_list.reload()

        self.gateway.call(
            update_case_details,
            case.case_id,
            changes,
            on_done=saved,
            on_error=lambda e: self.show_error(describe_error(e)),
        )

    def new_case(self) -> None:
        dialog = NewCaseDialog(self._policies, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        new_case = dialog.new_case()

        def created(summary: CaseSummary) -> None:
            self.statusBar().showMessage("Case created", 3000)
            self.case_list.reload()
            self.open_case(summary.id)

        self.gateway.call(
            case_service.create_case,
            new_case,
            on_done=created,
            on_error=lambda e: self.show_error(describe_error(e)),
        )

    # ------------------------------------------------------------------ practice actions

    def _practice_loaded(self, info: PracticeSettingsInfo) -> None:
        self.practice = info
        if info.auto_lock_minutes != self.auto_lock_minutes:
            self.auto_lock_minutes = info.auto_lock_minutes
            self.auto_lock_minutes_changed.emit(info.auto_lock_minutes)

    def edit_settings(self) -> None:
        if self.practice is None:
            return
        dialog = PracticeSettingsDialog(self.practice, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.gateway.call(
            practice_service.update_practice_settings,
            dialog.changes(),
            on_done=self._practice_loaded,
            on_error=lambda e: self.show_error(describe_error(e)),
        )

    def backup_now(self) -> None:
        vault = self.gateway.vault
        try:
            # Offered as the default place: on the vault's first day it does not exist yet.
            vault.ensure_backups_dir()
        except BackupError as error:
            self.show_error(str(error))
            return
        target, _ = QFileDialog.getSaveFileName(
            self,
            "Save a backup of the vault",
            str(vault.backups_dir / "manual-backup.parley"),
            "Parley vaults (*.parley)",
        )
        if not target:
            return
        self.statusBar().showMessage("Backing up…")
        self.gateway.run(
            lambda: vault.backup_to(Path(target)),
            on_done=lambda path: self.statusBar().showMessage(
                f"Backup saved and verified: {path.name}", 8000
            ),
            on_error=lambda e: self.show_error(describe_error(e)),
        )

    def change_passphrase(self) -> None:
        from ui.passphrase_dialog import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        vault = self.gateway.vault
        current, new = dialog.passphrases()

        def changed(_: None) -> None:
            QMessageBox.information(
                self,
                "Passphrase changed",
                "The vault now opens with the new passphrase. Backups made before today still "
                "open with the old one.",
            )

        self.gateway.run(
            lambda: vault.change_passphrase(current, new),
            on_done=changed,
            on_error=lambda e: self.show_error(describe_error(e)),
        )

    def show_search(self) -> None:
        from ui.search_dialog import show_search

        show_search(self)

    def show_retention(self) -> None:
        from ui.retention_dialog import show_retention

        show_retention(self)

    def shortcut_groups(self) -> list[tuple[str, list[QAction]]]:
        """The window's actions, then those of the case's pages opened so far (current first)."""
        groups: list[tuple[str, list[QAction]]] = [
            ("Everywhere", list(self.actions_by_name.values()))
        ]
        workspace = self.workspace
        if workspace is not None:
            current = workspace.stack.currentWidget()
            pages = sorted(
                (
                    (spec.title, workspace.pages[spec.key])
                    for spec in workspace.specs
                    if spec.key in workspace.pages
                ),
                key=lambda entry: entry[1] is not current,
            )
            groups += [(f"On the page {title}", page.actions()) for title, page in pages]
        return groups

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.shortcut_groups(), self).exec()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Parley",
            "Parley: intake, referral screening and case notes for sex and couple therapists.\n"
            "Everything stays in the encrypted vault on this computer.",
        )

    # ------------------------------------------------------------------ status

    def _busy_changed(self, busy: bool) -> None:
        self.saved_label.setText("Saving…" if busy else "All changes saved")

    def _save_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"Not saved: {message}", 20_000)

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "Parley", message)

    # ------------------------------------------------------------------ life cycle

    def _restore_geometry(self) -> None:
        geometry = self._settings.window_geometry("main")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def prepare_to_lock(self) -> None:
        """Remember the geometry and drop every client detail this window holds."""
        self._locking = True
        self._settings.save_window_geometry("main", self.saveGeometry())
        self.close_case()
        self.case_list.model.clear()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        event.accept()
        if not self._locking:
            # Closing the window is quitting: the controller locks the vault first.
            self.quit_requested.emit()
