"""Session notes (SOAP, DAP, BIRP) with every version kept, signing, addenda; psychotherapy notes.

A session note is a draft until signed. Each save of a draft inserts a new version (after
SQLAlchemy's examples/versioned_rows: never overwrite, insert), so every earlier version can be
read back. Signing inserts one last version marked signed, with the clinician's name and the
time; after that only addenda can be added, numbered in order and each signed by its author.
These services refuse any change to a signed note, and migration 0004's triggers refuse it in
the database too, whoever tries.

Psychotherapy notes (HIPAA's sense, clinical-research.md §4.2) live in their own tables and
their own search index; they are never part of a case snapshot, report or export. Listing them
shows dates only; reading one's text records a `psychotherapy-note-viewed` event naming the
note by id, never its text.

Audit events name notes and cases by id; the texts never reach the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clinical.note_formats import NoteFormat, NoteFormats, load_note_formats
from db import audit
from db.errors import InvalidRecordError, RecordNotFoundError
from db.models import (
    Note,
    NoteAddendum,
    NoteVersion,
    Partner,
    PsychotherapyNote,
    PsychotherapyNoteVersion,
    utc_now,
)
from db.services.cases import _load_case

#: Longest text one section, addendum or psychotherapy note may hold (about 30 pages).
MAX_TEXT_LENGTH = 100_000
#: Longest session length accepted, in minutes (a whole day).
MAX_DURATION_MINUTES = 24 * 60

NoteStatus = Literal["draft", "signed"]


class SignedNoteError(InvalidRecordError):
    """A change to a signed note was refused; only an addendum can follow it."""

    def __init__(self, note_id: int) -> None:
        super().__init__(f"note {note_id} is signed and cannot be changed; add an addendum instead")


class NoteConflictError(InvalidRecordError):
    """The note changed since the editor loaded it; nothing was saved over the newer version."""

    def __init__(self, note_id: int) -> None:
        super().__init__(
            f"note {note_id} was changed elsewhere since you opened it; nothing was "
            "overwritten. Reopen the note to see the newest version"
        )


# ------------------------------------------------------------------------------ values


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """What the clinician wrote for a session, as the editor holds it.

    Attributes:
        sections: text by section id of the note's format; missing sections are empty.
        attended: keys of the partners who attended ("A", "B").
        duration_minutes: the session's length; None when not recorded.
        pacing_template_id, pacing_stage, pacing_stage_title: the pacing-plan stage at this
            session (0-based stage index, and its title as it read then).
        stage_progress: an id from note_formats.toml [[stage_progress]], or None.
    """

    session_date: dt.date
    sections: Mapping[str, str] = field(default_factory=dict)
    attended: tuple[str, ...] = ()
    duration_minutes: int | None = None
    pacing_template_id: str | None = None
    pacing_stage: int | None = None
    pacing_stage_title: str = ""
    stage_progress: str | None = None


@dataclass(frozen=True, slots=True)
class NoteVersionInfo:
    """One stored version of a session note."""

    note_id: int
    version: int
    session_date: dt.date
    duration_minutes: int | None
    attended: tuple[str, ...]
    pacing_template_id: str | None
    pacing_stage: int | None
    pacing_stage_title: str
    stage_progress: str | None
    sections: Mapping[str, str]
    content_version: str
    saved_at: dt.datetime
    saved_by: str
    signed: bool
    signed_at: dt.datetime | None
    signed_by: str | None

    def draft(self) -> NoteDraft:
        """This version's content as a draft (to start editing from it)."""
        return NoteDraft(
            session_date=self.session_date,
            sections=dict(self.sections),
            attended=self.attended,
            duration_minutes=self.duration_minutes,
            pacing_template_id=self.pacing_template_id,
            pacing_stage=self.pacing_stage,
            pacing_stage_title=self.pacing_stage_title,
            stage_progress=self.stage_progress,
        )


@dataclass(frozen=True, slots=True)
class AddendumInfo:
    """An addendum to a signed note, signed by its author."""

    id: int
    note_id: int
    position: int
    body: str
    signed_at: dt.datetime
    signed_by: str


