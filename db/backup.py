"""Encrypted online backups: export, verify, name, list and prune backup files.

A backup is never a file copy of a live vault (a copy taken mid-write can be torn): the
vault's own connection exports itself with `sqlcipher_export` into a new file keyed with the
same key and salt, so the backup opens with the same passphrase. The new file is fsynced,
then verified by opening it afresh (integrity_check, application_id, tables, revision) under
a temporary name in the destination folder, and only then renamed into place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from db.cipher import (
    PARLEY_APPLICATION_ID,
    DatabaseError,
    application_id,
    integrity_check,
    open_keyed_connection,
    raw_key_literal,
    read_salt,
)
from db.errors import BackupError, NewerVaultError, WrongPassphraseError
from db.migrate import current_revision, known_revisions

BACKUP_SUFFIX = ".parley"
#: Tables every vault has from revision 0001 on; a backup without them is not a vault.
REQUIRED_TABLES = frozenset(
    {
        "alembic_version",
        "practice_settings",
        "cases",
        "partners",
        "consent_records",
        "audit_events",
        "audit_head",
    }
)

BackupKind = Literal["auto", "pre-migration", "manual", "other"]
_STAMP_FORMAT = "%Y%m%dT%H%M%S.%fZ"
_STAMP_PATTERN = re.compile(r"(\d{8}T\d{6}\.\d{6}Z)")


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup file in a vault's backups folder.

    Attributes:
        path: the backup file.
        made_at: when it was made (UTC; from its name, else the file's modification time).
        size: its size in bytes.
        kind: "auto" (daily), "pre-migration", "manual" or "other".
    """

    path: Path
    made_at: dt.datetime
    size: int
    kind: BackupKind


