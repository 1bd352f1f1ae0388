"""Instrument scoring: every band boundary, the PC-PTSD-5 gate, both AUDIT-C thresholds."""

from __future__ import annotations

import pytest

from clinical.content import load_content
from clinical.engine import evaluate
from clinical.model import InstrumentScore, PtsdScreenAnswer
from clinical.scoring import score_instrument
from tests.clinical.helpers import intake, partner


def items_for(total: int, count: int, item_max: int) -> tuple[int, ...]:
    """Item scores with this total, filled from the first item on."""
    items = []
    for _ in range(count):
        value = min(item_max, total)
        items.append(value)
        total -= value
    assert total == 0
    return tuple(items)


def score(instrument_id: str, items: object, threshold: int = 3) -> InstrumentScore:
    instrument = load_content().instruments[instrument_id]
    who = partner("A", instruments={instrument_id: items}, audit_c_threshold=threshold)  # type: ignore[dict-item]
    return score_instrument(instrument, who)


PHQ9_BANDS = [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
    (14, "moderate"), (15, "moderately-severe"), (19, "moderately-severe"),
    (20, "severe"), (27, "severe"),
]  # fmt: skip
GAD7_BANDS = [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
    (14, "moderate"), (15, "severe"), (21, "severe"),
]  # fmt: skip


@pytest.mark.parametrize(("total", "band"), PHQ9_BANDS)
def test_phq9_band_boundaries(total: int, band: str) -> None:
    result = score("phq9", items_for(total, 9, 3))
    assert (result.total, result.band) == (total, band)
    assert result.positive is (total >= 10)


@pytest.mark.parametrize(("total", "band"), GAD7_BANDS)
def test_gad7_band_boundaries(total: int, band: str) -> None:
    result = score("gad7", items_for(total, 7, 3))
    assert (result.total, result.band) == (total, band)
    assert result.positive is (total >= 10)


@pytest.mark.parametrize(
    ("total", "band"), [(0, "negative"), (2, "negative"), (3, "positive"), (5, "positive")]
)
def test_pc_ptsd5_cutoff_when_exposed(total: int, band: str) -> None:
    result = score("pc_ptsd5", PtsdScreenAnswer(exposed=True, items=items_for(total, 5, 1)))
    assert (result.total, result.band, result.positive) == (total, band, total >= 3)


def test_pc_ptsd5_gate_closed_scores_zero_whatever_the_items() -> None:
    result = score("pc_ptsd5", PtsdScreenAnswer(exposed=False, items=(1, 1, 1, 1, 1)))
    assert (result.total, result.band, result.positive) == (0, "negative", False)
    assert result.complete


def test_pc_ptsd5_gate_unanswered_gives_no_score() -> None:
    result = score("pc_ptsd5", PtsdScreenAnswer(exposed=None, items=(1, 1, 1, 1, 1)))
    assert result.total is None
    assert result.band is None


def test_pc_ptsd5_gate_closed_never_fires_the_ptsd_indicator() -> None:
    closed = PtsdScreenAnswer(exposed=False, items=(1, 1, 1, 1, 1))
    evaluation = evaluate(intake(partner("A", instruments={"pc_ptsd5": closed}), partner("B")))
    assert "ptsd-screen-positive" not in {i.id for i in evaluation.indicators}
    opened = PtsdScreenAnswer(exposed=True, items=(1, 1, 1, 0, 0))
    evaluation = evaluate(intake(partner("A", instruments={"pc_ptsd5": opened}), partner("B")))
    fired = [i for i in evaluation.indicators if i.id == "ptsd-screen-positive"]
    assert [e.id for e in fired[0].evidence] == ["pc_ptsd5.exposed", "pc_ptsd5.total"]


@pytest.mark.parametrize(
    ("threshold", "total", "positive"),
    [(3, 2, False), (3, 3, True), (4, 3, False), (4, 4, True), (3, 12, True), (4, 0, False)],
)
def test_audit_c_both_thresholds(threshold: int, total: int, positive: bool) -> None:
    result = score("audit_c", items_for(total, 3, 4), threshold=threshold)
    assert result.total == total
    assert result.threshold == threshold
    assert result.positive is positive
    assert result.band == ("positive" if positive else "negative")
    evaluation = evaluate(
        intake(
            partner(
                "A", instruments={"audit_c": items_for(total, 3, 4)}, audit_c_threshold=threshold
            ),
            partner("B"),
        )
    )
    assert ("alcohol-misuse" in {i.id for i in evaluation.indicators}) is positive


def test_audit_c_threshold_outside_the_allowed_ones_uses_the_sensitive_default() -> None:
    result = score("audit_c", (1, 1, 1), threshold=7)
    assert result.threshold == 3
    assert result.positive is True


def test_incomplete_instrument_has_no_total_band_or_verdict() -> None:
    result = score("phq9", (3, 3, 3, None, 0, 0, 0, 0, 0))
    assert (result.total, result.band, result.positive) == (None, None, None)
    assert (result.answered, result.item_count) == (8, 9)


def test_missing_instrument_is_incomplete_not_zero() -> None:
    who = partner("A", benign=False)
    result = score_instrument(load_content().instruments["phq9"], who)
    assert result.total is None
    assert result.answered == 0


def test_out_of_range_items_are_not_counted() -> None:
    result = score("phq9", (9, 0, 0, 0, 0, 0, 0, 0, 0))
    assert result.total is None  # never guessed or clamped


def test_depression_and_anxiety_levels_switch_at_15() -> None:
    for instrument, count, rule in (("phq9", 9, "depression"), ("gad7", 7, "anxiety")):
        severities = {}
        for total in (9, 10, 14, 15):
            evaluation = evaluate(
                intake(
                    partner("A", instruments={instrument: items_for(total, count, 3)}), partner("B")
                )
            )
            fired = [i for i in evaluation.indicators if i.id == rule]
            severities[total] = fired[0].severity if fired else None
        assert severities == {9: None, 10: "recommended", 14: "recommended", 15: "essential"}


def test_suicide_risk_fires_on_item_9_alone() -> None:
    phq9 = (0, 0, 0, 0, 0, 0, 0, 0, 1)
    evaluation = evaluate(intake(partner("A", instruments={"phq9": phq9}), partner("B")))
    suicide = [i for i in evaluation.indicators if i.id == "suicide-risk"]
    assert len(suicide) == 1
    assert suicide[0].partner == "A"
    assert suicide[0].evidence[0].id == "phq9.item9"
    assert suicide[0].requires_individual_follow_up
    assert suicide[0].blocks_couple_plan
    assert evaluation.disposition == "therapy-essential"
