"""The negotiation comparison: each activity, in each role direction between two partners."""

from __future__ import annotations

from clinical.content import Activity, Content
from clinical.model import (
    ActivityAnswer,
    Intake,
    NegotiationCell,
    NegotiationStatus,
    PartnerIntake,
    Response,
)

_CLOSED: frozenset[str] = frozenset({"no", "limit"})


def negotiation_status(giving: Response | None, receiving: Response | None) -> NegotiationStatus:
    """Compare the giver's "giving" answer with the receiver's "receiving" answer.

    A no or a hard limit on either side closes the direction, even when the other side has not
    answered: nothing more needs asking.
    """
    if giving in _CLOSED or receiving in _CLOSED:
        return "closed"
    if giving is None or receiving is None:
        return "unanswered"
    if giving == "yes" and receiving == "yes":
        return "mutual-yes"
    if giving == "maybe" and receiving == "maybe":
        return "both-maybe"
    return "one-sided"


def activity_order(content: Content) -> tuple[Activity, ...]:
    """Catalogue order, with each activity's role-reversal partners right after it."""
    ordered: list[Activity] = []
    placed: set[str] = set()
    for activity in content.activities.values():
        if activity.id in placed:
            continue
        group = [activity, *(content.activities[other] for other in activity.paired_with)]
        for member in group:
            if member.id not in placed:
                ordered.append(member)
                placed.add(member.id)
    return tuple(ordered)


_EMPTY = ActivityAnswer()


def _cell(activity: Activity, giver: PartnerIntake, receiver: PartnerIntake) -> NegotiationCell:
    giving = giver.activities.get(activity.id, _EMPTY).giving
    receiving = receiver.activities.get(activity.id, _EMPTY).receiving
    return NegotiationCell(
        activity=activity.id,
        label=activity.label,
        activity_class=activity.activity_class,
        tier=activity.tier,
        giver=giver.key,
        receiver=receiver.key,
        giver_answer=giving,
        receiver_answer=receiving,
        status=negotiation_status(giving, receiving),
        paired_with=activity.paired_with,
    )


def compare_activities(content: Content, intake: Intake) -> tuple[NegotiationCell, ...]:
    """Every catalogue activity for every ordered pair of partners.

    For each pair, both directions (A giving to B, then B giving to A) are adjacent, and
    role-reversal pairs of activities (paired_with in the catalogue) follow each other.
    """
    partners = intake.partners
    pairs = [
        (partners[i], partners[j])
        for i in range(len(partners))
        for j in range(i + 1, len(partners))
    ]
    cells: list[NegotiationCell] = []
    for activity in activity_order(content):
        for first, second in pairs:
            cells.append(_cell(activity, first, second))
            cells.append(_cell(activity, second, first))
    return tuple(cells)
