"""The couple's safety plan: what it must hold, what it must never show, and when it is refused."""

from __future__ import annotations

import dataclasses

import pytest

from clinical.content import load_content
from clinical.engine import evaluate
from clinical.model import ActivityAnswer, SafetyPlanChoices, Signals
from reports.couple_guard import CoupleLeakError
from reports.safety_plan import UnacknowledgedIndicatorError, render_safety_plan
from reports.wording import describe_evidence
from tests.reports.helpers import (
    PRACTICE,
    PRIVATE_AFTERCARE,
    PRIVATE_CONDITION,
    SHARED_AFTERCARE,
    VIGNETTE_NAMES,
    couple,
    has_word,
    partner,
    pdf_pages,
    pdf_text,
    qpdf_check,
    snapshot_of,
    troubled_intake,
    vignette_snapshot,
)


@pytest.fixture(scope="module")
def troubled_plan() -> tuple[str, list[str]]:
    rendered = render_safety_plan(snapshot_of(troubled_intake()))
    assert qpdf_check(rendered.data).returncode == 0
    pages = pdf_pages(rendered.data)
    return " ".join(" ".join(pages).split()), pages


@pytest.mark.parametrize("name", VIGNETTE_NAMES)
def test_every_vignette_plan_is_two_to_four_sound_pages(name: str) -> None:
    rendered = render_safety_plan(vignette_snapshot(name))
    assert 2 <= rendered.page_count <= 4
    check = qpdf_check(rendered.data)
    assert check.returncode == 0, check.stdout + check.stderr
    pages = pdf_pages(rendered.data)
    assert len(pages) == rendered.page_count
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {rendered.page_count}" in page


def test_plan_holds_everything_the_domain_lists() -> None:
    snapshot = vignette_snapshot(
        "ready-couple",
        choices=SafetyPlanChoices(
            signals=Signals(green="Sunflower", yellow="Amber", red="Pineapple"),
            aftercare={"A": "Water and a long hug", "B": "Quiet time, then a debrief"},
            extra_rules=("Keep the safety shears on the bedside table.",),
            notes_for_couple="You are doing this thoughtfully. Go slowly and enjoy it.",
        ),
    )
    text = pdf_text(render_safety_plan(snapshot).data)
    # Agreed activities, the maybe list and whose direction.
    for phrase in (
        "What we agreed to try",
        "Verbal role-play",
        "Blindfold",
        "Both ways",
        "Maybe later",
        "Sam Example giving, Robin Example receiving",
        "Our hard limits",
    ):
        assert phrase in text
    # Signals with their meaning.
    for word in ("Sunflower", "Amber", "Pineapple", "Stop now"):
        assert word in text
    # Aftercare of each partner and the drop check.
    assert "Robin Example: Water and a long hug" in text
    assert "Sam Example: Quiet time, then a debrief" in text
    assert "24 to 72 hours" in text
    # Physical safety from the activities chosen, plus the clinician's rule.
    assert "Never leave a restrained partner alone" in text
    assert "Keep the safety shears on the bedside table." in text
    # What is never in a plan.
    assert "Breath play or choking of any kind is not part of this plan" in text
    # Pacing stage, when to stop and call, crisis contacts, the therapist.
    assert "Where we are in our plan" in text
    assert snapshot.pacing_plan is not None
    assert snapshot.pacing_plan.stages[0].title in text
    assert "When to stop and call your therapist" in text
    assert "Example Crisis Line (fictional)" in text
    assert "555-0199" in text
    assert "Your therapist: Dr Riley Example" in text
    assert "You are doing this thoughtfully." in text
    # Signature lines for both partners and the clinician.
    assert "Our signatures" in text
    for signer in ("Robin Example", "Sam Example", "Dr Riley Example"):
        assert text.count(signer) >= 2
    assert text.count("Date") >= 3


def test_non_verbal_signal_line_appears_when_a_gag_is_in_view() -> None:
    gagged = couple(
        partner("A", "Kim Example", activities={"gag": ActivityAnswer("yes", "no", "some")}),
        partner("B", "Lee Example", activities={"gag": ActivityAnswer("no", "yes", "some")}),
    )
    rendered = render_safety_plan(snapshot_of(gagged))
    text = pdf_text(rendered.data)
    assert "Without words: ____" in text
    assert any("non-verbal stop signal" in warning for warning in rendered.warnings)
    chosen = snapshot_of(
        gagged, choices=SafetyPlanChoices(signals=Signals(non_verbal="drop the bell"))
    )
    assert "Without words: drop the bell" in pdf_text(render_safety_plan(chosen).data)


