"""Backups and restore, with real failures: a full disk, a read-only or vanished folder,
a damaged backup, a vault in use. Older backups always survive a failed one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from db.backup import backup_kind, list_backups, verify_vault_file
from db.cipher import PAGE_SIZE, derive_key, read_salt
from db.services.cases import list_case_ids
from db.services.practice import update_practice_settings
from db.services.types import PracticeSettingsChanges
from db.vault import (
    BackupError,
    Vault,
    VaultInUseError,
    WrongPassphraseError,
    restore_backup,
)
from tests.db.conftest import PASSPHRASE, add_example_case, file_digest

REPO = Path(__file__).resolve().parents[2]


def key_for(path: Path, passphrase: str = PASSPHRASE) -> bytes:
    salt = read_salt(path)
    assert salt is not None
    return derive_key(passphrase, salt)


def case_count(path: Path, passphrase: str = PASSPHRASE) -> int:
    vault = Vault.unlock(path, passphrase)
    try:
        with vault.session() as session:
            return len(list_case_ids(session))
    finally:
        vault.lock()


# ---------------------------------------------------------------------- making backups


def test_backup_to_writes_a_verified_encrypted_copy(vault: Vault, tmp_path: Path) -> None:
    add_example_case(vault)
    written = vault.backup_to(tmp_path / "copy.parley")
    assert written == tmp_path / "copy.parley"
    assert not written.read_bytes().startswith(b"SQLite format 3\0")
    assert read_salt(written) == read_salt(vault.path)  # same passphrase opens it
    assert verify_vault_file(written, key_for(vault.path)).revision
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    into_folder = vault.backup_to(tmp_path)
    assert into_folder.parent == tmp_path
    assert backup_kind(into_folder.name) == "manual"
    with pytest.raises(BackupError, match="already exists"):
        vault.backup_to(written)


def test_backup_of_a_busy_vault_is_a_consistent_snapshot(vault: Vault, tmp_path: Path) -> None:
    for number in range(20):
        add_example_case(vault, f"Example {number}")
    with vault.session() as session:  # an open read transaction while the backup runs
        session.execute(text("SELECT count(*) FROM cases")).scalar()
        backup = vault.backup_to(tmp_path / "busy.parley")
    vault.lock()
    restore_backup(backup, vault.path, PASSPHRASE)
    assert case_count(vault.path) == 20


def test_auto_backup_once_a_day_and_pruning_keeps_the_newest_n(vault: Vault) -> None:
    with vault.session() as session:
        update_practice_settings(session, PracticeSettingsChanges(backups_kept=3))
    vault.backups_dir.mkdir(exist_ok=True)
    for day in range(1, 6):  # five older automatic backups, oldest first
        older = vault.backup_to(vault.path.parent / f"old-{day}.parley")
        older.rename(vault.backups_dir / f"auto-2020010{day}T080000.000000Z.parley")
    keep_me = vault.backup_to(vault.backups_dir / "pre-migration-0001-to-0002-x.parley")
    made = vault.auto_backup_if_due()
    assert made is not None
    assert vault.auto_backup_if_due() is None  # not twice on the same day
    autos = [info for info in list_backups(vault.path) if info.kind == "auto"]
    assert [info.path for info in autos] == [
        made,
        vault.backups_dir / "auto-20200105T080000.000000Z.parley",
        vault.backups_dir / "auto-20200104T080000.000000Z.parley",
    ]
    assert keep_me.exists()  # only automatic backups are pruned
    assert list_backups(vault.path)[0].made_at >= autos[1].made_at


def test_unlock_makes_the_days_backup(closed_vault: Path) -> None:
    shutil.rmtree(closed_vault.parent / "backups", ignore_errors=True)
    vault = Vault.unlock(closed_vault, PASSPHRASE)
    vault.lock()
    (backup,) = list_backups(closed_vault)
    assert backup.kind == "auto"
    assert backup.size > PAGE_SIZE
    assert verify_vault_file(backup.path, key_for(closed_vault)).revision


def test_destination_folder_missing_or_a_file(vault: Vault, tmp_path: Path) -> None:
    vanished = tmp_path / "usb-stick"
    vanished.mkdir()
    vault.backup_to(vanished / "first.parley")
    shutil.rmtree(vanished)  # the stick was pulled
    with pytest.raises(BackupError, match="does not exist"):
        vault.backup_to(vanished / "second.parley")
    not_a_folder = tmp_path / "plain-file"
    not_a_folder.write_text("x")
    with pytest.raises(BackupError):
        vault.backup_to(not_a_folder / "backup.parley")
    assert not_a_folder.read_text() == "x"


def test_a_failed_auto_backup_keeps_the_vault_open_and_says_why(closed_vault: Path) -> None:
    backups = closed_vault.parent / "backups"
    shutil.rmtree(backups, ignore_errors=True)
    backups.write_text("a file where the backups folder should be")
    vault = Vault.unlock(closed_vault, PASSPHRASE)
    try:
        assert vault.auto_backup_problem is not None
        assert "backups folder" in vault.auto_backup_problem
        add_example_case(vault, "still works")
    finally:
        vault.lock()


# ---------------------------------------------------------------------- full and read-only disks

CHILD = textwrap.dedent(
    """
    import json, os, shutil, sys
    from pathlib import Path
    from db.vault import Vault, BackupError, VaultStorageError
    from db.services.cases import create_case, list_case_ids
    from db.services.types import NewCase, NewPartner

    scenario, mount, vault_path, older, passphrase = sys.argv[1:6]
    mount, vault_path, older = Path(mount), Path(vault_path), Path(older)
    result = {}

    def fill(folder, leave):
        filler = folder / "filler.bin"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(fd, b"\\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        os.truncate(filler, max(filler.stat().st_size - leave, 0))
        return filler

    if scenario in ("manual", "auto"):
        shutil.copyfile(older, mount / older.name)
        fill(mount, 16384)
        vault = Vault.unlock(vault_path, passphrase)
        result["auto_problem"] = vault.auto_backup_problem
        if scenario == "manual":
            try:
                vault.backup_to(mount / "new.parley")
            except BackupError as error:
                result["error"] = str(error)
        vault.lock()
    elif scenario == "readonly":
        vault = Vault.unlock(vault_path, passphrase)
        try:
            vault.backup_to(mount / "new.parley")
        except BackupError as error:
            result["error"] = str(error)
        vault.lock()
    elif scenario == "vault-on-full-disk":
        vault_path = mount / "practice.parley"
        reserve = mount / "reserve.bin"
        reserve.write_bytes(b"\\0" * 65536)
        vault = Vault.create(vault_path, passphrase)
        committed = 0
        try:
            for number in range(100000):
                with vault.session() as session:
                    create_case(session, NewCase(
                        "Fictional case %d " % number + "x" * 150,
                        (NewPartner("Kim Example"), NewPartner("Alex Example")),
                        "no-secrets"))
                committed += 1
        except VaultStorageError as error:
            result["error"] = str(error)
        vault.lock()
        result["committed"] = committed
        reserve.unlink()
        reopened = Vault.unlock(vault_path, passphrase)
        with reopened.session() as session:
            result["found"] = len(list_case_ids(session))
            result["integrity"] = session.connection().exec_driver_sql(
                "PRAGMA integrity_check").scalar()
        reopened.lock()
    result["files"] = sorted(os.listdir(mount))
    print(json.dumps(result))
    """
)


def run_on_tiny_filesystem(
    mount: Path, scenario: str, vault_path: Path, older: Path, options: str
) -> dict[str, Any]:
    """Run CHILD with a small tmpfs mounted at `mount`, in a private mount namespace.

    The mount exists only inside that namespace and vanishes with the child; the test is
    skipped where the machine allows no such namespace.
    """
    if shutil.which("unshare") is None or not sys.platform.startswith("linux"):
        pytest.skip("needs Linux unshare to mount a tiny filesystem")
    flags = ["-m"] if os.geteuid() == 0 else ["-Urm"]
    mount.mkdir(parents=True, exist_ok=True)
    command = [
        "unshare",
        *flags,
        "sh",
        "-c",
        'mount -t tmpfs -o "$1" tmpfs "$2" || exit 97; shift 2; exec "$@"',
        "sh",
        options,
        str(mount),
        sys.executable,
        "-c",
        CHILD,
        scenario,
        str(mount),
        str(vault_path),
        str(older),
        PASSPHRASE,
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=REPO, timeout=120, check=False
    )
    if result.returncode == 97 or "Operation not permitted" in result.stderr:
        pytest.skip("this machine does not allow mounting a tmpfs in a private namespace")
    assert result.returncode == 0, result.stderr[-2000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_disk_full_during_a_manual_backup_keeps_older_backups(
    closed_vault: Path, tmp_path: Path
) -> None:
    older = tmp_path / "older-backup.parley"
    vault = Vault.unlock(closed_vault, PASSPHRASE)
    vault.backup_to(older)
    vault.lock()
    outcome = run_on_tiny_filesystem(tmp_path / "stick", "manual", closed_vault, older, "size=256k")
    assert "not enough disk space" in outcome["error"]
    assert "older backups were kept" in outcome["error"]
    assert outcome["files"] == ["filler.bin", "older-backup.parley"]  # no temporary left


def test_disk_full_during_the_auto_backup_prunes_nothing(
    closed_vault: Path, tmp_path: Path
) -> None:
    vault = Vault.unlock(closed_vault, PASSPHRASE)
    with vault.session() as session:
        update_practice_settings(session, PracticeSettingsChanges(backups_kept=1))
    older = vault.backup_to(tmp_path / "auto-20200101T000000.000000Z.parley")
    vault.lock()
    backups = closed_vault.parent / "backups"
    shutil.rmtree(backups)
    backups.mkdir()
    outcome = run_on_tiny_filesystem(backups, "auto", closed_vault, older, "size=256k")
    assert outcome["auto_problem"] is not None
    assert "not enough disk space" in outcome["auto_problem"]
    assert outcome["files"] == ["auto-20200101T000000.000000Z.parley", "filler.bin"]


def test_read_only_folder_refuses_the_backup_clearly(closed_vault: Path, tmp_path: Path) -> None:
    outcome = run_on_tiny_filesystem(
        tmp_path / "readonly", "readonly", closed_vault, closed_vault, "size=256k,ro"
    )
    assert "read-only or not writable" in outcome["error"]
    assert outcome["files"] == []


def test_disk_full_while_saving_loses_no_committed_case(tmp_path: Path) -> None:
    outcome = run_on_tiny_filesystem(
        tmp_path / "small-disk", "vault-on-full-disk", tmp_path / "unused", tmp_path, "size=640k"
    )
    assert "disk is full" in outcome["error"]
    assert outcome["committed"] > 0
    assert outcome["found"] == outcome["committed"]
    assert outcome["integrity"] == "ok"


# ---------------------------------------------------------------------- restore


def test_restore_verifies_first_and_keeps_the_replaced_vault(closed_vault: Path) -> None:
    vault = Vault.unlock(closed_vault, PASSPHRASE)
    backup = vault.backup_to(closed_vault.parent / "one-case.parley")
    add_example_case(vault, "Added after the backup")
    vault.lock()
    before = file_digest(closed_vault)
    replaced = restore_backup(backup, closed_vault, PASSPHRASE)
    assert replaced is not None
    assert replaced.name.startswith("practice.parley.replaced-")
    assert file_digest(replaced) == before  # the replaced vault kept, byte for byte
    assert case_count(closed_vault) == 1
    assert case_count(replaced) == 2


def test_restore_into_a_missing_vault(closed_vault: Path, tmp_path: Path) -> None:
    vault = Vault.unlock(closed_vault, PASSPHRASE)
    backup = vault.backup_to(tmp_path / "b.parley")
    vault.lock()
    fresh = tmp_path / "new-laptop" / "practice.parley"
    assert restore_backup(backup, fresh, PASSPHRASE) is None
    assert case_count(fresh) == 1


def test_a_damaged_backup_is_refused_and_the_vault_untouched(closed_vault: Path) -> None:
    vault = Vault.unlock(closed_vault, PASSPHRASE)
    backup = vault.backup_to(closed_vault.parent / "b.parley")
    vault.lock()
    data = bytearray(backup.read_bytes())
    data[PAGE_SIZE * 3 + 50] ^= 0xFF
    backup.write_bytes(bytes(data))
    before = file_digest(closed_vault)
    with pytest.raises(BackupError, match="damaged"):
        restore_backup(backup, closed_vault, PASSPHRASE)
    truncated = closed_vault.parent / "truncated.parley"
    truncated.write_bytes(bytes(data[: PAGE_SIZE * 2]))
    with pytest.raises(BackupError, match="damaged"):
        restore_backup(truncated, closed_vault, PASSPHRASE)
    assert file_digest(closed_vault) == before
    assert not list(closed_vault.parent.glob("*.replaced-*"))
    assert not list(closed_vault.parent.glob(".*.tmp"))


def test_restore_with_the_wrong_passphrase_or_missing_backup(closed_vault: Path) -> None:
    vault = Vault.unlock(closed_vault, PASSPHRASE)
    backup = vault.backup_to(closed_vault.parent / "b.parley")
    vault.lock()
    before = file_digest(closed_vault)
    with pytest.raises(WrongPassphraseError):
        restore_backup(backup, closed_vault, "not the passphrase at all")
    with pytest.raises(BackupError, match="no backup at"):
        restore_backup(closed_vault.parent / "absent.parley", closed_vault, PASSPHRASE)
    assert file_digest(closed_vault) == before


def test_restore_is_refused_while_the_vault_is_open(closed_vault: Path) -> None:
    vault = Vault.unlock(closed_vault, PASSPHRASE)
    try:
        backup = vault.backup_to(closed_vault.parent / "b.parley")
        with pytest.raises(VaultInUseError):
            restore_backup(backup, closed_vault, PASSPHRASE)
    finally:
        vault.lock()


def test_restored_vault_records_the_restore(closed_vault: Path) -> None:
    from db.audit import count_events, verify_chain

    vault = Vault.unlock(closed_vault, PASSPHRASE)
    backup = vault.backup_to(closed_vault.parent / "b.parley")
    vault.lock()
    restore_backup(backup, closed_vault, PASSPHRASE)
    reopened = Vault.unlock(closed_vault, PASSPHRASE)
    try:
        with reopened.session() as session:
            assert count_events(session, "restore") == 1
            assert verify_chain(session).ok
    finally:
        reopened.lock()
