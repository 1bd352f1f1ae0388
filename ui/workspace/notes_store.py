"""The open case's notes, psychotherapy notes and measures, shared by the pages that show them.

One store per case, kept as a child of its CaseSession (`records_for(case)`), so the notes,
measures and timeline pages see the same lists and refresh together. Every read and write goes
to the vault through the case's gateway (the task runner); results come back on the UI thread.
A psychotherapy note's text is never kept here: it is read, and audited, each time it is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from clinical.model import InstrumentAnswer, MeasurePoint
from clinical.note_formats import NoteFormats, load_note_formats
from db.services import measures as measure_service
from db.services import notes as note_service
from db.services.measures import MeasureRecord, measure_points
from db.services.notes import (
    AddendumInfo,
    NoteDraft,
    NoteInfo,
    NoteVersionInfo,
    PsychotherapyNoteInfo,
    PsychotherapyNoteText,
)
from ui.tasks import describe_error
from ui.workspace.case_session import CaseSession

T = TypeVar("T")

_STORE_NAME = "parley-case-records"


class CaseRecords(QObject):
    """Session notes, psychotherapy notes (dates only) and measures of the open case.

    Attributes:
        notes: the case's session notes, newest session first (empty until loaded).
        psychotherapy: the case's psychotherapy notes' dates and counts, newest first.
        measures: every stored re-administration, oldest first.
        formats: the note formats and record-keeping wording.
        alive: whether the store (and so its case) still exists; callbacks check it.

    Signals:
        notes_changed(): the list of session notes changed (loaded, saved, signed ...).
        psychotherapy_changed(): a psychotherapy note was written or the list loaded.
        measures_changed(): a measure was recorded or the list loaded.
        failed(str): a read or write failed; the message is safe to show.
    """

    notes_changed = Signal()
    psychotherapy_changed = Signal()
    measures_changed = Signal()
    failed = Signal(str)

    def __init__(self, case: CaseSession) -> None:
        super().__init__(case)
        self.setObjectName(_STORE_NAME)
        self.case = case
        self.formats: NoteFormats = load_note_formats()
        self.notes: tuple[NoteInfo, ...] = ()
        self.psychotherapy: tuple[PsychotherapyNoteInfo, ...] = ()
        self.measures: tuple[MeasureRecord, ...] = ()
        self.notes_loaded = False
        self.measures_loaded = False
        # Results of work queued before the case closed must not reach a deleted object.
        self.alive = lifeline(self)
        self.reload()

    # ------------------------------------------------------------------ helpers

    @property
    def clinician(self) -> str:
        """The practice's clinician, who signs notes by default."""
        return self.case.practice.clinician_name

    def _call(
        self,
        service: Callable[..., T],
        *args: Any,
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        alive = self.alive

        def done(result: T) -> None:
            if alive() and on_done is not None:
                on_done(result)

        def failed(error: BaseException) -> None:
            if not alive():
                return  # the case was closed meanwhile; its screens are gone
            message = describe_error(error)
            if on_error is not None:
                on_error(message)
            else:
                self.failed.emit(message)

        self.case.gateway.call(service, *args, on_done=done, on_error=failed)

    def note(self, note_id: int) -> NoteInfo | None:
        return next((note for note in self.notes if note.id == note_id), None)

    def _replace_note(self, info: NoteInfo) -> None:
        others = [note for note in self.notes if note.id != info.id]
        others.append(info)
        others.sort(key=lambda n: (n.session_date, n.id), reverse=True)
        self.notes = tuple(others)
        self.notes_changed.emit()

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        """Read the notes, the psychotherapy notes' dates and the measures again."""
        case_id = self.case.case_id

        def notes_loaded(notes: tuple[NoteInfo, ...]) -> None:
            self.notes = notes
            self.notes_loaded = True
            self.notes_changed.emit()

        def private_loaded(items: tuple[PsychotherapyNoteInfo, ...]) -> None:
            self.psychotherapy = items
            self.psychotherapy_changed.emit()

        def measures_loaded(records: tuple[MeasureRecord, ...]) -> None:
            self.measures = records
            self.measures_loaded = True
            self.measures_changed.emit()

        self._call(note_service.list_notes, case_id, on_done=notes_loaded)
        self._call(note_service.list_psychotherapy_notes, case_id, on_done=private_loaded)
        self._call(
            measure_service.list_measures, case_id, self.case.content, on_done=measures_loaded
        )

    # ------------------------------------------------------------------ session notes

    def create_note(
        self,
        note_format: str,
        draft: NoteDraft,
        on_done: Callable[[NoteInfo], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        def done(info: NoteInfo) -> None:
            self._replace_note(info)
            on_done(info)

        self._call(
            note_service.create_note,
            self.case.case_id,
            note_format,
            draft,
            self.clinician,
            self.formats,
            on_done=done,
            on_error=on_error,
        )

    def save_draft(
        self,
        note_id: int,
        draft: NoteDraft,
        based_on: int,
        on_done: Callable[[NoteInfo], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        def done(info: NoteInfo) -> None:
            self._replace_note(info)
            on_done(info)

        self._call(
            lambda session: note_service.save_note_draft(
                session, note_id, draft, self.clinician, based_on=based_on, formats=self.formats
            ),
            on_done=done,
            on_error=on_error,
        )

    def sign(
        self,
        note_id: int,
        signer: str,
        draft: NoteDraft,
        based_on: int,
        on_done: Callable[[NoteInfo], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        def done(info: NoteInfo) -> None:
            self._replace_note(info)
            on_done(info)

        self._call(
            lambda session: note_service.sign_note(
                session, note_id, signer, draft=draft, based_on=based_on, formats=self.formats
            ),
            on_done=done,
            on_error=on_error,
        )

    def add_addendum(
        self,
        note_id: int,
        text: str,
        signer: str,
        on_done: Callable[[AddendumInfo], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        def done(addendum: AddendumInfo) -> None:
            self._call(note_service.get_note, note_id, on_done=self._replace_note)
            on_done(addendum)

        self._call(
            note_service.add_addendum, note_id, text, signer, on_done=done, on_error=on_error
        )

    def versions(
        self, note_id: int, on_done: Callable[[tuple[NoteVersionInfo, ...]], None]
    ) -> None:
        self._call(note_service.note_versions, note_id, on_done=on_done)

    # ------------------------------------------------------------------ psychotherapy notes

    def _reload_private(self) -> None:
        def loaded(items: tuple[PsychotherapyNoteInfo, ...]) -> None:
            self.psychotherapy = items
            self.psychotherapy_changed.emit()

        self._call(note_service.list_psychotherapy_notes, self.case.case_id, on_done=loaded)

    def write_psychotherapy_note(
        self,
        session_date: dt.date,
        text: str,
        session_note_id: int | None,
        on_done: Callable[[PsychotherapyNoteInfo], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        def done(info: PsychotherapyNoteInfo) -> None:
            self._reload_private()
            on_done(info)

        self._call(
            note_service.create_psychotherapy_note,
            self.case.case_id,
            session_date,
            text,
            self.clinician,
            session_note_id,
            on_done=done,
            on_error=on_error,
        )

    def save_psychotherapy_note(
        self,
        note_id: int,
        text: str,
        based_on: int,
        on_done: Callable[[PsychotherapyNoteInfo], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        def done(info: PsychotherapyNoteInfo) -> None:
            self._reload_private()
            on_done(info)

        self._call(
            lambda session: note_service.save_psychotherapy_note(
                session, note_id, text, self.clinician, based_on=based_on
            ),
            on_done=done,
            on_error=on_error,
        )

    def read_psychotherapy_note(
        self,
        note_id: int,
        on_done: Callable[[PsychotherapyNoteText], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Read a psychotherapy note's text; the vault records the view first."""
        self._call(
            note_service.read_psychotherapy_note, note_id, on_done=on_done, on_error=on_error
        )

    # ------------------------------------------------------------------ measures

    def record_measure(
        self,
        partner: str,
        instrument: str,
        answer: InstrumentAnswer,
        taken_on: dt.date,
        on_done: Callable[[MeasureRecord], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        def done(record: MeasureRecord) -> None:
            self.measures = (*self.measures, record)
            self.measures_changed.emit()
            on_done(record)

        self._call(
            measure_service.record_measure,
            self.case.case_id,
            partner,
            instrument,
            answer,
            taken_on,
            self.clinician,
            None,
            self.case.content,
            on_done=done,
            on_error=on_error,
        )

    def measure_points(self) -> tuple[MeasurePoint, ...]:
        """The case's measures over time, with the intake's scores as they are on screen."""
        return measure_points(
            self.measures, self.case.evaluation, self.case.detail.summary.created_at.date()
        )


def lifeline(widget: QObject) -> Callable[[], bool]:
    """A check that `widget` still exists, safe to call after Qt deleted it.

    A result of vault work can arrive after the screen that asked for it was closed; callbacks
    ask this first instead of touching a deleted widget.
    """
    life = {"alive": True}
    widget.destroyed.connect(lambda *_: life.update(alive=False))
    return lambda: life["alive"]


def records_for(case: CaseSession) -> CaseRecords:
    """The case's shared record store, made the first time a page asks for it."""
    found = case.findChild(CaseRecords, _STORE_NAME)
    if isinstance(found, CaseRecords):
        return found
    return CaseRecords(case)