def test_plan_shows_no_clinician_only_content(troubled_plan: tuple[str, list[str]]) -> None:
    text, _ = troubled_plan
    content = load_content()
    # No screening instrument, no score.
    for word in ("PHQ", "GAD", "AUDIT", "PC-PTSD", "PTSD", "score"):
        assert not has_word(text, word), word
    for instrument in content.instruments.values():
        assert instrument.full_title not in text
    # No suicide or partner-safety wording.
    for word in ("suicid", "self-harm", "strangl", "afraid", "violence", "forced", "substance"):
        assert not has_word(text, word), word
    for question in content.questionnaire.questions():
        if question.id.startswith(("safety.", "suicide.", "substance.")):
            assert " ".join(question.label.split()) not in text
    # No clinician-only answer.
    assert PRIVATE_AFTERCARE not in text
    assert PRIVATE_CONDITION not in text
    assert "inhaler" not in text  # the asthma point rests on a clinician-only answer
    # No indicator and no indicator evidence.
    evaluation = evaluate(troubled_intake())
    assert evaluation.indicators
    for indicator in evaluation.indicators:
        assert indicator.title not in text
        for item in indicator.evidence:
            assert describe_evidence(content, item) not in text
    # The couple's own shared content is there.
    assert SHARED_AFTERCARE in text
    assert "Blindfold" in text


def test_hard_limit_from_a_private_answer_does_not_say_whose(
    troubled_plan: tuple[str, list[str]],
) -> None:
    text, _ = troubled_plan
    assert "Gag (a hard limit for one of you)" in text


def test_unacknowledged_critical_indicator_refuses_the_plan() -> None:
    snapshot = snapshot_of(troubled_intake(), acknowledge_critical=False)
    with pytest.raises(UnacknowledgedIndicatorError) as caught:
        render_safety_plan(snapshot)
    message = str(caught.value)
    for key in ("suicide-risk@A", "ipv-risk@A", "strangulation-history@A"):
        assert key in message
    assert "Kim" not in message
    assert "Lee" not in message
    # Acknowledging one is not enough.
    partly = snapshot_of(
        troubled_intake(), acknowledge_critical=False, acknowledged=["suicide-risk@A"]
    )
    with pytest.raises(UnacknowledgedIndicatorError) as again:
        render_safety_plan(partly)
    assert "suicide-risk@A" not in str(again.value)
    assert "ipv-risk@A" in str(again.value)


def test_guard_refuses_clinician_wording_added_by_hand() -> None:
    snapshot = vignette_snapshot(
        "ready-couple",
        choices=SafetyPlanChoices(extra_rules=("Repeat the PHQ-9 before each stage.",)),
    )
    with pytest.raises(CoupleLeakError) as caught:
        render_safety_plan(snapshot)
    assert "a screening instrument" in str(caught.value)
    assert "PHQ" not in str(caught.value)


def test_guard_refuses_a_clinician_only_answer_copied_into_the_notes() -> None:
    intake = troubled_intake()
    snapshot = snapshot_of(
        intake, choices=SafetyPlanChoices(notes_for_couple=f"Remember: {PRIVATE_CONDITION}.")
    )
    with pytest.raises(CoupleLeakError) as caught:
        render_safety_plan(snapshot)
    assert "a clinician-only answer" in str(caught.value)
    assert "Narwhal" not in str(caught.value)


def test_guard_allows_what_the_couple_shared_themselves() -> None:
    # Kim's private aftercare wish happens to be part of Lee's shared one: a coincidence the
    # guard must not hold against the plan.
    kim = partner(
        "A",
        "Kim Example",
        facts={"communication.aftercare_wishes": "a warm blanket"},
        visibility={"communication.aftercare_wishes": "clinician-only"},
    )
    lee = partner("B", "Lee Example", facts={"communication.aftercare_wishes": SHARED_AFTERCARE})
    text = pdf_text(render_safety_plan(snapshot_of(couple(kim, lee))).data)
    assert f"Lee Example: {SHARED_AFTERCARE}" in text
    assert "Kim Example: ____" in text


def test_crisis_contacts_and_practice_are_on_the_plan_without_any_partner_data() -> None:
    snapshot = vignette_snapshot("ready-couple")
    no_contacts = dataclasses.replace(
        snapshot, practice=dataclasses.replace(PRACTICE, crisis_contacts=())
    )
    rendered = render_safety_plan(no_contacts)
    text = pdf_text(rendered.data)
    assert "Ask your therapist for local crisis numbers" in text
    assert any("crisis contacts" in warning for warning in rendered.warnings)


def test_shared_medical_point_is_printed_even_though_it_echoes_an_indicator() -> None:
    kim = partner("A", "Kim Example", facts={"sexual.pain": True})
    lee = partner("B", "Lee Example")
    snapshot = snapshot_of(couple(kim, lee))
    assert any(i.id == "sexual-pain" for i in snapshot.evaluation.indicators)
    text = pdf_text(render_safety_plan(snapshot).data)
    assert "Pain with sex deserves a medical check" in text
