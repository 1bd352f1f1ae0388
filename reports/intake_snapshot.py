"""A case snapshot for an intake that has no vault behind it (an interchange file, a demo).

The vault builds snapshots of its cases itself (issue 4); this is the same picture made from
an intake alone: evaluated now, the partners from the intake, the policy the intake records,
the acknowledgements and pacing plan the caller gives (or the top suggested template).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from clinical.content import Content, load_content
from clinical.engine import evaluate
from clinical.errors import ParleyError
from clinical.model import (
    Acknowledgement,
    CaseSnapshot,
    ConsentInfo,
    Evaluation,
    Intake,
    PacingPlan,
    PartnerInfo,
    PracticeInfo,
    SafetyPlanChoices,
)
from clinical.pacing import plan_from_template


class UnknownAcknowledgementError(ParleyError):
    """An acknowledgement names an indicator that did not fire for this intake."""


def acknowledgements_for(
    evaluation: Evaluation,
    requested: Iterable[str],
    *,
    by: str,
    at: dt.datetime,
    note: str = "Acknowledged by the clinician.",
) -> dict[str, Acknowledgement]:
    """Acknowledgements for indicator ids ("suicide-risk", every partner) or keys ("@A").

    Raises:
        UnknownAcknowledgementError: a requested id or key matches no indicator that fired.
    """
    found: dict[str, Acknowledgement] = {}
    for raw in requested:
        wanted = raw.strip()
        if not wanted:
            continue
        matches = [i for i in evaluation.indicators if wanted in (i.id, i.key)]
        if not matches:
            fired = ", ".join(sorted({i.key for i in evaluation.indicators})) or "none"
            raise UnknownAcknowledgementError(
                f"'{wanted}' is not an indicator of this intake (fired: {fired})"
            )
        for indicator in matches:
            found[indicator.key] = Acknowledgement(
                indicator_key=indicator.key, note=note, by=by, at=at
            )
    return found


def snapshot_from_intake(
    intake: Intake,
    *,
    practice: PracticeInfo | None = None,
    acknowledged: Iterable[str] = (),
    pacing_template: str | None = None,
    choices: SafetyPlanChoices | None = None,
    consent: ConsentInfo | None = None,
    taken_at: dt.datetime | None = None,
    intake_date: dt.date | None = None,
    case_id: str = "intake-file",
    is_demo: bool = False,
    goals: str = "",
    recommendations: str = "",
    content: Content | None = None,
) -> CaseSnapshot:
    """Evaluate an intake and wrap it as a case snapshot for the report builders.

    Args:
        intake: the answers.
        practice: letterhead and crisis contacts (the practice's, never the clients').
        acknowledged: indicator ids or keys the clinician has acknowledged.
        pacing_template: a template id; None takes the engine's top suggestion.
        choices: the clinician's safety-plan choices; None accepts the engine's proposal.
        consent: the recorded consent; None records the intake's policy without consent to
            share with other professionals.
        taken_at: the snapshot's moment (and so the documents' date); now by default.
        intake_date: when the intake was taken; the snapshot's date by default.
        case_id: a reference for the case, never a name.
        is_demo: marks every document "DEMO, fictional".
        goals: the couple's goals as the clinician wrote them.
        recommendations: the clinician's recommendations.
        content: the clinical content; None for the shipped content.

    Raises:
        UnknownAcknowledgementError: an acknowledgement names no indicator of this intake.
        UnknownTemplateError: the pacing template does not exist.
    """
    content = content or load_content()
    moment = taken_at or dt.datetime.now(dt.UTC)
    evaluation = evaluate(intake, content)
    practice = practice or PracticeInfo()
    template = pacing_template
    if template is None and evaluation.pacing_suggestions:
        template = evaluation.pacing_suggestions[0].template_id
    plan: PacingPlan | None = plan_from_template(template, content) if template else None
    return CaseSnapshot(
        case_id=case_id,
        label=intake.label,
        status="intake",
        practice=practice,
        partners=tuple(PartnerInfo(key=p.key, name=p.name) for p in intake.partners),
        consent=consent
        or ConsentInfo(policy=intake.confidentiality_policy, consented_on=None, consented_by=()),
        intake=intake,
        evaluation=evaluation,
        acknowledgements=acknowledgements_for(
            evaluation,
            acknowledged,
            by=practice.clinician_name or "the clinician",
            at=moment,
        ),
        pacing_plan=plan,
        safety_choices=choices or SafetyPlanChoices(),
        goals=goals,
        recommendations=recommendations,
        taken_at=moment,
        intake_date=intake_date or moment.date(),
        is_demo=is_demo,
    )
