"""Session notes: versions kept, signing locks (services and database), addenda in order;
psychotherapy notes kept apart and every view audited. All data here is fictional."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from db.audit import count_events, recent_events, verify_chain
from db.errors import InvalidRecordError, RecordNotFoundError
from db.models import AuditEvent
from db.services import notes as note_service
from db.services.notes import NoteConflictError, NoteDraft, SignedNoteError
from db.services.snapshot import load_case_snapshot
from db.vault import Vault
from tests.db.conftest import add_example_case

DAY = dt.date(2025, 3, 4)
SIGNER = "Dr Robin Example (fictional)"


def soap(subjective: str = "Kim Example reports calmer talks.", plan: str = "") -> NoteDraft:
    return NoteDraft(
        session_date=DAY,
        sections={"subjective": subjective, "plan": plan},
        attended=("A", "B"),
        duration_minutes=50,
        pacing_template_id="communication-first",
        pacing_stage=1,
        pacing_stage_title="Talk and fantasy",
        stage_progress="continuing",
    )


@pytest.fixture
def case_id(vault: Vault) -> int:
    return add_example_case(vault).id


def new_note(vault: Vault, case_id: int, draft: NoteDraft | None = None) -> int:
    with vault.session() as session:
        return note_service.create_note(session, case_id, "soap", draft or soap(), "Robin").id


def signed_note(vault: Vault, case_id: int) -> int:
    note_id = new_note(vault, case_id)
    with vault.session() as session:
        note_service.sign_note(session, note_id, SIGNER)
    return note_id


# ------------------------------------------------------------------------------ versions


def test_every_saved_draft_is_a_new_version_and_each_reads_back(vault: Vault, case_id: int) -> None:
    note_id = new_note(vault, case_id, soap("first words"))
    texts = ["second words", "third words", "fourth words"]
    for number, words in enumerate(texts, start=1):
        with vault.session() as session:
            info = note_service.save_note_draft(session, note_id, soap(words), based_on=number)
        assert info.version_count == number + 1
        assert info.current.sections["subjective"] == words
    with vault.session() as session:
        versions = note_service.note_versions(session, note_id)
    assert [v.version for v in versions] == [1, 2, 3, 4]
    assert [v.sections["subjective"] for v in versions] == ["first words", *texts]
    # Every section of the format is stored, empty ones included, in the format's order.
    assert list(versions[0].sections) == ["subjective", "objective", "assessment", "plan"]
    assert versions[-1].attended == ("A", "B")
    assert versions[-1].pacing_stage_title == "Talk and fantasy"
    assert versions[-1].stage_progress == "continuing"
    assert all(not v.signed for v in versions)


def test_an_unchanged_draft_adds_no_version(vault: Vault, case_id: int) -> None:
    note_id = new_note(vault, case_id)
    with vault.session() as session:
        info = note_service.save_note_draft(session, note_id, soap())
    assert info.version_count == 1


def test_a_stale_editor_overwrites_nothing(vault: Vault, case_id: int) -> None:
    note_id = new_note(vault, case_id)
    with vault.session() as session:
        note_service.save_note_draft(session, note_id, soap("from window one"), based_on=1)
    with pytest.raises(NoteConflictError), vault.session() as session:
        note_service.save_note_draft(session, note_id, soap("from window two"), based_on=1)
    with vault.session() as session:
        info = note_service.get_note(session, note_id)
    assert info.version_count == 2
    assert info.current.sections["subjective"] == "from window one"


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (NoteDraft(DAY, sections={"feelings": "x"}), "no section"),
        (NoteDraft(DAY, attended=("Z",)), "partner Z is not in this case"),
        (NoteDraft(DAY, duration_minutes=0), "minutes"),
        (NoteDraft(DAY, duration_minutes=24 * 60 + 1), "minutes"),
        (NoteDraft(dt.date.today() + dt.timedelta(days=5)), "future"),
        (NoteDraft(DAY, stage_progress="teleported"), "progress"),
        (NoteDraft(DAY, sections={"plan": "x" * 100_001}), "too long"),
    ],
)
def test_a_draft_that_does_not_fit_is_refused_whole(
    vault: Vault, case_id: int, draft: NoteDraft, message: str
) -> None:
    with pytest.raises(InvalidRecordError, match=message), vault.session() as session:
        note_service.create_note(session, case_id, "soap", draft)
    with vault.session() as session:
        assert note_service.list_notes(session, case_id) == ()


def test_an_unknown_format_is_refused(vault: Vault, case_id: int) -> None:
    with pytest.raises(InvalidRecordError, match="SOAP, DAP, BIRP"), vault.session() as session:
        note_service.create_note(session, case_id, "pirate", soap())


def test_formats_keep_their_own_sections(vault: Vault, case_id: int) -> None:
    with vault.session() as session:
        dap = note_service.create_note(
            session, case_id, "dap", NoteDraft(DAY, sections={"data": "observed"})
        )
        birp = note_service.create_note(
            session, case_id, "birp", NoteDraft(DAY, sections={"intervention": "sensate focus"})
        )
    assert list(dap.current.sections) == ["data", "assessment", "plan"]
    assert list(birp.current.sections) == ["behaviour", "intervention", "response", "plan"]


# ------------------------------------------------------------------------------ signing


def test_signing_records_who_and_when_and_locks_the_note(vault: Vault, case_id: int) -> None:
    note_id = new_note(vault, case_id)
    before = dt.datetime.now(dt.UTC)
    with vault.session() as session:
        info = note_service.sign_note(session, note_id, SIGNER, draft=soap("final words"))
    assert info.is_signed
    assert info.status == "signed"
    assert info.current.signed_by == SIGNER
    assert info.current.signed_at is not None
    assert info.current.signed_at >= before
    assert info.current.sections["subjective"] == "final words"
    assert info.version_count == 2

    with pytest.raises(SignedNoteError), vault.session() as session:
        note_service.save_note_draft(session, note_id, soap("a later change"))
    with pytest.raises(SignedNoteError), vault.session() as session:
        note_service.sign_note(session, note_id, SIGNER)
    with vault.session() as session:
        after = note_service.get_note(session, note_id)
        versions = note_service.note_versions(session, note_id)
    assert after == info
    assert [v.signed for v in versions] == [False, True]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE note_versions SET body = 'changed' WHERE note_id = :n AND signed = 1",
        "UPDATE note_versions SET sections = '[]' WHERE note_id = :n",
        "UPDATE note_versions SET signed = 0 WHERE note_id = :n AND signed = 1",
        "DELETE FROM note_versions WHERE note_id = :n AND signed = 1",
        "DELETE FROM note_versions WHERE note_id = :n",
        "DELETE FROM notes WHERE id = :n",
        "UPDATE notes SET note_format = 'dap' WHERE id = :n",
        "UPDATE notes SET case_id = case_id WHERE id = :n",
        "INSERT INTO note_versions (note_id, version, case_id, session_date, saved_at, body) "
        "SELECT :n, 3, case_id, '2025-03-05', '2025-03-05T10:00:00.000000Z', 'sneaky' "
        "FROM notes WHERE id = :n",
        "DELETE FROM cases",
    ],
)
def test_the_database_refuses_any_change_to_a_signed_note(
    vault: Vault, case_id: int, statement: str
) -> None:
    note_id = signed_note(vault, case_id)
    with vault.session() as session:
        before = note_service.note_versions(session, note_id)
    with pytest.raises(IntegrityError), vault.session() as session:
        session.execute(text(statement), {"n": note_id})
    with vault.session() as session:
        assert note_service.note_versions(session, note_id) == before


def test_even_draft_versions_are_never_rewritten_in_place(vault: Vault, case_id: int) -> None:
    note_id = new_note(vault, case_id)
    with pytest.raises(IntegrityError, match="save a new version"), vault.session() as session:
        session.execute(
            text("UPDATE note_versions SET body = 'x' WHERE note_id = :n"), {"n": note_id}
        )


def test_signing_needs_a_name_and_some_text(vault: Vault, case_id: int) -> None:
    note_id = new_note(vault, case_id, NoteDraft(DAY))
    with pytest.raises(InvalidRecordError, match="Practice settings"), vault.session() as s:
        note_service.sign_note(s, note_id, "  ")
    with pytest.raises(InvalidRecordError, match="write the note"), vault.session() as s:
        note_service.sign_note(s, note_id, SIGNER)


def test_each_signing_is_in_the_audit_chain_without_text(vault: Vault, case_id: int) -> None:
    first = signed_note(vault, case_id)
    second = signed_note(vault, case_id)
    with vault.session() as session:
        assert count_events(session, "note-signed") == 2
        signed = session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "note-signed").order_by(AuditEvent.seq)
        ).all()
        assert [event.record_id for event in signed] == [str(first), str(second)]
        for event in session.scalars(select(AuditEvent)):
            assert "Kim Example reports" not in event.details
        assert verify_chain(session).ok


# ------------------------------------------------------------------------------ addenda


def test_addenda_follow_signing_and_keep_their_order(vault: Vault, case_id: int) -> None:
    note_id = new_note(vault, case_id)
    with pytest.raises(InvalidRecordError, match="sign the note"), vault.session() as session:
        note_service.add_addendum(session, note_id, "too early", SIGNER)
    with vault.session() as session:
        note_service.sign_note(session, note_id, SIGNER)
    for number in range(1, 5):
        with vault.session() as session:
            added = note_service.add_addendum(
                session, note_id, f"addendum {number}", f"Dr {number}"
            )
        assert added.position == number
    with vault.session() as session:
        info = note_service.get_note(session, note_id)
        listed = note_service.list_notes(session, case_id)
        assert count_events(session, "note-addendum") == 4
    assert [a.body for a in info.addenda] == [f"addendum {n}" for n in range(1, 5)]
    assert [a.signed_by for a in info.addenda] == [f"Dr {n}" for n in range(1, 5)]
    times = [a.signed_at for a in info.addenda]
    assert times == sorted(times)
    assert listed[0].addenda == info.addenda
    # Addenda are signed as written: never changed, never removed, never out of order.
    for statement in (
        "UPDATE note_addenda SET body = 'changed' WHERE note_id = :n",
        "DELETE FROM note_addenda WHERE note_id = :n",
        "INSERT INTO note_addenda (note_id, case_id, position, body, signed_at, signed_by) "
        "SELECT :n, case_id, 9, 'out of order', '2025-01-01T00:00:00.000000Z', 'x' "
        "FROM notes WHERE id = :n",
    ):
        with pytest.raises(IntegrityError), vault.session() as session:
            session.execute(text(statement), {"n": note_id})


def test_an_empty_addendum_or_one_without_a_signer_is_refused(vault: Vault, case_id: int) -> None:
    note_id = signed_note(vault, case_id)
    with pytest.raises(InvalidRecordError), vault.session() as session:
        note_service.add_addendum(session, note_id, "   ", SIGNER)
    with pytest.raises(InvalidRecordError), vault.session() as session:
        note_service.add_addendum(session, note_id, "words", "")


def test_notes_are_listed_newest_session_first(vault: Vault, case_id: int) -> None:
    for day in (dt.date(2025, 1, 5), dt.date(2025, 3, 1), dt.date(2025, 2, 2)):
        with vault.session() as session:
            note_service.create_note(session, case_id, "soap", NoteDraft(day))
    with vault.session() as session:
        days = [note.session_date for note in note_service.list_notes(session, case_id)]
    assert days == [dt.date(2025, 3, 1), dt.date(2025, 2, 2), dt.date(2025, 1, 5)]


def test_a_missing_note_is_a_clear_error(vault: Vault) -> None:
    with pytest.raises(RecordNotFoundError, match="note 999"), vault.session() as session:
        note_service.get_note(session, 999)


# ------------------------------------------------------------------------------ psychotherapy

PRIVATE = "Process impression: Quokkaflux sensed between them (fictional)."


def test_psychotherapy_notes_list_dates_only_and_every_view_is_audited(
    vault: Vault, case_id: int
) -> None:
    with vault.session() as session:
        created = note_service.create_psychotherapy_note(session, case_id, DAY, PRIVATE, "Robin")
    with vault.session() as session:
        note_service.save_psychotherapy_note(session, created.id, PRIVATE + " More.", based_on=1)
    with vault.session() as session:
        listed = note_service.list_psychotherapy_notes(session, case_id)
        assert count_events(session, "psychotherapy-note-viewed") == 0
    assert [n.version_count for n in listed] == [2]
    assert PRIVATE not in repr(listed)  # listing never carries the text

    for expected_views in (1, 2, 3):
        with vault.session() as session:
            read = note_service.read_psychotherapy_note(session, created.id)
            assert read.body == PRIVATE + " More."
            assert count_events(session, "psychotherapy-note-viewed") == expected_views
    with vault.session() as session:
        first = note_service.read_psychotherapy_note(session, created.id, version=1)
        views = [e for e in recent_events(session, 50) if e.kind == "psychotherapy-note-viewed"]
        assert verify_chain(session).ok
    assert first.body == PRIVATE
    assert len(views) == 4
    for event in views:
        assert event.record_type == "psychotherapy_note"
        assert event.record_id == str(created.id)
        assert "Quokkaflux" not in event.details
        assert json.loads(event.details)["case"] == case_id


def test_psychotherapy_notes_never_reach_the_case_snapshot(vault: Vault, case_id: int) -> None:
    with vault.session() as session:
        note_service.create_psychotherapy_note(session, case_id, DAY, PRIVATE)
        snapshot = load_case_snapshot(session, case_id)
    assert "Quokkaflux" not in repr(snapshot)


def test_psychotherapy_versions_are_kept_as_written(vault: Vault, case_id: int) -> None:
    with vault.session() as session:
        created = note_service.create_psychotherapy_note(session, case_id, DAY, PRIVATE)
    with pytest.raises(NoteConflictError), vault.session() as session:
        note_service.save_psychotherapy_note(session, created.id, "stale", based_on=0)
    for statement in (
        "UPDATE psychotherapy_note_versions SET body = 'x'",
        "DELETE FROM psychotherapy_note_versions",
        "DELETE FROM psychotherapy_notes",
    ):
        with pytest.raises(IntegrityError), vault.session() as session:
            session.execute(text(statement))
    with pytest.raises(InvalidRecordError), vault.session() as session:
        note_service.save_psychotherapy_note(session, created.id, "   ")
