"""Answers, acknowledgements, plans and snapshots: what the case workspace stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinical.engine import evaluate
from clinical.interchange import intake_to_json, load_intake
from clinical.model import (
    ActivityAnswer,
    PacingStage,
    PtsdScreenAnswer,
    SafetyPlanChoices,
    Signals,
)
from clinical.pacing import plan_from_template
from db.errors import InvalidRecordError
from db.services import answers as answer_service
from db.services import cases as case_service
from db.services import plans as plan_service
from db.services.answers import AnswerChange
from db.services.snapshot import load_case_snapshot
from db.services.types import NewCase, NewPartner
from db.vault import Vault
from tests.clinical.helpers import SHARED_VIGNETTES


def _case(vault: Vault, policy: str = "limited-secrets") -> int:
    with vault.session() as session:
        return case_service.create_case(
            session,
            NewCase(
                "Fictional couple",
                (NewPartner("Kim Example"), NewPartner("Lee Example")),
                policy,  # type: ignore[arg-type]
            ),
        ).id


@pytest.mark.parametrize("vignette", sorted(SHARED_VIGNETTES.glob("*.intake.json")), ids=str)
def test_an_imported_intake_reads_back_and_evaluates_the_same(vault: Vault, vignette: Path) -> None:
    original = load_intake(vignette)
    case_id = _case(vault)
    with vault.session() as session:
        answer_service.import_intake(session, case_id, original)
    with vault.session() as session:
        stored = answer_service.load_intake(session, case_id)
    # Names and the label come from the case, the answers from the file.
    as_json = intake_to_json(stored)
    expected = intake_to_json(original)
    for partner_stored, partner_expected in zip(
        as_json["partners"], expected["partners"], strict=True
    ):
        for part in ("facts", "instruments", "activities", "audit_c_threshold"):
            assert partner_stored[part] == partner_expected[part]
    assert evaluate(stored).disposition == evaluate(original).disposition
    assert [i.key for i in evaluate(stored).indicators] == [
        i.key for i in evaluate(original).indicators
    ]


def test_each_save_updates_the_cases_verdict_for_sorting(vault: Vault) -> None:
    calm, urgent = _case(vault), _case(vault)
    with vault.session() as session:
        result = answer_service.save_answers(
            session, urgent, [AnswerChange("A", "safety.strangled_by_partner", True)]
        )
    assert result.highest_severity == "critical"
    assert result.disposition == "therapy-essential"
    with vault.session() as session:
        ids = case_service.list_case_ids(session, "-severity")
        rows = case_service.case_rows(session, ids)
    assert ids[0] == urgent
    assert rows[0].highest_severity == "critical"
    assert rows[1].id == calm
    assert rows[1].highest_severity is None


def test_a_later_change_replaces_and_none_clears(vault: Vault) -> None:
    case_id = _case(vault)
    with vault.session() as session:
        answer_service.save_answers(
            session,
            case_id,
            [
                AnswerChange("A", "sexual.desire", 4),
                AnswerChange("A", "sexual.desire", 7),
                AnswerChange(None, "goals.hopes", "Talk about fantasies"),
                AnswerChange("B", "phq9", (0, 1, None, None, None, None, None, None, None)),
                AnswerChange("B", "pc_ptsd5", PtsdScreenAnswer(True, (1, None, None, None, None))),
                AnswerChange("A", "activity.blindfold", ActivityAnswer("yes", "maybe", "none")),
            ],
        )
    with vault.session() as session:
        intake = answer_service.load_intake(session, case_id)
    assert intake.partner("A").facts["sexual.desire"] == 7
    assert intake.joint_facts["goals.hopes"] == "Talk about fantasies"
    assert intake.partner("B").instruments["phq9"][:3] == (0, 1, None)
    assert intake.partner("B").instruments["pc_ptsd5"] == PtsdScreenAnswer(
        True, (1, None, None, None, None)
    )
    assert intake.partner("A").activities["blindfold"] == ActivityAnswer("yes", "maybe", "none")
    with vault.session() as session:
        answer_service.save_answers(session, case_id, [AnswerChange("A", "sexual.desire", None)])
        intake = answer_service.load_intake(session, case_id)
    assert "sexual.desire" not in intake.partner("A").facts


@pytest.mark.parametrize(
    "bad",
    [
        AnswerChange("A", "no.such_question", True),
        AnswerChange("A", "sexual.desire", "high"),
        AnswerChange("A", "sexual.desire", 11),
        AnswerChange("A", "safety.afraid_of_partner", 1),
        AnswerChange("Z", "sexual.desire", 3),
        AnswerChange("A", "phq9", (0, 0, 0)),
        AnswerChange("A", "activity.unknown_thing", ActivityAnswer("yes")),
        AnswerChange(None, "safety.afraid_of_partner", False),
    ],
    ids=lambda c: f"{c.partner}-{c.answer_id}",
)
def test_a_bad_answer_stores_nothing_of_its_batch(vault: Vault, bad: AnswerChange) -> None:
    case_id = _case(vault)
    with pytest.raises(InvalidRecordError), vault.session() as session:
        answer_service.save_answers(session, case_id, [AnswerChange("A", "sexual.anxiety", 3), bad])
    with vault.session() as session:
        intake = answer_service.load_intake(session, case_id)
    assert "sexual.anxiety" not in intake.partner("A").facts


def test_visibility_choice_is_stored_with_the_answer(vault: Vault) -> None:
    case_id = _case(vault)
    with vault.session() as session:
        answer_service.save_answers(
            session, case_id, [AnswerChange("A", "trauma.sexual_abuse_history", True)]
        )
        answer_service.set_visibility(session, case_id, "A", "trauma.sexual_abuse_history", "joint")
        intake = answer_service.load_intake(session, case_id)
    assert intake.partner("A").visibility["trauma.sexual_abuse_history"] == "joint"
    with pytest.raises(InvalidRecordError), vault.session() as session:
        answer_service.set_visibility(session, case_id, "B", "sexual.pain", "joint")


def test_acknowledgements_keep_history_and_the_newest_counts(vault: Vault) -> None:
    case_id = _case(vault)
    with vault.session() as session:
        plan_service.acknowledge_indicator(
            session, case_id, "ipv-risk@A", "Seen alone", "Dr Example"
        )
        plan_service.acknowledge_indicator(
            session, case_id, "ipv-risk@A", "Safety plan made", "Dr Example"
        )
        acks = plan_service.list_acknowledgements(session, case_id)
    assert acks["ipv-risk@A"].note == "Safety plan made"
    with pytest.raises(InvalidRecordError), vault.session() as session:
        plan_service.acknowledge_indicator(session, case_id, "x", "n" * 5000, "Dr Example")


def test_plans_round_trip_through_the_vault(vault: Vault) -> None:
    case_id = _case(vault)
    plan = plan_from_template("communication-first")
    edited = plan.__class__(
        template_id=plan.template_id,
        title="Our plan",
        plissit_level=plan.plissit_level,
        stages=(*plan.stages, PacingStage("Extra step", "1 week", ("Homework",), (), (), ())),
        current_stage=1,
        exclusions=plan.exclusions,
    )
    choices = SafetyPlanChoices(
        agreed=("blindfold:A>B",),
        signals=Signals(green="green", yellow="amber", red="red", non_verbal="drop the keys"),
        aftercare={"A": "Blanket and tea"},
        extra_rules=("Phones off",),
    )
    with vault.session() as session:
        plan_service.save_pacing_plan(session, case_id, edited)
        plan_service.save_safety_choices(session, case_id, choices)
        plan_service.save_case_texts(
            session, case_id, goals="Explore safely", recommendations="Refer"
        )
    with vault.session() as session:
        stored = plan_service.get_case_plans(session, case_id)
    assert stored.pacing_plan == edited
    assert stored.safety_choices == choices
    assert (stored.goals, stored.recommendations) == ("Explore safely", "Refer")


def test_snapshot_holds_everything_a_report_needs(vault: Vault) -> None:
    case_id = _case(vault)
    intake = load_intake(SHARED_VIGNETTES / "trauma-role-reversal.intake.json")
    with vault.session() as session:
        answer_service.import_intake(session, case_id, intake)
        plan_service.acknowledge_indicator(session, case_id, "trauma-history@A", "Seen", "Dr E")
    with vault.session() as session:
        snapshot = load_case_snapshot(session, case_id)
    assert [p.name for p in snapshot.partners] == ["Kim Example", "Lee Example"]
    assert snapshot.evaluation.disposition == "therapy-essential"
    assert "trauma-history@A" in snapshot.acknowledgements
    assert snapshot.consent.policy == "limited-secrets"
    assert snapshot.consent.consented_by == ("A", "B")
    json.dumps(intake_to_json(snapshot.intake))  # the export of a snapshot is plain JSON
