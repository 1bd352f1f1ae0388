"""The key derivation is SQLCipher 4's own, so a vault opens with the stock passphrase form."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from db.cipher import (
    PARLEY_APPLICATION_ID,
    SALT_BYTES,
    derive_key,
    normalise_passphrase,
    read_salt,
)
from db.vault import Vault
from tests.db.conftest import PASSPHRASE


def test_vault_opens_with_the_plain_sqlcipher_passphrase_form(closed_vault: Path) -> None:
    # This is how a person would recover a vault with the `sqlcipher` tool alone.
    connection = sqlcipher.connect(str(closed_vault))
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        escaped = PASSPHRASE.replace("'", "''")
        connection.execute(f"PRAGMA key = '{escaped}'")
        assert connection.execute("SELECT count(*) FROM cases").fetchone() == (1,)
        assert connection.execute("PRAGMA application_id").fetchone() == (PARLEY_APPLICATION_ID,)
    finally:
        connection.close()


def test_the_salt_is_the_first_sixteen_bytes_and_differs_per_vault(tmp_path: Path) -> None:
    first = Vault.create(tmp_path / "one.parley", PASSPHRASE)
    second = Vault.create(tmp_path / "two.parley", PASSPHRASE)
    first.lock()
    second.lock()
    salt_one = read_salt(tmp_path / "one.parley")
    salt_two = read_salt(tmp_path / "two.parley")
    assert salt_one is not None
    assert len(salt_one) == SALT_BYTES
    assert salt_one != salt_two
    assert not (tmp_path / "one.parley").read_bytes().startswith(b"SQLite format 3\0")


def test_derived_key_is_sqlcipher4_pbkdf2_and_normalises_to_nfc() -> None:
    import hashlib

    salt = bytes(range(16))
    expected = hashlib.pbkdf2_hmac("sha512", "café".encode(), salt, 256_000, 32)
    nfd = unicodedata.normalize("NFD", "café")
    assert nfd != "café"
    assert derive_key("café", salt) == expected
    assert derive_key(nfd, salt) == expected
    assert normalise_passphrase(nfd) == "café"
