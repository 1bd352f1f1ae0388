"""Benchmark: evaluating a full two-partner intake (issue 3 goal: 2 ms median or less)."""

from __future__ import annotations

from bench.harness import Metric, median_seconds
from clinical.content import Content, load_content
from clinical.engine import evaluate
from clinical.model import (
    RESPONSES,
    ActivityAnswer,
    FactValue,
    Intake,
    PartnerIntake,
    PtsdScreenAnswer,
)

REPEATS = 2000


def _full_partner(content: Content, key: str, shift: int) -> PartnerIntake:
    """A fictional partner who answered everything: the heaviest two-partner case."""
    facts: dict[str, FactValue] = {}
    for question in content.questionnaire.facts().values():
        if question.type == "yes_no":
            facts[question.id] = (len(question.id) + shift) % 3 == 0
        elif question.type == "scale":
            assert question.min is not None
            assert question.max is not None
            facts[question.id] = question.min + (shift % (question.max - question.min + 1))
        elif question.type == "choice":
            facts[question.id] = question.options[shift % len(question.options)].value
        else:
            facts[question.id] = "Fictional benchmark answer"
    activities = {
        activity_id: ActivityAnswer(
            giving=RESPONSES[(index + shift) % 4],
            receiving=RESPONSES[(index + shift + 1) % 4],
            experience=("none", "some", "experienced")[index % 3],
        )
        for index, activity_id in enumerate(content.activities)
    }
    return PartnerIntake(
        key=key,
        name=f"{key} Example",
        facts=facts,
        instruments={
            "phq9": (1, 1, 2, 0, 1, 1, 0, 2, 0),
            "gad7": (1, 2, 1, 1, 0, 1, 1),
            "pc_ptsd5": PtsdScreenAnswer(exposed=True, items=(1, 0, 1, 0, 1)),
            "audit_c": (2, 1, 0),
        },
        activities=activities,
    )


def benchmark_intake(content: Content) -> Intake:
    """The intake the benchmark evaluates (fictional, every question answered)."""
    return Intake(
        label="Benchmark couple (fictional)",
        confidentiality_policy="limited-secrets",
        partners=(_full_partner(content, "A", 0), _full_partner(content, "B", 1)),
        content_version=content.version,
    )


def _bare_pass(intake: Intake) -> int:
    """The baseline: one plain loop over the same answers, doing nothing clinical."""
    count = 0
    for partner in intake.partners:
        for value in partner.facts.values():
            count += value is True
        for answer in partner.instruments.values():
            items = answer.items if isinstance(answer, PtsdScreenAnswer) else answer
            count += sum(item or 0 for item in items)
        for activity in partner.activities.values():
            count += activity.giving == "yes"
    return count


def run() -> dict[str, Metric]:
    content = load_content()  # loaded and compiled once, as in the app
    intake = benchmark_intake(content)
    engine = median_seconds(lambda: evaluate(intake, content), REPEATS, warmup=50) * 1000
    baseline = median_seconds(lambda: _bare_pass(intake), REPEATS, warmup=50) * 1000
    return {
        "evaluate_intake_ms": Metric(
            value=engine,
            unit="ms",
            baseline=baseline,
            goal=2.0,
            note=(
                f"median of {REPEATS} evaluate() calls on a fictional two-partner intake with "
                "every question, instrument and activity answered; baseline: a bare loop over "
                "the same answers"
            ),
        )
    }
