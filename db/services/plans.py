"""A case's clinical decisions: indicator acknowledgements, the pacing plan, safety choices."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinical.model import Acknowledgement, PacingPlan, SafetyPlanChoices
from clinical.plans_json import (
    pacing_plan_from_json,
    pacing_plan_to_json,
    safety_choices_from_json,
    safety_choices_to_json,
)
from db import audit
from db.errors import InvalidRecordError
from db.models import CasePlans, IndicatorAcknowledgement, utc_now
from db.services.cases import _load_case
from db.services.types import CasePlansInfo

#: Long enough for a clinical note, short enough that nobody pastes a session into it.
MAX_NOTE_LENGTH = 4000


def acknowledge_indicator(
    session: Session, case_id: int, indicator_key: str, note: str, by: str
) -> Acknowledgement:
    """Record that the clinician has seen and acted on an indicator (Indicator.key).

    A later acknowledgement of the same indicator supersedes the earlier one; both are kept.

    Raises:
        InvalidRecordError: an empty key or an over-long note.
    """
    _load_case(session, case_id)
    if not indicator_key.strip():
        raise InvalidRecordError("an acknowledgement needs the indicator it concerns")
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidRecordError(f"keep the note under {MAX_NOTE_LENGTH} characters")
    row = IndicatorAcknowledgement(
        case_id=case_id,
        indicator_key=indicator_key,
        note=note.strip(),
        acknowledged_by=by.strip(),
        acknowledged_at=utc_now(),
    )
    session.add(row)
    audit.append_event(
        session,
        "indicator-acknowledged",
        record_type="case",
        record_id=case_id,
        # The indicator id is content vocabulary, not client data.
        details={"indicator": indicator_key},
    )
    return Acknowledgement(
        indicator_key=row.indicator_key,
        note=row.note,
        by=row.acknowledged_by,
        at=row.acknowledged_at,
    )


def list_acknowledgements(session: Session, case_id: int) -> dict[str, Acknowledgement]:
    """The newest acknowledgement of each indicator, by indicator key."""
    rows = session.scalars(
        select(IndicatorAcknowledgement)
        .where(IndicatorAcknowledgement.case_id == case_id)
        .order_by(IndicatorAcknowledgement.id)
    )
    return {
        row.indicator_key: Acknowledgement(
            indicator_key=row.indicator_key,
            note=row.note,
            by=row.acknowledged_by,
            at=row.acknowledged_at,
        )
        for row in rows
    }


def _plans_row(session: Session, case_id: int) -> CasePlans:
    _load_case(session, case_id)
    row = session.get(CasePlans, case_id)
    if row is None:
        row = CasePlans(case_id=case_id, updated_at=utc_now())
        session.add(row)
    return row


def get_case_plans(session: Session, case_id: int) -> CasePlansInfo:
    """The case's pacing plan (None until chosen), safety choices, goals, recommendations."""
    _load_case(session, case_id)
    row = session.get(CasePlans, case_id)
    if row is None:
        return CasePlansInfo(None, SafetyPlanChoices(), "", "")
    return CasePlansInfo(
        pacing_plan=None if row.pacing_plan is None else pacing_plan_from_json(row.pacing_plan),
        safety_choices=(
            SafetyPlanChoices()
            if row.safety_choices is None
            else safety_choices_from_json(row.safety_choices)
        ),
        goals=row.goals,
        recommendations=row.recommendations,
    )


def save_pacing_plan(session: Session, case_id: int, plan: PacingPlan | None) -> None:
    """Store the case's tailored pacing plan (None removes it)."""
    row = _plans_row(session, case_id)
    row.pacing_plan = None if plan is None else pacing_plan_to_json(plan)
    row.updated_at = utc_now()
    audit.append_event(
        session,
        "plan-changed",
        record_type="case",
        record_id=case_id,
        details={"plan": "pacing", "template": plan.template_id if plan else None},
    )


def save_safety_choices(session: Session, case_id: int, choices: SafetyPlanChoices) -> None:
    """Store the clinician's choices for the couple's safety plan."""
    row = _plans_row(session, case_id)
    row.safety_choices = safety_choices_to_json(choices)
    row.updated_at = utc_now()
    audit.append_event(
        session, "plan-changed", record_type="case", record_id=case_id, details={"plan": "safety"}
    )


def save_case_texts(
    session: Session, case_id: int, *, goals: str | None = None, recommendations: str | None = None
) -> None:
    """Store the case's goals and the clinician's recommendations and referrals."""
    row = _plans_row(session, case_id)
    if goals is not None:
        row.goals = goals
    if recommendations is not None:
        row.recommendations = recommendations
    row.updated_at = utc_now()
    audit.append_event(
        session, "plan-changed", record_type="case", record_id=case_id, details={"plan": "texts"}
    )
