"""Record-keeping content: session-note formats, stage progress, psychotherapy notes, retention.

`load_note_formats()` reads content/note_formats.toml once, validates it (unknown keys, empty
titles, duplicate ids, sources that do not cite clinical-research.md) and returns frozen values.
Any problem raises ContentError naming the file, the key path and the problem.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from clinical.errors import ContentError

NOTE_FORMATS_FILE = Path(__file__).with_name("content") / "note_formats.toml"

_SLUG = r"^[a-z][a-z0-9_-]*$"
_SOURCE = re.compile(r"^clinical-research\.md §\d+(\.\d+)*( \(.+\))?$")


class _Strict(BaseModel):
    """Frozen, and unknown keys are errors: a misspelt key must not be silently ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_sources(sources: tuple[str, ...]) -> tuple[str, ...]:
    for source in sources:
        if not _SOURCE.match(source):
            raise ValueError(
                "a source must read 'clinical-research.md §<section>' with an optional note in "
                "brackets"
            )
    return sources


class NoteSection(_Strict):
    """One section of a note format: its stable id, its title and the prompt in its empty box."""

    id: str = Field(pattern=_SLUG)
    title: str = Field(min_length=1)
    prompt: str = Field(min_length=1)


class NoteFormat(_Strict):
    """A session-note format (SOAP, DAP, BIRP) with its sections in order."""

    id: str = Field(pattern=_SLUG)
    title: str = Field(min_length=1)
    full_title: str = Field(min_length=1)
    summary: str = ""
    sources: tuple[str, ...] = Field(min_length=1)
    sections: tuple[NoteSection, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _valid(self) -> NoteFormat:
        _check_sources(self.sources)
        ids = [section.id for section in self.sections]
        if len(set(ids)) != len(ids):
            raise ValueError("section ids must be unique within a format")
        return self

    def section(self, section_id: str) -> NoteSection | None:
        """The section with this id, or None."""
        return next((s for s in self.sections if s.id == section_id), None)


class StageProgress(_Strict):
    """Where the couple stands in their pacing plan at a session."""

    id: str = Field(pattern=_SLUG)
    label: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _valid(self) -> StageProgress:
        _check_sources(self.sources)
        return self


class PsychotherapyNotesWording(_Strict):
    """What psychotherapy notes are, as the clinician reads it beside them."""

    title: str = Field(min_length=1)
    explanation: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _valid(self) -> PsychotherapyNotesWording:
        _check_sources(self.sources)
        return self


class RetentionRule(_Strict):
    """The default retention period and the rule for partners who were minors."""

    default_years: int = Field(ge=1, le=100)
    age_of_majority: int = Field(ge=14, le=25)
    years_after_majority: int = Field(ge=0, le=30)
    explanation: str = Field(min_length=1)
    disposal_warning: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _valid(self) -> RetentionRule:
        _check_sources(self.sources)
        return self

    def keep_until(
        self,
        last_service: dt.date,
        years: int,
        birth_dates: tuple[dt.date | None, ...] = (),
    ) -> dt.date:
        """The first day a record may be disposed of.

        `years` after the last date of service, or, for a partner born on one of
        `birth_dates` who was a minor at the last service, `years_after_majority` after they
        came of age, whichever is later (the APA guidance, clinical-research.md §4.4).
        """
        until = add_years(last_service, years)
        for born in birth_dates:
            if born is None:
                continue
            of_age = add_years(born, self.age_of_majority)
            if last_service < of_age:
                until = max(until, add_years(of_age, self.years_after_majority))
        return until


def add_years(day: dt.date, years: int) -> dt.date:
    """`day` moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class NoteFormats(_Strict):
    """Everything in note_formats.toml, validated."""

    version: str = Field(min_length=1)
    default_format: str
    formats: tuple[NoteFormat, ...] = Field(min_length=1)
    stage_progress: tuple[StageProgress, ...] = Field(min_length=1)
    psychotherapy_notes: PsychotherapyNotesWording
    retention: RetentionRule

    @model_validator(mode="after")
    def _valid(self) -> NoteFormats:
        ids = [note_format.id for note_format in self.formats]
        if len(set(ids)) != len(ids):
            raise ValueError("format ids must be unique")
        if self.default_format not in ids:
            raise ValueError(f"default_format {self.default_format!r} is not a format id")
        progress_ids = [progress.id for progress in self.stage_progress]
        if len(set(progress_ids)) != len(progress_ids):
            raise ValueError("stage_progress ids must be unique")
        return self

    @property
    def by_id(self) -> Mapping[str, NoteFormat]:
        """The formats by id, in file order."""
        return {note_format.id: note_format for note_format in self.formats}

    def format(self, format_id: str) -> NoteFormat:
        """The format with this id.

        Raises:
            KeyError: no such format.
        """
        found = self.by_id.get(format_id)
        if found is None:
            raise KeyError(format_id)
        return found

    def progress_label(self, progress_id: str | None) -> str:
        """The label of a stage-progress id ("" for None or an id no longer in the content)."""
        if progress_id is None:
            return ""
        return next((p.label for p in self.stage_progress if p.id == progress_id), "")


def _location(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif path:
            path += f".{part}"
        else:
            path = str(part)
    return path or "(top level)"


def parse_note_formats(data: Mapping[str, Any], name: str = "note_formats.toml") -> NoteFormats:
    """Validate already-parsed TOML data.

    Raises:
        ContentError: the data breaks the schema; the message names the file and key.
    """
    try:
        return NoteFormats.model_validate(dict(data))
    except ValidationError as error:
        first = error.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        raise ContentError(f"{name}: {_location(tuple(first['loc']))}: {message}") from None


def _load(path: Path) -> NoteFormats:
    try:
        with path.open("rb") as stream:
            data = tomllib.load(stream)
    except FileNotFoundError:
        raise ContentError(f"{path.name}: the file is missing from {path.parent}") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path.name}: not valid TOML: {error}") from None
    except OSError as error:
        raise ContentError(f"{path.name}: cannot be read ({error.strerror})") from None
    return parse_note_formats(data, path.name)


@functools.cache
def _load_default() -> NoteFormats:
    return _load(NOTE_FORMATS_FILE)


def load_note_formats(path: Path | None = None) -> NoteFormats:
    """Load and validate the record-keeping content.

    Args:
        path: a note_formats.toml to read; None for the shipped file (read once, cached).

    Raises:
        ContentError: the file is missing, not valid TOML, or breaks its schema.
    """
    return _load_default() if path is None else _load(path)
