"""Item model of the pacing-plan editor: the stages of the case's plan, the current one marked."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from clinical.model import PacingPlan, PacingStage

#: The stage's index in the plan (int), for views and tests.
STAGE_INDEX_ROLE = Qt.ItemDataRole.UserRole + 1
#: Whether the stage is the one the couple is on now (bool).
IS_CURRENT_ROLE = Qt.ItemDataRole.UserRole + 2

NOW_MARK = "▶"

AnyIndex = QModelIndex | QPersistentModelIndex


def stage_heading(plan: PacingPlan, index: int) -> str:
    """ "2. Talking about fantasies" for stage `index` of `plan`."""
    title = plan.stages[index].title.strip() or f"Stage {index + 1}"
    return f"{index + 1}. {title}"


def now_text(plan: PacingPlan) -> str:
    """The prominent "Now: stage 2 of 5" line (or what is missing for one)."""
    if not plan.stages:
        return "No stages yet: add the first one"
    if plan.stage is None:
        return "No current stage: mark the one the couple is on"
    return f"Now: stage {plan.current_stage + 1} of {len(plan.stages)}"


class PacingStageModel(QAbstractListModel):
    """The stages of one pacing plan, in order; a thin read-only view of the frozen plan.

    The plan is replaced as a whole after every edit (plans are frozen values); the model
    reports a change of the same number of stages as changed rows, so selection and scroll
    position survive typing, and anything else as a reset.
    """

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._plan: PacingPlan | None = None

    @property
    def plan(self) -> PacingPlan | None:
        return self._plan

    def set_plan(self, plan: PacingPlan | None) -> None:
        """Show `plan`'s stages (None: no plan, no rows)."""
        old = self._plan
        if plan == old:
            return
        old_count = len(old.stages) if old is not None else 0
        new_count = len(plan.stages) if plan is not None else 0
        if old_count != new_count or old_count == 0:
            self.beginResetModel()
            self._plan = plan
            self.endResetModel()
            return
        self._plan = plan
        self.dataChanged.emit(self.index(0, 0), self.index(new_count - 1, 0))

    def stage(self, row: int) -> PacingStage | None:
        if self._plan is None or not 0 <= row < len(self._plan.stages):
            return None
        return self._plan.stages[row]

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        if parent.isValid() or self._plan is None:
            return 0
        return len(self._plan.stages)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        plan = self._plan
        if plan is None or not index.isValid() or not 0 <= index.row() < len(plan.stages):
            return None
        row = index.row()
        stage = plan.stages[row]
        current = row == plan.current_stage
        length = stage.typical_length.strip()
        if role == Qt.ItemDataRole.DisplayRole:
            second = " · ".join(part for part in (("Now" if current else ""), length) if part)
            heading = stage_heading(plan, row)
            return f"{NOW_MARK} {heading}\n{second}" if current else f"{heading}\n{second}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            words = [stage_heading(plan, row)]
            if current:
                words.append("the current stage")
            if length:
                words.append(f"typical length {length}")
            return ", ".join(words)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{stage.title} — the couple is here now" if current else stage.title) + (
                f"\nTypical length: {length}" if length else ""
            )
        if role == Qt.ItemDataRole.FontRole:
            if current:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == STAGE_INDEX_ROLE:
            return row
        if role == IS_CURRENT_ROLE:
            return current
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
