"""The case timeline, the demo history, and migration 0004 on an older vault (fictional data)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from clinical.model import PtsdScreenAnswer
from clinical.pacing import plan_from_template
from db.errors import InvalidRecordError
from db.services import answers as answer_service
from db.services import cases as case_service
from db.services import measures as measure_service
from db.services import notes as note_service
from db.services import plans as plan_service
from db.services.answers import AnswerChange
from db.services.notes import NoteDraft
from db.services.notes_demo import add_demo_history
from db.services.search import search_vault
from db.services.snapshot import load_case_snapshot
from db.services.timeline import case_timeline
from db.services.types import NewCase, NewPartner
from db.vault import Vault
from tests.db.conftest import PASSPHRASE, add_example_case
from tests.db.test_migrations import make_vault_at_revision


def test_the_timeline_tells_the_case_newest_first(vault: Vault) -> None:
    case_id = add_example_case(vault).id
    today = dt.date.today()
    with vault.session() as session:
        for value in (1, 2, 3):
            answer_service.save_answers(
                session, case_id, [AnswerChange("A", "sexual.desire", value)]
            )
        plan_service.acknowledge_indicator(session, case_id, "depression@A", "seen", "Dr Example")
        plan_service.save_pacing_plan(session, case_id, plan_from_template("communication-first"))
        note = note_service.create_note(session, case_id, "soap", NoteDraft(today, {"plan": "x"}))
        note_service.sign_note(session, note.id, "Dr Example")
        note_service.add_addendum(session, note.id, "later", "Dr Example")
        measure_service.record_measure(
            session, case_id, "B", "pc_ptsd5", PtsdScreenAnswer(False), today
        )
        note_service.create_psychotherapy_note(session, case_id, today, "private words")
        entries = case_timeline(session, case_id)
    kinds = [entry.kind for entry in entries]
    assert kinds[-1] == "case-created"
    assert entries == tuple(sorted(entries, key=lambda e: e.at, reverse=True))
    for kind in (
        "consent-recorded",
        "answers-changed",
        "indicator-acknowledged",
        "plan-changed",
        "note-created",
        "note-signed",
        "note-addendum",
        "measure-recorded",
        "psychotherapy-note-written",
    ):
        assert kind in kinds, kind
    # Three autosaves on one day are one entry.
    answers = [entry for entry in entries if entry.kind == "answers-changed"]
    assert len(answers) == 1
    assert answers[0].count == 3
    signed = next(entry for entry in entries if entry.kind == "note-signed")
    assert signed.note_id == note.id
    assert signed.detail["by"] == "Dr Example"
    acknowledged = next(entry for entry in entries if entry.kind == "indicator-acknowledged")
    assert acknowledged.detail["indicator"] == "depression@A"
    assert "private words" not in repr(entries)


def test_demo_history_fills_a_demo_case_and_refuses_a_real_one(vault: Vault) -> None:
    real = add_example_case(vault).id
    with vault.session() as session:
        demo = case_service.create_case(
            session,
            NewCase(
                "Demo couple (fictional)",
                (NewPartner("Alex Sample (fictional)"), NewPartner("Sam Sample (fictional)")),
                "limited-secrets",
                is_demo=True,
            ),
        ).id
        answer_service.save_answers(
            session,
            demo,
            [
                AnswerChange("A", "phq9", (1, 1, 1, 1, 1, 1, 1, 1, 0)),
                AnswerChange("A", "gad7", (1, 1, 1, 1, 1, 0, 0)),
            ],
        )
        plan_service.save_pacing_plan(session, demo, plan_from_template("communication-first"))
        add_demo_history(session, demo, "Dr Robin Demo (fictional)")
    with pytest.raises(InvalidRecordError, match="demo cases only"), vault.session() as session:
        add_demo_history(session, real, "Dr Robin Demo (fictional)")
    with vault.session() as session:
        notes = note_service.list_notes(session, demo)
        snapshot = load_case_snapshot(session, demo)
        found = search_vault(session, "blindfold")
        assert note_service.list_notes(session, real) == ()
    assert [note.status for note in notes] == ["draft", "signed", "signed"]
    assert notes[-1].addenda
    assert notes[0].current.pacing_stage_title
    assert {(p.instrument, p.at_intake) for p in snapshot.measures} >= {
        ("phq9", True),
        ("phq9", False),
        ("gad7", True),
    }
    assert min(p.taken_on for p in snapshot.measures) == snapshot.intake_date
    assert {hit.case_id for hit in found.notes} == {demo}


def test_migration_0004_indexes_the_cases_an_older_vault_holds(tmp_path: Path) -> None:
    path = tmp_path / "older.parley"
    make_vault_at_revision(path, "0003")
    vault = Vault.unlock(path, PASSPHRASE)
    try:
        assert vault.migrated_from == "0003"
        with vault.session() as session:
            found = search_vault(session, "Kim")
            tables = set(
                session.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
                .scalars()
                .all()
            )
        assert [hit.case_label for hit in found.cases] == ["Example couple at 0001"]
        assert {"notes", "note_versions", "note_addenda", "psychotherapy_notes"} <= tables
        assert {"notes_fts", "psychotherapy_fts", "cases_fts"} <= tables
    finally:
        vault.lock()


def test_every_vault_connection_overwrites_what_it_deletes(vault: Vault) -> None:
    with vault.session() as session:
        assert session.execute(text("PRAGMA secure_delete")).scalar() == 1
