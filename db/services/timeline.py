"""A case's timeline: what happened and when, from the records and the audit chain.

Records give what they hold best (the case's creation, consents, acknowledgements, notes with
their signing and addenda, measures, psychotherapy notes by date only); the audit chain gives
what only it remembers (answers imported and changed, plan changes, reports made). Frequent
events (autosaved answers, plan edits) are folded into one entry per day, with a count.
Entries carry codes and ids; the screen turns them into words.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    AuditEvent,
    ConsentRecord,
    IndicatorAcknowledgement,
    MeasureAdministration,
    Note,
    NoteAddendum,
    NoteVersion,
    Partner,
    PsychotherapyNote,
)
from db.services.cases import _load_case

DetailValue = str | int | bool | None

#: Audit kinds the timeline shows, and the entry kind each becomes.
_AUDIT_KINDS = {
    "import": "answers-imported",
    "answers-changed": "answers-changed",
    "plan-changed": "plan-changed",
    "report": "report",
    "case-changed": "case-changed",
}
#: Entry kinds folded into one entry per day (and per plan, for plan changes).
_FOLDED = {"answers-changed", "plan-changed", "case-changed"}


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One thing that happened in a case.

    Attributes:
        kind: "case-created", "consent-recorded", "answers-imported", "answers-changed",
            "indicator-acknowledged", "plan-changed", "case-changed", "note-created",
            "note-signed", "note-addendum", "measure-recorded", "psychotherapy-note-written"
            or "report".
        note_id: the session note it concerns (note entries), to open it.
        detail: codes and short values: an indicator key, a plan kind, a document, a
            signer's name, an instrument and its score; never note text.
        count: how many events a folded entry stands for.
    """

    at: dt.datetime
    kind: str
    note_id: int | None = None
    detail: Mapping[str, DetailValue] = field(default_factory=dict)
    count: int = 1


def _audit_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def _audit_entries(session: Session, case_id: int) -> list[TimelineEntry]:
    rows = session.execute(
        select(AuditEvent.at, AuditEvent.kind, AuditEvent.details)
        .where(
            AuditEvent.record_type == "case",
            AuditEvent.record_id == str(case_id),
            AuditEvent.kind.in_(list(_AUDIT_KINDS)),
        )
        .order_by(AuditEvent.seq)
    ).all()
    entries: list[TimelineEntry] = []
    folded: dict[tuple[str, dt.date, str], int] = {}
    for at, kind, details_text in rows:
        moment = _audit_time(at)
        entry_kind = _AUDIT_KINDS[kind]
        try:
            raw = json.loads(details_text)
        except ValueError:
            raw = {}
        detail: dict[str, DetailValue] = {}
        if entry_kind == "plan-changed":
            detail = {"plan": str(raw.get("plan", "")), "template": raw.get("template")}
        elif entry_kind == "report":
            detail = {"document": str(raw.get("document", "")), "recipient": raw.get("recipient")}
        elif entry_kind == "case-changed" and "status" in raw:
            detail = {"status": str(raw["status"])}
        if entry_kind in _FOLDED:
            key = (entry_kind, moment.astimezone().date(), json.dumps(detail, sort_keys=True))
            index = folded.get(key)
            if index is not None:
                held = entries[index]
                # The folded entry shows the day's last change.
                entries[index] = TimelineEntry(moment, held.kind, None, held.detail, held.count + 1)
                continue
            folded[key] = len(entries)
        entries.append(TimelineEntry(moment, entry_kind, None, detail))
    return entries


def case_timeline(session: Session, case_id: int) -> tuple[TimelineEntry, ...]:
    """Everything that happened in a case, newest first.

    Raises:
        RecordNotFoundError: no such case.
    """
    case = _load_case(session, case_id)
    entries: list[TimelineEntry] = [TimelineEntry(case.created_at, "case-created")]
    for consent in session.scalars(select(ConsentRecord).where(ConsentRecord.case_id == case_id)):
        entries.append(
            TimelineEntry(
                consent.recorded_at,
                "consent-recorded",
                detail={"consent_kind": consent.kind, "policy": consent.policy},
            )
        )
    for ack in session.scalars(
        select(IndicatorAcknowledgement).where(IndicatorAcknowledgement.case_id == case_id)
    ):
        entries.append(
            TimelineEntry(
                ack.acknowledged_at,
                "indicator-acknowledged",
                detail={"indicator": ack.indicator_key, "by": ack.acknowledged_by},
            )
        )
    for note in session.scalars(select(Note).where(Note.case_id == case_id)):
        entries.append(
            TimelineEntry(note.created_at, "note-created", note.id, {"format": note.note_format})
        )
    for version in session.scalars(
        select(NoteVersion).where(NoteVersion.case_id == case_id, NoteVersion.signed.is_(True))
    ):
        if version.signed_at is not None:
            entries.append(
                TimelineEntry(
                    version.signed_at,
                    "note-signed",
                    version.note_id,
                    {"by": version.signed_by, "session_date": version.session_date.isoformat()},
                )
            )
    for addendum in session.scalars(select(NoteAddendum).where(NoteAddendum.case_id == case_id)):
        entries.append(
            TimelineEntry(
                addendum.signed_at,
                "note-addendum",
                addendum.note_id,
                {"position": addendum.position, "by": addendum.signed_by},
            )
        )
    for measure, partner_key in session.execute(
        select(MeasureAdministration, Partner.key)
        .join(Partner, Partner.id == MeasureAdministration.partner_id)
        .where(MeasureAdministration.case_id == case_id)
    ):
        entries.append(
            TimelineEntry(
                measure.recorded_at,
                "measure-recorded",
                measure.note_id,
                {
                    "instrument": measure.instrument,
                    "partner": partner_key,
                    "total": measure.total,
                    "band": measure.band,
                    "taken_on": measure.taken_on.isoformat(),
                },
            )
        )
    for private in session.scalars(
        select(PsychotherapyNote).where(PsychotherapyNote.case_id == case_id)
    ):
        entries.append(
            TimelineEntry(
                private.created_at,
                "psychotherapy-note-written",
                detail={"session_date": private.session_date.isoformat(), "private_id": private.id},
            )
        )
    entries.extend(_audit_entries(session, case_id))
    # Newest first; of entries at the same moment, the one gathered later (a consent given
    # as the case was created) comes first, so the case's creation is always the last line.
    ordered = sorted(enumerate(entries), key=lambda pair: (pair[1].at, pair[0]), reverse=True)
    return tuple(entry for _, entry in ordered)