@dataclass(frozen=True, slots=True)
class NoteInfo:
    """A session note as it stands: its newest version, how many there are, its addenda."""

    id: int
    case_id: int
    note_format: str
    created_at: dt.datetime
    created_by: str
    current: NoteVersionInfo
    version_count: int
    addenda: tuple[AddendumInfo, ...] = ()

    @property
    def status(self) -> NoteStatus:
        return "signed" if self.current.signed else "draft"

    @property
    def is_signed(self) -> bool:
        return self.current.signed

    @property
    def session_date(self) -> dt.date:
        return self.current.session_date


@dataclass(frozen=True, slots=True)
class PsychotherapyNoteInfo:
    """A psychotherapy note's dates and counts; never its text (reading that is audited)."""

    id: int
    case_id: int
    session_date: dt.date
    session_note_id: int | None
    created_at: dt.datetime
    created_by: str
    version_count: int
    last_saved_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PsychotherapyNoteText:
    """The text of one version of a psychotherapy note, as read (and audited)."""

    note_id: int
    version: int
    body: str
    saved_at: dt.datetime
    saved_by: str


# ------------------------------------------------------------------------------ helpers


def _formats(formats: NoteFormats | None) -> NoteFormats:
    return formats or load_note_formats()


def _note_format(formats: NoteFormats, format_id: str) -> NoteFormat:
    try:
        return formats.format(format_id)
    except KeyError:
        known = ", ".join(f.title for f in formats.formats)
        raise InvalidRecordError(f"unknown note format; choose one of {known}") from None


def _partner_keys(session: Session, case_id: int) -> set[str]:
    return set(session.scalars(select(Partner.key).where(Partner.case_id == case_id)))


def _check_text(text: str, what: str) -> str:
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidRecordError(f"{what} is too long (at most {MAX_TEXT_LENGTH:,} characters)")
    return text


def _clean_draft(
    session: Session, case_id: int, note_format: NoteFormat, draft: NoteDraft, formats: NoteFormats
) -> tuple[list[dict[str, str]], str, list[str]]:
    """Check a draft against its case and format; return (sections, search body, attended)."""
    unknown = [key for key in draft.sections if note_format.section(key) is None]
    if unknown:
        raise InvalidRecordError(f"{note_format.title} notes have no section {unknown[0]!r}")
    sections = []
    for section in note_format.sections:
        text = _check_text(draft.sections.get(section.id, ""), section.title)
        sections.append({"id": section.id, "text": text})
    keys = _partner_keys(session, case_id)
    attended = []
    for key in draft.attended:
        if key not in keys:
            raise InvalidRecordError(f"partner {key} is not in this case")
        if key not in attended:
            attended.append(key)
    if draft.duration_minutes is not None and not (
        0 < draft.duration_minutes <= MAX_DURATION_MINUTES
    ):
        raise InvalidRecordError(
            f"a session lasts from 1 to {MAX_DURATION_MINUTES} minutes (or leave it empty)"
        )
    if draft.stage_progress is not None and not formats.progress_label(draft.stage_progress):
        raise InvalidRecordError("unknown pacing-stage progress")
    if draft.pacing_stage is not None and draft.pacing_stage < 0:
        raise InvalidRecordError("a pacing-plan stage is numbered from the first")
    today = dt.date.today()
    if draft.session_date > today + dt.timedelta(days=1):
        raise InvalidRecordError("a session note cannot be dated in the future")
    body = "\n".join(item["text"].strip() for item in sections if item["text"].strip())
    return sections, body, attended


def _version_info(row: NoteVersion) -> NoteVersionInfo:
    return NoteVersionInfo(
        note_id=row.note_id,
        version=row.version,
        session_date=row.session_date,
        duration_minutes=row.duration_minutes,
        attended=tuple(row.attended or ()),
        pacing_template_id=row.pacing_template_id,
        pacing_stage=row.pacing_stage,
        pacing_stage_title=row.pacing_stage_title,
        stage_progress=row.stage_progress,
        sections={str(item["id"]): str(item["text"]) for item in (row.sections or [])},
        content_version=row.content_version,
        saved_at=row.saved_at,
        saved_by=row.saved_by,
        signed=bool(row.signed),
        signed_at=row.signed_at,
        signed_by=row.signed_by,
    )


def _addendum_info(row: NoteAddendum) -> AddendumInfo:
    return AddendumInfo(
        id=row.id,
        note_id=row.note_id,
        position=row.position,
        body=row.body,
        signed_at=row.signed_at,
        signed_by=row.signed_by,
    )


