"""The practice vault: create, unlock, lock, change the passphrase, back up and restore.

One encrypted SQLCipher file per practice. Unlocking derives the key once (see db.cipher),
checks the file (key, application_id, quick_check, schema revision) before writing anything,
takes a single-writer lock, migrates with a verified backup first, records the unlock in the
audit chain and makes the day's automatic backup. Nothing here imports Qt, so `unlock` runs
on a worker thread.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.exc import OperationalError as SQLAlchemyOperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from db import audit
from db.backup import (
    BackupInfo,
    backup_stamp,
    backups_dir_for,
    fsync_dir,
    fsync_file,
    list_backups,
    make_backup,
    new_private_file,
    prune_auto_backups,
    remove_quietly,
    sqlite_companions,
    verify_vault_file,
)
from db.backup import export_vault as _export_vault
from db.cipher import (
    PAGE_SIZE,
    PARLEY_APPLICATION_ID,
    DatabaseError,
    application_id,
    derive_key,
    keys_equal,
    new_salt,
    open_keyed_connection,
    quick_check,
    read_salt,
)
from db.errors import (
    BackupError,
    NewerVaultError,
    VaultDamagedError,
    VaultExistsError,
    VaultInUseError,
    VaultLockedError,
    VaultNotFoundError,
    VaultStorageError,
    WeakPassphraseError,
    WrongPassphraseError,
)
from db.migrate import current_revision, head_revision, known_revisions, upgrade
from db.models import PracticeSettings
from db.passphrase import MIN_PASSPHRASE_LENGTH, PassphraseFeedback, passphrase_feedback
from db.paths import default_vault_path

__all__ = [
    "MIN_PASSPHRASE_LENGTH",
    "BackupError",
    "BackupInfo",
    "NewerVaultError",
    "PassphraseFeedback",
    "Vault",
    "VaultDamagedError",
    "VaultExistsError",
    "VaultInUseError",
    "VaultLockedError",
    "VaultNotFoundError",
    "VaultStorageError",
    "WeakPassphraseError",
    "WrongPassphraseError",
    "default_vault_path",
    "list_backups",
    "passphrase_feedback",
    "restore_backup",
]

#: At most this many failed unlocks are remembered between two successful ones.
_MAX_FAILED_UNLOCKS = 1000


def lock_file_for(vault: Path) -> Path:
    """The single-writer lock file beside a vault (it holds a process id, nothing else)."""
    return vault.with_name(vault.name + ".lock")


def failed_unlocks_file_for(vault: Path) -> Path:
    """The sidecar counting failed unlocks (times only) until the next successful unlock."""
    return vault.with_name(vault.name + ".failed-unlocks")


class _WriterLock:
    """An exclusive, non-blocking `flock` on `<vault>.lock`, held while the vault is open.

    The kernel releases it when the process dies, so a crash never leaves a stale lock.
    flock locks belong to the open file, so a second open in the same process is refused too.
    """

    def __init__(self, vault: Path) -> None:
        self._path = lock_file_for(vault)
        self._fd: int | None = None
        self._vault_name = vault.name

    def acquire(self) -> None:
        try:
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            raise VaultDamagedError(
                self._vault_name, "its folder cannot be written to (check permissions)"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise VaultInUseError(self._vault_name) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None


@contextmanager
def _writer_lock(vault: Path) -> Iterator[_WriterLock]:
    lock = _WriterLock(vault)
    lock.acquire()
    try:
        yield lock
    finally:
        lock.release()


def _record_failed_unlock(vault: Path) -> None:
    """Remember the time of a failed unlock (never the passphrase tried)."""
    sidecar = failed_unlocks_file_for(vault)
    with contextlib.suppress(OSError):
        if sidecar.exists() and sidecar.stat().st_size > _MAX_FAILED_UNLOCKS * 40:
            return
        fd = os.open(sidecar, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            stamp = audit.format_audit_time(dt.datetime.now(dt.UTC))
            os.write(fd, (json.dumps({"at": stamp}) + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)


def _read_failed_unlocks(vault: Path) -> list[str]:
    sidecar = failed_unlocks_file_for(vault)
    try:
        lines = sidecar.read_text("ascii", errors="replace").splitlines()
    except OSError:
        return []
    stamps = []
    for line in lines[:_MAX_FAILED_UNLOCKS]:
        with contextlib.suppress(ValueError, TypeError, AttributeError):
            stamps.append(str(json.loads(line)["at"])[:32])
    return stamps


def _is_not_a_database(error: BaseException) -> bool:
    return "not a database" in str(error)


def _is_corruption(error: BaseException) -> bool:
    text = str(error)
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _is_storage_failure(error: BaseException) -> bool:
    text = str(error)
    return "disk is full" in text or "readonly" in text or "disk I/O error" in text


def _check_passphrase_strength(passphrase: str) -> None:
    feedback = passphrase_feedback(passphrase)
    if not feedback.acceptable:
        raise WeakPassphraseError(f"passphrase refused: {feedback.hint}")


class Vault:
    """An unlocked practice vault (until `lock()` is called).

    Get one from `Vault.create` or `Vault.unlock`, never from the constructor. The derived
    key is held in memory only while unlocked; `lock()` closes every pooled connection,
    overwrites the key and releases the single-writer lock.

    Attributes:
        path: the vault file.
        migrated_from: the schema revision the vault was at before this unlock migrated it,
            or None when no migration ran.
        pre_migration_backup: the verified backup made before that migration, if any.
        auto_backup_problem: why today's automatic backup failed, if it did (the vault is
            open all the same; the app shows this message).
    """

    def __init__(self, path: Path, key: bytes, salt: bytes, writer_lock: _WriterLock) -> None:
        self.path = path
        self._key: bytearray | None = bytearray(key)
        self._salt = salt
        self._writer_lock = writer_lock
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self.migrated_from: str | None = None
        self.pre_migration_backup: Path | None = None
        self.auto_backup_problem: str | None = None

    # ------------------------------------------------------------------ opening

    @classmethod
    def create(cls, path: Path, passphrase: str) -> Vault:
        """Create a new, empty vault at `path` and return it unlocked.

        Raises:
            WeakPassphraseError: the passphrase is too short or too easy to guess.
            VaultExistsError: a file already exists at `path` (it is never overwritten).
        """
        return cls._create(Path(path), passphrase, revision="head")

    @classmethod
    def _create(cls, path: Path, passphrase: str, revision: str) -> Vault:
        _check_passphrase_strength(passphrase)
        if path.exists() or path.is_symlink():
            raise VaultExistsError(path.name)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        writer_lock = _WriterLock(path)
        writer_lock.acquire()
        created = False
        try:
            try:
                # O_EXCL: never overwrite, even if the file appeared since the check above.
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                raise VaultExistsError(path.name) from None
            os.close(fd)
            created = True
            salt = new_salt()
            key = derive_key(passphrase, salt)
            connection = open_keyed_connection(path, key, salt)
            try:
                connection.execute(f"PRAGMA application_id = {PARLEY_APPLICATION_ID}")
            finally:
                connection.close()
            vault = cls(path, key, salt, writer_lock)
            vault._start_engine()
            with vault._engine_or_raise().begin() as sql:
                upgrade(sql, revision)
            with vault.session() as session:
                audit.append_event(session, "vault-created", details={"revision": revision})
            fsync_dir(path.parent)
            return vault
        except BaseException:
            writer_lock.release()
            if created:
                remove_quietly(path)
            raise

    @classmethod
    def unlock(cls, path: Path, passphrase: str) -> Vault:
        """Open an existing vault: check it, migrate it, audit it, back it up if due.

        Nothing is written to the file until the passphrase, the application_id, the pages
        (quick_check) and the schema revision have all been checked, so every failure below
        leaves the vault byte-identical.

        Raises:
            VaultNotFoundError: no file at `path`.
            VaultInUseError: another Parley process or window has it open.
            WrongPassphraseError: wrong passphrase, or not a Parley vault (indistinguishable).
            VaultDamagedError: truncated or failing its integrity check.
            NewerVaultError: written by a newer Parley; not migrated.
        """
        path = Path(path)
        if not path.is_file():
            raise VaultNotFoundError(str(path))
        writer_lock = _WriterLock(path)
        writer_lock.acquire()
        vault: Vault | None = None
        try:
            key, salt, revision = _check_vault_file(path, passphrase)
            _remove_stale_temporaries(path)
            vault = cls(path, key, salt, writer_lock)
            vault._start_engine()
            if revision != head_revision():
                vault._migrate(revision)
            failed = _read_failed_unlocks(path)
            with vault.session() as session:
                for stamp in failed:
                    audit.append_event(session, "failed-unlock", details={"attempted_at": stamp})
                if vault.migrated_from is not None:
                    audit.append_event(
                        session,
                        "migration",
                        details={"from": vault.migrated_from, "to": head_revision()},
                    )
                audit.append_event(session, "unlock")
            if failed:
                failed_unlocks_file_for(path).unlink(missing_ok=True)
        except BaseException:
            if vault is not None:
                vault._close_engine()
                vault._forget_key()
            writer_lock.release()
            raise
        try:
            vault.auto_backup_if_due()
        except BackupError as error:
            vault.auto_backup_problem = str(error)
        return vault

    def _migrate(self, revision: str) -> None:
        """Back up (verified), then migrate to head in one transaction, then re-check."""
        stamp = backup_stamp()
        name = f"pre-migration-{revision}-to-{head_revision()}-{stamp}.parley"
        self.pre_migration_backup = self._make_backup_in_backups_dir(name).path
        with self._engine_or_raise().begin() as sql:
            upgrade(sql, "head")
        self.migrated_from = revision

    # ------------------------------------------------------------------ engine and sessions

    def _connect(self) -> Any:
        if self._key is None:
            raise VaultLockedError()
        return open_keyed_connection(self.path, self._key)

    def _start_engine(self) -> None:
        engine = create_engine(
            "sqlite://",
            creator=self._connect,
            module=sqlcipher,
            poolclass=QueuePool,
            pool_size=2,
            max_overflow=4,
        )

        @event.listens_for(engine, "begin")
        def begin(connection: Connection) -> None:
            # An explicit BEGIN (the driver runs in autocommit mode) so that reads belong to
            # the transaction too: one consistent snapshot per unit of work. Deferred, not
            # IMMEDIATE: an open read-only session must not block a write elsewhere; writes
            # are serialised by the app's single vault worker and SQLite's write lock.
            connection.exec_driver_sql("BEGIN")

        self._engine = engine
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)

    def _engine_or_raise(self) -> Engine:
        if self._engine is None or self._key is None:
            raise VaultLockedError()
        return self._engine

    def _close_engine(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._engine = None
        self._sessions = None

    def _forget_key(self) -> None:
        if self._key is not None:
            # Best effort: Python may hold other copies, but not through this object.
            self._key[:] = bytes(len(self._key))
        self._key = None

    def session(self) -> AbstractContextManager[Session]:
        """A Session for one unit of work: commits on success, rolls back on any error.

        Raises (from the `with` block):
            VaultLockedError: the vault is locked.
            VaultDamagedError: SQLCipher found a damaged page; nothing was committed.
            VaultStorageError: the disk is full or the folder refused a write; nothing was
                committed.
        """
        return self._session_scope()

    @contextmanager
    def _session_scope(self) -> Iterator[Session]:
        if self._sessions is None or self._key is None:
            raise VaultLockedError()
        session = self._sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyOperationalError as error:
            session.rollback()
            if _is_storage_failure(error):
                raise VaultStorageError() from None
            if _is_corruption(error):
                raise VaultDamagedError(self.path.name) from None
            raise
        except SQLAlchemyDatabaseError as error:
            session.rollback()
            if _is_corruption(error):
                raise VaultDamagedError(self.path.name) from None
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @property
    def is_locked(self) -> bool:
        """True once `lock()` has run (or the vault failed to open)."""
        return self._key is None

    def lock(self) -> None:
        """Record the lock, close every connection, forget the key, release the writer lock.

        Safe to call twice. Never raises for an audit write that fails (a full disk must not
        keep a vault open).
        """
        if self._key is None:
            self._writer_lock.release()
            return
        with contextlib.suppress(Exception), self.session() as session:
            audit.append_event(session, "lock")
        self._close_engine()
        self._forget_key()
        self._writer_lock.release()

    # ------------------------------------------------------------------ passphrase

    def change_passphrase(self, current: str, new: str) -> None:
        """Re-encrypt the vault under `new` with a fresh salt; `current` must be right.

        The vault is exported to a new file under the new key, verified, and atomically
        swapped in; until the swap succeeded the old file stays in place (and is kept aside
        as `<name>.pre-passphrase-change` during the swap). Older backups keep the old
        passphrase.

        Raises:
            WrongPassphraseError: `current` is wrong.
            WeakPassphraseError: `new` is too short or too easy to guess.
            BackupError: the new file could not be written or verified; the vault and its
                passphrase are unchanged.
        """
        key = self._key
        if key is None:
            raise VaultLockedError()
        if not keys_equal(derive_key(current, self._salt), key):
            raise WrongPassphraseError()
        _check_passphrase_strength(new)
        salt = new_salt()
        new_key = derive_key(new, salt)
        folder = self.path.parent
        self._close_engine()
        temporary: Path | None = None
        try:
            temporary = new_private_file(folder, self.path.name + ".rekey")
            try:
                _export_vault(self.path, key, temporary, new_key, salt)
                fsync_file(temporary)
            except (DatabaseError, OSError) as error:
                raise BackupError(
                    f"could not change the passphrase: writing the re-encrypted copy in "
                    f"{folder} failed ({'disk full' if 'full' in str(error) else 'write error'})"
                    "; the old passphrase still works"
                ) from None
            verify_vault_file(temporary, new_key, what="re-encrypted copy")
            _append_event_to_file(temporary, new_key, "passphrase-changed")
            fsync_file(temporary)
            if any(companion.exists() for companion in sqlite_companions(temporary)[:2]):
                raise BackupError("could not change the passphrase: the copy was not closed")
            aside = self.path.with_name(self.path.name + ".pre-passphrase-change")
            aside.unlink(missing_ok=True)
            os.link(self.path, aside)
            os.replace(temporary, self.path)
            temporary = None
        except BaseException:
            if temporary is not None:
                remove_quietly(temporary)
            self._start_engine()
            raise
        # The new file is in place: from here on only the new key opens it.
        self._key = bytearray(new_key)
        key[:] = bytes(len(key))
        self._salt = salt
        self._start_engine()
        fsync_dir(folder)
        aside.unlink(missing_ok=True)

    # ------------------------------------------------------------------ backups

    @property
    def backups_dir(self) -> Path:
        """The folder beside the vault that holds its automatic backups."""
        return backups_dir_for(self.path)

    def ensure_backups_dir(self) -> Path:
        """The backups folder, created (private to the user) when it does not exist yet.

        Raises:
            BackupError: the folder cannot be created.
        """
        folder = self.backups_dir
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
        except OSError:
            raise BackupError(
                f"could not create the backups folder {folder}; check the disk and its "
                "permissions (older backups were kept)"
            ) from None
        return folder

    def _make_backup_in_backups_dir(self, name: str) -> BackupInfo:
        key = self._key
        if key is None:
            raise VaultLockedError()
        folder = self.ensure_backups_dir()
        return make_backup(self.path, key, self._salt, folder / name)

    def backup_to(self, destination: Path) -> Path:
        """Write a verified encrypted backup to `destination` and log it in the audit chain.

        Args:
            destination: a file path (which must not exist) or an existing folder, in which
                the backup is named `<vault>-backup-<UTC time>.parley`.

        Returns:
            The backup file written. It opens with the vault's current passphrase.

        Raises:
            BackupError: the destination exists, its folder is missing or not writable, or the
                disk is full; nothing but the temporary file was removed.
        """
        key = self._key
        if key is None:
            raise VaultLockedError()
        destination = Path(destination)
        if destination.is_dir():
            destination = destination / f"{self.path.stem}-backup-{backup_stamp()}.parley"
        info = make_backup(self.path, key, self._salt, destination)
        with self.session() as session:
            audit.append_event(session, "backup", details={"kind": "manual", "bytes": info.size})
        return info.path

    def auto_backup_if_due(self) -> Path | None:
        """Make today's automatic backup unless one exists; prune to the setting's count.

        Returns:
            The new backup, or None when today's already existed.

        Raises:
            BackupError: the backup failed; older backups were kept and nothing was pruned.
        """
        today = dt.datetime.now().astimezone().date()
        for info in list_backups(self.path):
            if info.kind == "auto" and info.made_at.astimezone().date() == today:
                return None
        with self.session() as session:
            settings = session.get(PracticeSettings, 1)
            keep = settings.backups_kept if settings is not None else 14
        info = self._make_backup_in_backups_dir(f"auto-{backup_stamp()}.parley")
        prune_auto_backups(self.path, keep)
        with self.session() as session:
            audit.append_event(session, "backup", details={"kind": "auto", "bytes": info.size})
        return info.path


def _remove_stale_temporaries(vault: Path) -> None:
    """Remove temporary files a killed Parley left (encrypted, but clutter); lock held."""
    patterns = (
        (vault.parent, f".{vault.name}.*.tmp"),
        (backups_dir_for(vault), ".*.tmp"),
    )
    for folder, pattern in patterns:
        with contextlib.suppress(OSError):
            for stale in folder.glob(pattern):
                remove_quietly(stale)


def _check_vault_file(path: Path, passphrase: str) -> tuple[bytes, bytes, str]:
    """Check `path` opens with `passphrase` and is a sound Parley vault; write nothing.

    Returns the key, the salt and the schema revision.
    """
    size = path.stat().st_size
    salt = read_salt(path)
    if salt is None or size < PAGE_SIZE:
        raise VaultDamagedError(path.name, "it is empty or cut short")
    key = derive_key(passphrase, salt)
    try:
        connection = open_keyed_connection(path, key, configure=False)
    except DatabaseError as error:
        if size % PAGE_SIZE:
            raise VaultDamagedError(path.name, "it is cut short") from None
        if _is_not_a_database(error):
            _record_failed_unlock(path)
            raise WrongPassphraseError() from None
        raise VaultDamagedError(path.name) from None
    try:
        if application_id(connection) != PARLEY_APPLICATION_ID:
            _record_failed_unlock(path)
            raise WrongPassphraseError()
        if size % PAGE_SIZE or quick_check(connection):
            raise VaultDamagedError(path.name)
        revision = current_revision(connection)
    except DatabaseError:
        raise VaultDamagedError(path.name) from None
    finally:
        connection.close()
    if revision is None:
        raise VaultDamagedError(path.name, "it has no schema version")
    if revision not in known_revisions():
        raise NewerVaultError(path.name)
    return key, salt, revision


def _append_event_to_file(path: Path, key: bytes | bytearray, kind: str) -> None:
    """Append one audit event to a closed vault file (a restored or re-encrypted copy)."""
    engine = create_engine(
        "sqlite://",
        creator=lambda: open_keyed_connection(path, key),
        module=sqlcipher,
        poolclass=QueuePool,
    )
    try:
        with Session(engine) as session, session.begin():
            audit.append_event(session, kind)
    finally:
        engine.dispose()


def restore_backup(backup: Path, vault: Path, passphrase: str) -> Path | None:
    """Replace `vault` with a verified copy of `backup`; the replaced file is kept aside.

    The backup is verified with `passphrase` first (the backup's passphrase, which may be an
    older one than the vault's), copied beside the vault and verified again; only then is the
    current vault (with any -wal/-shm) moved aside as `<name>.replaced-<UTC time>` and the
    copy renamed into place. The restored vault opens with the backup's passphrase.

    Returns:
        Where the replaced vault was kept, or None when there was no vault to replace.

    Raises:
        VaultInUseError: the vault is open in Parley.
        WrongPassphraseError: the passphrase does not open the backup.
        NewerVaultError: the backup was written by a newer Parley.
        BackupError: the backup is missing or damaged, or the copy failed; nothing changed.
    """
    backup = Path(backup)
    vault = Path(vault)
    if not backup.is_file():
        raise BackupError(f"no backup at {backup}; check the path")
    salt = read_salt(backup)
    if salt is None:
        raise BackupError(f"the backup {backup.name} is damaged or incomplete; choose another")
    vault.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _writer_lock(vault):
        key = derive_key(passphrase, salt)
        verify_vault_file(backup, key)
        temporary = None
        aside = None
        moved: list[tuple[Path, Path]] = []
        try:
            try:
                temporary = new_private_file(vault.parent, vault.name + ".restore")
                shutil.copyfile(backup, temporary)
                fsync_file(temporary)
            except OSError as error:
                raise BackupError(
                    f"could not copy the backup beside the vault ({error.strerror}); nothing "
                    "was changed"
                ) from None
            verify_vault_file(temporary, key)
            if vault.exists():
                aside = vault.with_name(f"{vault.name}.replaced-{backup_stamp()}")
                for source in (vault, *sqlite_companions(vault)[:2]):
                    if source.exists():
                        target = aside.with_name(aside.name + source.name[len(vault.name) :])
                        os.replace(source, target)
                        moved.append((target, source))
            os.replace(temporary, vault)
            temporary = None
            fsync_dir(vault.parent)
        except BaseException:
            if temporary is not None:
                remove_quietly(temporary)
            for target, source in reversed(moved):
                if not source.exists():
                    with contextlib.suppress(OSError):
                        os.replace(target, source)
            raise
        with contextlib.suppress(Exception):
            _append_event_to_file(vault, key, "restore")
    return aside
