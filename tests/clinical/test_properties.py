"""Properties over many generated intakes (hypothesis), all fictional and schema-valid."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinical.content import load_content
from clinical.engine import evaluate, evaluation_to_json
from clinical.interchange import dump_intake, parse_intake
from clinical.model import (
    SEVERITY_ORDER,
    CrisisContact,
    Evaluation,
    InstrumentScore,
    Intake,
    PartnerIntake,
    PracticeInfo,
    PtsdScreenAnswer,
    SafetyPlan,
    SafetyPlanChoices,
    Signals,
)
from clinical.pacing import plan_from_template
from clinical.safety_plan import build_safety_plan
from clinical.visibility import answer_visibility, is_couple_visible
from tests.clinical import strategies
from tests.clinical.helpers import BENIGN_FACTS

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
PRACTICE = PracticeInfo(crisis_contacts=(CrisisContact("Fictional crisis line", "000"),))


def load(data: dict[str, Any]) -> Intake:
    return parse_intake(data)


@PROPERTY_SETTINGS
@given(strategies.intake_data())
def test_any_schema_valid_intake_evaluates(data: dict[str, Any]) -> None:
    intake = load(data)
    evaluation = evaluate(intake)
    severities = {indicator.severity for indicator in evaluation.indicators}
    assert (evaluation.disposition == "therapy-essential") == bool(
        severities & {"critical", "essential"}
    )
    assert evaluation.medical_coordination == ("medical" in severities)
    keys = {partner.key for partner in intake.partners}
    for indicator in evaluation.indicators:
        assert indicator.partner in keys | {None}
        assert indicator.evidence, indicator.id  # every verdict shows why
        assert {item.partner for item in indicator.evidence} <= keys | {None}
    json.dumps(evaluation_to_json(evaluation))
    assert parse_intake(json.loads(dump_intake(intake))) == intake


def _band_rank(score: InstrumentScore) -> int:
    instrument = load_content().instruments[score.instrument]
    if instrument.threshold_bands is not None:
        return int(score.band == instrument.threshold_bands.at_or_above.id)
    return [band.id for band in instrument.bands].index(score.band or "")


def _raise_item(partner: PartnerIntake, instrument: str, index: int, step: int) -> PartnerIntake:
    answer = partner.instruments[instrument]
    spec = load_content().instruments[instrument]
    if isinstance(answer, PtsdScreenAnswer):
        items = list(answer.items)
        items[index] = min(spec.item_max, (items[index] or 0) + step)
        raised: Any = dataclasses.replace(answer, items=tuple(items))
    else:
        values = list(answer)
        values[index] = min(spec.item_max, (values[index] or 0) + step)
        raised = tuple(values)
    return dataclasses.replace(partner, instruments={**partner.instruments, instrument: raised})


@PROPERTY_SETTINGS
@given(strategies.intake_data(complete_instruments=True), st.data())
def test_raising_an_item_never_lowers_a_band_nor_removes_an_indicator(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    intake = load(data)
    who = draw.draw(st.integers(0, len(intake.partners) - 1))
    instrument = draw.draw(st.sampled_from(["phq9", "gad7", "pc_ptsd5", "audit_c"]))
    spec = load_content().instruments[instrument]
    index = draw.draw(st.integers(0, spec.item_count - 1))
    step = draw.draw(st.integers(1, spec.item_max))
    partners = list(intake.partners)
    partners[who] = _raise_item(partners[who], instrument, index, step)
    before = evaluate(intake)
    after = evaluate(dataclasses.replace(intake, partners=tuple(partners)))
    for old, new in zip(before.scores, after.scores, strict=True):
        assert new.total is not None
        assert old.total is not None
        assert new.total >= old.total
        assert _band_rank(new) >= _band_rank(old)
    new_severity = {i.key: SEVERITY_ORDER.index(i.severity) for i in after.indicators}
    for indicator in before.indicators:
        assert indicator.key in new_severity, indicator.key
        assert new_severity[indicator.key] <= SEVERITY_ORDER.index(indicator.severity)


def _plan(intake: Intake, evaluation: Evaluation, template: str) -> SafetyPlan:
    return build_safety_plan(
        intake,
        evaluation,
        SafetyPlanChoices(signals=Signals(non_verbal="drop the bell")),
        plan_from_template(template),
        PRACTICE,
    )


def _unique_texts(data: dict[str, Any]) -> dict[str, Any]:
    """Give every free-text answer its own marker, so that no marker contains another."""
    counter = iter(range(10**6))

    def rewrite(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: rewrite(child) for key, child in value.items()}
        if isinstance(value, list):
            return [rewrite(child) for child in value]
        if isinstance(value, str) and value.startswith("fictional-text-"):
            return f"<fictional-text-{next(counter)}>"
        return value

    result: dict[str, Any] = rewrite(data)
    return result


def _private_text(intake: Intake) -> list[str]:
    texts = []
    owners: list[tuple[str | None, dict[str, Any]]] = [(None, dict(intake.joint_facts))]
    owners += [(p.key, dict(p.facts)) for p in intake.partners]
    for owner, facts in owners:
        for fact_id, value in facts.items():
            private = not is_couple_visible(intake, owner, fact_id)
            if private and isinstance(value, str) and value.startswith("<fictional-text-"):
                texts.append(value)
    return texts


@PROPERTY_SETTINGS
@given(strategies.intake_data(), st.data())
def test_the_safety_plan_holds_no_private_answer_and_no_score(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    intake = load(_unique_texts(data))
    template = draw.draw(st.sampled_from(list(load_content().templates)))
    plan = _plan(intake, evaluate(intake), template)
    couple_text = repr(dataclasses.replace(plan, problems=()))
    for secret in _private_text(intake):
        assert secret not in couple_text
    lowered = couple_text.lower()
    for word in ("suicid", "phq", "gad-7", "pc-ptsd", "audit", "afraid of", "strangl", "score"):
        assert word not in lowered
    for limit in plan.limits:
        if not (limit.giver or limit.receiver):
            continue  # shown without saying whose
        # Whose limit it is shows only when that partner's own answer is shared.
        owners = [
            (limit.giver, "giving"),
            (limit.receiver, "receiving"),
        ]
        assert any(
            key
            and is_couple_visible(intake, key, f"activity.{limit.activity}")
            and getattr(intake.partner(key).activities.get(limit.activity), role, None) == "limit"
            for key, role in owners
        ), limit
    assert "breath_play" not in {entry.activity for entry in plan.agreed + plan.maybe}


def _instrument_answers(raw: dict[str, Any]) -> dict[str, Any]:
    """Generated instrument JSON as model values (instruments are always clinician-only)."""
    return {
        key: PtsdScreenAnswer(value["exposed"], tuple(value["items"]))
        if isinstance(value, dict)
        else tuple(value)
        for key, value in raw.items()
    }


@PROPERTY_SETTINGS
@given(strategies.intake_data(), st.data())
def test_changing_private_answers_never_changes_the_couples_plan(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    intake = load(data)
    questionnaire = load_content().questionnaire

    def scrambled(owner: str | None, facts: dict[str, Any]) -> dict[str, Any]:
        result = dict(facts)
        for fact_id in list(facts):
            if answer_visibility(intake, owner, fact_id) == "clinician-only":
                question = questionnaire.question(fact_id)
                assert question is not None
                if draw.draw(st.booleans()):
                    result[fact_id] = draw.draw(strategies.fact_value(question))
                else:
                    del result[fact_id]
        return result

    partners = tuple(
        dataclasses.replace(
            p,
            facts=scrambled(p.key, dict(p.facts)),
            instruments=_instrument_answers(draw.draw(strategies.instruments())),
        )
        for p in intake.partners
    )
    other = dataclasses.replace(
        intake, partners=partners, joint_facts=scrambled(None, dict(intake.joint_facts))
    )
    template = draw.draw(st.sampled_from(list(load_content().templates)))
    first = _plan(intake, evaluate(intake), template)
    second = _plan(other, evaluate(other), template)
    assert dataclasses.replace(first, problems=()) == dataclasses.replace(second, problems=())


@PROPERTY_SETTINGS
@given(st.lists(strategies.activities(), min_size=2, max_size=3), st.data())
def test_kink_interest_with_benign_facts_fires_only_high_risk_activity_rules(
    answers: list[dict[str, Any]], draw: st.DataObject
) -> None:
    partners = [
        {
            "key": key,
            "facts": {
                **BENIGN_FACTS,
                "knowledge.learned_only_online": draw.draw(st.booleans()),
            },
            "instruments": {
                "phq9": [0] * 9,
                "gad7": [0] * 7,
                "pc_ptsd5": {"exposed": False, "items": [0] * 5},
                "audit_c": [1, 0, 0],
            },
            "activities": activities,
        }
        for key, activities in zip("ABC", answers, strict=False)
    ]
    data = {
        "format": "parley.intake/1",
        "case": {"label": "Kink only (fictional)", "confidentiality_policy": "no-secrets"},
        "partners": partners,
    }
    evaluation = evaluate(load(data))
    kinds = {rule.id: rule.kind for rule in load_content().rules}
    any_limit = any(
        "limit" in (answer.get("giving"), answer.get("receiving"))
        for activities in answers
        for answer in activities.values()
    )
    for indicator in evaluation.indicators:
        if indicator.id == "desire-mismatch":
            # A yes meeting the other's hard limit is a relationship signal, not interest.
            assert any_limit
            continue
        assert kinds[indicator.id] == "high-risk-activity", indicator.id
