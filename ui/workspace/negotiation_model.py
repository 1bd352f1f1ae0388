"""The negotiation matrix as a table model, and the filters over it.

One row per activity per role direction ("Kim → Lee": Kim gives, Lee receives), in the
engine's order: both directions of an activity adjacent, role-reversal pairs together, every
ordered pair of partners when there are three or more. Statuses fall in three plain groups
(mutual yes, discuss, closed) plus not answered, each shown with an icon, a word and a colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from clinical.content import Content
from clinical.model import NegotiationCell, NegotiationStatus, Response
from ui.theme import is_dark, severity_colour, severity_icon

AnyIndex = QModelIndex | QPersistentModelIndex

#: The NegotiationCell behind a row (any column).
CELL_ROLE = Qt.ItemDataRole.UserRole + 1
#: The row's status group: "mutual-yes", "discuss", "closed" or "unanswered".
STATUS_GROUP_ROLE = Qt.ItemDataRole.UserRole + 2
#: The index of the row's activity group (an activity with its role-reversal partners).
ACTIVITY_GROUP_ROLE = Qt.ItemDataRole.UserRole + 3


#: Keeps a partner's name on one line when the direction column wraps.
NO_BREAK = "\u00a0"


class Column(IntEnum):
    """The matrix's columns, left to right."""

    ACTIVITY = 0
    CLASS = 1
    TIER = 2
    DIRECTION = 3
    GIVER_ANSWER = 4
    RECEIVER_ANSWER = 5
    STATUS = 6


COLUMNS = len(Column)

HEADERS: dict[Column, str] = {
    Column.ACTIVITY: "Activity",
    Column.CLASS: "Class",
    Column.TIER: "Risk tier",
    Column.DIRECTION: "Giver → receiver",
    Column.GIVER_ANSWER: "Giver's\nanswer",
    Column.RECEIVER_ANSWER: "Receiver's\nanswer",
    Column.STATUS: "Status",
}
HEADER_TIPS: dict[Column, str] = {
    Column.DIRECTION: "Who takes the giving (active or leading) side, towards whom",
    Column.GIVER_ANSWER: "The giver's answer for giving this activity",
    Column.RECEIVER_ANSWER: "The receiver's answer for receiving this activity",
    Column.STATUS: "Mutual yes, to discuss, closed (a no or a hard limit), or not answered",
}

STATUS_GROUP: dict[NegotiationStatus, str] = {
    "mutual-yes": "mutual-yes",
    "one-sided": "discuss",
    "both-maybe": "discuss",
    "closed": "closed",
    "unanswered": "unanswered",
}


@dataclass(frozen=True, slots=True)
class StatusGroupStyle:
    """How a status group looks: icon, word, and a colour for light and dark palettes."""

    icon: str
    label: str
    light: str
    dark: str

    def colour(self) -> QColor:
        return QColor(self.dark if is_dark() else self.light)


#: In display order. Closed is neutral grey: a limit is respected, never a problem.
STATUS_GROUPS: dict[str, StatusGroupStyle] = {
    "mutual-yes": StatusGroupStyle("✓", "Mutual yes", "#2e7d32", "#98d69b"),
    "discuss": StatusGroupStyle("◆", "Discuss", "#8a5a00", "#f3c969"),
    "closed": StatusGroupStyle("✕", "Closed", "#5f6368", "#b4b7bc"),
    "unanswered": StatusGroupStyle("○", "Not answered", "#7a7d83", "#8d9096"),
}

#: Tiers marked with a severity's icon and colour (with their word, never colour alone).
TIER_MARK: dict[str, str] = {"high": "essential", "no-safe-practice": "critical"}


def status_text(cell: NegotiationCell) -> str:
    """The status in words, with its group's icon ("✓ Mutual yes", "✕ Closed: hard limit")."""
    group = STATUS_GROUPS[STATUS_GROUP[cell.status]]
    if cell.status == "one-sided":
        detail = ": one-sided"
    elif cell.status == "both-maybe":
        detail = ": both maybe"
    elif cell.status == "closed":
        limit = "limit" in (cell.giver_answer, cell.receiver_answer)
        detail = ": hard limit" if limit else ": a no"
    else:
        detail = ""
    return f"{group.icon} {group.label}{detail}"


