"""The negotiation comparison: giver's giving against receiver's receiving, per direction."""

from __future__ import annotations

import pytest

from clinical.content import load_content
from clinical.engine import evaluate
from clinical.model import NegotiationCell
from clinical.negotiation import activity_order, negotiation_status
from tests.clinical.helpers import answer, intake, partner


@pytest.mark.parametrize(
    ("giving", "receiving", "status"),
    [
        ("yes", "yes", "mutual-yes"),
        ("yes", "maybe", "one-sided"),
        ("maybe", "yes", "one-sided"),
        ("maybe", "maybe", "both-maybe"),
        ("yes", "no", "closed"),
        ("limit", "yes", "closed"),
        ("no", None, "closed"),
        (None, "limit", "closed"),
        ("yes", None, "unanswered"),
        (None, None, "unanswered"),
    ],
)
def test_status_table(giving: str | None, receiving: str | None, status: str) -> None:
    assert negotiation_status(giving, receiving) == status  # type: ignore[arg-type]


def cells_for(activity: str, cells: tuple[NegotiationCell, ...]) -> list[NegotiationCell]:
    return [cell for cell in cells if cell.activity == activity]


def test_each_direction_reads_the_complementary_roles() -> None:
    evaluation = evaluate(
        intake(
            partner("A", activities={"gag": answer("yes", "no")}),
            partner("B", activities={"gag": answer("maybe", "yes")}),
        )
    )
    a_to_b, b_to_a = cells_for("gag", evaluation.negotiation)
    assert (a_to_b.giver, a_to_b.receiver) == ("A", "B")
    assert (a_to_b.giver_answer, a_to_b.receiver_answer, a_to_b.status) == (
        "yes",
        "yes",
        "mutual-yes",
    )
    assert (b_to_a.giver, b_to_a.receiver) == ("B", "A")
    assert (b_to_a.giver_answer, b_to_a.receiver_answer, b_to_a.status) == ("maybe", "no", "closed")
    assert a_to_b.tier == "moderate"
    assert a_to_b.label == "Gag"


def test_every_catalogue_activity_in_both_directions() -> None:
    evaluation = evaluate(intake())
    assert len(evaluation.negotiation) == 2 * len(load_content().activities)
    unanswered = cells_for("impact_heavy", evaluation.negotiation)
    assert [cell.status for cell in unanswered] == ["unanswered", "unanswered"]


def test_role_reversal_pairs_are_listed_together() -> None:
    order = [activity.id for activity in activity_order(load_content())]
    power = order.index("power_exchange_scene")
    assert order[power + 1] == "role_reversal_power"
    evaluation = evaluate(intake())
    ids = [cell.activity for cell in evaluation.negotiation]
    start = ids.index("power_exchange_scene")
    assert ids[start : start + 4] == ["power_exchange_scene"] * 2 + ["role_reversal_power"] * 2
    assert evaluation.negotiation[start].paired_with == ("role_reversal_power",)


def test_three_partners_give_six_directions_per_activity() -> None:
    evaluation = evaluate(
        intake(
            partner("A"), partner("B"), partner("C", activities={"blindfold": answer("no", "no")})
        )
    )
    blindfold = cells_for("blindfold", evaluation.negotiation)
    assert [(c.giver, c.receiver) for c in blindfold] == [
        ("A", "B"), ("B", "A"), ("A", "C"), ("C", "A"), ("B", "C"), ("C", "B"),
    ]  # fmt: skip
    assert [c.status for c in blindfold if "C" in (c.giver, c.receiver)] == ["closed"] * 4
