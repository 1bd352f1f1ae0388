"""The frozen picture of one case that screens, reports and exports all start from."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from clinical.content import Content, load_content
from clinical.engine import evaluate
from clinical.model import (
    Acknowledgement,
    CaseSnapshot,
    ConsentInfo,
    Evaluation,
    Intake,
    MeasurePoint,
    PartnerInfo,
)
from db.services.answers import load_intake, refresh_verdict
from db.services.cases import get_case, mark_case_opened, update_case
from db.services.measures import case_measure_points
from db.services.plans import get_case_plans, list_acknowledgements
from db.services.practice import get_practice_settings
from db.services.types import CaseChanges, CaseDetail, CasePlansInfo, PracticeSettingsInfo

#: Consent kinds whose newest record counts.
POLICY_CONSENT = "confidentiality-policy"
SHARE_CONSENT = "share-with-professionals"


def consent_info(detail: CaseDetail) -> ConsentInfo:
    """The policy in force, who consented to it and when, and any consent to share."""
    policy_records = [c for c in detail.consents if c.kind == POLICY_CONSENT]
    share_records = [c for c in detail.consents if c.kind == SHARE_CONSENT]
    latest = policy_records[-1] if policy_records else None
    return ConsentInfo(
        policy=detail.summary.confidentiality_policy,
        consented_on=latest.consented_on if latest else None,
        consented_by=latest.consented_by if latest else (),
        share_with_professionals=bool(share_records),
    )


def case_snapshot(
    detail: CaseDetail,
    intake: Intake,
    plans: CasePlansInfo,
    acknowledgements: Mapping[str, Acknowledgement],
    practice: PracticeSettingsInfo,
    evaluation: Evaluation | None = None,
    content: Content | None = None,
    measures: Sequence[MeasurePoint] = (),
) -> CaseSnapshot:
    """Assemble a snapshot from parts already read (the workspace keeps them in memory).

    `measures` are the case's measures over time (db.services.measures.measure_points).
    """
    return CaseSnapshot(
        case_id=detail.summary.public_id,
        label=detail.summary.label,
        status=detail.summary.status,
        practice=practice.practice_info(),
        partners=tuple(
            PartnerInfo(
                key=partner.key,
                name=partner.name,
                pronouns=partner.pronouns,
                date_of_birth=partner.date_of_birth,
            )
            for partner in detail.partners
        ),
        consent=consent_info(detail),
        intake=intake,
        evaluation=evaluation or evaluate(intake, content),
        acknowledgements=dict(acknowledgements),
        pacing_plan=plans.pacing_plan,
        safety_choices=plans.safety_choices,
        goals=plans.goals,
        recommendations=plans.recommendations,
        measures=tuple(measures),
        intake_date=detail.summary.created_at.date(),
        is_demo=detail.summary.is_demo,
    )


def load_case_snapshot(
    session: Session, case_id: int, content: Content | None = None
) -> CaseSnapshot:
    """Everything about one case, evaluated now, as immutable values.

    Raises:
        RecordNotFoundError: no such case.
    """
    content = content or load_content()
    detail = get_case(session, case_id)
    intake = load_intake(session, case_id, content)
    evaluation = evaluate(intake, content)
    return case_snapshot(
        detail=detail,
        intake=intake,
        plans=get_case_plans(session, case_id),
        acknowledgements=list_acknowledgements(session, case_id),
        practice=get_practice_settings(session),
        evaluation=evaluation,
        content=content,
        measures=case_measure_points(
            session, case_id, evaluation, detail.summary.created_at.date(), content
        ),
    )


def with_case_measures(
    session: Session, case_id: int, snapshot: CaseSnapshot, content: Content | None = None
) -> CaseSnapshot:
    """`snapshot` with the case's measures over time read from the vault.

    The workspace keeps answers in memory but not the measures history, which only reports
    need: they add it here, on the worker thread, as the document is made.
    """
    intake_date = snapshot.intake_date or snapshot.taken_at.date()
    measures = case_measure_points(session, case_id, snapshot.evaluation, intake_date, content)
    return dataclasses.replace(snapshot, measures=measures)


@dataclass(frozen=True, slots=True)
class OpenedCase:
    """Everything the workspace shows for a case, read in one unit of work."""

    detail: CaseDetail
    intake: Intake
    plans: CasePlansInfo
    acknowledgements: Mapping[str, Acknowledgement]
    practice: PracticeSettingsInfo


def open_case_workspace(
    session: Session, case_id: int, content: Content | None = None
) -> OpenedCase:
    """Mark the case as opened (audited, last seen now) and read what its workspace shows.

    Raises:
        RecordNotFoundError: no such case.
    """
    mark_case_opened(session, case_id)
    return OpenedCase(
        detail=get_case(session, case_id),
        intake=load_intake(session, case_id, content),
        plans=get_case_plans(session, case_id),
        acknowledgements=list_acknowledgements(session, case_id),
        practice=get_practice_settings(session),
    )


def update_case_details(
    session: Session, case_id: int, changes: CaseChanges, content: Content | None = None
) -> CaseDetail:
    """Apply `changes` to the case and its partners; the stored verdict follows (a partner's
    AUDIT-C threshold changes the evaluation). Returns the case as now stored.

    Raises:
        RecordNotFoundError: no such case.
        InvalidRecordError: an invalid value, or a partner key not in the case.
    """
    update_case(session, case_id, changes)
    refresh_verdict(session, case_id, content)
    return get_case(session, case_id)
