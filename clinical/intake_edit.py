"""Reading and changing single answers of a frozen Intake (the forms' and autosave's vocabulary).

Answer ids: a fact id, an instrument id, or "activity.<activity id>"; the owner is a partner key
or None for a joint answer. A value of None means "not answered" and removes the answer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TypeVar

from clinical.content import Content, load_content
from clinical.model import (
    ActivityAnswer,
    FactValue,
    InstrumentAnswer,
    Intake,
    PartnerIntake,
    PtsdScreenAnswer,
    Visibility,
)
from clinical.visibility import ACTIVITY_PREFIX

AnswerValue = FactValue | InstrumentAnswer | ActivityAnswer | None

K = TypeVar("K")
V = TypeVar("V")


def _with(mapping: Mapping[K, V], key: K, value: V | None) -> dict[K, V]:
    updated = dict(mapping)
    if value is None:
        updated.pop(key, None)
    else:
        updated[key] = value
    return updated


def answer_value(intake: Intake, owner: str | None, answer_id: str) -> AnswerValue:
    """The current answer, or None when it was not given."""
    if owner is None:
        return intake.joint_facts.get(answer_id)
    partner = intake.partner(owner)
    if answer_id.startswith(ACTIVITY_PREFIX):
        return partner.activities.get(answer_id.removeprefix(ACTIVITY_PREFIX))
    if answer_id in partner.instruments:
        return partner.instruments[answer_id]
    return partner.facts.get(answer_id)


def with_answer(
    intake: Intake,
    owner: str | None,
    answer_id: str,
    value: AnswerValue,
    content: Content | None = None,
) -> Intake:
    """A copy of `intake` with one answer set (or removed, for None).

    Raises:
        KeyError: no partner `owner`.
        TypeError: the value does not fit the kind of answer the id names.
    """
    content = content or load_content()
    if owner is None:
        if value is not None and not isinstance(value, bool | int | str):
            raise TypeError("joint answers are facts only")
        return dataclasses.replace(intake, joint_facts=_with(intake.joint_facts, answer_id, value))
    if all(p.key != owner for p in intake.partners):
        raise KeyError(owner)
    partners = tuple(
        _partner_with(partner, answer_id, value, content) if partner.key == owner else partner
        for partner in intake.partners
    )
    return dataclasses.replace(intake, partners=partners)


def _partner_with(
    partner: PartnerIntake, answer_id: str, value: AnswerValue, content: Content
) -> PartnerIntake:
    if answer_id.startswith(ACTIVITY_PREFIX):
        if value is not None and not isinstance(value, ActivityAnswer):
            raise TypeError(f"{answer_id} takes an activity answer")
        activity_id = answer_id.removeprefix(ACTIVITY_PREFIX)
        return dataclasses.replace(
            partner, activities=_with(partner.activities, activity_id, value)
        )
    if answer_id in content.instruments:
        if value is not None and not isinstance(value, tuple | PtsdScreenAnswer):
            raise TypeError(f"{answer_id} takes instrument items")
        return dataclasses.replace(
            partner, instruments=_with(partner.instruments, answer_id, value)
        )
    if value is not None and not isinstance(value, bool | int | str):
        raise TypeError(f"{answer_id} takes a yes/no, a number or a text")
    return dataclasses.replace(partner, facts=_with(partner.facts, answer_id, value))


def with_visibility(
    intake: Intake, owner: str | None, answer_id: str, visibility: Visibility | None
) -> Intake:
    """A copy with one answer's explicit visibility set (None: back to the policy default)."""
    if owner is None:
        return dataclasses.replace(
            intake, joint_visibility=_with(intake.joint_visibility, answer_id, visibility)
        )
    partners = tuple(
        dataclasses.replace(p, visibility=_with(p.visibility, answer_id, visibility))
        if p.key == owner
        else p
        for p in intake.partners
    )
    return dataclasses.replace(intake, partners=partners)


def is_answered(value: AnswerValue) -> bool:
    """Whether an answer is complete: every item of an instrument, every part of an activity.

    PC-PTSD-5 is complete at "no" to the exposure question (the screen stops there), or with
    the exposure question and all five items answered.
    """
    if value is None:
        return False
    if isinstance(value, PtsdScreenAnswer):
        if value.exposed is None:
            return False
        return not value.exposed or all(item is not None for item in value.items)
    if isinstance(value, ActivityAnswer):
        return None not in (value.giving, value.receiving, value.experience)
    if isinstance(value, tuple):
        return bool(value) and all(item is not None for item in value)
    return True


@dataclasses.dataclass(frozen=True, slots=True)
class Completeness:
    """How much of the partners' intakes is answered: a verdict on fewer answers is provisional.

    Attributes:
        answered, total: answers given and answers asked for, over every partner's questions
            and activity list.
        empty_sections: (partner key, section title) for each section with nothing answered.
    """

    answered: int
    total: int
    empty_sections: tuple[tuple[str, str], ...]

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


def intake_completeness(intake: Intake, content: Content | None = None) -> Completeness:
    """Count each partner's answered questions and activities, section by section."""
    content = content or load_content()
    grid_section = content.questionnaire.activity_grid.section
    answered = total = 0
    empty: list[tuple[str, str]] = []
    for partner in intake.partners:
        for section in content.questionnaire.sections:
            ids = [question.id for question in section.questions]
            if section.id == grid_section:
                ids += [ACTIVITY_PREFIX + activity for activity in content.activities]
            done = sum(is_answered(answer_value(intake, partner.key, i)) for i in ids)
            answered += done
            total += len(ids)
            if ids and not done:
                empty.append((partner.key, section.title))
    return Completeness(answered, total, tuple(empty))
