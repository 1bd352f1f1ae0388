"""Vault lifecycle and every bad input: each failure is clear and leaves the file untouched."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import select, text

from db.audit import count_events, verify_chain
from db.cipher import PAGE_SIZE, derive_key, open_keyed_connection, read_salt
from db.errors import VaultLockedError
from db.migrate import head_revision
from db.models import AuditEvent, Case
from db.services.cases import list_case_ids
from db.vault import (
    NewerVaultError,
    Vault,
    VaultDamagedError,
    VaultExistsError,
    VaultInUseError,
    VaultNotFoundError,
    WeakPassphraseError,
    WrongPassphraseError,
    default_vault_path,
    failed_unlocks_file_for,
)
from tests.db.conftest import PASSPHRASE, add_example_case, file_digest

REPO = Path(__file__).resolve().parents[2]


def test_create_unlock_lock_round_trip(vault_path: Path) -> None:
    vault = Vault.create(vault_path, PASSPHRASE)
    assert not vault.is_locked
    case = add_example_case(vault)
    vault.lock()
    assert vault.is_locked
    with pytest.raises(VaultLockedError):
        vault.session().__enter__()
    reopened = Vault.unlock(vault_path, PASSPHRASE)
    try:
        with reopened.session() as session:
            assert list_case_ids(session) == [case.id]
            kinds = list(session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq)))
        assert kinds[0] == "vault-created"
        assert "case-created" in kinds
        assert "lock" in kinds
        assert kinds[-1] in {"unlock", "backup"}
    finally:
        reopened.lock()
    assert oct(vault_path.stat().st_mode & 0o777) == oct(0o600)


def test_session_commits_on_success_and_rolls_back_on_error(vault: Vault) -> None:
    class RollbackProbeError(Exception):
        pass

    def failing_unit_of_work() -> None:
        with vault.session() as session:
            add_case_in(session)
            raise RollbackProbeError

    with pytest.raises(RollbackProbeError):
        failing_unit_of_work()
    with vault.session() as session:
        assert list_case_ids(session) == []


def add_case_in(session: object) -> None:
    from db.services.cases import create_case
    from db.services.types import NewCase, NewPartner

    create_case(
        session,  # type: ignore[arg-type]
        NewCase(
            "Rolled back", (NewPartner("Kim Example"), NewPartner("Alex Example")), "no-secrets"
        ),
    )


def test_create_refuses_an_existing_file_and_weak_passphrases(tmp_path: Path) -> None:
    existing = tmp_path / "existing.parley"
    existing.write_bytes(b"someone else's file")
    with pytest.raises(VaultExistsError):
        Vault.create(existing, PASSPHRASE)
    assert existing.read_bytes() == b"someone else's file"
    with pytest.raises(WeakPassphraseError, match="at least 10"):
        Vault.create(tmp_path / "new.parley", "short")
    with pytest.raises(WeakPassphraseError):
        Vault.create(tmp_path / "new.parley", "aaaaaaaaaaaa")
    assert not (tmp_path / "new.parley").exists()


def test_missing_vault(tmp_path: Path) -> None:
    with pytest.raises(VaultNotFoundError, match="no vault at"):
        Vault.unlock(tmp_path / "absent.parley", PASSPHRASE)


def test_wrong_passphrase_says_so_leaves_the_file_identical_and_is_audited_later(
    closed_vault: Path,
) -> None:
    before = file_digest(closed_vault)
    for attempt in ("not the passphrase", PASSPHRASE + " ", PASSPHRASE.upper()):
        with pytest.raises(WrongPassphraseError) as caught:
            Vault.unlock(closed_vault, attempt)
        assert str(caught.value).startswith("wrong passphrase, or not a Parley vault")
        assert file_digest(closed_vault) == before
    sidecar = failed_unlocks_file_for(closed_vault).read_text()
    assert "not the passphrase" not in sidecar
    assert PASSPHRASE not in sidecar
    assert len(sidecar.splitlines()) == 3
    vault = Vault.unlock(closed_vault, PASSPHRASE)
    try:
        with vault.session() as session:
            assert count_events(session, "failed-unlock") == 3
            assert verify_chain(session).ok
    finally:
        vault.lock()
    assert not failed_unlocks_file_for(closed_vault).exists()


def test_random_bytes_look_like_a_wrong_passphrase(tmp_path: Path) -> None:
    noise = tmp_path / "noise.parley"
    noise.write_bytes(os.urandom(PAGE_SIZE * 8))
    before = file_digest(noise)
    with pytest.raises(WrongPassphraseError):
        Vault.unlock(noise, PASSPHRASE)
    assert file_digest(noise) == before


def test_a_plain_sqlite_file_is_not_a_vault(tmp_path: Path) -> None:
    import sqlite3

    plain = tmp_path / "plain.parley"
    connection = sqlite3.connect(plain)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    before = file_digest(plain)
    with pytest.raises(WrongPassphraseError):
        Vault.unlock(plain, PASSPHRASE)
    assert file_digest(plain) == before


def test_a_sqlcipher_file_of_another_application_is_not_a_vault(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    salt = bytes(range(16))
    connection = open_keyed_connection(other, derive_key(PASSPHRASE, salt), salt)
    connection.execute("CREATE TABLE t (x)")
    connection.close()
    with pytest.raises(WrongPassphraseError):
        Vault.unlock(other, PASSPHRASE)


@pytest.mark.parametrize(
    "keep",
    [
        pytest.param(lambda size: 0, id="empty"),
        pytest.param(lambda size: 10, id="ten-bytes"),
        pytest.param(lambda size: PAGE_SIZE, id="first-page-only"),
        pytest.param(lambda size: PAGE_SIZE * 2 + 100, id="mid-page"),
        pytest.param(lambda size: size - PAGE_SIZE, id="last-page-missing"),
    ],
)
def test_truncated_vault_is_reported_damaged_and_left_alone(
    closed_vault: Path, keep: object
) -> None:
    data = closed_vault.read_bytes()
    cut = keep(len(data))  # type: ignore[operator]
    closed_vault.write_bytes(data[:cut])
    before = file_digest(closed_vault)
    with pytest.raises(VaultDamagedError, match="Restore the latest backup"):
        Vault.unlock(closed_vault, PASSPHRASE)
    assert file_digest(closed_vault) == before


@pytest.mark.reliability
def test_a_flipped_byte_in_any_data_page_is_caught_at_unlock(closed_vault: Path) -> None:
    original = closed_vault.read_bytes()
    pages = len(original) // PAGE_SIZE
    assert pages > 5
    for page in (2, pages // 2, pages):
        damaged = bytearray(original)
        damaged[(page - 1) * PAGE_SIZE + 1000] ^= 0x04
        closed_vault.write_bytes(bytes(damaged))
        with pytest.raises(VaultDamagedError):
            Vault.unlock(closed_vault, PASSPHRASE)
        assert closed_vault.read_bytes() == bytes(damaged)


def test_a_vault_from_a_newer_parley_is_refused_and_not_migrated(closed_vault: Path) -> None:
    salt = read_salt(closed_vault)
    assert salt is not None
    connection = open_keyed_connection(closed_vault, derive_key(PASSPHRASE, salt))
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()
    before = file_digest(closed_vault)
    with pytest.raises(NewerVaultError, match="newer version of Parley"):
        Vault.unlock(closed_vault, PASSPHRASE)
    assert file_digest(closed_vault) == before
    assert not list((closed_vault.parent / "backups").glob("pre-migration-*"))


@pytest.mark.parametrize(
    "passphrase",
    [
        "  spaces at both ends  ",
        "it's \"quoted\" and 'single'",
        "x'deadbeef' ; DROP TABLE cases; --",
        "Zoë und Jürgen: ĳ ß 東京 🔐",
        "back\\slash and tab\there",
    ],
)
def test_passphrases_with_spaces_quotes_and_non_ascii_work(tmp_path: Path, passphrase: str) -> None:
    path = tmp_path / "odd.parley"
    Vault.create(path, passphrase).lock()
    Vault.unlock(path, passphrase).lock()
    with pytest.raises(WrongPassphraseError):
        Vault.unlock(path, passphrase.strip() + "!")


def test_nfc_and_nfd_forms_of_the_same_passphrase_open_the_same_vault(tmp_path: Path) -> None:
    nfc = "crème brûlée pour Zoé"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    path = tmp_path / "accents.parley"
    Vault.create(path, nfc).lock()
    Vault.unlock(path, nfd).lock()
    other = tmp_path / "accents-nfd.parley"
    Vault.create(other, nfd).lock()
    Vault.unlock(other, nfc).lock()


def test_second_unlock_in_the_same_process_is_refused(vault: Vault) -> None:
    with pytest.raises(VaultInUseError, match="already open"):
        Vault.unlock(vault.path, PASSPHRASE)


def test_a_second_process_gets_vault_in_use(vault: Vault) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from db.vault import Vault, VaultInUseError\n"
        "try:\n"
        "    Vault.unlock(Path(sys.argv[1]), sys.argv[2])\n"
        "except VaultInUseError as error:\n"
        "    print(error)\n"
        "    sys.exit(3)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(vault.path), PASSPHRASE],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    assert "already open in another Parley" in result.stdout
    vault.lock()
    again = subprocess.run(
        [sys.executable, "-c", script, str(vault.path), PASSPHRASE],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert again.returncode == 0, again.stdout + again.stderr


def test_lock_is_released_when_the_holder_dies(closed_vault: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\nfrom db.vault import Vault\n"
            "Vault.unlock(Path(sys.argv[1]), sys.argv[2])\nprint('open', flush=True)\n"
            "time.sleep(60)\n",
            str(closed_vault),
            PASSPHRASE,
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(VaultInUseError):
            Vault.unlock(closed_vault, PASSPHRASE)
    finally:
        holder.kill()
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
    Vault.unlock(closed_vault, PASSPHRASE).lock()


def test_unlock_runs_on_a_worker_thread(closed_vault: Path) -> None:
    results: list[object] = []

    def work() -> None:
        try:
            results.append(Vault.unlock(closed_vault, PASSPHRASE))
        except Exception as error:  # handed back to the test thread
            results.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    (opened,) = results
    assert isinstance(opened, Vault)
    with opened.session() as session:
        assert session.scalar(select(Case.label)) == "Example couple"
    opened.lock()


def test_connections_are_configured_for_durability(vault: Vault) -> None:
    with vault.session() as session:
        pragma = {
            name: session.execute(text(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "temp_store")
        }
        revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "temp_store": 2}
    assert revision == head_revision()


def test_lock_forgets_the_key_and_releases_the_lock(vault: Vault) -> None:
    vault.lock()
    assert vault.is_locked
    assert vault._key is None  # the derived key is gone from the object
    vault.lock()  # twice is harmless
    Vault.unlock(vault.path, PASSPHRASE).lock()


def test_change_passphrase(closed_vault: Path) -> None:
    vault = Vault.unlock(closed_vault, PASSPHRASE)
    old_salt = read_salt(closed_vault)
    old_backup = vault.backup_to(closed_vault.parent / "before-change.parley")
    with pytest.raises(WrongPassphraseError):
        vault.change_passphrase("not the current one", "a brand new passphrase 7")
    with pytest.raises(WeakPassphraseError):
        vault.change_passphrase(PASSPHRASE, "short")
    vault.change_passphrase(PASSPHRASE, "a brand new passphrase 7")
    add_example_case(vault, "Added after the change")
    vault.lock()
    assert read_salt(closed_vault) != old_salt
    assert not list(closed_vault.parent.glob("*.pre-passphrase-change"))
    assert not list(closed_vault.parent.glob(".*.tmp"))
    with pytest.raises(WrongPassphraseError):
        Vault.unlock(closed_vault, PASSPHRASE)
    reopened = Vault.unlock(closed_vault, "a brand new passphrase 7")
    try:
        with reopened.session() as session:
            assert len(list_case_ids(session)) == 2
            assert count_events(session, "passphrase-changed") == 1
            assert verify_chain(session).ok
    finally:
        reopened.lock()
    # Older backups keep the old passphrase (documented in docs/security.md).
    salt = read_salt(old_backup)
    assert salt == old_salt
    open_keyed_connection(old_backup, derive_key(PASSPHRASE, salt), configure=False).close()


def test_default_vault_path_is_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_vault_path() == tmp_path / "data" / "Parley" / "practice.parley"
