"""The consultation summary: everything the clinician needs, CONFIDENTIAL on every page."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from reportlab.platypus import Flowable, Spacer

from clinical.content import load_content
from clinical.intake_edit import intake_completeness
from clinical.model import Acknowledgement, MeasurePoint
from reports.summary import render_summary
from reports.wording import describe_evidence, instrument_title
from tests.reports.helpers import (
    VIGNETTE_NAMES,
    pdf_pages,
    pdf_text,
    qpdf_check,
    snapshot_of,
    troubled_intake,
    vignette_snapshot,
)


@pytest.mark.parametrize("name", VIGNETTE_NAMES)
def test_summary_is_sound_and_confidential_on_every_page(name: str) -> None:
    rendered = render_summary(vignette_snapshot(name))
    check = qpdf_check(rendered.data)
    assert check.returncode == 0, check.stdout + check.stderr
    pages = pdf_pages(rendered.data)
    assert len(pages) == rendered.page_count >= 2
    for number, page in enumerate(pages, start=1):
        assert "CONFIDENTIAL" in page
        assert f"page {number} of {rendered.page_count}" in page
        assert "Confidential clinical record" in " ".join(page.split())


def test_summary_holds_scores_indicators_disposition_plan_and_sign_off() -> None:
    snapshot = vignette_snapshot(
        "cardiac-impact",
        goals="Explore impact play safely.\n\nKeep talking openly.",
        recommendations="Medical clearance first; then the graduated plan.",
    )
    content = load_content()
    text = pdf_text(render_summary(snapshot).data)
    # Case, partners, goals, consent and policy.
    for phrase in (
        "Cardiac and impact",
        "Pat Example (A)",
        "Chris Example (B)",
        "Explore impact play safely.",
        "Limited secrets, with a safety exception",
        "Sharing with other professionals not consented",
    ):
        assert phrase in text, phrase
    # Every instrument of every partner with its band and date.
    for score in snapshot.evaluation.scores:
        assert instrument_title(content, score.instrument) in text
        assert score.band_label is not None
        assert score.band_label in text
    assert "4 March 2025" in text
    # Disposition and medical coordination.
    assert "Disposition: Consult before high-risk activities" in text
    assert "Medical coordination: needed" in text
    # Every indicator with rationale, evidence in readable words and sources.
    for indicator in snapshot.evaluation.indicators:
        assert indicator.title in text
        assert " ".join(indicator.rationale.split())[:60] in text
        for item in indicator.evidence:
            assert " ".join(describe_evidence(content, item).split()) in text
        for source in indicator.sources:
            assert " ".join(source.split())[:40] in text
    assert "Do you take erection medicines? Yes" in text
    # Recommendations, referrals, pacing plan, sign-off.
    assert "Medical clearance first; then the graduated plan." in text
    assert "A physician: Medical clearance before physically demanding play" in text
    assert snapshot.pacing_plan is not None
    assert f"Chosen plan {snapshot.pacing_plan.title}" in text
    for stage in snapshot.pacing_plan.stages:
        assert stage.title in text
    assert "Sign-off" in text
    assert "Dr Riley Example" in text


def test_acknowledgement_notes_appear_beside_their_indicator() -> None:
    base = vignette_snapshot("breath-play-newcomers", acknowledge_critical=False)
    key = base.evaluation.indicators[0].key
    note = Acknowledgement(
        indicator_key=key,
        note="Discussed why no safe method exists; both agreed to leave it out.",
        by="Dr Riley Example",
        at=dt.datetime(2025, 3, 5, 9, 0, tzinfo=dt.UTC),
    )
    text = pdf_text(render_summary(replace(base, acknowledgements={key: note})).data)
    assert "Acknowledged by Dr Riley Example on 5 March 2025" in text
    assert "Discussed why no safe method exists" in text
    assert "Not yet acknowledged." in text  # the other indicators


def test_unacknowledged_blocking_indicators_are_named_in_the_triage_box() -> None:
    text = pdf_text(render_summary(snapshot_of(troubled_intake(), acknowledge_critical=False)).data)
    assert "cannot be printed until these critical indicators are acknowledged" in text
    assert "suicide-risk@A" in text


def test_an_incomplete_intake_makes_the_triage_provisional_and_names_the_gaps() -> None:
    snapshot = vignette_snapshot("cardiac-impact")
    completeness = intake_completeness(snapshot.intake)
    assert not completeness.complete
    text = " ".join(pdf_text(render_summary(snapshot).data).split())
    assert f"Provisional: based on {completeness.answered} of {completeness.total} answers" in text
    assert "Nothing answered yet in: Relationship and goals" in text


class _ChartProbe(Spacer):
    """A stand-in chart that records what the hook was given."""


def test_measures_table_and_the_chart_hook() -> None:
    snapshot = replace(
        vignette_snapshot("ready-couple"),
        measures=(
            MeasurePoint("A", "phq9", dt.date(2025, 3, 4), 6, "mild"),
            MeasurePoint("A", "phq9", dt.date(2025, 4, 1), 3, "minimal"),
        ),
    )
    seen: list[tuple[int, float]] = []

    def chart(points: tuple[MeasurePoint, ...], width: float) -> Flowable:
        seen.append((len(points), width))
        return _ChartProbe(width, 40)

    text = pdf_text(render_summary(snapshot, measures_chart=chart).data)
    assert seen
    assert seen[0][0] == 2
    assert 400 < seen[0][1] < 500
    assert "Measures over time" in text
    assert "1 April 2025" in text
    # Without a chart the table still reports the measures.
    assert "1 April 2025" in pdf_text(render_summary(snapshot).data)
