"""The table under the trend chart: each score of the series with its date, band and source."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from clinical.model import MeasurePoint
from ui.table_model import HeadedTableModel, Index
from ui.workspace.notes_models import format_day

COLUMNS = ("Date", "Score", "Band", "Given at")


class MeasurePointsModel(HeadedTableModel):
    """One series, newest first."""

    columns = COLUMNS

    def __init__(self) -> None:
        super().__init__()
        self.points: tuple[MeasurePoint, ...] = ()

    def set_points(self, points: Sequence[MeasurePoint]) -> None:
        self.beginResetModel()
        self.points = tuple(
            sorted(points, key=lambda p: (p.taken_on, not p.at_intake), reverse=True)
        )
        self.endResetModel()

    def row_total(self) -> int:
        return len(self.points)

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
