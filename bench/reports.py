"""PDF report metrics: the consultation summary and the couple's safety plan, in milliseconds.

Each is the median build time of a full document from a fictional vignette snapshot (the
engine's evaluation is done once beforehand; the safety plan's own engine step is part of
the timing). The baseline, measured in the same run, is a bare reportlab document of the
same page count: plain paragraphs in the same bundled font, one layout pass, no templates.
"""

from __future__ import annotations

import io
import statistics
from collections.abc import Callable
from pathlib import Path

from bench.harness import Metric, median_seconds

VIGNETTES = Path(__file__).resolve().parents[2] / "shared" / "vignettes"
REPEATS = 30
GOAL_MS = 150.0
FILLER = (
    "A plain paragraph of fictional filler text, long enough to wrap over several lines so "
    "that the bare document fills its pages the way a real report does. "
) * 3


def _snapshot(name: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    from clinical.engine import evaluate
    from clinical.interchange import load_intake
    from clinical.model import CrisisContact, PracticeInfo
    from reports.intake_snapshot import snapshot_from_intake

    intake = load_intake(VIGNETTES / f"{name}.intake.json")
    practice = PracticeInfo(
        clinician_name="Dr Riley Example",
        credentials="PhD (fictional)",
        practice_name="Example Couples Practice (fictional)",
        practice_contact="555-0100",
        crisis_contacts=(CrisisContact("Example Crisis Line (fictional)", "555-0199"),),
    )
    blocking = [i.key for i in evaluate(intake).indicators if i.blocks_couple_plan]
    return snapshot_from_intake(
        intake,
        practice=practice,
        acknowledged=blocking,
        taken_at=dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC),
    )


def _bare_document(paragraphs: int) -> tuple[bytes, int]:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from reports.fonts import REGULAR, register_bundled_fonts

    register_bundled_fonts()
    style = ParagraphStyle("bare", fontName=REGULAR, fontSize=10, leading=15)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer)
    document.build([Paragraph(FILLER, style) for _ in range(paragraphs)])
    return buffer.getvalue(), int(document.page)


def _bare_paragraphs_for(pages: int) -> int:
    """The fewest filler paragraphs that make a bare document of `pages` pages."""
    count = 1
    while _bare_document(count)[1] < pages:
        count += 1
    return count


def _measure(name: str, build: Callable[[], object], pages: int) -> Metric:
    paragraphs = _bare_paragraphs_for(pages)
    # Interleaved medians, so that drift of the machine affects both alike.
    build()
    _bare_document(paragraphs)
    report, bare = [], []
    for _ in range(REPEATS):
        report.append(median_seconds(build, repeats=1, warmup=0))
        bare.append(median_seconds(lambda: _bare_document(paragraphs), repeats=1, warmup=0))
    report_ms = statistics.median(report) * 1000
    bare_ms = statistics.median(bare) * 1000
    return Metric(
        value=report_ms,
        unit="ms",
        baseline=bare_ms,
        goal=GOAL_MS,
        note=(
            f"{name}: {pages} pages, median of {REPEATS} builds {report_ms:.1f} ms vs a bare "
            f"reportlab document of {pages} pages {bare_ms:.1f} ms (baseline, ms; ratio "
            f"{report_ms / bare_ms:.2f})"
        ),
    )


def run() -> dict[str, Metric]:
    from reports.safety_plan import render_safety_plan
    from reports.summary import render_summary

    summary_case = _snapshot("cardiac-impact")
    plan_case = _snapshot("ready-couple")
    summary_pages = render_summary(summary_case).page_count
    plan_pages = render_safety_plan(plan_case).page_count
    return {
        "report_summary_ms": _measure(
            "consultation summary", lambda: render_summary(summary_case), summary_pages
        ),
        "report_safety_plan_ms": _measure(
            "couple safety plan", lambda: render_safety_plan(plan_case), plan_pages
        ),
    }
