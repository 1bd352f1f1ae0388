"""Item models of the indicators panel: indicators grouped by severity, and evidence lines.

Thin adapters over the engine's frozen Evaluation (napari's rule: the model adapts domain
values, it never owns clinical logic). Both are checked with QAbstractItemModelTester.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from clinical.model import SEVERITY_ORDER, Acknowledgement, Indicator, Severity
from ui.theme import severity_colour, severity_icon
from ui.workspace.indicator_text import EvidenceLine, indicator_heading, whose

#: The Indicator behind a row (None on a severity group row).
INDICATOR_ROLE = Qt.ItemDataRole.UserRole + 1
#: The severity of a group or indicator row.
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 2
#: True when the indicator row has been acknowledged.
ACKNOWLEDGED_ROLE = Qt.ItemDataRole.UserRole + 3
#: The EvidenceLine behind an evidence row.
EVIDENCE_ROLE = Qt.ItemDataRole.UserRole + 4

AnyIndex = QModelIndex | QPersistentModelIndex

#: internalId of a group row; an indicator row's internalId is its group's row + 1.
_GROUP_ID = 0


def _dimmed_colour() -> Any:
    return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)


class IndicatorTreeModel(QAbstractItemModel):
    """Severity groups (most severe first) holding the indicators that fired.

    Only severities with at least one indicator get a group. Acknowledged indicators stay in
    place, dimmed and marked, never hidden.
    """

    def __init__(
        self,
        partner_name: Callable[[str], str],
        severity_labels: Mapping[str, str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._partner_name = partner_name
        self._severity_labels = severity_labels
        self._groups: list[tuple[Severity, list[Indicator]]] = []
        self._acknowledged: frozenset[str] = frozenset()

    # ------------------------------------------------------------------ updating

    def set_indicators(
        self, indicators: Sequence[Indicator], acknowledgements: Mapping[str, Acknowledgement]
    ) -> None:
        """Show these indicators; unchanged rows keep their place (and the view its selection).

        When the same indicators fire in the same order, only rows whose content or
        acknowledgement changed are announced; otherwise the model resets.
        """
        groups: list[tuple[Severity, list[Indicator]]] = []
        for severity in SEVERITY_ORDER:
            members = [i for i in indicators if i.severity == severity]
            if members:
                groups.append((severity, members))
        acknowledged = frozenset(acknowledgements)
        same_shape = [(s, [i.key for i in m]) for s, m in groups] == [
            (s, [i.key for i in m]) for s, m in self._groups
        ]
        if not same_shape:
            self.beginResetModel()
            self._groups = groups
            self._acknowledged = acknowledged
            self.endResetModel()
            return
        old_groups, old_acknowledged = self._groups, self._acknowledged
        self._groups = groups
        self._acknowledged = acknowledged
        for group_row, ((_, old), (_, new)) in enumerate(zip(old_groups, groups, strict=True)):
            changed = [
                row
                for row, (before, after) in enumerate(zip(old, new, strict=True))
                if before != after
                or (before.key in old_acknowledged) != (after.key in acknowledged)
            ]
            if changed:
                group = self.index(group_row, 0)
                self.dataChanged.emit(
                    self.index(min(changed), 0, group), self.index(max(changed), 0, group)
                )
                self.dataChanged.emit(group, group)

    # ------------------------------------------------------------------ lookups

    def indicator_index(self, key: str) -> QModelIndex:
        """The index of the indicator with this Indicator.key (invalid if it is not shown)."""
        for group_row, (_, members) in enumerate(self._groups):
            for row, indicator in enumerate(members):
                if indicator.key == key:
                    return self.index(row, 0, self.index(group_row, 0))
        return QModelIndex()

    def first_indicator_index(self) -> QModelIndex:
        if not self._groups:
            return QModelIndex()
        return self.index(0, 0, self.index(0, 0))

    def indicators(self) -> list[Indicator]:
        """Every indicator shown, in display order."""
        return [indicator for _, members in self._groups for indicator in members]

    def severity_counts(self) -> dict[str, int]:
        return {severity: len(members) for severity, members in self._groups}

    # ------------------------------------------------------------------ Qt model API

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008 (Qt API default)
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP_ID)
        if parent.internalId() == _GROUP_ID:
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, child: AnyIndex | None = None) -> Any:
        if child is None:  # QObject.parent(), which PySide6 routes through this name too
            return super().parent()
        if not child.isValid() or child.internalId() == _GROUP_ID:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _GROUP_ID)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.column() > 0:
            return 0
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _GROUP_ID:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 1

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() != _GROUP_ID:
            flags |= Qt.ItemFlag.ItemNeverHasChildren
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP_ID:
            return self._group_data(index.row(), role)
        severity, members = self._groups[index.internalId() - 1]
        return self._indicator_data(severity, members[index.row()], role)

    def _group_data(self, row: int, role: int) -> Any:
        severity, members = self._groups[row]
        label = self._severity_labels.get(severity, severity.capitalize())
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{severity_icon(severity)}  {label}  ·  {len(members)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            count = len(members)
            return f"{label}: {count} indicator{'s' if count != 1 else ''}"
        if role == Qt.ItemDataRole.ForegroundRole:
            return severity_colour(severity)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == SEVERITY_ROLE:
            return severity
        if role == INDICATOR_ROLE:
            return None
        return None

    def _indicator_data(self, severity: Severity, indicator: Indicator, role: int) -> Any:
        acknowledged = indicator.key in self._acknowledged
        if role == Qt.ItemDataRole.DisplayRole:
            # Two short lines rather than one long one: the list stays narrow and nothing is
            # cut off (item views do not wrap reliably).
            person = whose(indicator.partner, self._partner_name)
            if acknowledged:
                return f"{indicator.title}\n{person}   ·   ✓ acknowledged"
            if indicator.blocks_couple_plan:
                return f"{indicator.title}\n{person}   ·   to acknowledge"
            return f"{indicator.title}\n{person}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            label = self._severity_labels.get(severity, severity)
            state = ", acknowledged" if acknowledged else ""
            return f"{label}: {indicator_heading(indicator, self._partner_name)}{state}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return indicator.rationale
        if role == Qt.ItemDataRole.ForegroundRole and acknowledged:
            return _dimmed_colour()
        if role == INDICATOR_ROLE:
            return indicator
        if role == SEVERITY_ROLE:
            return severity
        if role == ACKNOWLEDGED_ROLE:
            return acknowledged
        return None


class EvidenceListModel(QAbstractListModel):
    """The evidence lines of one indicator; each opens the answer it quotes."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[EvidenceLine] = []

    def set_lines(self, lines: Sequence[EvidenceLine]) -> None:
        new = list(lines)
        if new == self._lines:
            return
        if len(new) == len(self._lines) and new:
            self._lines = new
            self.dataChanged.emit(self.index(0), self.index(len(new) - 1))
            return
        self.beginResetModel()
        self._lines = new
        self.endResetModel()

    def line(self, row: int) -> EvidenceLine | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._lines)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{line.text}   (private: asked alone)" if line.private else line.text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return line.text + (", a private answer" if line.private else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = "Click or press Enter to open this answer."
            if line.private:
                tip += "\nAsked alone: not for the other partner's ears."
            return tip
        if role == EVIDENCE_ROLE:
            return line
        return None
