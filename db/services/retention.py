"""Record retention: the cases past the practice's period, and their secure disposal.

Last service is the session date of the case's newest signed note, or else the day the case
last changed. A case may be disposed of once the practice's retention period (a setting,
default 7 years, the APA guidance) has passed since then, and, for a partner who was a minor at
the last service, 3 years after they came of age (clinical-research.md §4.4; the rule's numbers
live in clinical/content/note_formats.toml).

Secure disposal (`dispose_case`) removes every row of the case in one transaction, with
`PRAGMA secure_delete = ON` so that SQLite overwrites what it frees; merges the search indexes
so no index segment keeps a word of it; compacts the file (VACUUM) and truncates the
write-ahead log, so neither the vault file nor its -wal keeps a trace; and records a `disposal`
event naming the case by number only. Backups made earlier still hold the case until they are
pruned; backups made afterwards do not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from clinical.note_formats import RetentionRule, load_note_formats
from db import audit
from db.errors import InvalidRecordError
from db.models import (
    Answer,
    Case,
    CasePlans,
    ConsentRecord,
    DisposalAuthorisation,
    IndicatorAcknowledgement,
    MeasureAdministration,
    Note,
    NoteAddendum,
    NoteVersion,
    Partner,
    PsychotherapyNote,
    PsychotherapyNoteVersion,
    utc_now,
)
from db.services.cases import _load_case
from db.services.practice import get_practice_settings
from db.vault import Vault

LastServiceSource = Literal["signed-note", "case-changed"]

#: The full-text indexes of the vault, merged after a disposal.
SEARCH_INDEXES = ("notes_fts", "psychotherapy_fts", "cases_fts")


@dataclass(frozen=True, slots=True)
class RetentionRow:
    """A case and its retention dates.

    Attributes:
        last_service: the newest signed note's session date, else the day the case last
            changed (`last_service_source` says which).
        keep_until: the first day the case may be disposed of.
    """

    case_id: int
    label: str
    status: str
    is_demo: bool
    last_service: dt.date
    last_service_source: LastServiceSource
    keep_until: dt.date

    def is_past(self, today: dt.date) -> bool:
        return today >= self.keep_until


@dataclass(frozen=True, slots=True)
class DisposalReport:
    """What a secure disposal removed and how the file was left.

    Attributes:
        removed: rows removed, by table.
        wal_truncated: the write-ahead log was checkpointed and truncated to nothing.
    """

    case_id: int
    removed: Mapping[str, int]
    wal_truncated: bool


def _rule(rule: RetentionRule | None) -> RetentionRule:
    return rule or load_note_formats().retention


def retention_rows(
    session: Session, rule: RetentionRule | None = None, years: int | None = None
) -> tuple[RetentionRow, ...]:
    """Every case with its last service and the day its retention period ends.

    Args:
        years: the retention period; None reads the practice setting.
    """
    rule = _rule(rule)
    period = years if years is not None else get_practice_settings(session).retention_years
    last_signed = dict(
        session.execute(
            select(NoteVersion.case_id, func.max(NoteVersion.session_date))
            .where(NoteVersion.signed.is_(True))
            .group_by(NoteVersion.case_id)
        ).all()
    )
    births: dict[int, list[dt.date | None]] = {}
    for case_id, born in session.execute(
        select(Partner.case_id, Partner.date_of_birth).where(Partner.date_of_birth.is_not(None))
    ):
        births.setdefault(case_id, []).append(born)
    rows = []
    for case in session.scalars(select(Case).order_by(Case.id)):
        signed = last_signed.get(case.id)
        source: LastServiceSource
        if signed is not None:
            last = signed if isinstance(signed, dt.date) else dt.date.fromisoformat(str(signed))
            source = "signed-note"
        else:
            last = case.updated_at.astimezone().date()
            source = "case-changed"
        rows.append(
            RetentionRow(
                case_id=case.id,
                label=case.label,
                status=case.status,
                is_demo=case.is_demo,
                last_service=last,
                last_service_source=source,
                keep_until=rule.keep_until(last, period, tuple(births.get(case.id, ()))),
            )
        )
    return tuple(rows)


def records_past_retention(
    session: Session,
    today: dt.date | None = None,
    rule: RetentionRule | None = None,
) -> tuple[RetentionRow, ...]:
    """The cases whose retention period has passed by `today`, longest past first."""
    today = today or dt.date.today()
    past = [row for row in retention_rows(session, rule) if row.is_past(today)]
    past.sort(key=lambda row: (row.keep_until, row.case_id))
    return tuple(past)


def _delete_case_rows(session: Session, case_id: int) -> dict[str, int]:
    """Delete every row of the case, children first; return the counts by table."""
    removed: dict[str, int] = {}

    def remove(name: str, statement: Any) -> None:
        result = session.execute(statement)
        removed[name] = int(getattr(result, "rowcount", 0) or 0)

    remove(
        "measure_administrations",
        delete(MeasureAdministration).where(MeasureAdministration.case_id == case_id),
    )
    # Deleting a note takes its text out of the search index first (a trigger), then the
    # cascade removes its versions and addenda; they are counted before.
    removed["note_versions"] = int(
        session.scalar(select(func.count()).where(NoteVersion.case_id == case_id)) or 0
    )
    removed["note_addenda"] = int(
        session.scalar(select(func.count()).where(NoteAddendum.case_id == case_id)) or 0
    )
    removed["psychotherapy_note_versions"] = int(
        session.scalar(select(func.count()).where(PsychotherapyNoteVersion.case_id == case_id)) or 0
    )
    remove(
        "psychotherapy_notes", delete(PsychotherapyNote).where(PsychotherapyNote.case_id == case_id)
    )
    remove("notes", delete(Note).where(Note.case_id == case_id))
    remove("answers", delete(Answer).where(Answer.case_id == case_id))
    remove(
        "indicator_acknowledgements",
        delete(IndicatorAcknowledgement).where(IndicatorAcknowledgement.case_id == case_id),
    )
    remove("case_plans", delete(CasePlans).where(CasePlans.case_id == case_id))
    remove("consent_records", delete(ConsentRecord).where(ConsentRecord.case_id == case_id))
    remove("partners", delete(Partner).where(Partner.case_id == case_id))
    remove("cases", delete(Case).where(Case.id == case_id))
    leftovers = {
        "note_versions": select(func.count()).where(NoteVersion.case_id == case_id),
        "note_addenda": select(func.count()).where(NoteAddendum.case_id == case_id),
        "psychotherapy_note_versions": select(func.count()).where(
            PsychotherapyNoteVersion.case_id == case_id
        ),
    }
    for name, query in leftovers.items():
        if session.scalar(query):  # a cascade that did not happen must not pass unnoticed
            raise InvalidRecordError(f"disposal of case {case_id} left rows in {name}; undone")
    return removed


@contextlib.contextmanager
def _raw_connection(engine: Engine) -> Iterator[Any]:
    """A pooled driver connection outside any transaction (VACUUM refuses to run in one)."""
    pooled = engine.raw_connection()
    try:
        yield pooled.driver_connection
    finally:
        pooled.close()


def dispose_case(
    vault: Vault,
    case_id: int,
    *,
    today: dt.date | None = None,
    rule: RetentionRule | None = None,
) -> DisposalReport:
    """Securely dispose of a case whose retention period has passed.

    Runs on the vault worker (it compacts the whole file, which takes a while on a large
    vault). The deletes and the `disposal` audit event commit together, or not at all.

    Raises:
        RecordNotFoundError: no such case.
        InvalidRecordError: the case is still within its retention period.
    """
    today = today or dt.date.today()
    with vault.session() as session:
        connection = session.connection()
        # Per connection: SQLite overwrites the content it frees while this is on.
        previous = connection.exec_driver_sql("PRAGMA secure_delete").scalar()
        connection.exec_driver_sql("PRAGMA secure_delete = ON")
        try:
            _load_case(session, case_id)
            row = next((r for r in retention_rows(session, rule) if r.case_id == case_id), None)
            if row is None or not row.is_past(today):
                until = "" if row is None else f" (until {row.keep_until.isoformat()})"
                raise InvalidRecordError(
                    f"case {case_id} is still within its retention period{until}; nothing "
                    "was removed"
                )
            session.add(DisposalAuthorisation(case_id=case_id, authorised_at=utc_now()))
            session.flush()
            removed = _delete_case_rows(session, case_id)
            session.execute(
                delete(DisposalAuthorisation).where(DisposalAuthorisation.case_id == case_id)
            )
            audit.append_event(
                session,
                "disposal",
                record_type="case",
                record_id=case_id,
                details={
                    "notes": removed["notes"],
                    "note_versions": removed["note_versions"],
                    "psychotherapy_notes": removed["psychotherapy_notes"],
                    "measures": removed["measure_administrations"],
                    "answers": removed["answers"],
                    "partners": removed["partners"],
                },
            )
        finally:
            connection.exec_driver_sql(f"PRAGMA secure_delete = {int(previous or 0)}")
        engine = session.get_bind()
    assert isinstance(engine, Engine)
    wal_truncated = compact_vault(engine)
    return DisposalReport(case_id=case_id, removed=removed, wal_truncated=wal_truncated)


def compact_vault(engine: Engine) -> bool:
    """Merge the search indexes, VACUUM, and truncate the write-ahead log.

    Returns whether the log was truncated (False when another connection was reading; the
    next checkpoint then finishes the job).
    """
    with _raw_connection(engine) as raw:
        previous = raw.execute("PRAGMA secure_delete").fetchone()[0]
        raw.execute("PRAGMA secure_delete = ON")
        try:
            for index in SEARCH_INDEXES:
                # 'optimize' merges every segment into one, dropping what was deleted.
                raw.execute(f"INSERT INTO {index} ({index}) VALUES ('optimize')")  # noqa: S608
            raw.execute("VACUUM")
            busy, _, _ = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            raw.execute(f"PRAGMA secure_delete = {int(previous)}")
    return not busy
