"""The couple-facing safety plan: agreed, maybe, limits, signals, aftercare, rules, privacy."""

from __future__ import annotations

import dataclasses

from clinical.engine import evaluate
from clinical.model import (
    CrisisContact,
    Intake,
    PracticeInfo,
    SafetyPlan,
    SafetyPlanChoices,
    Signals,
)
from clinical.pacing import plan_from_template
from clinical.safety_plan import build_safety_plan
from tests.clinical.helpers import answer, intake, partner

PRACTICE = PracticeInfo(
    clinician_name="Dr. Fictional Example",
    crisis_contacts=(CrisisContact("Fictional crisis line", "000-0000"),),
)


def plan_for(
    case: Intake,
    choices: SafetyPlanChoices | None = None,
    template: str | None = "graduated-kink-exploration",
    acknowledged: tuple[str, ...] = (),
) -> SafetyPlan:
    return build_safety_plan(
        case,
        evaluate(case),
        choices or SafetyPlanChoices(signals=Signals(non_verbal="drop the bell")),
        plan_from_template(template) if template else None,
        PRACTICE,
        acknowledged=acknowledged,
    )


def couple(**activities: tuple[object, object]) -> Intake:
    """A couple whose activity answers are given as (A's answer, B's answer)."""
    return intake(
        partner("A", activities={k: v[0] for k, v in activities.items()}),  # type: ignore[misc]
        partner("B", activities={k: v[1] for k, v in activities.items()}),  # type: ignore[misc]
    )


def keys(entries: tuple[object, ...]) -> list[tuple[str, str, str]]:
    return [(e.activity, e.giver, e.receiver) for e in entries]  # type: ignore[attr-defined]


def test_agreed_is_every_mutual_yes_per_direction_and_maybe_the_open_rest() -> None:
    plan = plan_for(
        couple(
            blindfold=(answer("yes", "no"), answer("no", "yes")),
            sensation_play=(answer("yes", "maybe"), answer("yes", "yes")),
            verbal_roleplay=(answer("maybe", "no"), answer("no", "maybe")),
        )
    )
    assert keys(plan.agreed) == [("blindfold", "A", "B"), ("sensation_play", "A", "B")]
    assert keys(plan.maybe) == [("verbal_roleplay", "A", "B"), ("sensation_play", "B", "A")]


def test_the_clinicians_subset_and_what_is_left_out() -> None:
    case = couple(
        blindfold=(answer("yes", "yes"), answer("yes", "yes")),
        gag=(answer("yes", "no"), answer("no", "no")),
    )
    choices = SafetyPlanChoices(
        agreed=("blindfold:A>B", "gag:A>B"), signals=Signals(non_verbal="x")
    )
    plan = plan_for(case, choices)
    assert keys(plan.agreed) == [("blindfold", "A", "B")]
    assert ("blindfold", "B", "A") in keys(plan.maybe)  # a mutual yes not chosen yet
    assert any("Gag (A to B) is not a mutual yes" in p for p in plan.problems)


def test_breath_play_is_never_agreed_and_always_explained() -> None:
    case = couple(
        breath_play=(answer("yes", "yes", "experienced"), answer("yes", "yes", "experienced"))
    )
    choices = SafetyPlanChoices(agreed=("breath_play:A>B",), signals=Signals(non_verbal="x"))
    for plan in (plan_for(case), plan_for(case, choices)):
        assert "breath_play" not in {e.activity for e in plan.agreed + plan.maybe}
        assert any(text.startswith("Breath play") for text in plan.not_in_plan)
        assert plan.signals.non_verbal_required
    assert any("can never be an agreed activity" in p for p in plan_for(case, choices).problems)


def test_a_gag_requires_a_non_verbal_signal() -> None:
    case = couple(gag=(answer("yes", "no"), answer("no", "maybe")))
    plan = plan_for(case, SafetyPlanChoices())
    assert plan.signals.non_verbal_required
    assert any("non-verbal stop signal is required" in p for p in plan.problems)
    plan = plan_for(case, SafetyPlanChoices(signals=Signals(non_verbal="three taps")))
    assert plan.signals.non_verbal == "three taps"
    assert not any("non-verbal" in p for p in plan.problems)
    assert not plan_for(
        couple(blindfold=(answer("yes"), answer(None, "yes")))
    ).signals.non_verbal_required


def test_the_non_verbal_signal_falls_back_on_a_shared_answer() -> None:
    case = intake(
        partner(
            "A",
            {"communication.non_verbal_signal": "drop the keys"},
            activities={"gag": answer("yes")},
        ),
        partner("B", activities={"gag": answer(None, "yes")}),
    )
    plan = plan_for(case, SafetyPlanChoices())
    assert plan.signals.non_verbal == "drop the keys"


def test_limits_say_whose_only_when_the_answer_is_shared() -> None:
    answers = {"impact_light": answer("limit", "no"), "gag": answer("no", "limit")}
    hidden = intake(partner("A", activities=answers), partner("B"))
    assert keys(plan_for(hidden).limits) == [("impact_light", "", ""), ("gag", "", "")]
    shared = intake(
        partner(
            "A",
            activities=answers,
            visibility={"activity.gag": "joint", "activity.impact_light": "joint"},
        ),
        partner("B"),
    )
    assert keys(plan_for(shared).limits) == [("impact_light", "A", "B"), ("gag", "B", "A")]
    open_policy = intake(partner("A", activities=answers), partner("B"), policy="no-secrets")
    assert keys(plan_for(open_policy).limits) == [("impact_light", "A", "B"), ("gag", "B", "A")]


