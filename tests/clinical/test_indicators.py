"""Indicator rules as DOMAIN.md's table describes them: who, why, with which evidence."""

from __future__ import annotations

from clinical.content import load_content
from clinical.engine import evaluate
from clinical.model import SEVERITY_ORDER, Evaluation, Evidence, Indicator, PtsdScreenAnswer
from tests.clinical.helpers import answer, intake, partner


def fired(evaluation: Evaluation, rule_id: str) -> list[Indicator]:
    return [indicator for indicator in evaluation.indicators if indicator.id == rule_id]


def test_every_rule_of_the_domain_table_exists_with_its_severity() -> None:
    expected = {
        "suicide-risk": ("critical",),
        "ipv-risk": ("critical",),
        "strangulation-history": ("critical",),
        "coercion": ("essential",),
        "trauma-history": ("essential",),
        "ptsd-screen-positive": ("essential",),
        "severe-sexual-anxiety": ("essential",),
        "trauma-adjacent-activity": ("essential",),
        "depression": ("essential", "recommended"),
        "anxiety": ("essential", "recommended"),
        "alcohol-misuse": ("essential",),
        "substance-use-during-sex": ("essential",),
        "communication-breakdown": ("recommended",),
        "prior-boundary-violation": ("recommended",),
        "desire-mismatch": ("recommended",),
        "skill-gap": ("recommended",),
        "breath-play": ("essential",),
        "significant-restraint-safety": ("recommended",),
        "intense-humiliation": ("recommended",),
        "medical-clearance": ("medical",),
        "medication-interaction": ("medical",),
        "sexual-pain": ("medical",),
    }
    rules = {rule.id: rule.severities for rule in load_content().rules}
    assert rules == expected


def test_high_risk_activity_kind_marks_exactly_the_four_activity_rules() -> None:
    kinds = {rule.id for rule in load_content().rules if rule.kind == "high-risk-activity"}
    assert kinds == {
        "breath-play",
        "significant-restraint-safety",
        "intense-humiliation",
        "skill-gap",
    }


def test_desire_mismatch_is_the_only_joint_rule() -> None:
    assert [rule.id for rule in load_content().rules if rule.scope == "joint"] == [
        "desire-mismatch"
    ]


def test_critical_indicators_require_individual_follow_up_and_block_the_plan() -> None:
    evaluation = evaluate(intake(partner("A", {"safety.strangled_by_partner": True}), partner("B")))
    (indicator,) = fired(evaluation, "strangulation-history")
    assert indicator.severity == "critical"
    assert indicator.partner == "A"
    assert indicator.requires_individual_follow_up
    assert indicator.blocks_couple_plan
    assert indicator.key == "strangulation-history@A"
    assert indicator.evidence == (Evidence("A", "safety.strangled_by_partner", True),)
    assert all(source.startswith("clinical-research.md §") for source in indicator.sources)
    assert indicator.rationale
    assert indicator.action


def test_essential_indicators_do_not_block_the_plan() -> None:
    evaluation = evaluate(intake(partner("A", {"trauma.sexual_abuse_history": True}), partner("B")))
    (indicator,) = fired(evaluation, "trauma-history")
    assert not indicator.requires_individual_follow_up
    assert not indicator.blocks_couple_plan


def test_coercion_fires_on_false_but_not_on_absent() -> None:
    said_no = evaluate(intake(partner("A", {"safety.can_say_no_freely": False}), partner("B")))
    assert fired(said_no, "coercion")[0].evidence == (
        Evidence("A", "safety.can_say_no_freely", False),
    )
    not_asked = intake(partner("A", benign=False), partner("B", benign=False))
    assert evaluate(not_asked).indicators == ()


def test_an_empty_intake_fires_nothing_and_starts_lower_risk() -> None:
    evaluation = evaluate(intake(partner("A", benign=False), partner("B", benign=False)))
    assert evaluation.indicators == ()
    assert evaluation.disposition == "lower-risk-start"
    assert evaluation.medical_coordination is False
    assert all(score.total is None for score in evaluation.scores)


def test_trauma_adjacent_needs_that_partners_own_interest() -> None:
    trauma = {"trauma.sexual_abuse_history": True}
    others_interest = intake(
        partner("A", trauma), partner("B", activities={"role_reversal_power": answer("yes", "no")})
    )
    assert not fired(evaluate(others_interest), "trauma-adjacent-activity")
    own_interest = intake(
        partner("A", trauma, activities={"role_reversal_power": answer("no", "maybe")}),
        partner("B"),
    )
    (indicator,) = fired(evaluate(own_interest), "trauma-adjacent-activity")
    assert indicator.partner == "A"
    assert [e.id for e in indicator.evidence] == [
        "trauma.sexual_abuse_history",
        "activity.role_reversal_power.receiving",
    ]


def test_trauma_adjacent_through_a_positive_ptsd_screen() -> None:
    screen = {"pc_ptsd5": PtsdScreenAnswer(exposed=True, items=(1, 1, 1, 0, 0))}
    evaluation = evaluate(
        intake(
            partner(
                "B", instruments=screen, activities={"humiliation_light": answer("maybe", "no")}
            ),
            partner("A"),
        )
    )
    assert {i.id for i in evaluation.indicators} == {
        "ptsd-screen-positive",
        "trauma-adjacent-activity",
    }


def test_medical_clearance_needs_that_partners_own_demanding_interest() -> None:
    condition = {"medical.epilepsy": True}
    elsewhere = intake(
        partner("A", condition), partner("B", activities={"impact_heavy": answer("yes", "no")})
    )
    assert not fired(evaluate(elsewhere), "medical-clearance")
    own = intake(
        partner("A", condition, activities={"significant_restraint": answer("no", "yes")}),
        partner("B"),
    )
    evaluation = evaluate(own)
    assert fired(evaluation, "medical-clearance")[0].partner == "A"
    assert evaluation.medical_coordination is True