def backup_stamp(moment: dt.datetime | None = None) -> str:
    """The UTC time stamp that backup file names carry (sortable, unique to the microsecond)."""
    return (moment or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime(_STAMP_FORMAT)


def backup_kind(name: str) -> BackupKind:
    """The kind of backup a file name denotes."""
    if name.startswith("auto-"):
        return "auto"
    if name.startswith("pre-migration-"):
        return "pre-migration"
    if name.startswith("manual") or "-backup" in name:
        return "manual"
    return "other"


def describe_backup(path: Path) -> BackupInfo:
    """A BackupInfo for `path` (which must exist)."""
    stat = path.stat()
    match = _STAMP_PATTERN.search(path.name)
    if match:
        made_at = dt.datetime.strptime(match.group(1), _STAMP_FORMAT).replace(tzinfo=dt.UTC)
    else:
        made_at = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
    return BackupInfo(path=path, made_at=made_at, size=stat.st_size, kind=backup_kind(path.name))


def backups_dir_for(vault: Path) -> Path:
    """Where a vault keeps its automatic backups: a `backups` folder beside it."""
    return vault.parent / "backups"


def list_backups(vault: Path) -> list[BackupInfo]:
    """The backup files in `vault`'s backups folder, newest first.

    Args:
        vault: the vault file (it need not exist: its backups may be all that is left).
    """
    folder = backups_dir_for(Path(vault))
    if not folder.is_dir():
        return []
    infos = [
        describe_backup(entry)
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith(BACKUP_SUFFIX) and not entry.name.startswith(".")
    ]
    return sorted(infos, key=lambda info: (info.made_at, info.path.name), reverse=True)


def prune_auto_backups(vault: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` automatic backups; returns what was deleted.

    Pre-migration and manual backups are never pruned automatically.
    """
    autos = [info for info in list_backups(vault) if info.kind == "auto"]
    removed = []
    for info in autos[max(keep, 1) :]:
        info.path.unlink(missing_ok=True)
        removed.append(info.path)
    return removed


def fsync_file(path: Path) -> None:
    """Flush a file's data to stable storage."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries, so that a rename into it survives a power cut."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_private_file(folder: Path, prefix: str) -> Path:
    """Create an empty file readable by its owner only, with a random hidden name."""
    path = folder / f".{prefix}-{secrets.token_hex(6)}.tmp"
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    return path


def remove_quietly(path: Path) -> None:
    """Remove a file and SQLite's companions of it; missing files and vanished folders are fine."""
    for candidate in (path, *sqlite_companions(path)):
        with contextlib.suppress(OSError):
            candidate.unlink()


def sqlite_companions(path: Path) -> tuple[Path, ...]:
    """The -wal, -shm and -journal files SQLite may keep beside `path`."""
    return tuple(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))


def _write_failure(folder: Path, error: BaseException) -> BackupError:
    text = str(error).lower()
    code = getattr(error, "errno", None)
    if code == errno.ENOSPC or "full" in text:
        return BackupError(
            f"not enough disk space in {folder} for the backup; free some space or choose "
            "another place (older backups were kept)"
        )
    return BackupError(
        f"could not write a backup in {folder}: the folder is missing, read-only or not "
        "writable; choose another place (older backups were kept)"
    )


def export_vault(
    source: Path,
    source_key: bytes | bytearray,
    destination: Path,
    destination_key: bytes | bytearray,
    destination_salt: bytes,
) -> None:
    """Export the vault at `source` into the empty file `destination`, encrypted.

    The export runs in one read transaction, so it is a consistent snapshot even while the
    vault is in use, and the destination gets the vault's application_id. Errors are the
    driver's; callers turn them into BackupError.
    """
    connection = open_keyed_connection(source, source_key)
    try:
        connection.execute(
            "ATTACH DATABASE ? AS backup KEY ?",
            (str(destination), raw_key_literal(destination_key, destination_salt)),
        )
        # A backup under construction needs no journal: on failure it is deleted whole.
        connection.execute("PRAGMA backup.journal_mode = OFF")
        connection.execute("BEGIN")
        try:
            connection.execute("SELECT sqlcipher_export('backup')")
            connection.execute(f"PRAGMA backup.application_id = {PARLEY_APPLICATION_ID}")
            connection.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(DatabaseError):
                connection.execute("ROLLBACK")
            raise
        connection.execute("DETACH DATABASE backup")
    finally:
        connection.close()


@dataclass(frozen=True, slots=True)
class VerifiedFile:
    """What verification learned about a vault or backup file."""

    revision: str
    salt: bytes


def verify_vault_file(path: Path, key: bytes | bytearray, what: str = "backup") -> VerifiedFile:
    """Open `path` afresh, read-only, and check it is a sound Parley vault under `key`.

    Raises:
        WrongPassphraseError: the key does not open it, or it is not a Parley vault.
        NewerVaultError: it was written by a newer Parley.
        BackupError: it is truncated, damaged or lacks the vault's tables.
    """
    damaged = BackupError(
        f"the {what} {path.name} is damaged or incomplete; it was not used. Choose another backup"
    )
    salt = read_salt(path)
    if salt is None:
        raise damaged
    try:
        connection = open_keyed_connection(path, key, configure=False)
    except DatabaseError as error:
        if "not a database" in str(error):
            raise WrongPassphraseError() from None
        raise damaged from None
    try:
        if application_id(connection) != PARLEY_APPLICATION_ID:
            raise WrongPassphraseError()
        if integrity_check(connection):
            raise damaged
        tables = {
            str(row[0])
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if not tables >= REQUIRED_TABLES:
            raise damaged
        revision = current_revision(connection)
        if revision is None:
            raise damaged
        if revision not in known_revisions():
            raise NewerVaultError(path.name)
    except DatabaseError:
        raise damaged from None
    finally:
        connection.close()
    return VerifiedFile(revision=revision, salt=salt)


def make_backup(vault: Path, key: bytes | bytearray, salt: bytes, destination: Path) -> BackupInfo:
    """Export `vault` into `destination` (which must not exist), verify it, rename it in.

    Raises:
        BackupError: the folder is missing or unwritable, the disk is full, or the export
            did not verify. Nothing but the temporary file is ever removed, and that always is.
    """
    folder = destination.parent
    if destination.exists():
        raise BackupError(f"{destination.name} already exists in {folder}; choose another name")
    if not folder.is_dir():
        raise BackupError(
            f"the folder {folder} does not exist; choose another place (older backups were kept)"
        )
    try:
        temporary = new_private_file(folder, destination.name)
    except OSError as error:
        raise _write_failure(folder, error) from None
    try:
        try:
            export_vault(vault, key, temporary, key, salt)
            fsync_file(temporary)
        except (DatabaseError, OSError) as error:
            raise _write_failure(folder, error) from None
        verified = verify_vault_file(temporary, key)
        if verified.salt != salt:
            raise BackupError("the backup did not verify (salt mismatch); nothing was replaced")
        try:
            os.replace(temporary, destination)
            fsync_dir(folder)
        except OSError as error:
            raise _write_failure(folder, error) from None
    except BaseException:
        remove_quietly(temporary)
        raise
    return describe_backup(destination)
