"""SQLCipher keys and connections: the KDF, raw-key pragmas and the per-connection settings.

The key is derived once per unlock in Python with exactly SQLCipher 4's default KDF
(PBKDF2-HMAC-SHA512, 256,000 iterations, 32-byte key, salt = the file's first 16 bytes), and
every connection is keyed with the raw key. The file therefore stays a stock SQLCipher 4 file
that the `sqlcipher` tool opens with the passphrase alone, while each new connection costs no
KDF run. See docs/security.md.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

#: SQLCipher 4 defaults (cipher_compatibility = 4); changing any of these makes old vaults
#: unreadable, so they are constants, not settings.
KDF_ITERATIONS = 256_000
KEY_BYTES = 32
SALT_BYTES = 16
PAGE_SIZE = 4096

#: `PRAGMA application_id` of every Parley vault: the ASCII bytes "PRLY".
PARLEY_APPLICATION_ID = 0x50524C59

#: How long a connection waits for another connection's write lock before giving up.
BUSY_TIMEOUT_MS = 5000


def normalise_passphrase(passphrase: str) -> str:
    """The passphrase in Unicode NFC.

    The same typed "é" reaches us as one code point (NFC) or as "e" plus a combining accent
    (NFD) depending on the keyboard, input method and operating system (macOS file dialogs
    and some IMEs produce NFD). Without normalisation those would be different keys and a
    therapist could be locked out of their own vault by switching machines.
    """
    return unicodedata.normalize("NFC", passphrase)


def derive_key(passphrase: str, salt: bytes) -> bytes:
    """SQLCipher 4's key for `passphrase` and `salt`: PBKDF2-HMAC-SHA512, 256,000 rounds."""
    if len(salt) != SALT_BYTES:
        raise ValueError("a SQLCipher salt is 16 bytes")
    return hashlib.pbkdf2_hmac(
        "sha512", normalise_passphrase(passphrase).encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES
    )


def keys_equal(first: bytes | bytearray, second: bytes | bytearray) -> bool:
    """Constant-time comparison of two keys."""
    return hmac.compare_digest(bytes(first), bytes(second))


def new_salt() -> bytes:
    """A fresh random salt for a new vault file."""
    return os.urandom(SALT_BYTES)


def read_salt(path: Path) -> bytes | None:
    """The plaintext salt SQLCipher keeps in the first 16 bytes of `path`, or None if shorter."""
    with path.open("rb") as file:
        salt = file.read(SALT_BYTES)
    return salt if len(salt) == SALT_BYTES else None


def raw_key_literal(key: bytes | bytearray, salt: bytes | None = None) -> str:
    """The `x'...'` form of a raw key; with `salt`, SQLCipher writes that salt into a new file."""
    material = bytes(key).hex() + (salt.hex() if salt is not None else "")
    return f"x'{material}'"


def open_keyed_connection(
    path: Path,
    key: bytes | bytearray,
    salt: bytes | None = None,
    *,
    configure: bool = True,
) -> Any:
    """A DB-API connection to `path`, keyed and checked; autocommit mode.

    Raises the driver's DatabaseError ("file is not a database") when the key does not open
    the file. Nothing is written to the file before the key has been checked, so a wrong
    key leaves the file byte-identical. Transactions are begun explicitly by the caller
    (SQLAlchemy's "begin" event, or BEGIN in raw code), hence isolation_level=None.

    Args:
        path: the vault (or backup) file.
        key: the 32-byte raw key.
        salt: only when creating a file: the salt SQLCipher writes into its header.
        configure: apply the working settings (WAL, synchronous=FULL, ...); False opens the
            file query-only, for checking a file without changing a byte of it.
    """
    connection = sqlcipher.connect(
        str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
    )
    try:
        # Before keying, so a wrong key prints no "hmac check failed" lines on stderr.
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(f'PRAGMA key = "{raw_key_literal(key, salt)}"')
        # Reading page 1 is what checks the key; it writes nothing.
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if configure:
            configure_connection(connection)
        else:
            connection.execute("PRAGMA query_only = ON")
            connection.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        connection.close()
        raise
    return connection


def configure_connection(connection: Any) -> None:
    """Per-connection settings every vault connection runs with (after keying)."""
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode = WAL")
    # FULL in WAL mode: a commit is durable once it returns, even across power loss.
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    # Temporary tables and sort spills stay in memory: never an unencrypted temp file.
    connection.execute("PRAGMA temp_store = MEMORY")
    # Deleted or overwritten content is zeroed in the file, not left in free space (issue 6).
    connection.execute("PRAGMA secure_delete = ON")
    # SQLite's lower() and LIKE fold ASCII only; searching for "Zoë" must find "ZOË".
    connection.create_function("parley_fold", 1, _fold, deterministic=True)


def _fold(value: object) -> str | None:
    return None if value is None else str(value).casefold()


def application_id(connection: Any, schema: str = "main") -> int:
    """The `application_id` of an open connection's `schema`."""
    row = connection.execute(f"PRAGMA {schema}.application_id").fetchone()
    return int(row[0])


def quick_check(connection: Any, schema: str = "main") -> list[str]:
    """Problems `PRAGMA quick_check` finds; empty when the file is sound.

    quick_check reads every page, so SQLCipher also verifies every page's HMAC: a flipped
    byte anywhere in the file shows up here rather than later in the middle of someone's work.
    """
    rows = connection.execute(f"PRAGMA {schema}.quick_check").fetchall()
    messages = [str(row[0]) for row in rows]
    return [] if messages == ["ok"] else messages


def integrity_check(connection: Any, schema: str = "main") -> list[str]:
    """Problems `PRAGMA integrity_check` finds; empty when the file is sound."""
    rows = connection.execute(f"PRAGMA {schema}.integrity_check").fetchall()
    messages = [str(row[0]) for row in rows]
    return [] if messages == ["ok"] else messages


#: The driver's exception types, re-exported so callers need not import sqlcipher3.
DatabaseError = sqlcipher.DatabaseError
OperationalError = sqlcipher.OperationalError
