"""The table under the trend chart: each score of the series with its date, band and source."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from clinical.model import MeasurePoint
from ui.workspace.notes_models import format_day

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Date", "Score", "Band", "Given at")


class MeasurePointsModel(QAbstractTableModel):
    """One series, newest first."""

    def __init__(self) -> None:
        super().__init__()
        self.points: tuple[MeasurePoint, ...] = ()

    def set_points(self, points: Sequence[MeasurePoint]) -> None:
        self.beginResetModel()
        self.points = tuple(
            sorted(points, key=lambda p: (p.taken_on, not p.at_intake), reverse=True)
        )
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.points)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.points):
            return None
        point = self.points[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                format_day(point.taken_on),
                str(point.total),
                point.band_label or point.band or "",
                "Intake" if point.at_intake else "Later session",
            )[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
