"""Retention: which cases are past the practice's period, and secure disposal that leaves no
trace in the vault file, its -wal or a backup made afterwards. All data here is fictional."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from sqlalchemy import text

from clinical.model import PtsdScreenAnswer
from clinical.note_formats import load_note_formats
from db.audit import recent_events, verify_chain
from db.cipher import PAGE_SIZE, derive_key, open_keyed_connection, read_salt
from db.errors import InvalidRecordError
from db.services import answers as answer_service
from db.services import cases as case_service
from db.services import measures as measure_service
from db.services import notes as note_service
from db.services import plans as plan_service
from db.services.answers import AnswerChange
from db.services.notes import NoteDraft
from db.services.retention import dispose_case, records_past_retention, retention_rows
from db.services.search import search_vault
from db.services.types import CaseChanges, NewCase, NewPartner, PartnerChanges
from db.vault import Vault
from tests.db.conftest import PASSPHRASE, add_example_case

#: In every kind of record of the case to dispose of; never anywhere else.
MARKER = "Xylomarker"
#: How the search index spells it (folded and stemmed), in case it shows as a bare term.
MARKER_TERMS = (MARKER.encode(), b"xylomark", b"ylomark")
OLD_SESSION = dt.date(2012, 5, 14)
SIGNER = "Dr Robin Example (fictional)"

# ------------------------------------------------------------------------------ the files


def _decrypted_pages(data: bytes, key: bytes) -> Iterator[bytes]:
    """Every page of SQLCipher 4 data, decrypted (AES-256-CBC, IV in the page's reserve).

    Page 1 starts with the 16-byte salt, so each page is also tried from offset 16.
    """
    for start in range(0, len(data) - PAGE_SIZE + 1, PAGE_SIZE):
        page = data[start : start + PAGE_SIZE]
        iv = page[PAGE_SIZE - 80 : PAGE_SIZE - 64]
        for begin in (0, 16):
            decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
            yield decryptor.update(page[begin : PAGE_SIZE - 80]) + decryptor.finalize()


def _wal_pages(data: bytes, key: bytes) -> Iterator[bytes]:
    """The decrypted pages of a -wal file (a 32-byte header, then 24-byte frame headers)."""
    for start in range(32, len(data) - PAGE_SIZE + 1, 24 + PAGE_SIZE):
        yield from _decrypted_pages(data[start + 24 : start + 24 + PAGE_SIZE], key)


def marker_in_file(path: Path, key: bytes) -> bool:
    """True when the marker appears in the raw bytes or in any decrypted page of the file."""
    if not path.exists():
        return False
    data = path.read_bytes()
    pages = _wal_pages(data, key) if path.name.endswith("-wal") else _decrypted_pages(data, key)
    return any(term in data for term in MARKER_TERMS) or any(
        term in page for page in pages for term in MARKER_TERMS
    )


def marker_in_tables(path: Path, key: bytes) -> list[str]:
    """Where the marker shows when the file is opened: any table row, or any index term."""
    found: list[str] = []
    connection = open_keyed_connection(path, key)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                "'CREATE VIRTUAL%'"
            )
        ]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                cells = " ".join(
                    c.decode("latin-1") if isinstance(c, bytes) else str(c) for c in row
                )
                if any(
                    term.decode() in cells.casefold() or MARKER in cells for term in MARKER_TERMS
                ):
                    found.append(table)
                    break
        for index in ("notes_fts", "psychotherapy_fts", "cases_fts"):
            hits = connection.execute(
                f"SELECT count(*) FROM {index} WHERE {index} MATCH ?", (f'"{MARKER}"',)
            ).fetchone()[0]
            if hits:
                found.append(f"{index} match")
            connection.execute(
                f"CREATE VIRTUAL TABLE temp.vocab_{index} USING fts5vocab(main, {index}, 'row')"
            )
            terms = connection.execute(
                f"SELECT count(*) FROM temp.vocab_{index} WHERE term LIKE 'xylo%'"
            ).fetchone()[0]
            if terms:
                found.append(f"{index} vocabulary")
    finally:
        connection.close()
    return found


# ------------------------------------------------------------------------------ the data


def _fill_case_to_dispose(vault: Vault) -> int:
    with vault.session() as session:
        case = case_service.create_case(
            session,
            NewCase(
                f"{MARKER} couple",
                (NewPartner(f"Kim {MARKER}"), NewPartner("Ash Example", date_of_birth=None)),
                "limited-secrets",
                consent_note=f"consent noted {MARKER}",
            ),
        )
        case_id = case.id
        answer_service.save_answers(
            session,
            case_id,
            [
                AnswerChange("A", "goals.hopes", f"hopes {MARKER}"),
                AnswerChange("B", "sexual.concerns", f"concerns {MARKER}"),
                AnswerChange("A", "phq9", (1, 1, 1, 1, 1, 1, 1, 0, 0)),
            ],
        )
        plan_service.save_case_texts(session, case_id, goals=f"goals {MARKER}")
        plan_service.acknowledge_indicator(session, case_id, "depression@A", f"ack {MARKER}", "Dr")
        signed = note_service.create_note(
            session,
            case_id,
            "soap",
            NoteDraft(OLD_SESSION, {"subjective": f"first draft {MARKER}"}, ("A", "B")),
        )
        note_service.save_note_draft(
            session, signed.id, NoteDraft(OLD_SESSION, {"subjective": f"second {MARKER}"})
        )
        note_service.sign_note(session, signed.id, SIGNER)
        note_service.add_addendum(session, signed.id, f"addendum {MARKER}", SIGNER)
        note_service.create_note(
            session, case_id, "birp", NoteDraft(OLD_SESSION, {"plan": f"draft {MARKER}"})
        )
        note_service.create_psychotherapy_note(
            session, case_id, OLD_SESSION, f"private {MARKER} impression"
        )
        measure_service.record_measure(
            session, case_id, "B", "pc_ptsd5", PtsdScreenAnswer(False), OLD_SESSION
        )
        # The case itself last changed long ago.
        session.execute(
            text("UPDATE cases SET updated_at = '2012-05-14T10:00:00.000000Z' WHERE id = :c"),
            {"c": case_id},
        )
    return case_id


@pytest.fixture
def two_cases(vault: Vault) -> tuple[int, int]:
    keep = add_example_case(vault, "Lighthouse couple").id
    with vault.session() as session:
        note_service.create_note(
            session, keep, "dap", NoteDraft(dt.date.today(), {"data": "kept words: heron"})
        )
    return _fill_case_to_dispose(vault), keep


# ------------------------------------------------------------------------------ the list


def test_past_retention_uses_the_newest_signed_note_else_the_last_change(
    vault: Vault, two_cases: tuple[int, int]
) -> None:
    old, kept = two_cases
    with vault.session() as session:
        rows = {row.case_id: row for row in retention_rows(session)}
        past = records_past_retention(session)
    assert rows[old].last_service == OLD_SESSION
    assert rows[old].last_service_source == "signed-note"
    assert rows[old].keep_until == dt.date(2019, 5, 14)
    assert rows[kept].last_service_source == "case-changed"
    assert rows[kept].keep_until > dt.date.today()
    assert [row.case_id for row in past] == [old]


def test_the_practice_period_and_the_minors_rule_move_the_date(vault: Vault) -> None:
    rule = load_note_formats().retention
    assert rule.keep_until(dt.date(2020, 1, 10), 7) == dt.date(2027, 1, 10)
    # A partner aged 16 at the last service: 3 years after turning 18 is later than 7 years.
    born = dt.date(2004, 6, 1)
    assert rule.keep_until(dt.date(2020, 6, 1), 7, (born,)) == dt.date(2027, 6, 1)
    born_late = dt.date(2008, 6, 1)
    assert rule.keep_until(dt.date(2020, 6, 1), 7, (born_late,)) == dt.date(2029, 6, 1)
    assert rule.keep_until(dt.date(2020, 2, 29), 5) == dt.date(2025, 2, 28)

    case = add_example_case(vault)
    with vault.session() as session:
        case_service.update_case(
            session,
            case.id,
            CaseChanges(partners=(PartnerChanges("A", date_of_birth=dt.date(2015, 1, 1)),)),
        )
        row = next(r for r in retention_rows(session, years=7) if r.case_id == case.id)
    assert row.keep_until == dt.date(2036, 1, 1)


def test_a_case_within_its_period_is_not_disposed_of(
    vault: Vault, two_cases: tuple[int, int]
) -> None:
    _, kept = two_cases
    with pytest.raises(InvalidRecordError, match="still within its retention period"):
        dispose_case(vault, kept)
    with vault.session() as session:
        assert search_vault(session, "heron").notes


# ------------------------------------------------------------------------------ disposal


def test_disposal_leaves_no_trace_in_the_vault_its_log_or_a_later_backup(
    vault: Vault, two_cases: tuple[int, int], tmp_path: Path
) -> None:
    old, kept = two_cases
    key = derive_key(PASSPHRASE, read_salt(vault.path) or b"")
    wal = vault.path.with_name(vault.path.name + "-wal")
    # The scan is real: before disposal it finds the marker in the decrypted pages.
    assert marker_in_file(vault.path, key) or marker_in_file(wal, key)
    assert not any(term in vault.path.read_bytes() for term in MARKER_TERMS)  # encrypted
    with vault.session() as session:
        assert search_vault(session, MARKER, include_psychotherapy=True).hits

    report = dispose_case(vault, old)

    assert report.removed["notes"] == 2
    assert report.removed["note_versions"] == 4
    assert report.removed["note_addenda"] == 1
    assert report.removed["psychotherapy_notes"] == 1
    assert report.removed["measure_administrations"] == 1
    assert report.removed["partners"] == 2
    assert report.removed["answers"] == 3
    assert report.wal_truncated
    assert not marker_in_file(vault.path, key)
    assert not wal.exists() or wal.stat().st_size == 0
    assert not marker_in_file(wal, key)

    with vault.session() as session:
        assert search_vault(session, MARKER, include_psychotherapy=True).hits == ()
        assert [h.case_id for h in search_vault(session, "heron").notes] == [kept]
        assert [h.case_id for h in search_vault(session, "Lighthouse").cases] == [kept]
        disposal = [e for e in recent_events(session, 20) if e.kind == "disposal"]
        assert verify_chain(session).ok
        for index in ("notes_fts", "psychotherapy_fts", "cases_fts"):
            session.execute(
                text(f"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")
            )
        remaining = session.execute(text("SELECT count(*) FROM disposal_authorisations")).scalar()
    assert remaining == 0
    assert len(disposal) == 1
    assert disposal[0].record_type == "case"
    assert disposal[0].record_id == str(old)
    details: dict[str, Any] = json.loads(disposal[0].details)
    assert details["notes"] == 2
    assert details["psychotherapy_notes"] == 1
    assert MARKER not in disposal[0].details
    assert "Kim" not in disposal[0].details

    backup = vault.backup_to(tmp_path / "after-disposal.parley")
    assert not marker_in_file(backup, key)
    copy = tmp_path / "opened-copy.parley"
    shutil.copyfile(backup, copy)
    assert marker_in_tables(copy, key) == []
    # ... and the same scan does see the kept case, so it is looking in the right places.
    connection = open_keyed_connection(copy, key)
    try:
        assert connection.execute(
            "SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'heron'"
        ).fetchone() == (1,)
    finally:
        connection.close()


def test_the_table_scan_would_find_the_marker_before_disposal(
    vault: Vault, two_cases: tuple[int, int], tmp_path: Path
) -> None:
    key = derive_key(PASSPHRASE, read_salt(vault.path) or b"")
    backup = vault.backup_to(tmp_path / "before.parley")
    found = marker_in_tables(backup, key)
    for place in (
        "cases",
        "partners",
        "answers",
        "case_plans",
        "indicator_acknowledgements",
        "consent_records",
        "note_versions",
        "note_addenda",
        "psychotherapy_note_versions",
        "notes_fts match",
        "notes_fts vocabulary",
        "psychotherapy_fts vocabulary",
        "cases_fts vocabulary",
    ):
        assert place in found
    assert marker_in_file(backup, key)


def test_a_failed_disposal_changes_nothing(
    vault: Vault, two_cases: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, _ = two_cases
    from db.services import retention

    def broken(session: Any, case_id: int) -> dict[str, int]:
        session.execute(text("DELETE FROM answers WHERE case_id = :c"), {"c": case_id})
        raise OSError("the disk went away halfway")

    monkeypatch.setattr(retention, "_delete_case_rows", broken)
    with pytest.raises(OSError, match="halfway"):
        dispose_case(vault, old)
    with vault.session() as session:
        assert search_vault(session, MARKER).notes
        assert answer_service.load_intake(session, old).partners[0].facts
        assert session.execute(text("SELECT count(*) FROM disposal_authorisations")).scalar() == 0
        assert not [e for e in recent_events(session, 20) if e.kind == "disposal"]