class NegotiationTableModel(QAbstractTableModel):
    """The engine's negotiation cells as rows; live updates touch only the rows that changed."""

    def __init__(
        self,
        content: Content,
        partner_name: Callable[[str], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._content = content
        self._partner_name = partner_name
        self._cells: list[NegotiationCell] = []
        self._groups: list[int] = []
        # Per row, what each column shows, worked out once when the row changes: views ask
        # for every role of every cell on every repaint and resize, and that must stay cheap.
        self._rows: list[_RowLook] = []
        grid = content.questionnaire.activity_grid
        self._responses = {str(key): label for key, label in grid.response_labels.items()}
        palette = QGuiApplication.palette()
        self._shade = palette.color(QPalette.ColorRole.AlternateBase)
        self._quiet = palette.color(QPalette.ColorRole.PlaceholderText)
        self._status_colours = {key: style.colour() for key, style in STATUS_GROUPS.items()}
        self._tier_colours = {tier: severity_colour(mark) for tier, mark in TIER_MARK.items()}
        self._bold = QFont()
        self._bold.setBold(True)

    # ------------------------------------------------------------------ updating

    def set_cells(self, cells: Sequence[NegotiationCell]) -> bool:
        """Show these cells; when the rows are the same activities and directions, only the
        rows whose answers changed are announced (dataChanged), otherwise the model resets.

        Returns:
            Whether anything changed.
        """
        new = list(cells)
        if [_row_key(c) for c in new] != [_row_key(c) for c in self._cells]:
            self.beginResetModel()
            self._cells = new
            self._groups = _activity_groups(new)
            self._rows = [self._look(cell) for cell in new]
            self.endResetModel()
            return True
        changed = [
            row for row, (old, cell) in enumerate(zip(self._cells, new, strict=True)) if old != cell
        ]
        self._cells = new
        for row in changed:
            self._rows[row] = self._look(new[row])
        last_column = len(Column) - 1
        for first, last in _runs(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_column))
        return bool(changed)

    def cell(self, row: int) -> NegotiationCell | None:
        return self._cells[row] if 0 <= row < len(self._cells) else None

    def cells(self) -> list[NegotiationCell]:
        return list(self._cells)

    def row_of(self, activity: str, giver: str, receiver: str) -> int:
        """The row of one activity in one direction, or -1."""
        for row, cell in enumerate(self._cells):
            if (cell.activity, cell.giver, cell.receiver) == (activity, giver, receiver):
                return row
        return -1

    def text(self, row: int, column: int) -> str:
        """What a cell shows (no-break spaces keep partner names whole)."""
        return self._rows[row].texts[column]

    def is_bold(self, row: int, column: int) -> bool:
        return self._rows[row].bold[column]

    def search_text(self, row: int) -> str:
        """Everything a text filter may match in a row, case-folded."""
        return self._rows[row].search

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(column)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._cells) or not 0 <= column < COLUMNS:
            return None
        look = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return look.texts[column]
        if role == Qt.ItemDataRole.ForegroundRole:
            return look.foregrounds[column]
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if look.bold[column] else None
        if role == Qt.ItemDataRole.BackgroundRole:
            # Rows of one activity group (both directions, and its role-reversal partner)
            # share a shade, so the eye reads them as one block.
            return self._shade if self._groups[row] % 2 else None
        cell = self._cells[row]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible_text(cell, Column(column))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(cell, Column(column))
        if role == CELL_ROLE:
            return cell
        if role == STATUS_GROUP_ROLE:
            return STATUS_GROUP[cell.status]
        if role == ACTIVITY_GROUP_ROLE:
            return self._groups[row]
        return None

    # ------------------------------------------------------------------ presentation

    def _answer(self, response: Response | None) -> str:
        return "not yet" if response is None else self._responses.get(response, response)

    def _text(self, cell: NegotiationCell, column: Column) -> str:
        if column == Column.ACTIVITY:
            return cell.label
        if column == Column.CLASS:
            spec = self._content.classes.get(cell.activity_class)
            return spec.label if spec else cell.activity_class
        if column == Column.TIER:
            tier = self._content.tiers.get(cell.tier)
            label = tier.label if tier else cell.tier
            mark = TIER_MARK.get(cell.tier)
            return f"{severity_icon(mark)} {label}" if mark else label
        if column == Column.DIRECTION:
            # A narrow column wraps at the arrow, never inside a name.
            giver, receiver = self._partner_name(cell.giver), self._partner_name(cell.receiver)
            return f"{giver.replace(' ', NO_BREAK)} → {receiver.replace(' ', NO_BREAK)}"
        if column == Column.GIVER_ANSWER:
            return self._answer(cell.giver_answer)
        if column == Column.RECEIVER_ANSWER:
            return self._answer(cell.receiver_answer)
        return status_text(cell)

    def _accessible_text(self, cell: NegotiationCell, column: Column) -> str:
        giver, receiver = self._partner_name(cell.giver), self._partner_name(cell.receiver)
        if column == Column.DIRECTION:
            return f"{giver} gives, {receiver} receives"
        if column == Column.GIVER_ANSWER:
            return f"{giver}, giving: {self._answer(cell.giver_answer)}"
        if column == Column.RECEIVER_ANSWER:
            return f"{receiver}, receiving: {self._answer(cell.receiver_answer)}"
        return self._text(cell, column)

    def _tooltip(self, cell: NegotiationCell, column: Column) -> str | None:
        if column == Column.ACTIVITY:
            activity = self._content.activities.get(cell.activity)
            tip = activity.description if activity and activity.description else cell.label
            partners = [
                self._content.activities[other].label
                for other in cell.paired_with
                if other in self._content.activities
            ]
            if partners:
                tip += f"\nShown beside its role reversal: {', '.join(partners)}."
            return tip
        if column in (Column.GIVER_ANSWER, Column.RECEIVER_ANSWER, Column.DIRECTION):
            return self._accessible_text(cell, column) + "\nEnter or double-click opens the answer."
        return None

    def _look(self, cell: NegotiationCell) -> _RowLook:
        texts = tuple(self._text(cell, column) for column in Column)
        quiet = {
            Column.GIVER_ANSWER: cell.giver_answer is None,
            Column.RECEIVER_ANSWER: cell.receiver_answer is None,
        }
        foregrounds: list[QColor | None] = []
        for column in Column:
            if column == Column.STATUS:
                foregrounds.append(self._status_colours[STATUS_GROUP[cell.status]])
            elif column == Column.TIER:
                foregrounds.append(self._tier_colours.get(cell.tier))
            elif quiet.get(column, False):
                foregrounds.append(self._quiet)
            else:
                foregrounds.append(None)
        bold = tuple(
            (column == Column.TIER and cell.tier in TIER_MARK)
            or (column == Column.STATUS and cell.status == "mutual-yes")
            for column in Column
        )
        search = " ".join(text.replace(NO_BREAK, " ") for text in texts).casefold()
        return _RowLook(texts, tuple(foregrounds), bold, search)


