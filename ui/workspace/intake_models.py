"""What an intake page shows and how far it is filled: sections, blocks, progress, their model.

The intake forms are generated from the questionnaire content. This module decides, for one
owner (a partner key, or None for the answers a couple gives together), which sections and
questions appear, how they group into blocks asked together or with the partner alone, and how
many of them are answered; `IntakeSectionsModel` shows that progress in the section list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from clinical.content import Content, Question, Section
from clinical.intake_edit import answer_value, is_answered
from clinical.model import Intake
from clinical.visibility import ACTIVITY_PREFIX

#: The id of the activity list inside a block (it is not a question of the questionnaire).
ACTIVITY_GRID = "activity-grid"

_ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Block:
    """Consecutive items of a section asked the same way: together, or with the partner alone.

    Attributes:
        items: question ids, and ACTIVITY_GRID where the activity list goes.
        asked_alone: asked with the other partner out of the room.
    """

    items: tuple[str, ...]
    asked_alone: bool


@dataclass(frozen=True)
class SectionPlan:
    """One section as an owner's page shows it.

    Attributes:
        section: the questionnaire section (title, intro, note).
        questions: the questions this page shows, in order.
        activity_ids: the activities of the activity list, when the section holds it.
        blocks: the items grouped into blocks asked together or alone.
    """

    section: Section
    questions: tuple[Question, ...]
    activity_ids: tuple[str, ...]
    blocks: tuple[Block, ...]

    @property
    def answer_ids(self) -> tuple[str, ...]:
        """Every answer id the section holds, in reading order."""
        ids: list[str] = []
        by_id = {q.id: q for q in self.questions}
        for block in self.blocks:
            for item in block.items:
                if item == ACTIVITY_GRID:
                    ids.extend(ACTIVITY_PREFIX + a for a in self.activity_ids)
                else:
                    ids.append(by_id[item].id)
        return tuple(ids)

    @property
    def total(self) -> int:
        return len(self.questions) + len(self.activity_ids)


def plan_sections(content: Content, owner: str | None) -> tuple[SectionPlan, ...]:
    """The sections a page shows, with their blocks.

    A partner's page shows every question and the activity list; the joint page (owner None)
    shows only the questions a couple may answer together, and no section left empty.
    """
    grid = content.questionnaire.activity_grid
    plans: list[SectionPlan] = []
    for section in content.questionnaire.sections:
        if owner is None:
            questions = tuple(q for q in section.questions if q.may_answer_jointly)
            activity_ids: tuple[str, ...] = ()
        else:
            questions = section.questions
            activity_ids = tuple(content.activities) if grid.section == section.id else ()
        if not questions and not activity_ids:
            continue
        # The list comes first in its section: the section's other questions refer back to it.
        items: list[tuple[str, bool]] = [(ACTIVITY_GRID, grid.asked_alone)] if activity_ids else []
        items += [(q.id, q.asked_alone) for q in questions]
        blocks: list[Block] = []
        for item, alone in items:
            if blocks and blocks[-1].asked_alone == alone:
                blocks[-1] = Block((*blocks[-1].items, item), alone)
            else:
                blocks.append(Block((item,), alone))
        plans.append(SectionPlan(section, questions, activity_ids, tuple(blocks)))
    return tuple(plans)


def section_progress(plan: SectionPlan, intake: Intake, owner: str | None) -> tuple[int, int]:
    """(answered, total) of one section for one owner."""
    answered = sum(
        is_answered(answer_value(intake, owner, answer_id)) for answer_id in plan.answer_ids
    )
    return answered, plan.total


class IntakeSectionsModel(QAbstractListModel):
    """The section list of an intake page: each section's title and how much is answered.

    Rows are the page's sections in order. DisplayRole is the title; ProgressRole gives
    (answered, total); ToolTipRole and AccessibleTextRole say it in words.
    """

    ProgressRole = Qt.ItemDataRole.UserRole + 1
    AloneRole = Qt.ItemDataRole.UserRole + 2

    def __init__(
        self,
        plans: Sequence[SectionPlan],
        intake: Intake,
        owner: str | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._plans = tuple(plans)
        self._owner = owner
        self._progress = [section_progress(plan, intake, owner) for plan in self._plans]

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self._plans)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._plans):
            return None
        plan = self._plans[index.row()]
        answered, total = self._progress[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return plan.section.title
        if role == self.ProgressRole:
            return (answered, total)
        if role == self.AloneRole:
            return any(block.asked_alone for block in plan.blocks)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{plan.section.title}: {answered} of {total} answered"
        return None

    def flags(self, index: _ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def plan(self, row: int) -> SectionPlan:
        return self._plans[row]

    def row_of(self, answer_id: str) -> int | None:
        """The row of the section holding `answer_id`, or None."""
        for row, plan in enumerate(self._plans):
            if answer_id in plan.answer_ids:
                return row
        return None

    def totals(self) -> tuple[int, int]:
        """(answered, total) over the whole page."""
        return (
            sum(answered for answered, _ in self._progress),
            sum(total for _, total in self._progress),
        )

    def refresh(self, intake: Intake, answer_id: str | None = None) -> None:
        """Recount one section (the one holding `answer_id`), or every section for None."""
        rows = range(len(self._plans))
        if answer_id is not None:
            row = self.row_of(answer_id)
            rows = range(0) if row is None else range(row, row + 1)
        for row in rows:
            progress = section_progress(self._plans[row], intake, self._owner)
            if progress != self._progress[row]:
                self._progress[row] = progress
                index = self.index(row, 0)
                self.dataChanged.emit(index, index)
