"""The condition language: parsing, name and type checks, three-valued logic and evidence."""

from __future__ import annotations

import pytest

from clinical.content import load_content
from clinical.expressions import (
    Context,
    ExpressionError,
    Outcome,
    Subject,
    compile_condition,
    parse,
)
from clinical.model import ActivityAnswer, Evidence, FactValue, PtsdScreenAnswer
from tests.clinical.helpers import answer


def run(
    condition: str,
    facts: dict[str, FactValue] | None = None,
    *,
    scope: str = "partner",
    partners: tuple[Subject, ...] = (),
    **subject: object,
) -> Outcome:
    compiled = compile_condition(condition, load_content().vocabulary, scope)  # type: ignore[arg-type]
    me = Subject(partner="A", facts=facts or {}, **subject)  # type: ignore[arg-type]
    return compiled(Context(me, partners or (me,)))


def test_bare_fact_true_false_and_absent() -> None:
    assert run("sexual.pain", {"sexual.pain": True}) == (
        True,
        (Evidence("A", "sexual.pain", True),),
    )
    assert run("sexual.pain", {"sexual.pain": False})[0] is False
    assert run("sexual.pain", {})[0] is None  # not asked is unknown, never false


def test_not_of_an_absent_answer_stays_unknown() -> None:
    assert run("not safety.can_say_no_freely", {})[0] is None
    value, evidence = run("not safety.can_say_no_freely", {"safety.can_say_no_freely": False})
    assert value is True
    assert evidence == (Evidence("A", "safety.can_say_no_freely", False),)


def test_comparison_on_an_absent_answer_never_fires() -> None:
    assert run("safety.can_say_no_freely == false", {})[0] is None
    assert run("sexual.anxiety >= 7", {})[0] is None
    assert run("not (sexual.anxiety >= 7)", {})[0] is None


def test_kleene_and_or() -> None:
    facts: dict[str, FactValue] = {"sexual.pain": True, "medical.diabetes": False}
    assert run("sexual.pain or medical.epilepsy", facts)[0] is True
    assert run("medical.diabetes or medical.epilepsy", facts)[0] is None
    assert run("medical.diabetes and medical.epilepsy", facts)[0] is False
    assert run("sexual.pain and medical.epilepsy", facts)[0] is None
    assert run("medical.diabetes or sexual.pain", facts)[1] == (Evidence("A", "sexual.pain", True),)


def test_or_keeps_the_evidence_of_every_true_branch() -> None:
    facts: dict[str, FactValue] = {"sexual.pain": True, "medical.diabetes": True}
    _, evidence = run("sexual.pain or medical.diabetes or medical.epilepsy", facts)
    assert [item.id for item in evidence] == ["sexual.pain", "medical.diabetes"]


def test_precedence_not_and_or_and_parentheses() -> None:
    facts: dict[str, FactValue] = {"sexual.pain": True, "medical.diabetes": False}
    assert run("sexual.pain or medical.diabetes and medical.diabetes", facts)[0] is True
    assert run("(sexual.pain or medical.diabetes) and medical.diabetes", facts)[0] is False
    assert run("not medical.diabetes and sexual.pain", facts)[0] is True


def test_instrument_functions_and_their_evidence_ids() -> None:
    subject = {
        "instruments": {
            "phq9": (0, 0, 0, 0, 0, 0, 0, 0, 2),
            "pc_ptsd5": PtsdScreenAnswer(exposed=True, items=(1, 1, 1, 0, 0)),
        },
        "totals": {"phq9": 2, "pc_ptsd5": 3, "audit_c": 4},
        "thresholds": {"audit_c": 4},
    }
    assert run('item("phq9", 9) > 0', **subject) == (True, (Evidence("A", "phq9.item9", 2),))
    assert run('total("phq9") >= 10', **subject)[0] is False
    value, evidence = run('exposed("pc_ptsd5") and total("pc_ptsd5") >= 3', **subject)
    assert value is True
    assert [e.id for e in evidence] == ["pc_ptsd5.exposed", "pc_ptsd5.total"]
    assert run('total("audit_c") >= threshold("audit_c")', **subject) == (
        True,
        (Evidence("A", "audit_c.total", 4),),
    )


def test_gated_items_read_zero_when_not_exposed() -> None:
    closed = {"instruments": {"pc_ptsd5": PtsdScreenAnswer(exposed=False, items=(1,) * 5)}}
    assert run('item("pc_ptsd5", 1) == 0', **closed)[0] is True


def test_activity_functions() -> None:
    activities = {
        "breath_play": answer("yes", "no", "none"),
        "impact_heavy": answer("no", "maybe", "experienced"),
        "blindfold": answer("no", "no"),
    }
    value, evidence = run('any_interest("breath_play")', activities=activities)
    assert value is True
    assert evidence == (Evidence("A", "activity.breath_play.giving", "yes"),)
    value, evidence = run(
        'novice_interest_in_tier("high", "no-safe-practice")', activities=activities
    )
    assert value is True
    assert [e.id for e in evidence] == [
        "activity.breath_play.giving",
        "activity.breath_play.experience",
    ]
    assert run('interest_in_class("impact")', activities=activities)[0] is True
    assert run('answer("impact_heavy", "receiving") == "maybe"', activities=activities)[0]
    assert run('experience("impact_heavy") == "experienced"', activities=activities)[0]
    assert run('any_interest("blindfold")', activities=activities)[0] is False
    assert run('any_interest("gag")', activities=activities)[0] is None  # not asked


