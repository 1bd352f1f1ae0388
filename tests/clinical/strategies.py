"""Hypothesis strategies: schema-valid fictional intakes built from the content itself."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from clinical.content import Question, load_content

RESPONSE = st.sampled_from(["yes", "maybe", "no", "limit", None])
EXPERIENCE = st.sampled_from(["none", "some", "experienced", None])
VISIBILITY = st.sampled_from(["joint", "clinician-only"])
#: Free text marks itself so a leak can be found in any output.
TEXT = st.integers(0, 10**6).map(lambda n: f"fictional-text-{n}")


def fact_value(question: Question) -> st.SearchStrategy[Any]:
    if question.type == "yes_no":
        return st.booleans()
    if question.type == "scale":
        return st.integers(question.min, question.max)
    if question.type == "choice":
        return st.sampled_from([option.value for option in question.options])
    return TEXT


def facts(joint: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    questions = [
        q for q in load_content().questionnaire.facts().values() if not (joint and q.asked_alone)
    ]
    return st.fixed_dictionaries({}, optional={q.id: fact_value(q) for q in questions})


def items(count: int, high: int, complete: bool) -> st.SearchStrategy[list[int | None]]:
    item = st.integers(0, high) if complete else st.one_of(st.none(), st.integers(0, high))
    return st.lists(item, min_size=count, max_size=count)


def instruments(complete: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    exposed = st.booleans() if complete else st.one_of(st.none(), st.booleans())
    parts = {
        "phq9": items(9, 3, complete),
        "gad7": items(7, 3, complete),
        "pc_ptsd5": st.fixed_dictionaries({"exposed": exposed, "items": items(5, 1, complete)}),
        "audit_c": items(3, 4, complete),
    }
    if complete:
        return st.fixed_dictionaries(parts)
    return st.fixed_dictionaries({}, optional=parts)


def activity_answer() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {}, optional={"giving": RESPONSE, "receiving": RESPONSE, "experience": EXPERIENCE}
    )


def activities() -> st.SearchStrategy[dict[str, Any]]:
    ids = list(load_content().activities)
    return st.fixed_dictionaries({}, optional={a: activity_answer() for a in ids})


def visibility() -> st.SearchStrategy[dict[str, str]]:
    content = load_content()
    ids = [q.id for q in content.questionnaire.questions()]
    ids += [f"activity.{a}" for a in content.activities]
    return st.dictionaries(st.sampled_from(ids), VISIBILITY, max_size=12)


@st.composite
def intake_data(draw: st.DrawFn, complete_instruments: bool = False) -> dict[str, Any]:
    """A `parley.intake/1` document with 2 to 4 partners and any mix of answers."""
    count = draw(st.integers(2, 4))
    partners = [
        {
            "key": key,
            "name": f"{key} Example",
            "audit_c_threshold": draw(st.sampled_from([3, 4])),
            "facts": draw(facts()),
            "instruments": draw(instruments(complete_instruments)),
            "activities": draw(activities()),
            "visibility": draw(visibility()),
        }
        for key in "ABCD"[:count]
    ]
    return {
        "format": "parley.intake/1",
        "case": {
            "label": "Property test (fictional)",
            "confidentiality_policy": draw(st.sampled_from(["no-secrets", "limited-secrets"])),
        },
        "partners": partners,
        "joint": {"facts": draw(facts(joint=True)), "visibility": draw(visibility())},
    }
