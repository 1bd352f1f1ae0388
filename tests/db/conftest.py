"""Fixtures for vault tests: fictional data only, every vault in the test's own folder."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from db.services.cases import create_case
from db.services.types import CaseSummary, NewCase, NewPartner
from db.vault import Vault

#: A fictional passphrase used by the vault tests.
PASSPHRASE = "fictional test passphrase 42"


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, to prove a failure left it byte-identical."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_example_case(vault: Vault, label: str = "Example couple") -> CaseSummary:
    """Create a fictional two-partner case and return it."""
    with vault.session() as session:
        return create_case(
            session,
            NewCase(
                label=label,
                partners=(NewPartner("Kim Example"), NewPartner("Alex Example")),
                confidentiality_policy="no-secrets",
            ),
        )


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "practice" / "practice.parley"


@pytest.fixture
def vault(vault_path: Path) -> Iterator[Vault]:
    opened = Vault.create(vault_path, PASSPHRASE)
    yield opened
    opened.lock()


@pytest.fixture
def closed_vault(vault_path: Path) -> Path:
    """A vault with one fictional case, created and locked."""
    opened = Vault.create(vault_path, PASSPHRASE)
    add_example_case(opened)
    opened.lock()
    return vault_path
