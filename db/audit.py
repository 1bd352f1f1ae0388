"""The audit trail: append-only events, each carrying the SHA-256 of the one before.

Each event's hash covers a canonical encoding of its seq, time, kind, record type and id,
details and the previous hash; a head row (last seq and hash) is updated in the same
transaction, so editing, deleting or reordering events, or cutting off the newest ones, all
show up in `verify_chain`. Events name records by id, never by client name: details accept
only ids, counts, flags and short codes, and callers must never put names or answers in them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64

#: Kinds of event the vault records; services add to this list rather than inventing ad hoc.
AUDIT_KINDS = frozenset(
    {
        "unlock",
        "failed-unlock",
        "lock",
        "case-created",
        "case-opened",
        "case-changed",
        "consent-recorded",
        "settings-changed",
        "answers-changed",
        "indicator-acknowledged",
        "plan-changed",
        "import",
        "export",
        "report",
        "backup",
        "restore",
        "passphrase-changed",
        "migration",
        "vault-created",
        # Issue 6: notes, measures, search and retention.
        "note-created",
        "note-saved",
        "note-signed",
        "note-addendum",
        "psychotherapy-note-viewed",
        "psychotherapy-note-changed",
        "measure-recorded",
        "search",
        "disposal",
    }
)

DetailValue = str | int | bool | None | Sequence[str | int]

#: How many events with a bad hash verify_chain tries to place elsewhere in the chain.
_MAX_REORDER_PROBES = 50


def format_audit_time(moment: dt.datetime) -> str:
    """The fixed-width UTC text an event's time is stored and hashed as."""
    if moment.tzinfo is None:
        raise ValueError("audit times must be aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_details(details: Mapping[str, DetailValue] | None) -> str:
    """Details as canonical JSON text (sorted keys, no spaces); rejects nested objects."""
    clean: dict[str, DetailValue] = {}
    for key, value in (details or {}).items():
        if isinstance(value, str | int | bool) or value is None:
            clean[key] = value
        elif isinstance(value, Sequence) and all(isinstance(v, str | int) for v in value):
            clean[key] = list(value)
        else:
            raise TypeError(f"audit detail {key!r} must be a scalar or a list of scalars")
    return json.dumps(clean, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def event_hash(
    seq: int,
    at: str,
    kind: str,
    record_type: str | None,
    record_id: str | None,
    details: str,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) over the canonical JSON array of an event's stored fields."""
    payload = json.dumps(
        [seq, at, kind, record_type, record_id, details, prev_hash],
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEventInfo:
    """One audit event as stored."""

    seq: int
    at: str
    kind: str
    record_type: str | None
    record_id: str | None
    details: str
    prev_hash: str
    hash: str


def append_event(
    session: Session,
    kind: str,
    *,
    record_type: str | None = None,
    record_id: int | str | None = None,
    details: Mapping[str, DetailValue] | None = None,
    at: dt.datetime | None = None,
) -> AuditEventInfo:
    """Append one event to the chain in the session's transaction (the caller commits).

    Raises:
        ValueError: `kind` is not one of AUDIT_KINDS.
    """
    if kind not in AUDIT_KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    head = session.get(AuditHead, 1)
    if head is None:  # a vault always has its head row (migration 0001); repair defensively
        head = AuditHead(id=1, last_seq=0, last_hash=GENESIS_HASH)
        session.add(head)
    seq = head.last_seq + 1
    stamp = format_audit_time(at or dt.datetime.now(dt.UTC))
    text = canonical_details(details)
    rid = None if record_id is None else str(record_id)
    digest = event_hash(seq, stamp, kind, record_type, rid, text, head.last_hash)
    event = AuditEvent(
        seq=seq,
        at=stamp,
        kind=kind,
        record_type=record_type,
        record_id=rid,
        details=text,
        prev_hash=head.last_hash,
        hash=digest,
    )
    session.add(event)
    head.last_seq = seq
    head.last_hash = digest
    session.flush()
    return _info(event)


def _info(event: AuditEvent) -> AuditEventInfo:
    return AuditEventInfo(
        seq=event.seq,
        at=event.at,
        kind=event.kind,
        record_type=event.record_type,
        record_id=event.record_id,
        details=event.details,
        prev_hash=event.prev_hash,
        hash=event.hash,
    )


def recent_events(session: Session, limit: int = 100) -> list[AuditEventInfo]:
    """The newest `limit` events, newest first."""
    rows = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit))
    return [_info(row) for row in rows]


def count_events(session: Session, kind: str | None = None) -> int:
    """How many events the chain holds (of `kind`, when given)."""
    query = select(func.count()).select_from(AuditEvent)
    if kind is not None:
        query = query.where(AuditEvent.kind == kind)
    return int(session.scalar(query) or 0)


ProblemKind = Literal["edited", "deleted", "reordered", "head"]


@dataclass(frozen=True, slots=True)
class AuditProblem:
    """One thing wrong with the chain, located by sequence number."""

    seq: int
    kind: ProblemKind
    message: str


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The outcome of `verify_chain`."""

    event_count: int
    problems: tuple[AuditProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _recomputed(event: AuditEventInfo, seq: int) -> str:
    return event_hash(
        seq,
        event.at,
        event.kind,
        event.record_type,
        event.record_id,
        event.details,
        event.prev_hash,
    )


def verify_chain(session: Session) -> AuditReport:
    """Check every event's hash, every link and the head row; name the seq of each problem.

    An edited event no longer matches its own hash. A deleted event leaves a gap in the
    sequence (and a link that points at nothing). A reordered event matches its hash only
    under another seq: it is reported where it sits, with the seq it belongs at.
    """
    events = [_info(row) for row in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    head = session.get(AuditHead, 1)
    problems: list[AuditProblem] = []

    stored_seqs = {event.seq for event in events}
    #: original seq -> the stored hash of the event that carries it
    hash_by_origin: dict[int, str] = {}
    origin_by_stored: dict[int, int] = {}
    probes = 0
    for event in events:
        if _recomputed(event, event.seq) == event.hash:
            origin_by_stored[event.seq] = event.seq
            hash_by_origin[event.seq] = event.hash
            continue
        origin = None
        if probes < _MAX_REORDER_PROBES:
            probes += 1
            origin = next(
                (s for s in stored_seqs if s != event.seq and _recomputed(event, s) == event.hash),
                None,
            )
        if origin is None:
            problems.append(
                AuditProblem(
                    event.seq,
                    "edited",
                    f"event {event.seq} was edited: its contents no longer match its hash",
                )
            )
            origin_by_stored[event.seq] = event.seq
            hash_by_origin[event.seq] = event.hash
        else:
            problems.append(
                AuditProblem(
                    event.seq,
                    "reordered",
                    f"event {event.seq} is out of order: it holds the event recorded as {origin}",
                )
            )
            origin_by_stored[event.seq] = origin
            hash_by_origin[origin] = event.hash

    last = max(hash_by_origin, default=0)
    if head is not None and head.last_seq > last:
        last = head.last_seq
    for origin in range(1, last + 1):
        if origin not in hash_by_origin:
            problems.append(
                AuditProblem(origin, "deleted", f"event {origin} was deleted from the chain")
            )

    for event in events:
        origin = origin_by_stored[event.seq]
        expected = GENESIS_HASH if origin == 1 else hash_by_origin.get(origin - 1)
        if expected is not None and event.prev_hash != expected:
            # The event before it was rewritten together with its hash.
            problems.append(
                AuditProblem(
                    origin - 1,
                    "edited",
                    f"event {origin - 1} was replaced: event {origin} does not chain to it",
                )
            )

    if head is None:
        problems.append(AuditProblem(0, "head", "the audit head row is missing"))
    elif events or head.last_seq:
        newest = max(hash_by_origin, default=0)
        # head.last_seq > newest is a deletion of the newest events, reported above.
        if head.last_seq < newest or (
            head.last_seq == newest and head.last_hash != hash_by_origin.get(newest)
        ):
            problems.append(
                AuditProblem(
                    head.last_seq,
                    "head",
                    f"the audit head names event {head.last_seq}, which is not the newest "
                    "intact event",
                )
            )
    problems.sort(key=lambda problem: (problem.seq, problem.kind))
    return AuditReport(event_count=len(events), problems=tuple(_unique(problems)))


def _unique(problems: list[AuditProblem]) -> list[AuditProblem]:
    seen: set[tuple[int, str]] = set()
    unique = []
    for problem in problems:
        if (problem.seq, problem.kind) not in seen:
            seen.add((problem.seq, problem.kind))
            unique.append(problem)
    return unique
