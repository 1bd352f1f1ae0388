"""ORM models of the vault: practice settings, cases, partners, consent, answers, audit chain.

Only db/ sees these classes; services turn them into frozen dataclasses. Every relationship
is `lazy="raise"` so no query ever runs by accident (for instance on the UI thread).
Timestamps are stored as UTC ISO 8601 text, which sorts correctly and reads back aware.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import JSON, TypeDecorator

CASE_STATUSES = ("intake", "active", "paused", "closed")
CONFIDENTIALITY_POLICIES = ("no-secrets", "limited-secrets")
VISIBILITIES = ("joint", "clinician-only")


def utc_now() -> dt.datetime:
    """The current time in UTC, to the microsecond."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime stored as fixed-width UTC ISO text (sortable as text)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC time")
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return dt.datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    """The declarative base of every vault table."""


class PracticeSettings(Base):
    """The one row of practice-wide settings (id is always 1)."""

    __tablename__ = "practice_settings"
    __table_args__ = (CheckConstraint("id = 1", name="ck_practice_settings_single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinician_name: Mapped[str] = mapped_column(String, default="")
    credentials: Mapped[str] = mapped_column(String, default="")
    practice_name: Mapped[str] = mapped_column(String, default="")
    practice_contact: Mapped[str] = mapped_column(Text, default="")
    #: A list of {"name", "phone", "note"} objects for the practice's locale.
    crisis_contacts: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    auto_lock_minutes: Mapped[int] = mapped_column(Integer, default=10)
    backups_kept: Mapped[int] = mapped_column(Integer, default=14)
    retention_years: Mapped[int] = mapped_column(Integer, default=7)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class Case(Base):
    """A relationship unit of two or more partners seen together."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(
            "status IN ('intake', 'active', 'paused', 'closed')", name="ck_cases_status"
        ),
        CheckConstraint(
            "confidentiality_policy IN ('no-secrets', 'limited-secrets')",
            name="ck_cases_confidentiality_policy",
        ),
        Index("ix_cases_label", "label"),
        Index("ix_cases_status", "status"),
        Index("ix_cases_created_at", "created_at"),
        Index("ix_cases_updated_at", "updated_at"),
        Index("ix_cases_last_seen_at", "last_seen_at"),
        Index("ix_cases_severity_rank", "severity_rank"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True)
    # NOCASE so that sorting by label is alphabetical and uses the index.
    label: Mapped[str] = mapped_column(String(collation="NOCASE"))
    status: Mapped[str] = mapped_column(String(16), default="intake")
    confidentiality_policy: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    #: The engine's verdict on the current answers, kept for sorting and filtering the list.
    disposition: Mapped[str | None] = mapped_column(String(32), nullable=True)
    highest_severity: Mapped[str | None] = mapped_column(String(16), nullable=True)
    #: 4 critical, 3 essential, 2 recommended, 1 medical, 0 none: sorts by urgency.
    severity_rank: Mapped[int] = mapped_column(Integer, default=0)

    partners: Mapped[list[Partner]] = relationship(
        back_populates="case", lazy="raise", order_by="Partner.position"
    )
    consents: Mapped[list[ConsentRecord]] = relationship(
        back_populates="case", lazy="raise", order_by="ConsentRecord.id"
    )


class Partner(Base):
    """One partner of a case; `key` ("A", "B", ...) is how answers and reports refer to them."""

    __tablename__ = "partners"
    __table_args__ = (
        UniqueConstraint("case_id", "key", name="uq_partners_case_key"),
        CheckConstraint("audit_c_threshold IN (3, 4)", name="ck_partners_audit_c_threshold"),
        Index("ix_partners_case_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String)
    pronouns: Mapped[str] = mapped_column(String, default="")
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    contact: Mapped[str] = mapped_column(Text, default="")
    audit_c_threshold: Mapped[int] = mapped_column(Integer, default=3)
    position: Mapped[int] = mapped_column(Integer, default=0)

    case: Mapped[Case] = relationship(back_populates="partners", lazy="raise")


class ConsentRecord(Base):
    """One consent given in a case: to a confidentiality policy, to sharing, and so on."""

    __tablename__ = "consent_records"
    __table_args__ = (Index("ix_consent_records_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(48))
    policy: Mapped[str | None] = mapped_column(String(24), nullable=True)
    consented_on: Mapped[dt.date] = mapped_column(Date)
    #: Partner keys, e.g. ["A", "B"].
    consented_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    wording_version: Mapped[str] = mapped_column(String(32), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)

    case: Mapped[Case] = relationship(back_populates="consents", lazy="raise")


class Answer(Base):
    """One intake answer: owned by a partner (or joint when partner_id is NULL).

    `visibility` NULL means "the default for this answer under the case's policy"; a value
    overrides it. The unique index treats a NULL partner as one owner (joint), which a plain
    UNIQUE constraint would not, since SQL considers NULLs distinct.
    """

    __tablename__ = "answers"
    __table_args__ = (
        CheckConstraint(
            "visibility IS NULL OR visibility IN ('joint', 'clinician-only')",
            name="ck_answers_visibility",
        ),
        Index("ix_answers_partner_id", "partner_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), nullable=True
    )
    answer_id: Mapped[str] = mapped_column(String(96))
    value: Mapped[Any] = mapped_column(JSON)
    visibility: Mapped[str | None] = mapped_column(String(16), nullable=True)
    content_version: Mapped[str] = mapped_column(String(32), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


Index(
    "uq_answers_case_partner_answer",
    Answer.case_id,
    func.coalesce(Answer.partner_id, 0),
    Answer.answer_id,
    unique=True,
)


class IndicatorAcknowledgement(Base):
    """The clinician's acknowledgement of one indicator, with a note; the newest one counts."""

    __tablename__ = "indicator_acknowledgements"
    __table_args__ = (Index("ix_indicator_acknowledgements_case", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    #: Indicator.key: "<indicator id>" or "<indicator id>@<partner key>".
    indicator_key: Mapped[str] = mapped_column(String(96))
    note: Mapped[str] = mapped_column(Text, default="")
    acknowledged_by: Mapped[str] = mapped_column(String, default="")
    acknowledged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class CasePlans(Base):
    """The plans that belong to a case: the tailored pacing plan and the safety-plan choices."""

    __tablename__ = "case_plans"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    pacing_plan: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    safety_choices: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    goals: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class AuditEvent(Base):
    """One link of the append-only, hash-chained audit trail.

    `at` and `details` are stored as the exact text that was hashed, so verification hashes
    what is on disk rather than a re-encoding of it.
    """

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    record_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    record_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    details: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The one row naming the last audit event (so deleting the newest events shows)."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="ck_audit_head_single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


# ------------------------------------------------------------------ notes (issue 6, migration 0004)
#
# Session notes keep every version (after SQLAlchemy's examples/versioned_rows: a change inserts
# a new row, never overwrites one). Database triggers, created by migration 0004, refuse any
# UPDATE of a version, any new version once a note is signed, and any DELETE outside a secure
# disposal of the whole case; so no service or screen can change a signed note.

NOTE_STATUSES = ("draft", "signed")


class Note(Base):
    """A session note's identity: its case, its format and when it was begun (never changed)."""

    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    note_format: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by: Mapped[str] = mapped_column(String, default="")


class NoteVersion(Base):
    """One version of a session note; the newest is the note. A signed version is the last."""

    __tablename__ = "note_versions"
    __table_args__ = (
        CheckConstraint("version >= 1", name="ck_note_versions_version"),
        CheckConstraint(
            "signed = 0 OR (signed_at IS NOT NULL AND signed_by IS NOT NULL)",
            name="ck_note_versions_signature",
        ),
        Index("ix_note_versions_case_signed", "case_id", "signed", "session_date"),
    )

    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: The note's case, repeated so triggers and listings need no join (a trigger checks it).
    case_id: Mapped[int] = mapped_column(Integer)
    session_date: Mapped[dt.date] = mapped_column(Date)
    duration_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: Partner keys of those who attended, e.g. ["A", "B"].
    attended: Mapped[list[str]] = mapped_column(JSON, default=list)
    pacing_template_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: The pacing-plan stage at this session (0-based), its title as it read then, and progress.
    pacing_stage: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pacing_stage_title: Mapped[str] = mapped_column(String, default="")
    stage_progress: Mapped[str | None] = mapped_column(String(32), nullable=True)
    #: [{"id": section id, "text": ...}] in the format's order.
    sections: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    #: The sections' texts joined, which the search index reads.
    body: Mapped[str] = mapped_column(Text, default="")
    content_version: Mapped[str] = mapped_column(String(32), default="")
    saved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    saved_by: Mapped[str] = mapped_column(String, default="")
    signed: Mapped[bool] = mapped_column(default=False)
    signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    signed_by: Mapped[str | None] = mapped_column(String, nullable=True)


class NoteAddendum(Base):
    """An addendum to a signed note: numbered in order, signed by its author when written."""

    __tablename__ = "note_addenda"
    __table_args__ = (
        UniqueConstraint("note_id", "position", name="uq_note_addenda_position"),
        Index("ix_note_addenda_case_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    signed_by: Mapped[str] = mapped_column(String)


class PsychotherapyNote(Base):
    """A psychotherapy note (HIPAA's sense): kept apart from the record, every view audited."""

    __tablename__ = "psychotherapy_notes"
    __table_args__ = (Index("ix_psychotherapy_notes_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    #: The session it belongs to, when the clinician linked one (a plain id, no cascade).
    session_note_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    session_date: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by: Mapped[str] = mapped_column(String, default="")


class PsychotherapyNoteVersion(Base):
    """One version of a psychotherapy note's text; never changed once written."""

    __tablename__ = "psychotherapy_note_versions"
    __table_args__ = (
        CheckConstraint("version >= 1", name="ck_psychotherapy_note_versions_version"),
        Index("ix_psychotherapy_note_versions_case_id", "case_id"),
    )

    note_id: Mapped[int] = mapped_column(
        ForeignKey("psychotherapy_notes.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    case_id: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text, default="")
    saved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    saved_by: Mapped[str] = mapped_column(String, default="")


class MeasureAdministration(Base):
    """An instrument re-administered to one partner at a later session (never changed)."""

    __tablename__ = "measure_administrations"
    __table_args__ = (
        Index("ix_measure_administrations_case", "case_id", "instrument", "taken_on"),
        Index("ix_measure_administrations_partner_id", "partner_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    instrument: Mapped[str] = mapped_column(String(16))
    taken_on: Mapped[dt.date] = mapped_column(Date)
    #: Item scores (a list), or {"exposed", "items"} for PC-PTSD-5.
    answer: Mapped[Any] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer)
    band: Mapped[str | None] = mapped_column(String(32), nullable=True)
    threshold: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: The session note it was recorded with, if any (a plain id, no cascade).
    note_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_version: Mapped[str] = mapped_column(String(32), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    recorded_by: Mapped[str] = mapped_column(String, default="")


class DisposalAuthorisation(Base):
    """Present only inside a secure-disposal transaction: lets the triggers allow deletes."""

    __tablename__ = "disposal_authorisations"

    case_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    authorised_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