def test_safety_rules_come_from_the_agreed_activities() -> None:
    plan = plan_for(couple(significant_restraint=(answer("yes", "no"), answer("no", "yes"))))
    rules = " ".join(plan.safety_rules)
    assert "shears" in rules
    assert "Never leave a restrained partner alone" in rules
    assert "No weight on the back or chest" in rules
    assert "tingling, numbness" in rules
    plain = " ".join(
        plan_for(couple(blindfold=(answer("yes", "no"), answer("no", "yes")))).safety_rules
    )
    assert "shears" not in plain


def test_extra_rules_aftercare_and_drop_check() -> None:
    case = intake(
        partner("A", {"communication.aftercare_wishes": "A blanket and tea"}),
        partner("B"),
    )
    choices = SafetyPlanChoices(
        signals=Signals(non_verbal="x"),
        aftercare={"B": "Quiet time together"},
        extra_rules=("Phones off during scenes.",),
        drop_check_hours=(24, 48),
    )
    plan = plan_for(case, choices)
    assert plan.aftercare == {"A": "A blanket and tea", "B": "Quiet time together"}
    assert "Phones off during scenes." in plan.safety_rules
    assert plan.drop_check.startswith("Check in with each other 24 to 48 hours after a scene")
    missing = plan_for(intake())
    assert any("No aftercare is written down for partner A" in p for p in missing.problems)


def test_aftercare_from_a_private_answer_is_not_used() -> None:
    case = intake(
        partner(
            "A",
            {"communication.aftercare_wishes": "Private wish"},
            visibility={"communication.aftercare_wishes": "clinician-only"},
        ),
        partner("B"),
    )
    assert "A" not in plan_for(case).aftercare


def test_medical_points_only_from_shared_answers() -> None:
    shared = intake(partner("A", {"medical.asthma_or_respiratory": True}), partner("B"))
    assert any("inhaler" in point for point in plan_for(shared).medical_points)
    private = intake(
        partner(
            "A",
            {"medical.asthma_or_respiratory": True},
            visibility={"medical.asthma_or_respiratory": "clinician-only"},
        ),
        partner("B"),
    )
    assert plan_for(private).medical_points == ()


def test_pacing_stage_stop_criteria_and_crisis_contacts() -> None:
    plan = plan_for(intake())
    assert plan.pacing_title == "Graduated kink exploration"
    assert plan.pacing_stage is not None
    assert plan.pacing_stage.title == "Readiness"
    # The stage's criteria and check-ins are the clinician's words: not in the couple's plan.
    stage = plan_from_template("graduated-kink-exploration").stages[0]
    assert plan.pacing_stage.stop_criteria == ()
    assert plan.pacing_stage.advance_criteria == ()
    assert plan.pacing_stage.check_ins == ()
    assert plan.pacing_stage.homework == stage.homework
    assert not set(stage.stop_criteria) & set(plan.stop_and_call)
    assert plan.crisis_contacts == PRACTICE.crisis_contacts
    no_contacts = build_safety_plan(
        intake(), evaluate(intake()), SafetyPlanChoices(), None, PracticeInfo()
    )
    assert no_contacts.pacing_stage is None
    assert any("No crisis contacts" in p for p in no_contacts.problems)


def test_unacknowledged_critical_indicators_are_reported_for_the_clinician() -> None:
    case = intake(partner("A", {"safety.afraid_of_partner": True}), partner("B"))
    blocked = plan_for(case)
    assert any("critical indicator has not been acknowledged" in p for p in blocked.problems)
    cleared = plan_for(case, acknowledged=("ipv-risk@A",))
    assert not any("critical indicator" in p for p in cleared.problems)
    # The plan itself does not change: the warning is for the clinician only.
    assert dataclasses.replace(blocked, problems=()) == dataclasses.replace(cleared, problems=())


def test_the_plan_names_nothing_from_private_questions() -> None:
    case = intake(
        partner(
            "A",
            {
                "safety.afraid_of_partner": True,
                "suicide.thoughts_past_month": True,
                "substance.use_during_sex": True,
                "trauma.sexual_abuse_history": True,
                "medical.cardiovascular": True,
            },
            instruments={"phq9": (3,) * 9, "audit_c": (4, 4, 4)},
        ),
        partner("B"),
    )
    plan = plan_for(case, acknowledged=("ipv-risk@A", "suicide-risk@A"))
    text = repr(dataclasses.replace(plan, problems=())).lower()
    for word in ("suicid", "afraid", "abuse", "phq", "audit", "score", "27", "alcohol use"):
        assert word not in text
    assert any("heart" in point for point in plan.medical_points)  # shared, so it may show


def test_the_couples_plan_names_no_partners_history() -> None:
    """A trauma-informed plan is read by both partners: its names and tasks say nothing of
    one partner's trauma; the clinician's own copy keeps the clinical names."""
    plan = plan_for(intake(), template="trauma-informed-slow-track")
    clinical = plan_from_template("trauma-informed-slow-track")
    assert clinical.title == "Trauma-informed slow track"
    assert plan.pacing_title == "A slow, step-by-step plan"
    assert plan.pacing_stage is not None
    assert plan.pacing_stage.title == "Getting started"
    couple_words = " ".join(
        (
            plan.pacing_title,
            plan.pacing_stage.title,
            *plan.pacing_stage.homework,
            *plan.stop_and_call,
        )
    ).lower()
    assert "trauma" not in couple_words
    # A stage the clinician renamed keeps the clinician's name.
    renamed = dataclasses.replace(
        clinical,
        stages=(dataclasses.replace(clinical.stages[0], title="First talks"), *clinical.stages[1:]),
    )
    tailored = build_safety_plan(
        intake(), evaluate(intake()), SafetyPlanChoices(), renamed, PRACTICE
    )
    assert tailored.pacing_stage is not None
    assert tailored.pacing_stage.title == "First talks"
