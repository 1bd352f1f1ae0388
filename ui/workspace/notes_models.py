"""Item models of the notes pages: session notes, their versions, psychotherapy notes' dates.

Thin adapters over the frozen values the vault services return: they hold tuples and turn
them into display text; they never read the vault themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from clinical.note_formats import NoteFormats
from db.services.notes import NoteInfo, NoteVersionInfo, PsychotherapyNoteInfo

ItemT = TypeVar("ItemT")
Index = QModelIndex | QPersistentModelIndex

#: The id of the note (or version number) a row stands for.
ID_ROLE = Qt.ItemDataRole.UserRole + 1

SIGNED_MARK = "✔"
DRAFT_MARK = "✎"


def format_day(day: dt.date | None) -> str:
    """A date as a therapist writes it: "4 Mar 2025"."""
    if day is None:
        return ""
    return f"{day.day} {day:%b} {day.year}"


def format_moment(moment: dt.datetime | None) -> str:
    """A stored UTC time in local time: "4 Mar 2025, 10:42"."""
    if moment is None:
        return ""
    local = moment.astimezone()
    return f"{format_day(local.date())}, {local:%H:%M}"


def duration_text(minutes: int | None) -> str:
    return "" if minutes is None else f"{minutes} min"


class _TupleListModel(QAbstractListModel, Generic[ItemT]):
    """A read-only list over a tuple of frozen values."""

    def __init__(self) -> None:
        super().__init__()
        self.items: tuple[ItemT, ...] = ()

    def set_items(self, items: Sequence[ItemT]) -> None:
        self.beginResetModel()
        self.items = tuple(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.items)

    def item(self, row: int) -> ItemT | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def _item_for(self, index: Index) -> ItemT | None:
        if not index.isValid() or index.parent().isValid():
            return None
        return self.item(index.row())


class NoteListModel(_TupleListModel[NoteInfo]):
    """The case's session notes: date, format and status, with the stage and addenda."""

    def __init__(self, formats: NoteFormats) -> None:
        super().__init__()
        self.formats = formats

    def row_of(self, note_id: int) -> int:
        return next((row for row, note in enumerate(self.items) if note.id == note_id), -1)

    def describe(self, note: NoteInfo) -> tuple[str, ...]:
        """The lines a note shows in the list: date and format, status, stage."""
        fmt = self.formats.by_id.get(note.note_format)
        status = f"{SIGNED_MARK} Signed" if note.is_signed else f"{DRAFT_MARK} Draft"
        first = f"{format_day(note.session_date)}  ·  {fmt.title if fmt else note.note_format}"
        bits = [status]
        if note.current.duration_minutes:
            bits.append(duration_text(note.current.duration_minutes))
        if note.addenda:
            count = len(note.addenda)
            bits.append(f"{count} addendum" if count == 1 else f"{count} addenda")
        lines = [first, "  ·  ".join(bits)]
        if note.current.pacing_stage_title:
            lines.append(note.current.pacing_stage_title)
        return tuple(lines)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        note = self._item_for(index)
        if note is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(self.describe(note))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return ", ".join(self.describe(note))
        if role == Qt.ItemDataRole.ToolTipRole:
            if note.is_signed:
                return (
                    f"Signed by {note.current.signed_by} on "
                    f"{format_moment(note.current.signed_at)}; {note.version_count} versions kept"
                )
            return f"Draft, saved {format_moment(note.current.saved_at)}"
        if role == ID_ROLE:
            return note.id
        return None


class VersionListModel(_TupleListModel[NoteVersionInfo]):
    """Every stored version of one note, newest first."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        version = self._item_for(index)
        if version is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            who = f" by {version.saved_by}" if version.saved_by else ""
            kind = f"{SIGNED_MARK} signed" if version.signed else "draft"
            return f"Version {version.version}: {kind}, {format_moment(version.saved_at)}{who}"
        if role == ID_ROLE:
            return version.version
        return None


class PsychotherapyListModel(_TupleListModel[PsychotherapyNoteInfo]):
    """The case's psychotherapy notes: dates and counts only, never their text."""

    def row_of(self, note_id: int) -> int:
        return next((row for row, note in enumerate(self.items) if note.id == note_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        note = self._item_for(index)
        if note is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            versions = "1 version" if note.version_count == 1 else f"{note.version_count} versions"
            return (
                f"Session of {format_day(note.session_date)}\n"
                f"Written {format_moment(note.last_saved_at)}\n{versions}"
            )
        if role == ID_ROLE:
            return note.id
        return None