def test_medication_interaction_branches() -> None:
    def ids(facts: dict[str, object], activities: dict[str, object] | None = None) -> set[str]:
        who = partner("A", facts, activities=activities)  # type: ignore[arg-type]
        return {i.id for i in evaluate(intake(who, partner("B"))).indicators}

    assert "medication-interaction" in ids(
        {"medical.pde5_inhibitors": True, "medical.nitrates_or_poppers": True}
    )
    assert "medication-interaction" not in ids({"medical.nitrates_or_poppers": True})
    assert "medication-interaction" in ids(
        {"medical.anticoagulants": True}, {"impact_light": answer("no", "yes")}
    )
    assert "medication-interaction" not in ids(
        {"medical.anticoagulants": True}, {"blindfold": answer("yes", "yes")}
    )
    assert "medication-interaction" in ids({"medical.ssri_snri": True})


def test_skill_gap_needs_no_experience_or_online_learning() -> None:
    def skill_gap(experience: str, online: bool) -> bool:
        who = partner(
            "A",
            {"knowledge.learned_only_online": online},
            activities={"consensual_non_consent": answer("maybe", "no", experience)},
        )
        return bool(fired(evaluate(intake(who, partner("B"))), "skill-gap"))

    assert skill_gap("none", False)
    assert not skill_gap("some", False)
    assert not skill_gap("experienced", False)
    assert skill_gap("experienced", True)


def test_skill_gap_ignores_low_and_moderate_tiers() -> None:
    who = partner(
        "A",
        {"knowledge.learned_only_online": True},
        activities={"gag": answer("yes", "yes", "none"), "blindfold": answer("yes", "no", "none")},
    )
    assert not fired(evaluate(intake(who, partner("B"))), "skill-gap")


def test_desire_mismatch_at_a_gap_of_five_and_not_four() -> None:
    def mismatch(a: int, b: int) -> list[Indicator]:
        return fired(
            evaluate(
                intake(partner("A", {"sexual.desire": a}), partner("B", {"sexual.desire": b}))
            ),
            "desire-mismatch",
        )

    assert not mismatch(3, 7)
    (indicator,) = mismatch(2, 7)
    assert indicator.partner is None
    assert set(indicator.evidence) == {
        Evidence("A", "sexual.desire", 2),
        Evidence("B", "sexual.desire", 7),
    }


def test_desire_mismatch_when_most_yeses_meet_a_limit() -> None:
    a = {
        "verbal_roleplay": answer("yes", "no"),
        "blindfold": answer("yes", "no"),
        "sensation_play": answer("yes", "no"),
    }

    def limits(count: int) -> list[Indicator]:
        b = {
            activity: answer("no", "limit" if index < count else "yes")
            for index, activity in enumerate(a)
        }
        return fired(
            evaluate(intake(partner("A", activities=a), partner("B", activities=b))),
            "desire-mismatch",
        )

    assert not limits(1)  # one yes in three meets a limit: not most
    (indicator,) = limits(2)
    assert Evidence("B", "activity.verbal_roleplay.receiving", "limit") in indicator.evidence
    assert Evidence("A", "activity.verbal_roleplay.giving", "yes") in indicator.evidence


def test_joint_facts_fire_for_the_couple() -> None:
    common = {k: v for k, v in partner("A").facts.items() if not k.startswith("communication")}
    evaluation = evaluate(
        intake(
            partner("A", benign=False, facts=common),
            partner("B", benign=False, facts=common),
            joint_facts={"communication.can_discuss_fantasies": 0},
        )
    )
    (indicator,) = fired(evaluation, "communication-breakdown")
    assert indicator.partner is None
    assert indicator.evidence == (Evidence(None, "communication.can_discuss_fantasies", 0),)
    assert evaluation.disposition == "consult-before-high-risk"


def test_joint_facts_never_fire_rules_that_need_a_partners_answers() -> None:
    # Trauma adjacency needs a partner's own interest: joint facts alone cannot supply it.
    evaluation = evaluate(intake(joint_facts={"trauma.sexual_abuse_history": True}))
    assert {(i.id, i.partner) for i in evaluation.indicators} == {("trauma-history", None)}


def test_three_partners_each_evaluated_and_compared() -> None:
    evaluation = evaluate(
        intake(
            partner("A", {"sexual.desire": 9}),
            partner("B", {"suicide.plan_or_intent": True}),
            partner("C", {"sexual.desire": 1}),
        )
    )
    assert {(i.id, i.partner) for i in evaluation.indicators} == {
        ("suicide-risk", "B"),
        ("desire-mismatch", None),
    }
    assert {s.partner for s in evaluation.scores} == {"A", "B", "C"}


def test_indicators_are_ordered_most_severe_first() -> None:
    evaluation = evaluate(
        intake(
            partner("A", {"sexual.pain": True, "communication.can_discuss_fantasies": 0}),
            partner("B", {"safety.afraid_of_partner": True, "sexual.anxiety": 9}),
        )
    )
    order = [SEVERITY_ORDER.index(i.severity) for i in evaluation.indicators]
    assert order == sorted(order)
    assert evaluation.indicators[0].id == "ipv-risk"


def test_kink_interest_alone_fires_only_high_risk_activity_rules() -> None:
    every_activity = {a: answer("yes", "yes", "none") for a in load_content().activities}
    evaluation = evaluate(
        intake(partner("A", activities=every_activity), partner("B", activities=every_activity))
    )
    kinds = {rule.id: rule.kind for rule in load_content().rules}
    assert evaluation.indicators
    assert {kinds[i.id] for i in evaluation.indicators} == {"high-risk-activity"}
