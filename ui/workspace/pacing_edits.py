"""Edits of a pacing plan as pure functions: each returns a new frozen PacingPlan.

The current stage is a stage, not a position: it follows its stage when stages are moved,
added or removed, and only the clinician moves it on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from clinical.model import PacingPlan, PacingStage

#: Fields of a stage the editor changes one at a time.
STAGE_TEXT_FIELDS = ("title", "typical_length")
STAGE_LIST_FIELDS = ("homework", "check_ins", "advance_criteria", "stop_criteria")

NEW_STAGE_TITLE = "New stage"


def blank_stage(typical_length: str = "") -> PacingStage:
    """A new, empty stage for the clinician to fill in."""
    return PacingStage(
        title=NEW_STAGE_TITLE,
        typical_length=typical_length,
        homework=(),
        check_ins=(),
        advance_criteria=(),
        stop_criteria=(),
    )


def clean_items(items: Iterable[str]) -> tuple[str, ...]:
    """List items as stored: each on one line, trimmed, empty ones dropped."""
    return tuple(" ".join(item.split()) for item in items if item.strip())


def with_title(plan: PacingPlan, title: str) -> PacingPlan:
    return dataclasses.replace(plan, title=title)


def with_stage_text(plan: PacingPlan, index: int, field: str, value: str) -> PacingPlan:
    """The plan with one text field (title, typical_length) of stage `index` changed."""
    if field not in STAGE_TEXT_FIELDS:
        raise ValueError(f"not a text field of a stage: {field}")
    stage = plan.stages[index]
    if field == "title":
        stage = dataclasses.replace(stage, title=value)
    else:
        stage = dataclasses.replace(stage, typical_length=value)
    return _with_stage(plan, index, stage)


def with_stage_items(plan: PacingPlan, index: int, field: str, items: Iterable[str]) -> PacingPlan:
    """The plan with one list (homework, check-ins, criteria) of stage `index` replaced."""
    if field not in STAGE_LIST_FIELDS:
        raise ValueError(f"not a list field of a stage: {field}")
    cleaned = clean_items(items)
    stage = plan.stages[index]
    if field == "homework":
        stage = dataclasses.replace(stage, homework=cleaned)
    elif field == "check_ins":
        stage = dataclasses.replace(stage, check_ins=cleaned)
    elif field == "advance_criteria":
        stage = dataclasses.replace(stage, advance_criteria=cleaned)
    else:
        stage = dataclasses.replace(stage, stop_criteria=cleaned)
    return _with_stage(plan, index, stage)


def _with_stage(plan: PacingPlan, index: int, stage: PacingStage) -> PacingPlan:
    stages = list(plan.stages)
    stages[index] = stage
    return dataclasses.replace(plan, stages=tuple(stages))


def with_stage_added(plan: PacingPlan, after: int, stage: PacingStage) -> PacingPlan:
    """The plan with `stage` inserted after stage `after` (-1: first)."""
    position = max(0, min(after + 1, len(plan.stages)))
    stages = (*plan.stages[:position], stage, *plan.stages[position:])
    if plan.stage is None:
        # No stage was current (an empty or damaged plan): the couple starts at the first.
        current = 0
    elif position <= plan.current_stage:
        current = plan.current_stage + 1
    else:
        current = plan.current_stage
    return dataclasses.replace(plan, stages=stages, current_stage=current)


def with_stage_removed(plan: PacingPlan, index: int) -> PacingPlan:
    """The plan without stage `index`; a plan keeps at least one stage.

    When the current stage is removed, the stage that takes its place becomes current.
    """
    if len(plan.stages) <= 1 or not 0 <= index < len(plan.stages):
        return plan
    stages = plan.stages[:index] + plan.stages[index + 1 :]
    current = plan.current_stage
    if index < current:
        current -= 1
    current = min(current, len(stages) - 1)
    return dataclasses.replace(plan, stages=stages, current_stage=current)


def with_stage_moved(plan: PacingPlan, index: int, offset: int) -> PacingPlan:
    """The plan with stage `index` moved `offset` places (the current stage goes with it)."""
    target = index + offset
    if not (0 <= index < len(plan.stages) and 0 <= target < len(plan.stages)) or offset == 0:
        return plan
    stages = list(plan.stages)
    stage = stages.pop(index)
    stages.insert(target, stage)
    current = plan.current_stage
    if current == index:
        current = target
    elif index < current <= target:
        current -= 1
    elif target <= current < index:
        current += 1
    return dataclasses.replace(plan, stages=tuple(stages), current_stage=current)


def with_current_stage(plan: PacingPlan, index: int) -> PacingPlan:
    """The plan with stage `index` as the one the couple is on now."""
    if not 0 <= index < len(plan.stages):
        return plan
    return dataclasses.replace(plan, current_stage=index)
