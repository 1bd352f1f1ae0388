"""The audit chain: every write is logged, and tampering is found and located by seq."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.audit import (
    GENESIS_HASH,
    AuditReport,
    append_event,
    canonical_details,
    event_hash,
    verify_chain,
)
from db.cipher import derive_key, open_keyed_connection, read_salt
from db.models import AuditEvent
from db.vault import Vault
from tests.db.conftest import PASSPHRASE, add_example_case


@pytest.fixture
def audited_vault(vault_path: Path) -> Path:
    """A closed vault whose chain is: 1 vault-created, 2-4 case-created, 5 lock."""
    vault = Vault.create(vault_path, PASSPHRASE)
    for number in range(3):
        add_example_case(vault, f"Example couple {number}")
    vault.lock()
    return vault_path


def tamper(path: Path, *statements: str) -> None:
    salt = read_salt(path)
    assert salt is not None
    connection = open_keyed_connection(path, derive_key(PASSPHRASE, salt))
    try:
        connection.execute("BEGIN")
        for statement in statements:
            connection.execute(statement)
        connection.execute("COMMIT")
    finally:
        connection.close()


def verify(path: Path) -> AuditReport:
    vault = Vault.unlock(path, PASSPHRASE)
    try:
        with vault.session() as session:
            return verify_chain(session)
    finally:
        vault.lock()


def problems(report: AuditReport) -> list[tuple[int, str]]:
    return [(problem.seq, problem.kind) for problem in report.problems]


def test_an_untouched_chain_verifies(audited_vault: Path) -> None:
    report = verify(audited_vault)
    assert report.ok
    assert report.event_count >= 6


def test_each_event_hashes_its_fields_and_the_previous_hash(vault: Vault) -> None:
    with vault.session() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    first = events[0]
    assert first.hash == event_hash(
        first.seq,
        first.at,
        first.kind,
        first.record_type,
        first.record_id,
        first.details,
        first.prev_hash,
    )


def test_details_refuse_nested_values_and_unknown_kinds(vault: Vault) -> None:
    with pytest.raises(TypeError), vault.session() as session:
        append_event(session, "export", details={"nested": {"name": "x"}})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="unknown audit kind"), vault.session() as session:
        append_event(session, "made-up-kind")
    assert canonical_details({"b": 1, "a": [1, "x"]}) == '{"a":[1,"x"],"b":1}'


Tampering = Callable[[Path], None]

CASES: dict[str, tuple[tuple[str, ...], list[tuple[int, str]]]] = {
    "edited details": (
        ("UPDATE audit_events SET details = '{\"partners\":9}' WHERE seq = 3",),
        [(3, "edited")],
    ),
    "edited kind": (("UPDATE audit_events SET kind = 'export' WHERE seq = 2",), [(2, "edited")]),
    "deleted": (("DELETE FROM audit_events WHERE seq = 3",), [(3, "deleted")]),
    "swapped": (
        (
            "UPDATE audit_events SET seq = -1 WHERE seq = 2",
            "UPDATE audit_events SET seq = 2 WHERE seq = 3",
            "UPDATE audit_events SET seq = 3 WHERE seq = -1",
        ),
        [(2, "reordered"), (3, "reordered")],
    ),
    "newest deleted": (("DELETE FROM audit_events WHERE seq = 5",), [(5, "deleted")]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_tampering_is_found_and_located(audited_vault: Path, name: str) -> None:
    statements, expected = CASES[name]
    tamper(audited_vault, *statements)
    report = verify(audited_vault)
    assert problems(report) == expected
    for problem in report.problems:
        assert f"event {problem.seq}" in problem.message


def test_an_edit_with_a_recomputed_hash_still_breaks_the_next_link(audited_vault: Path) -> None:
    salt = read_salt(audited_vault)
    assert salt is not None
    connection = open_keyed_connection(audited_vault, derive_key(PASSPHRASE, salt))
    row: Any = connection.execute(
        "SELECT seq, at, kind, record_type, record_id, prev_hash FROM audit_events WHERE seq = 3"
    ).fetchone()
    details = json.dumps({"partners": 9})
    forged = event_hash(row[0], row[1], row[2], row[3], row[4], details, row[5])
    connection.execute(
        "UPDATE audit_events SET details = ?, hash = ? WHERE seq = 3", (details, forged)
    )
    connection.close()
    assert problems(verify(audited_vault)) == [(3, "edited")]


def test_writes_that_matter_are_logged_by_kind(vault: Vault) -> None:
    from db.services.cases import mark_case_opened, record_consent, update_case
    from db.services.types import CaseChanges, NewConsent

    case = add_example_case(vault)
    with vault.session() as session:
        update_case(session, case.id, CaseChanges(status="active"))
        record_consent(session, case.id, NewConsent("share-with-professionals", ("A", "B")))
        mark_case_opened(session, case.id)
    vault.backup_to(vault.path.parent / "manual.parley")
    with vault.session() as session:
        rows = session.execute(
            select(AuditEvent.kind, AuditEvent.record_id, AuditEvent.details).order_by(
                AuditEvent.seq
            )
        ).all()
    kinds = [row.kind for row in rows]
    for kind in ("case-created", "case-changed", "consent-recorded", "case-opened", "backup"):
        assert kind in kinds
    for row in rows:
        assert "Example" not in row.details  # ids and field names, never client names
    assert {row.record_id for row in rows if row.kind.startswith("case-")} == {str(case.id)}
