"""Pacing suggestions ranked from the evaluation, and editable copies of templates."""

from __future__ import annotations

import dataclasses

import pytest

from clinical.content import load_content
from clinical.engine import evaluate
from clinical.errors import ParleyError, UnknownTemplateError
from clinical.model import PtsdScreenAnswer
from clinical.pacing import plan_from_template
from tests.clinical.helpers import answer, intake, partner


def ranked(evaluation_intake: object) -> list[str]:
    evaluation = evaluate(evaluation_intake)  # type: ignore[arg-type]
    suggestions = evaluation.pacing_suggestions
    assert [s.rank for s in suggestions] == list(range(1, len(suggestions) + 1))
    assert all(s.reasons for s in suggestions)
    return [s.template_id for s in suggestions]


def test_no_red_flags_suggest_graduated_exploration_first() -> None:
    assert ranked(intake())[0] == "graduated-kink-exploration"


def test_trauma_suggests_the_slow_track_first_with_its_indicators() -> None:
    screen = {"pc_ptsd5": PtsdScreenAnswer(exposed=True, items=(1, 1, 1, 1, 0))}
    case = intake(
        partner("A", {"trauma.other_abuse_history": True}, instruments=screen),
        partner("B"),
    )
    evaluation = evaluate(case)
    first = evaluation.pacing_suggestions[0]
    assert first.template_id == "trauma-informed-slow-track"
    assert set(first.indicator_ids) == {"trauma-history", "ptsd-screen-positive"}


def test_communication_trouble_suggests_communication_first() -> None:
    case = intake(partner("A", {"communication.can_discuss_fantasies": 0}), partner("B"))
    assert ranked(case)[0] == "communication-first"


def test_sexual_anxiety_suggests_sensate_focus_first() -> None:
    case = intake(partner("A", {"sexual.anxiety": 9}), partner("B"))
    assert ranked(case)[0] == "sensate-focus-foundation"


def test_role_reversal_interest_suggests_the_introduction() -> None:
    case = intake(
        partner("A", activities={"role_reversal_power": answer("no", "yes")}),
        partner("B", activities={"role_reversal_power": answer("yes", "no")}),
    )
    assert "role-reversal-introduction" in ranked(case)


def test_maintenance_is_always_offered_last() -> None:
    for case in (intake(), intake(partner("A", {"sexual.anxiety": 9}), partner("B"))):
        assert ranked(case)[-1] == "maintenance-and-lapse"


def test_plan_is_an_editable_copy_with_the_common_exclusions() -> None:
    plan = plan_from_template("graduated-kink-exploration")
    template = load_content().templates["graduated-kink-exploration"]
    assert plan.template_id == template.id
    assert plan.title == template.title
    assert plan.plissit_level == "Specific suggestions (SS)"
    assert len(plan.stages) == len(template.stages)
    assert plan.current_stage == 0
    assert plan.stage == plan.stages[0]
    text = " ".join(plan.exclusions).lower()
    for excluded in ("breath play", "self-bondage", "intoxicated"):
        assert excluded in text
    edited = dataclasses.replace(plan, current_stage=2, title="Our plan")
    assert edited.stage == plan.stages[2]
    assert plan_from_template("graduated-kink-exploration") == plan  # the template is untouched


@pytest.mark.parametrize("template_id", list(load_content().templates))
def test_every_template_makes_a_plan(template_id: str) -> None:
    plan = plan_from_template(template_id)
    assert plan.stages
    assert all(stage.homework and stage.stop_criteria for stage in plan.stages)


def test_unknown_template_is_a_clean_error() -> None:
    with pytest.raises(UnknownTemplateError, match="unknown pacing template 'yoga'") as caught:
        plan_from_template("yoga")
    assert isinstance(caught.value, ParleyError)