def test_interest_is_false_only_when_every_answer_is_known() -> None:
    partial = {"gag": ActivityAnswer(giving="no", receiving=None)}
    assert run('any_interest("gag")', activities=partial)[0] is None
    closed = {"gag": ActivityAnswer(giving="no", receiving="limit")}
    assert run('any_interest("gag")', activities=closed)[0] is False


def test_joint_functions() -> None:
    a = Subject("A", {"sexual.desire": 2}, activities={"gag": answer("yes", "no")})
    b = Subject("B", {"sexual.desire": 8}, activities={"gag": answer("no", "limit")})
    value, evidence = run('max_difference("sexual.desire") >= 5', scope="joint", partners=(a, b))
    assert value is True
    assert evidence == (Evidence("A", "sexual.desire", 2), Evidence("B", "sexual.desire", 8))
    value, evidence = run("limit_conflict_share() > 0.5", scope="joint", partners=(a, b))
    assert value is True
    assert evidence == (
        Evidence("A", "activity.gag.giving", "yes"),
        Evidence("B", "activity.gag.receiving", "limit"),
    )
    lone = Subject("A", {})  # desire not asked: no difference can be known
    assert run('max_difference("sexual.desire") >= 5', scope="joint", partners=(lone, b))[0] is None


def test_a_wrongly_typed_answer_reads_as_unknown() -> None:
    assert run("sexual.pain", {"sexual.pain": "yes"})[0] is None
    assert run("sexual.anxiety >= 7", {"sexual.anxiety": True})[0] is None


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("", "empty"),
        ("sexual.pain and", "ends too early"),
        ("(sexual.pain", "expected ')'"),
        ("sexual.pain sexual.pain", "unexpected 'sexual.pain'"),
        ("sexual.pain $ 1", "unexpected character '$'"),
        ("1 < sexual.anxiety < 5", "cannot be chained"),
        ("trauma.sexual_abuse", "unknown fact id 'trauma.sexual_abuse'"),
        ("phq9 > 1", "read instruments with total()"),
        ('total("phq10") > 1', "unknown instrument id 'phq10'"),
        ('total("phq9") >= 30', 'threshold 30 is outside the range of total("phq9") (0..27)'),
        ('item("phq9", 10) > 0', "item number from 1 to 9"),
        ('item("phq9", 9) > 4', "outside the range"),
        ("sexual.anxiety >= 11", "outside the range of 'sexual.anxiety' (0..10)"),
        ('exposed("phq9")', "has no exposure gate"),
        ('any_interest("choking")', "unknown activity id 'choking'"),
        ('interest_in_tier("extreme")', "unknown tier 'extreme'"),
        ('answer("gag", "giving") == "sometimes"', "not a possible value"),
        ('answer("gag", "top") == "yes"', "'giving' or 'receiving'"),
        ("no_such_function()", "unknown function 'no_such_function'"),
        ("sexual.anxiety", "is a number"),
        ("sexual.anxiety and sexual.pain", "is a number"),
        ('sexual.pain == "yes"', "cannot compare"),
        ("sexual.pain > true", "needs numbers"),
        ('total("phq9")', "must be true or false"),
        ("total(phq9) > 1", "quoted ids"),
        ("demanding_interest(1)", "takes 0 arguments"),
        ("limit_conflict_share() > 0.5", "needs all partners"),
    ],
)
def test_bad_conditions_are_rejected_at_load(condition: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=None) as caught:
        compile_condition(condition, load_content().vocabulary, "partner")
    assert message in str(caught.value)


def test_partner_only_names_are_rejected_in_joint_rules() -> None:
    vocabulary = load_content().vocabulary
    with pytest.raises(ExpressionError, match="joint rule compares partners"):
        compile_condition("sexual.pain", vocabulary, "joint")
    with pytest.raises(ExpressionError, match="needs a partner"):
        compile_condition('total("phq9") > 1', vocabulary, "joint")


def test_parse_builds_a_tree_without_eval() -> None:
    tree = parse('not (a.b or c) and total("x") >= 2.5')
    assert type(tree).__name__ == "BoolOpNode"
    # Python syntax is not the language: nothing is ever handed to eval.
    with pytest.raises(ExpressionError, match="unknown function '__import__'"):
        compile_condition("__import__('os')", load_content().vocabulary, "partner")
    with pytest.raises(ExpressionError):
        parse("sexual.pain; 1")
    with pytest.raises(ExpressionError):
        parse("[x for x in y]")


def test_compiled_condition_keeps_the_fact_ids_it_reads() -> None:
    compiled = compile_condition(
        "sexual.pain or (medical.diabetes and demanding_interest())",
        load_content().vocabulary,
        "partner",
    )
    assert compiled.fact_ids == {"sexual.pain", "medical.diabetes"}
