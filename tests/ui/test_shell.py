"""The desktop shell: first start, unlock, lock, auto-lock, second instance."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db.services import cases as case_service
from db.services.types import NewCase, NewPartner
from db.vault import Vault
from desktop.app import AppController
from tests.ui.conftest import PASSPHRASE, visible_texts
from ui.vault_dialogs import CreateVaultDialog, UnlockDialog

MARKER = "Zoë Marker-7731"


def create_vault_through_dialog(qtbot, controller: AppController) -> None:  # type: ignore[no-untyped-def]
    controller.start()
    dialog = controller.create_dialog
    assert isinstance(dialog, CreateVaultDialog)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    assert not dialog.create_button.isEnabled(), "must not create before the repeat matches"
    qtbot.keyClicks(dialog.confirm_edit, PASSPHRASE)
    assert dialog.create_button.isEnabled()
    with qtbot.waitSignal(controller.unlocked, timeout=20_000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)


def add_case_with_marker(controller: AppController) -> None:
    assert controller.vault is not None
    with controller.vault.session() as session:
        case_service.create_case(
            session,
            NewCase(
                label="Fictional test couple",
                partners=(NewPartner(name=MARKER), NewPartner(name="Lee Example")),
                confidentiality_policy="limited-secrets",
            ),
        )


def test_first_start_creates_a_vault_and_shows_an_empty_case_list(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    create_vault_through_dialog(qtbot, controller)
    window = controller.main_window
    assert window is not None
    qtbot.addWidget(window)
    assert window.windowTitle() == "Parley"
    qtbot.waitUntil(lambda: window.case_list.empty_label.isVisible(), timeout=5000)
    assert "No cases yet" in window.case_list.empty_label.text()
    assert controller.vault_path.exists()
    assert controller.vault_path.read_bytes()[:16] != b"SQLite format 3\x00"


def test_lock_shortcut_clears_the_screen_and_unlock_brings_it_back(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    create_vault_through_dialog(qtbot, controller)
    add_case_with_marker(controller)
    window = controller.main_window
    assert window is not None
    window.case_list.reload()
    qtbot.waitUntil(lambda: any(MARKER in text for text in visible_texts()), timeout=5000)

    with qtbot.waitSignal(controller.locked, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert controller.vault is None
    assert not any(MARKER in text for text in visible_texts())

    dialog = controller.unlock_dialog
    assert isinstance(dialog, UnlockDialog)
    qtbot.keyClicks(dialog.passphrase_edit, "not the passphrase")
    qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=10_000)
    assert "wrong passphrase" in dialog.error_label.text()
    assert controller.vault is None

    dialog.passphrase_edit.clear()
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    with qtbot.waitSignal(controller.unlocked, timeout=20_000):
        qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(MARKER in text for text in visible_texts()), timeout=5000)


def test_auto_lock_after_idle_removes_every_client_detail(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    create_vault_through_dialog(qtbot, controller)
    add_case_with_marker(controller)
    window = controller.main_window
    assert window is not None
    window.case_list.reload()
    qtbot.waitUntil(lambda: any(MARKER in text for text in visible_texts()), timeout=5000)

    controller.idle.start(300)  # milliseconds, instead of the practice's minutes
    with qtbot.waitSignal(controller.locked, timeout=10_000):
        pass
    assert controller.vault is None
    assert isinstance(controller.unlock_dialog, UnlockDialog)
    assert controller.unlock_dialog.isVisible()
    assert not any(MARKER in text for text in visible_texts())


def test_input_postpones_auto_lock(qtbot, controller) -> None:  # type: ignore[no-untyped-def]
    create_vault_through_dialog(qtbot, controller)
    window = controller.main_window
    assert window is not None
    controller.idle.start(600)
    for _ in range(6):
        qtbot.wait(200)
        qtbot.keyClick(window.case_list.filter_edit, Qt.Key.Key_A)
    assert controller.vault is not None, "typing must keep the vault unlocked"


def test_a_second_instance_gets_a_clear_message(qtbot, controller, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    create_vault_through_dialog(qtbot, controller)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from db.vault import Vault\n"
        "try:\n"
        f"    Vault.unlock(Path({str(controller.vault_path)!r}), {PASSPHRASE!r})\n"
        "except Exception as e:\n"
        "    print(type(e).__name__, str(e))\n"
        "    sys.exit(3)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 3
    assert "VaultInUseError" in result.stdout
    assert "already open" in result.stdout


def test_unlock_dialog_reports_a_vault_opened_elsewhere(
    qtbot, tmp_path: Path, app_settings
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "practice.parley"
    holder = Vault.create(path, PASSPHRASE)
    try:
        ctrl = AppController(path, app_settings)
        ctrl.start()
        dialog = ctrl.unlock_dialog
        assert isinstance(dialog, UnlockDialog)
        qtbot.addWidget(dialog)
        qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=10_000)
        assert "already open" in dialog.error_label.text()
        ctrl.runner.shutdown()
    finally:
        holder.lock()


@pytest.mark.reliability
def test_a_damaged_vault_offers_restore_and_restores_from_a_backup(
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    app_settings,  # type: ignore[no-untyped-def]
) -> None:
    from db.vault import list_backups

    path = tmp_path / "practice.parley"
    vault = Vault.create(path, PASSPHRASE)
    with vault.session() as session:
        for number in range(40):  # enough pages that a middle page holds case data
            case_service.create_case(
                session,
                NewCase(
                    f"Fictional couple {number}",
                    (NewPartner("Kim Example"), NewPartner("Lee Example")),
                    "no-secrets",
                ),
            )
    vault.lock()
    Vault.unlock(path, PASSPHRASE).lock()  # the first unlock of the day makes a backup
    assert list_backups(path)
    data = bytearray(path.read_bytes())
    middle = (len(data) // 4096 // 2) * 4096 + 1000
    data[middle] ^= 0xFF
    path.write_bytes(bytes(data))

    ctrl = AppController(path, app_settings)
    ctrl.start()
    dialog = ctrl.unlock_dialog
    assert isinstance(dialog, UnlockDialog)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=10_000)
    assert "restore" in dialog.error_label.text().lower()
    assert dialog.restore_button.isVisible()
    assert path.read_bytes() == bytes(data), "a failed unlock must leave the file untouched"

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    chooser = ctrl.restore_dialog
    assert chooser is not None
    qtbot.keyClicks(chooser.passphrase_edit, PASSPHRASE)
    with qtbot.waitSignal(ctrl.restored, timeout=20_000):
        qtbot.keyClick(chooser.passphrase_edit, Qt.Key.Key_Return)
    assert "restored" in dialog.notice_label.text()
    assert any(p.name.startswith("practice.parley.replaced") for p in path.parent.iterdir())

    dialog.passphrase_edit.clear()
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    with qtbot.waitSignal(ctrl.unlocked, timeout=20_000):
        qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    assert ctrl.vault is not None
    with ctrl.vault.session() as session:
        assert case_service.count_cases(session) == 40
    ctrl.runner.wait_until_idle()
    assert ctrl.main_window is not None
    ctrl.main_window.prepare_to_lock()
    ctrl.vault.lock()
    ctrl.vault = None
    ctrl.runner.shutdown()


def test_back_up_now_on_the_vaults_first_day_uses_the_offered_folder(  # type: ignore[no-untyped-def]
    qtbot, controller, monkeypatch
) -> None:
    """No automatic backup has run yet, so the offered backups folder must be made first."""
    create_vault_through_dialog(qtbot, controller)
    window = controller.main_window
    assert window is not None
    qtbot.addWidget(window)
    vault = controller.vault
    assert vault is not None
    assert not vault.backups_dir.exists()
    offered: list[str] = []

    def accept_the_offer(_parent, _caption, directory, _filter):  # type: ignore[no-untyped-def]
        offered.append(directory)
        return directory, _filter

    monkeypatch.setattr("ui.main_window.QFileDialog.getSaveFileName", accept_the_offer)
    window.backup_now()
    target = Path(offered[0])
    assert target.parent == vault.backups_dir
    qtbot.waitUntil(target.exists, timeout=20_000)
    qtbot.waitUntil(lambda: "verified" in window.statusBar().currentMessage(), timeout=20_000)
    Vault.unlock(target, PASSPHRASE).lock()  # the backup opens with the vault's passphrase
