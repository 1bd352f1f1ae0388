"""Property: whatever the intake, the couple's plan shows no clinician-only answer, no score and
no partner-safety or suicide wording (generated intakes, through the real engine and builder)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinical.content import Question, load_content
from clinical.engine import evaluate
from clinical.model import (
    ActivityAnswer,
    FactValue,
    InstrumentAnswer,
    Intake,
    PartnerIntake,
    PtsdScreenAnswer,
    Visibility,
)
from clinical.visibility import (
    couple_visible_facts,
    is_couple_visible,
    is_evidence_couple_visible,
)
from reports.safety_plan import render_safety_plan
from tests.reports.helpers import has_word, pdf_text, snapshot_of

CONTENT = load_content()
QUESTIONS: list[Question] = [q for q in CONTENT.questionnaire.questions() if q.type != "instrument"]
ACTIVITIES = list(CONTENT.activities)
PRIVATE_LABELS = [
    " ".join(q.label.split())
    for q in CONTENT.questionnaire.questions()
    if q.id.startswith(("safety.", "suicide.", "substance."))
]
FORBIDDEN_WORDS = ("PHQ", "GAD", "AUDIT", "PTSD", "score", "suicid", "self-harm", "strangl")
NAMES = {"A": "Kim Example", "B": "Lee Example"}

responses = st.sampled_from(["yes", "maybe", "no", "limit", None])
visibilities: st.SearchStrategy[Visibility | None] = st.sampled_from(
    [None, "joint", "clinician-only"]
)


def marker(owner: str, answer_id: str) -> str:
    """A free-text answer that is unmistakable in extracted text."""
    return f"Marker {owner} {answer_id.replace('.', ' ').replace('_', ' ')} zq"


def fact_value(question: Question, owner: str) -> st.SearchStrategy[FactValue]:
    if question.type == "yes_no":
        return st.booleans()
    if question.type == "scale":
        assert question.min is not None
        assert question.max is not None
        return st.integers(question.min, question.max)
    if question.type == "choice":
        return st.sampled_from([option.value for option in question.options])
    return st.just(marker(owner, question.id))


@st.composite
def partners(draw: st.DrawFn, key: str) -> PartnerIntake:
    facts: dict[str, FactValue] = {}
    visibility: dict[str, Visibility] = {}
    for question in draw(
        st.lists(st.sampled_from(QUESTIONS), max_size=24, unique_by=lambda q: q.id)
    ):
        facts[question.id] = draw(fact_value(question, key))
        chosen = draw(visibilities)
        if chosen is not None:
            visibility[question.id] = chosen
    activities: dict[str, ActivityAnswer] = {}
    for activity in draw(st.lists(st.sampled_from(ACTIVITIES), max_size=8, unique=True)):
        activities[activity] = ActivityAnswer(
            draw(responses), draw(responses), draw(st.sampled_from(["none", "some", "experienced"]))
        )
        chosen = draw(visibilities)
        if chosen is not None:
            visibility[f"activity.{activity}"] = chosen
    instruments: dict[str, InstrumentAnswer] = {
        "phq9": tuple(draw(st.lists(st.integers(0, 3), min_size=9, max_size=9))),
        "gad7": tuple(draw(st.lists(st.integers(0, 3), min_size=7, max_size=7))),
        "pc_ptsd5": PtsdScreenAnswer(
            exposed=draw(st.booleans()),
            items=tuple(draw(st.lists(st.integers(0, 1), min_size=5, max_size=5))),
        ),
        "audit_c": tuple(draw(st.lists(st.integers(0, 4), min_size=3, max_size=3))),
    }
    return PartnerIntake(
        key=key,
        name=NAMES[key],
        audit_c_threshold=draw(st.sampled_from([3, 4])),
        facts=facts,
        instruments=instruments,
        activities=activities,
        visibility=visibility,
    )


@st.composite
def intakes(draw: st.DrawFn) -> Intake:
    return Intake(
        label="Generated couple (fictional)",
        confidentiality_policy=draw(st.sampled_from(["no-secrets", "limited-secrets"])),
        partners=(draw(partners("A")), draw(partners("B"))),
    )


def private_texts(intake: Intake) -> list[str]:
    found = []
    for partner in intake.partners:
        for fact_id, value in partner.facts.items():
            if (
                isinstance(value, str)
                and value.startswith("Marker")
                and not is_couple_visible(intake, partner.key, fact_id, CONTENT)
            ):
                found.append(value)
    return found


def shared_medical_points(intake: Intake) -> list[str]:
    points = []
    for owner in (None, *(partner.key for partner in intake.partners)):
        shared = couple_visible_facts(intake, owner, CONTENT)
        points += [
            point
            for fact_id, point in CONTENT.safety.medical_points.items()
            if shared.get(fact_id) is True
        ]
    return points


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(intake=intakes())
def test_couple_plan_never_shows_private_answers_scores_or_safety_wording(intake: Intake) -> None:
    snapshot = snapshot_of(intake)  # every critical indicator acknowledged: the plan is made
    rendered = render_safety_plan(snapshot)
    text = pdf_text(rendered.data)
    for private in private_texts(intake):
        assert private not in text
    for word in FORBIDDEN_WORDS:
        assert not has_word(text, word), word
    for label in PRIVATE_LABELS:
        assert label not in text
    for score in snapshot.evaluation.scores:
        title = CONTENT.instruments[score.instrument].title
        assert title not in text
    # An indicator resting on a private answer, or a critical one, is never named (a medical
    # point printed because the other partner shared the same answer may echo its title).
    for point in shared_medical_points(intake):
        text = text.replace(" ".join(point.split()), " ")
    for indicator in evaluate(intake).indicators:
        private = indicator.severity == "critical" or not all(
            is_evidence_couple_visible(intake, item, CONTENT) for item in indicator.evidence
        )
        if private:
            assert indicator.title not in text