def _load_note(session: Session, note_id: int) -> Note:
    note = session.get(Note, note_id)
    if note is None:
        raise RecordNotFoundError(f"note {note_id} does not exist (it may have been disposed of)")
    return note


def _newest_version(session: Session, note_id: int) -> NoteVersion:
    row = session.scalar(
        select(NoteVersion)
        .where(NoteVersion.note_id == note_id)
        .order_by(NoteVersion.version.desc())
        .limit(1)
    )
    if row is None:  # a note is always created with its first version
        raise RecordNotFoundError(f"note {note_id} has no saved version")
    return row


def _note_info(session: Session, note: Note) -> NoteInfo:
    newest = _newest_version(session, note.id)
    addenda = session.scalars(
        select(NoteAddendum).where(NoteAddendum.note_id == note.id).order_by(NoteAddendum.position)
    )
    return NoteInfo(
        id=note.id,
        case_id=note.case_id,
        note_format=note.note_format,
        created_at=note.created_at,
        created_by=note.created_by,
        current=_version_info(newest),
        version_count=newest.version,
        addenda=tuple(_addendum_info(row) for row in addenda),
    )


def _insert_version(
    session: Session,
    note: Note,
    number: int,
    sections: list[dict[str, str]],
    body: str,
    attended: list[str],
    draft: NoteDraft,
    by: str,
    formats: NoteFormats,
    *,
    signed_at: dt.datetime | None = None,
) -> NoteVersion:
    now = utc_now()
    row = NoteVersion(
        note_id=note.id,
        version=number,
        case_id=note.case_id,
        session_date=draft.session_date,
        duration_minutes=draft.duration_minutes,
        attended=attended,
        pacing_template_id=draft.pacing_template_id,
        pacing_stage=draft.pacing_stage,
        pacing_stage_title=draft.pacing_stage_title.strip(),
        stage_progress=draft.stage_progress,
        sections=sections,
        body=body,
        content_version=formats.version,
        saved_at=now,
        saved_by=by.strip(),
        signed=signed_at is not None,
        signed_at=signed_at,
        signed_by=by.strip() if signed_at is not None else None,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as error:
        # The database's own guard (migration 0004) caught what the checks above let through,
        # for instance a note signed by another window a moment ago.
        if "signed note" in str(error.orig):
            raise SignedNoteError(note.id) from None
        if "numbered in order" in str(error.orig):
            raise NoteConflictError(note.id) from None
        raise
    return row


def _same_content(
    row: NoteVersion, sections: list[dict[str, str]], attended: list[str], draft: NoteDraft
) -> bool:
    return (
        row.sections == sections
        and list(row.attended or ()) == attended
        and row.session_date == draft.session_date
        and row.duration_minutes == draft.duration_minutes
        and row.pacing_template_id == draft.pacing_template_id
        and row.pacing_stage == draft.pacing_stage
        and row.pacing_stage_title == draft.pacing_stage_title.strip()
        and row.stage_progress == draft.stage_progress
    )


# ------------------------------------------------------------------------------ session notes


def create_note(
    session: Session,
    case_id: int,
    note_format: str,
    draft: NoteDraft,
    by: str = "",
    formats: NoteFormats | None = None,
) -> NoteInfo:
    """Begin a session note in `note_format` ("soap", "dap", "birp"); its first version is saved.

    Raises:
        RecordNotFoundError: no such case.
        InvalidRecordError: an unknown format or section, a partner not in the case, a
            duration or date out of range, or an over-long text.
    """
    formats = _formats(formats)
    _load_case(session, case_id)
    chosen = _note_format(formats, note_format)
    sections, body, attended = _clean_draft(session, case_id, chosen, draft, formats)
    note = Note(case_id=case_id, note_format=chosen.id, created_at=utc_now(), created_by=by.strip())
    session.add(note)
    session.flush()
    _insert_version(session, note, 1, sections, body, attended, draft, by, formats)
    audit.append_event(
        session,
        "note-created",
        record_type="note",
        record_id=note.id,
        details={"case": case_id, "format": chosen.id},
    )
    return _note_info(session, note)


def save_note_draft(
    session: Session,
    note_id: int,
    draft: NoteDraft,
    by: str = "",
    *,
    based_on: int | None = None,
    formats: NoteFormats | None = None,
) -> NoteInfo:
    """Save a draft as the note's next version; an unchanged draft stores nothing.

    Args:
        based_on: the version the editor started from; when the note has moved on since
            (another window saved), nothing is saved and NoteConflictError is raised.

    Raises:
        RecordNotFoundError: no such note.
        SignedNoteError: the note is signed.
        NoteConflictError: the note has a newer version than `based_on`.
        InvalidRecordError: the draft does not fit the note's case or format.
    """
    formats = _formats(formats)
    note = _load_note(session, note_id)
    newest = _newest_version(session, note_id)
    if newest.signed:
        raise SignedNoteError(note_id)
    if based_on is not None and based_on != newest.version:
        raise NoteConflictError(note_id)
    chosen = _note_format(formats, note.note_format)
    sections, body, attended = _clean_draft(session, note.case_id, chosen, draft, formats)
    if _same_content(newest, sections, attended, draft):
        return _note_info(session, note)
    row = _insert_version(
        session, note, newest.version + 1, sections, body, attended, draft, by, formats
    )
    audit.append_event(
        session,
        "note-saved",
        record_type="note",
        record_id=note.id,
        details={"case": note.case_id, "version": row.version},
    )
    return _note_info(session, note)


def sign_note(
    session: Session,
    note_id: int,
    by: str,
    *,
    draft: NoteDraft | None = None,
    based_on: int | None = None,
    formats: NoteFormats | None = None,
) -> NoteInfo:
    """Sign the note: its final version is stored with `by` and the time; it is locked after.

    Args:
        by: the signing clinician's name (required).
        draft: content to sign, when the editor holds changes not saved yet; None signs the
            newest saved version as it is.
        based_on: as in `save_note_draft`.

    Raises:
        SignedNoteError: the note is already signed.
        NoteConflictError: the note has a newer version than `based_on`.
        InvalidRecordError: no name to sign with, or nothing written in the note.
    """
    formats = _formats(formats)
    signer = by.strip()
    if not signer:
        raise InvalidRecordError(
            "a note is signed with the clinician's name: add it in Practice settings first"
        )
    note = _load_note(session, note_id)
    newest = _newest_version(session, note_id)
    if newest.signed:
        raise SignedNoteError(note_id)
    if based_on is not None and based_on != newest.version:
        raise NoteConflictError(note_id)
    chosen = _note_format(formats, note.note_format)
    content = draft or _version_info(newest).draft()
    sections, body, attended = _clean_draft(session, note.case_id, chosen, content, formats)
    if not body.strip():
        raise InvalidRecordError("write the note before signing it")
    row = _insert_version(
        session,
        note,
        newest.version + 1,
        sections,
        body,
        attended,
        content,
        signer,
        formats,
        signed_at=utc_now(),
    )
    audit.append_event(
        session,
        "note-signed",
        record_type="note",
        record_id=note.id,
        details={"case": note.case_id, "version": row.version},
    )
    return _note_info(session, note)


def add_addendum(session: Session, note_id: int, text: str, by: str) -> AddendumInfo:
    """Add a signed addendum to a signed note; addenda are numbered in the order written.

    Raises:
        RecordNotFoundError: no such note.
        InvalidRecordError: the note is not signed yet, the text is empty or too long, or
            there is no name to sign with.
    """
    note = _load_note(session, note_id)
    signer = by.strip()
    if not signer:
        raise InvalidRecordError(
            "an addendum is signed with the clinician's name: add it in Practice settings first"
        )
    body = _check_text(text.strip(), "the addendum")
    if not body:
        raise InvalidRecordError("write the addendum before adding it")
    if not _newest_version(session, note_id).signed:
        raise InvalidRecordError("addenda follow a signed note: sign the note, or edit the draft")
    position = (
        session.scalar(
            select(func.max(NoteAddendum.position)).where(NoteAddendum.note_id == note_id)
        )
        or 0
    ) + 1
    row = NoteAddendum(
        note_id=note.id,
        case_id=note.case_id,
        position=position,
        body=body,
        signed_at=utc_now(),
        signed_by=signer,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as error:
        if "numbered in order" in str(error.orig) or "UNIQUE" in str(error.orig):
            raise NoteConflictError(note_id) from None
        raise
    audit.append_event(
        session,
        "note-addendum",
        record_type="note",
        record_id=note.id,
        details={"case": note.case_id, "position": position},
    )
    return _addendum_info(row)


def get_note(session: Session, note_id: int) -> NoteInfo:
    """A note as it stands now.

    Raises:
        RecordNotFoundError: no such note.
    """
    return _note_info(session, _load_note(session, note_id))


def list_notes(session: Session, case_id: int) -> tuple[NoteInfo, ...]:
    """The case's session notes, newest session first (then newest note first)."""
    _load_case(session, case_id)
    newest_numbers = (
        select(NoteVersion.note_id, func.max(NoteVersion.version).label("newest"))
        .where(NoteVersion.case_id == case_id)
        .group_by(NoteVersion.note_id)
        .subquery()
    )
    rows = session.execute(
        select(Note, NoteVersion)
        .join(newest_numbers, newest_numbers.c.note_id == Note.id)
        .join(
            NoteVersion,
            (NoteVersion.note_id == Note.id) & (NoteVersion.version == newest_numbers.c.newest),
        )
        .where(Note.case_id == case_id)
    ).all()
    addenda: dict[int, list[AddendumInfo]] = {}
    for row in session.scalars(
        select(NoteAddendum)
        .where(NoteAddendum.case_id == case_id)
        .order_by(NoteAddendum.note_id, NoteAddendum.position)
    ):
        addenda.setdefault(row.note_id, []).append(_addendum_info(row))
    notes = [
        NoteInfo(
            id=note.id,
            case_id=note.case_id,
            note_format=note.note_format,
            created_at=note.created_at,
            created_by=note.created_by,
            current=_version_info(version),
            version_count=version.version,
            addenda=tuple(addenda.get(note.id, ())),
        )
        for note, version in rows
    ]
    notes.sort(key=lambda n: (n.session_date, n.id), reverse=True)
    return tuple(notes)


def note_versions(session: Session, note_id: int) -> tuple[NoteVersionInfo, ...]:
    """Every stored version of a note, oldest first.

    Raises:
        RecordNotFoundError: no such note.
    """
    _load_note(session, note_id)
    rows = session.scalars(
        select(NoteVersion).where(NoteVersion.note_id == note_id).order_by(NoteVersion.version)
    )
    return tuple(_version_info(row) for row in rows)


# ------------------------------------------------------------------------------ psychotherapy


def _load_private(session: Session, note_id: int) -> PsychotherapyNote:
    note = session.get(PsychotherapyNote, note_id)
    if note is None:
        raise RecordNotFoundError(
            f"psychotherapy note {note_id} does not exist (it may have been disposed of)"
        )
    return note


def _private_info(session: Session, note: PsychotherapyNote) -> PsychotherapyNoteInfo:
    count, last = session.execute(
        select(
            func.max(PsychotherapyNoteVersion.version), func.max(PsychotherapyNoteVersion.saved_at)
        ).where(PsychotherapyNoteVersion.note_id == note.id)
    ).one()
    return PsychotherapyNoteInfo(
        id=note.id,
        case_id=note.case_id,
        session_date=note.session_date,
        session_note_id=note.session_note_id,
        created_at=note.created_at,
        created_by=note.created_by,
        version_count=int(count or 0),
        last_saved_at=_as_time(last) if last is not None else note.created_at,
    )


def _as_time(value: object) -> dt.datetime:
    """A saved_at read through an aggregate (raw text), as an aware datetime."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def _check_session_note(session: Session, case_id: int, session_note_id: int | None) -> None:
    if session_note_id is None:
        return
    note = session.get(Note, session_note_id)
    if note is None or note.case_id != case_id:
        raise InvalidRecordError("the session note to link is not in this case")


def create_psychotherapy_note(
    session: Session,
    case_id: int,
    session_date: dt.date,
    text: str,
    by: str = "",
    session_note_id: int | None = None,
) -> PsychotherapyNoteInfo:
    """Write a psychotherapy note for a session (kept apart from the record).

    Raises:
        RecordNotFoundError: no such case.
        InvalidRecordError: an empty or over-long text, or a session note of another case.
    """
    _load_case(session, case_id)
    body = _check_text(text, "the psychotherapy note")
    if not body.strip():
        raise InvalidRecordError("write the psychotherapy note before saving it")
    _check_session_note(session, case_id, session_note_id)
    now = utc_now()
    note = PsychotherapyNote(
        case_id=case_id,
        session_note_id=session_note_id,
        session_date=session_date,
        created_at=now,
        created_by=by.strip(),
    )
    session.add(note)
    session.flush()
    session.add(
        PsychotherapyNoteVersion(
            note_id=note.id, version=1, case_id=case_id, body=body, saved_at=now, saved_by=by
        )
    )
    session.flush()
    audit.append_event(
        session,
        "psychotherapy-note-changed",
        record_type="psychotherapy_note",
        record_id=note.id,
        details={"case": case_id, "version": 1},
    )
    return _private_info(session, note)


def save_psychotherapy_note(
    session: Session,
    note_id: int,
    text: str,
    by: str = "",
    *,
    based_on: int | None = None,
) -> PsychotherapyNoteInfo:
    """Save a new version of a psychotherapy note's text; an unchanged text stores nothing.

    Raises:
        RecordNotFoundError: no such note.
        NoteConflictError: the note has a newer version than `based_on`.
        InvalidRecordError: an empty or over-long text.
    """
    note = _load_private(session, note_id)
    body = _check_text(text, "the psychotherapy note")
    if not body.strip():
        raise InvalidRecordError("a psychotherapy note cannot be emptied; its versions are kept")
    newest = session.scalar(
        select(PsychotherapyNoteVersion)
        .where(PsychotherapyNoteVersion.note_id == note_id)
        .order_by(PsychotherapyNoteVersion.version.desc())
        .limit(1)
    )
    number = newest.version if newest is not None else 0
    if based_on is not None and based_on != number:
        raise NoteConflictError(note_id)
    if newest is not None and newest.body == body:
        return _private_info(session, note)
    session.add(
        PsychotherapyNoteVersion(
            note_id=note.id,
            version=number + 1,
            case_id=note.case_id,
            body=body,
            saved_at=utc_now(),
            saved_by=by.strip(),
        )
    )
    try:
        session.flush()
    except IntegrityError as error:
        if "numbered in order" in str(error.orig):
            raise NoteConflictError(note_id) from None
        raise
    audit.append_event(
        session,
        "psychotherapy-note-changed",
        record_type="psychotherapy_note",
        record_id=note.id,
        details={"case": note.case_id, "version": number + 1},
    )
    return _private_info(session, note)


def list_psychotherapy_notes(session: Session, case_id: int) -> tuple[PsychotherapyNoteInfo, ...]:
    """The case's psychotherapy notes by date, newest first: dates and counts, never text."""
    _load_case(session, case_id)
    notes = session.scalars(
        select(PsychotherapyNote)
        .where(PsychotherapyNote.case_id == case_id)
        .order_by(PsychotherapyNote.session_date.desc(), PsychotherapyNote.id.desc())
    )
    return tuple(_private_info(session, note) for note in notes)


def read_psychotherapy_note(
    session: Session, note_id: int, version: int | None = None
) -> PsychotherapyNoteText:
    """The text of a psychotherapy note (its newest version, or `version`); audited.

    Every call records `psychotherapy-note-viewed` with the note's id and version, never the
    text, in the same transaction: a read that could not be recorded is not returned.

    Raises:
        RecordNotFoundError: no such note or version.
    """
    note = _load_private(session, note_id)
    query = select(PsychotherapyNoteVersion).where(PsychotherapyNoteVersion.note_id == note_id)
    if version is None:
        query = query.order_by(PsychotherapyNoteVersion.version.desc()).limit(1)
    else:
        query = query.where(PsychotherapyNoteVersion.version == version)
    row = session.scalar(query)
    if row is None:
        raise RecordNotFoundError(f"psychotherapy note {note_id} has no version {version}")
    audit.append_event(
        session,
        "psychotherapy-note-viewed",
        record_type="psychotherapy_note",
        record_id=note.id,
        details={"case": note.case_id, "version": row.version},
    )
    return PsychotherapyNoteText(
        note_id=note.id,
        version=row.version,
        body=row.body,
        saved_at=row.saved_at,
        saved_by=row.saved_by,
    )


def note_ids_of_case(session: Session, case_id: int) -> Sequence[int]:
    """Ids of the case's session notes (for disposal and counts)."""
    return list(session.scalars(select(Note.id).where(Note.case_id == case_id)))
