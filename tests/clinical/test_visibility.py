"""Who may see an answer: always-private items, explicit choices, the case's policy."""

from __future__ import annotations

from clinical.model import Evidence
from clinical.visibility import (
    answer_visibility,
    couple_visible_facts,
    is_evidence_couple_visible,
)
from tests.clinical.helpers import intake, partner


def test_always_clinician_only_items_ignore_every_choice() -> None:
    case = intake(
        partner(
            "A", visibility={"safety.afraid_of_partner": "joint", "suicide.plan_or_intent": "joint"}
        ),
        partner("B"),
        policy="no-secrets",
    )
    for answer_id in (
        "safety.afraid_of_partner",
        "suicide.plan_or_intent",
        "substance.use_during_sex",
    ):
        assert answer_visibility(case, "A", answer_id) == "clinician-only"


def test_instruments_are_never_couple_facing() -> None:
    case = intake(partner("A", visibility={"phq9": "joint"}), partner("B"), policy="no-secrets")
    for instrument in ("phq9", "gad7", "pc_ptsd5", "audit_c"):
        assert answer_visibility(case, "A", instrument) == "clinician-only"


def test_defaults_under_each_policy() -> None:
    for policy, asked_alone, asked_together in (
        ("no-secrets", "joint", "joint"),
        ("limited-secrets", "clinician-only", "joint"),
    ):
        case = intake(policy=policy)  # type: ignore[arg-type]
        assert answer_visibility(case, "A", "trauma.sexual_abuse_history") == asked_alone
        assert answer_visibility(case, "A", "activity.gag") == asked_alone
        assert answer_visibility(case, "A", "medical.diabetes") == asked_together
        assert answer_visibility(case, None, "relationship.length") == asked_together


def test_an_explicit_choice_wins_over_the_default() -> None:
    case = intake(
        partner("A", visibility={"medical.diabetes": "clinician-only", "activity.gag": "joint"}),
        partner("B"),
        joint_visibility={"relationship.length": "clinician-only"},
    )
    assert answer_visibility(case, "A", "medical.diabetes") == "clinician-only"
    assert answer_visibility(case, "B", "medical.diabetes") == "joint"
    assert answer_visibility(case, "A", "activity.gag") == "joint"
    assert answer_visibility(case, None, "relationship.length") == "clinician-only"


def test_unknown_answers_are_private() -> None:
    case = intake(policy="no-secrets")
    assert answer_visibility(case, "A", "no.such.question") == "clinician-only"
    assert answer_visibility(case, "A", "activity.no_such_activity") == "clinician-only"
    assert answer_visibility(case, "Z", "medical.diabetes") == "joint"  # unknown owner: default


def test_couple_visible_facts_filter() -> None:
    case = intake(
        partner(
            "A",
            {
                "medical.diabetes": True,
                "trauma.in_treatment": True,
                "safety.afraid_of_partner": True,
            },
        ),
        partner("B"),
    )
    visible = couple_visible_facts(case, "A")
    assert visible["medical.diabetes"] is True
    assert "trauma.in_treatment" not in visible
    assert "safety.afraid_of_partner" not in visible
    assert "safety.can_say_no_freely" not in visible


def test_evidence_visibility() -> None:
    case = intake(policy="no-secrets")
    assert not is_evidence_couple_visible(case, Evidence("A", "phq9.item9", 1))
    assert not is_evidence_couple_visible(case, Evidence("A", "safety.strangled_by_partner", True))
    assert is_evidence_couple_visible(case, Evidence("A", "activity.gag.giving", "yes"))
    assert is_evidence_couple_visible(
        case, Evidence(None, "communication.can_discuss_fantasies", 0)
    )