@dataclass(frozen=True, slots=True)
class _RowLook:
    """How one row looks: per column its text, colour (None: the palette's) and weight."""

    texts: tuple[str, ...]
    foregrounds: tuple[QColor | None, ...]
    bold: tuple[bool, ...]
    search: str


def _row_key(cell: NegotiationCell) -> tuple[str, str, str]:
    return (cell.activity, cell.giver, cell.receiver)


def _activity_groups(cells: Sequence[NegotiationCell]) -> list[int]:
    """For each row, the number of its activity group, counted in order of appearance."""
    numbers: dict[frozenset[str], int] = {}
    groups: list[int] = []
    for cell in cells:
        key = frozenset((cell.activity, *cell.paired_with))
        groups.append(numbers.setdefault(key, len(numbers)))
    return groups


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) runs: one dataChanged per run."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


class NegotiationFilter(QSortFilterProxyModel):
    """Filters the matrix by class, status group, partner, "hide closed" and free text.

    Sorting is off: the engine's order keeps directions and role-reversal pairs together.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.activity_class: str | None = None
        self.status_group: str | None = None
        self.partner: str | None = None
        self.hide_closed = False
        self.words: tuple[str, ...] = ()
        self.setDynamicSortFilter(True)

    def set_filters(
        self,
        *,
        activity_class: str | None = None,
        status_group: str | None = None,
        partner: str | None = None,
        hide_closed: bool = False,
        text: str = "",
    ) -> None:
        """Apply every filter at once (None or empty: no filter of that kind)."""
        self.beginFilterChange()
        self.activity_class = activity_class or None
        self.status_group = status_group or None
        self.partner = partner or None
        self.hide_closed = hide_closed
        self.words = tuple(text.casefold().split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def is_filtering(self) -> bool:
        return bool(
            self.activity_class
            or self.status_group
            or self.partner
            or self.hide_closed
            or self.words
        )

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        if not isinstance(model, NegotiationTableModel):
            return True
        cell = model.cell(source_row)
        if cell is None:
            return False
        group = STATUS_GROUP[cell.status]
        if self.activity_class and cell.activity_class != self.activity_class:
            return False
        if self.status_group and group != self.status_group:
            return False
        if self.hide_closed and group == "closed":
            return False
        if self.partner and self.partner not in (cell.giver, cell.receiver):
            return False
        if self.words:
            haystack = model.search_text(source_row)
            return all(word in haystack for word in self.words)
        return True
