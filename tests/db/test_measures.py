"""Measures over time: re-administrations scored like the intake, kept as recorded, in the
case snapshot with the intake's score as the first point. All data here is fictional."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from clinical.content import load_content
from clinical.engine import evaluate
from clinical.measures_trend import band_lines, series_by_partner_and_instrument
from clinical.model import PtsdScreenAnswer
from db.audit import count_events, recent_events
from db.errors import InvalidRecordError
from db.services import answers as answer_service
from db.services import measures as measure_service
from db.services.answers import AnswerChange
from db.services.snapshot import load_case_snapshot
from db.vault import Vault
from tests.db.conftest import add_example_case

LATER = dt.date(2025, 4, 1)


@pytest.fixture
def case_id(vault: Vault) -> int:
    case = add_example_case(vault)
    with vault.session() as session:
        answer_service.save_answers(
            session,
            case.id,
            [
                AnswerChange("A", "phq9", (2, 2, 2, 2, 2, 1, 1, 1, 0)),  # 13: moderate
                AnswerChange("A", "gad7", (1, 1, 1, 1, 0, 0, 0)),
                AnswerChange("B", "audit_c", (2, 1, 0)),
            ],
        )
        # The intake took place before the later sessions these tests record.
        session.execute(
            text("UPDATE cases SET created_at = '2025-02-01T09:00:00.000000Z' WHERE id = :c"),
            {"c": case.id},
        )
    return case.id


def record(vault: Vault, case_id: int, partner: str, instrument: str, answer, day=LATER):  # type: ignore[no-untyped-def]
    with vault.session() as session:
        return measure_service.record_measure(session, case_id, partner, instrument, answer, day)


def test_a_re_administration_is_scored_like_the_intake(vault: Vault, case_id: int) -> None:
    stored = record(vault, case_id, "A", "phq9", (1, 1, 1, 1, 1, 1, 1, 0, 0))
    assert (stored.total, stored.band, stored.band_label) == (7, "mild", "Mild")
    ptsd = record(vault, case_id, "B", "pc_ptsd5", PtsdScreenAnswer(True, (1, 1, 1, 0, 0)))
    assert (ptsd.total, ptsd.band) == (3, "positive")
    not_exposed = record(vault, case_id, "B", "pc_ptsd5", PtsdScreenAnswer(False))
    assert not_exposed.total == 0
    alcohol = record(vault, case_id, "B", "audit_c", (2, 1, 1))
    assert (alcohol.total, alcohol.band, alcohol.threshold) == (4, "positive", 3)
    with vault.session() as session:
        listed = measure_service.list_measures(session, case_id)
        assert count_events(session, "measure-recorded") == 4
        event = recent_events(session, 1)[0]
    assert [m.id for m in listed] == [stored.id, ptsd.id, not_exposed.id, alcohol.id]
    assert listed[0].answer == (1, 1, 1, 1, 1, 1, 1, 0, 0)
    assert listed[1].answer == PtsdScreenAnswer(True, (1, 1, 1, 0, 0))
    assert event.record_id == str(case_id)
    assert '"instrument":"audit_c"' in event.details
    assert '"partner":"B"' in event.details


@pytest.mark.parametrize(
    ("partner", "instrument", "answer", "message"),
    [
        ("A", "phq9", (1, None, 1, 1, 1, 1, 1, 0, 0), "8 of 9 answered"),
        ("A", "phq9", (1, 1), "8 of 9|2 of 9|answer every"),
        ("A", "pc_ptsd5", PtsdScreenAnswer(None), "answer every"),
        ("A", "pc_ptsd5", (1, 1, 1, 1, 1), "exposure"),
        ("Z", "gad7", (0,) * 7, "partner Z"),
        ("A", "csi4", (0,) * 4, "only PHQ-9"),
    ],
)
def test_incomplete_or_wrong_administrations_are_refused(
    vault: Vault, case_id: int, partner: str, instrument: str, answer: object, message: str
) -> None:
    with pytest.raises(InvalidRecordError, match=message), vault.session() as session:
        measure_service.record_measure(session, case_id, partner, instrument, answer, LATER)  # type: ignore[arg-type]
    with vault.session() as session:
        assert measure_service.list_measures(session, case_id) == ()


def test_a_future_date_is_refused(vault: Vault, case_id: int) -> None:
    with pytest.raises(InvalidRecordError, match="future"):
        record(vault, case_id, "A", "gad7", (0,) * 7, dt.date.today() + dt.timedelta(days=9))


def test_recorded_measures_are_never_changed_in_place(vault: Vault, case_id: int) -> None:
    record(vault, case_id, "A", "gad7", (0,) * 7)
    for statement in (
        "UPDATE measure_administrations SET total = 21",
        "DELETE FROM measure_administrations",
    ):
        with pytest.raises(IntegrityError), vault.session() as session:
            session.execute(text(statement))


def test_points_start_with_the_intake_and_a_correction_supersedes(
    vault: Vault, case_id: int
) -> None:
    record(vault, case_id, "A", "phq9", (3,) * 9)  # recorded by mistake: 27
    record(vault, case_id, "A", "phq9", (1, 1, 1, 1, 1, 1, 1, 0, 0))  # the correction: 7
    record(vault, case_id, "A", "phq9", (0,) * 9, dt.date(2025, 5, 2))
    with vault.session() as session:
        snapshot = load_case_snapshot(session, case_id)
    series = series_by_partner_and_instrument(snapshot.measures)
    # GAD-7 and AUDIT-C were not re-administered: a single intake score is not a trend.
    assert list(series) == [("A", "phq9")]
    phq = series[("A", "phq9")]
    assert [(p.total, p.at_intake) for p in phq] == [(13, True), (7, False), (0, False)]
    assert phq[0].taken_on == snapshot.intake_date == dt.date(2025, 2, 1)
    assert phq[0].band_label == "Moderate"
    # Both recordings of that day are kept.
    with vault.session() as session:
        assert len(measure_service.list_measures(session, case_id)) == 3


def test_measure_points_from_a_live_evaluation(vault: Vault, case_id: int) -> None:
    stored = record(vault, case_id, "B", "audit_c", (0, 0, 0))
    with vault.session() as session:
        intake = answer_service.load_intake(session, case_id)
    points = measure_service.measure_points([stored], evaluate(intake), dt.date(2025, 1, 1))
    assert [(p.instrument, p.total, p.at_intake) for p in points] == [
        ("audit_c", 3, True),
        ("audit_c", 0, False),
    ]


def test_band_lines_follow_the_content() -> None:
    content = load_content()
    assert [(line.value, line.label) for line in band_lines(content.instruments["phq9"])] == [
        (5, "Mild"),
        (10, "Moderate"),
        (15, "Moderately severe"),
        (20, "Severe"),
    ]
    assert [line.value for line in band_lines(content.instruments["gad7"])] == [5, 10, 15]
    assert [line.value for line in band_lines(content.instruments["pc_ptsd5"])] == [3]
    audit_c = band_lines(content.instruments["audit_c"], threshold=4)
    assert [(line.value, line.label) for line in audit_c] == [
        (4, "Screen positive: hazardous drinking likely")
    ]
