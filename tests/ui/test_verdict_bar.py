"""The verdict bar: its mark follows the indicators behind it; it says when it is provisional."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from clinical.model import ActivityAnswer


def test_therapy_essential_without_a_critical_indicator_wears_the_essential_mark(  # type: ignore[no-untyped-def]
    workspace_on,
) -> None:
    workspace = workspace_on("trauma-role-reversal")
    evaluation = workspace.case.evaluation
    assert evaluation.disposition == "therapy-essential"
    assert not any(i.severity == "critical" for i in evaluation.indicators)
    text = workspace.verdict.disposition_label.text()
    assert "▲" in text
    assert "✖" not in text
    indicators = workspace.show_page_by_key("indicators")
    titles = [label.text() for label in indicators.findChildren(QLabel)]
    assert any(t.startswith("▲  ") and "Therapy essential" in t for t in titles)
    assert not any(t.startswith("✖") for t in titles)


def test_therapy_essential_with_a_critical_indicator_wears_the_cross(workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple")
    workspace.case.set_answer("A", "safety.afraid_of_partner", True)
    assert workspace.case.evaluation.disposition == "therapy-essential"
    assert "✖" in workspace.verdict.disposition_label.text()


def test_an_incomplete_intake_makes_the_verdict_provisional_and_says_where(  # type: ignore[no-untyped-def]
    workspace_on,
) -> None:
    workspace = workspace_on(None)  # nothing answered yet
    bar = workspace.verdict
    assert bar.provisional_label.text().startswith("Provisional: 0 of ")
    assert "Kim Example: Medical" in bar.provisional_label.toolTip()
    workspace.case.set_answer("A", "activity.blindfold", ActivityAnswer("yes", "yes", "some"))
    assert bar.provisional_label.text().startswith("Provisional: 1 of ")
