"""Measures trend charts for the consultation summary (reportlab.graphics, fictional data)."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import replace
from pathlib import Path

from reportlab.graphics.shapes import Circle, Drawing, Line, String

from clinical.content import load_content
from clinical.measures_trend import band_lines
from clinical.model import MeasurePoint
from reports.charts import measures_chart, summary_measures_chart
from reports.summary import render_summary
from tests.reports.helpers import pdf_text, qpdf_check, vignette_snapshot

PHQ = (
    MeasurePoint("A", "phq9", dt.date(2025, 2, 1), 13, "moderate", "Moderate", 10, True),
    MeasurePoint("A", "phq9", dt.date(2025, 3, 4), 8, "mild", "Mild", 10),
    MeasurePoint("A", "phq9", dt.date(2025, 4, 1), 4, "minimal", "Minimal", 10),
)


def _strings(drawing: Drawing) -> list[str]:
    return [item.text for item in drawing.contents if isinstance(item, String)]


def test_a_series_is_drawn_with_its_band_lines_labelled() -> None:
    instrument = load_content().instruments["phq9"]
    drawing = measures_chart(PHQ, instrument, band_lines(instrument), title="Partner A · PHQ-9")
    texts = _strings(drawing)
    assert "Partner A · PHQ-9" in texts
    for label in ("Mild", "Moderate", "Moderately severe", "Severe"):
        assert label in texts
    assert {"0", "5", "10", "15", "20", "27"} <= set(texts)  # the score axis marks each band
    assert {"13", "8", "4"} <= set(texts)
    assert "1 Feb 2025" in texts
    assert "1 Apr 2025" in texts
    dashed = [item for item in drawing.contents if isinstance(item, Line) and item.strokeDashArray]
    assert len(dashed) == 4
    circles = [item for item in drawing.contents if isinstance(item, Circle)]
    assert len(circles) == 3
    # Higher scores sit higher; the band lines sit at their scores.
    heights = [circle.cy for circle in circles]
    assert heights[0] > heights[1] > heights[2]


def test_audit_c_draws_the_partners_own_threshold() -> None:
    instrument = load_content().instruments["audit_c"]
    points = (
        MeasurePoint("B", "audit_c", dt.date(2025, 2, 1), 5, "positive", None, 4, True),
        MeasurePoint("B", "audit_c", dt.date(2025, 3, 1), 2, "negative", None, 4),
    )
    texts = _strings(measures_chart(points, instrument, band_lines(instrument, 4)))
    assert "Screen positive" in texts
    assert "4" in texts


def test_the_summary_hook_places_every_series_of_two_or_more_points(tmp_path: Path) -> None:
    single = MeasurePoint("B", "gad7", dt.date(2025, 3, 4), 3, "minimal")
    assert summary_measures_chart((single,), 480) is None
    flowable = summary_measures_chart((*PHQ, single), 480)
    assert flowable is not None

    snapshot = replace(vignette_snapshot("ready-couple"), measures=(*PHQ, single))
    rendered = render_summary(snapshot, measures_chart=summary_measures_chart)
    assert qpdf_check(rendered.data).returncode == 0
    text = pdf_text(rendered.data)
    assert "Measures over time" in text
    assert "Partner A · PHQ-9" in text
    assert "Moderately severe" in text
    assert "Partner B · GAD-7" not in text  # a single point is no trend
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(rendered.data)
    # The chart renders to pixels (poppler), not only to text.
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))


def test_the_summary_draws_the_chart_by_default_and_a_table_alone_on_request() -> None:
    snapshot = replace(vignette_snapshot("ready-couple"), measures=PHQ)
    assert "Partner A · PHQ-9" in pdf_text(render_summary(snapshot).data)
    table_only = pdf_text(render_summary(snapshot, measures_chart=None).data)
    assert "Partner A · PHQ-9" not in table_only
    assert "1 April 2025" in table_only
