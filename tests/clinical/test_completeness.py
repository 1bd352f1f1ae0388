"""How complete the intakes are: the basis for calling a verdict provisional."""

from __future__ import annotations

from clinical.content import load_content
from clinical.intake_edit import intake_completeness, is_answered, with_answer
from clinical.model import ActivityAnswer, Intake, PartnerIntake, PtsdScreenAnswer


def empty_intake() -> Intake:
    return Intake(
        label="Fictional couple",
        confidentiality_policy="limited-secrets",
        partners=(PartnerIntake("A", "Kim Example"), PartnerIntake("B", "Lee Example")),
    )


def test_an_empty_intake_names_every_section_of_every_partner() -> None:
    content = load_content()
    completeness = intake_completeness(empty_intake(), content)
    sections = content.questionnaire.sections
    assert completeness.answered == 0
    assert not completeness.complete
    assert len(completeness.empty_sections) == 2 * len(sections)
    assert completeness.total == 2 * (
        sum(len(s.questions) for s in sections) + len(content.activities)
    )


def test_an_answer_counts_once_complete_and_its_section_is_no_longer_empty() -> None:
    content = load_content()
    half = with_answer(empty_intake(), "A", "activity.gag", ActivityAnswer("yes", None, None))
    assert intake_completeness(half, content).answered == 0
    whole = with_answer(empty_intake(), "A", "activity.gag", ActivityAnswer("yes", "no", "none"))
    completeness = intake_completeness(whole, content)
    assert completeness.answered == 1
    grid_section = next(
        s.title
        for s in content.questionnaire.sections
        if s.id == content.questionnaire.activity_grid.section
    )
    assert ("A", grid_section) not in completeness.empty_sections
    assert ("B", grid_section) in completeness.empty_sections


def test_a_ptsd_screen_is_complete_at_no_exposure() -> None:
    assert is_answered(PtsdScreenAnswer(exposed=False))
    assert not is_answered(PtsdScreenAnswer(exposed=True))
    assert not is_answered((1, None, 0))
