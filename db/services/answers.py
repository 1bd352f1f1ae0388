"""Intake answers: saved one change at a time (autosave), read back as a clinical Intake.

Storage shape, one row per (case, owner, answer id), owner NULL for joint answers:
- a fact id ("trauma.sexual_abuse_history") holds a bool, an int or a text;
- an instrument id ("phq9") holds its item list, None for items not answered yet, or for
  "pc_ptsd5" an object {"exposed", "items"};
- "activity.<id>" holds {"giving", "receiving", "experience"}.
Every save re-evaluates the case and stores its verdict beside it, so that the case list can
sort by urgency without evaluating thousands of intakes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clinical.content import Content, load_content
from clinical.engine import evaluate
from clinical.model import (
    SEVERITY_ORDER,
    ActivityAnswer,
    Evaluation,
    FactValue,
    InstrumentAnswer,
    Intake,
    PartnerIntake,
    PtsdScreenAnswer,
    Visibility,
)
from clinical.visibility import ACTIVITY_PREFIX
from db import audit
from db.errors import InvalidRecordError
from db.models import Answer, Case, Partner, utc_now
from db.services.cases import _check_policy, _load_case

#: Rank stored with each case for sorting by urgency (higher is more urgent).
SEVERITY_RANK: Mapping[str, int] = {
    severity: len(SEVERITY_ORDER) - index for index, severity in enumerate(SEVERITY_ORDER)
}

AnswerValue = FactValue | InstrumentAnswer | ActivityAnswer | None


@dataclass(frozen=True, slots=True)
class AnswerChange:
    """One answer to store.

    Attributes:
        partner: the owner's key, or None for a joint answer.
        answer_id: a fact id, an instrument id, or "activity.<id>".
        value: the new value; None clears the answer (it becomes "not asked").
        visibility: an explicit visibility; None keeps the default for the case's policy.
    """

    partner: str | None
    answer_id: str
    value: AnswerValue
    visibility: Visibility | None = None


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What a save stored, and the case's verdict afterwards."""

    saved: int
    saved_at: dt.datetime
    disposition: str
    highest_severity: str | None


def _value_to_json(change: AnswerChange, content: Content) -> Any:
    value = change.value
    answer_id = change.answer_id
    if answer_id.startswith(ACTIVITY_PREFIX):
        if answer_id.removeprefix(ACTIVITY_PREFIX) not in content.activities:
            raise InvalidRecordError(f"unknown activity {answer_id!r}")
        if not isinstance(value, ActivityAnswer):
            raise InvalidRecordError(f"{answer_id}: expected an activity answer")
        return {
            "giving": value.giving,
            "receiving": value.receiving,
            "experience": value.experience,
        }
    if answer_id in content.instruments:
        if answer_id == "pc_ptsd5":
            if not isinstance(value, PtsdScreenAnswer):
                raise InvalidRecordError(f"{answer_id}: expected the screen's gate and items")
            return {"exposed": value.exposed, "items": list(value.items)}
        if not isinstance(value, tuple):
            raise InvalidRecordError(f"{answer_id}: expected item scores")
        instrument = content.instruments[answer_id]
        if len(value) != instrument.item_count:
            raise InvalidRecordError(f"{answer_id}: expected {instrument.item_count} items")
        return list(value)
    question = content.questionnaire.question(answer_id)
    if question is None or question.type == "instrument":
        raise InvalidRecordError(f"unknown question {answer_id!r}")
    if change.partner is None and question.asked_alone:
        # A question asked of each partner alone (partner safety, suicide...) has no joint answer.
        raise InvalidRecordError(f"{answer_id} is asked of each partner alone, never jointly")
    kind = question.value_kind
    ok = (
        (kind == "bool" and isinstance(value, bool))
        or (kind == "number" and isinstance(value, int) and not isinstance(value, bool))
        or (kind == "string" and isinstance(value, str))
    )
    if not ok:
        raise InvalidRecordError(f"{answer_id}: expected a {kind} answer")
    in_range = (
        not isinstance(value, int)
        or isinstance(value, bool)
        or question.min is None
        or question.max is None
        or question.min <= value <= question.max
    )
    if not in_range:
        raise InvalidRecordError(f"{answer_id}: out of range")
    if question.type == "choice" and value not in {option.value for option in question.options}:
        raise InvalidRecordError(f"{answer_id}: not one of the options")
    return value


def _partner_ids(session: Session, case_id: int) -> dict[str, int]:
    rows = session.execute(select(Partner.key, Partner.id).where(Partner.case_id == case_id))
    return {str(key): int(partner_id) for key, partner_id in rows}


def save_answers(
    session: Session,
    case_id: int,
    changes: Sequence[AnswerChange],
    content: Content | None = None,
) -> SaveResult:
    """Store `changes` (in order; a later change to the same answer wins), then re-evaluate.

    Raises:
        RecordNotFoundError: no such case.
        InvalidRecordError: an unknown partner, an unknown id, or a value of the wrong type or
            out of range; nothing of this call is stored then.
    """
    content = content or load_content()
    case = _load_case(session, case_id)
    partner_ids = _partner_ids(session, case_id)
    now = utc_now()
    for change in changes:
        partner_id: int | None = None
        if change.partner is not None:
            if change.partner not in partner_ids:
                raise InvalidRecordError(f"no partner {change.partner!r} in this case")
            partner_id = partner_ids[change.partner]
        owner_clause = (
            Answer.partner_id.is_(None) if partner_id is None else Answer.partner_id == partner_id
        )
        existing = session.scalar(
            select(Answer).where(
                Answer.case_id == case_id, owner_clause, Answer.answer_id == change.answer_id
            )
        )
        if change.value is None:
            if existing is not None:
                session.delete(existing)
            continue
        stored = _value_to_json(change, content)
        if existing is None:
            session.add(
                Answer(
                    case_id=case_id,
                    partner_id=partner_id,
                    answer_id=change.answer_id,
                    value=stored,
                    visibility=change.visibility,
                    content_version=content.version,
                    updated_at=now,
                )
            )
        else:
            existing.value = stored
            existing.content_version = content.version
            existing.updated_at = now
            if change.visibility is not None:
                existing.visibility = change.visibility
    session.flush()
    evaluation = refresh_verdict(session, case_id, content)
    case.updated_at = now
    audit.append_event(
        session,
        "answers-changed",
        record_type="case",
        record_id=case_id,
        details={"answers": len(changes)},
    )
    return SaveResult(
        saved=len(changes),
        saved_at=now,
        disposition=evaluation.disposition,
        highest_severity=case.highest_severity,
    )


def set_visibility(
    session: Session,
    case_id: int,
    partner: str | None,
    answer_id: str,
    visibility: Visibility | None,
) -> None:
    """Set (or, with None, reset to the policy's default) one answer's visibility."""
    partner_ids = _partner_ids(session, case_id)
    partner_id = None if partner is None else partner_ids.get(partner)
    if partner is not None and partner_id is None:
        raise InvalidRecordError(f"no partner {partner!r} in this case")
    owner_clause = (
        Answer.partner_id.is_(None) if partner_id is None else Answer.partner_id == partner_id
    )
    row = session.scalar(
        select(Answer).where(Answer.case_id == case_id, owner_clause, Answer.answer_id == answer_id)
    )
    if row is None:
        raise InvalidRecordError("answer the question before choosing who may see it")
    row.visibility = visibility
    audit.append_event(
        session, "answers-changed", record_type="case", record_id=case_id, details={"visibility": 1}
    )


def refresh_verdict(session: Session, case_id: int, content: Content | None = None) -> Evaluation:
    """Evaluate the case's answers again and store the verdict the case list shows.

    For changes outside the answers that still change the evaluation, such as a partner's
    AUDIT-C threshold.

    Raises:
        RecordNotFoundError: no such case.
    """
    content = content or load_content()
    case = _load_case(session, case_id)
    evaluation = evaluate(load_intake(session, case_id, content), content)
    _store_verdict(case, evaluation)
    return evaluation


def _store_verdict(case: Case, evaluation: Evaluation) -> None:
    severities = {indicator.severity for indicator in evaluation.indicators}
    highest = next((s for s in SEVERITY_ORDER if s in severities), None)
    case.disposition = evaluation.disposition
    case.highest_severity = highest
    case.severity_rank = SEVERITY_RANK.get(highest, 0) if highest else 0


def _instrument_from_json(answer_id: str, raw: Any) -> InstrumentAnswer:
    if answer_id == "pc_ptsd5":
        return PtsdScreenAnswer(exposed=raw.get("exposed"), items=tuple(raw.get("items", ())))
    return tuple(raw)


def load_intake(session: Session, case_id: int, content: Content | None = None) -> Intake:
    """The case's answers as a clinical Intake (partners in their order, joint answers apart).

    Raises:
        RecordNotFoundError: no such case.
    """
    content = content or load_content()
    case = _load_case(session, case_id)
    partners = session.execute(
        select(Partner.id, Partner.key, Partner.name, Partner.audit_c_threshold)
        .where(Partner.case_id == case_id)
        .order_by(Partner.position)
    ).all()
    facts: dict[int | None, dict[str, FactValue]] = {None: {}}
    instruments: dict[int | None, dict[str, InstrumentAnswer]] = {}
    activities: dict[int | None, dict[str, ActivityAnswer]] = {}
    visibility: dict[int | None, dict[str, Visibility]] = {None: {}}
    versions: set[str] = set()
    for row in session.scalars(select(Answer).where(Answer.case_id == case_id)):
        owner = row.partner_id
        versions.add(row.content_version)
        if row.visibility is not None:
            visibility.setdefault(owner, {})[row.answer_id] = row.visibility  # type: ignore[assignment]
        if row.answer_id.startswith(ACTIVITY_PREFIX):
            raw = row.value
            activities.setdefault(owner, {})[row.answer_id.removeprefix(ACTIVITY_PREFIX)] = (
                ActivityAnswer(raw.get("giving"), raw.get("receiving"), raw.get("experience"))
            )
        elif row.answer_id in content.instruments:
            instruments.setdefault(owner, {})[row.answer_id] = _instrument_from_json(
                row.answer_id, row.value
            )
        else:
            facts.setdefault(owner, {})[row.answer_id] = row.value
    return Intake(
        label=case.label,
        confidentiality_policy=_check_policy(case.confidentiality_policy),
        partners=tuple(
            PartnerIntake(
                key=key,
                name=name,
                audit_c_threshold=threshold,
                facts=facts.get(partner_id, {}),
                instruments=instruments.get(partner_id, {}),
                activities=activities.get(partner_id, {}),
                visibility=visibility.get(partner_id, {}),
            )
            for partner_id, key, name, threshold in partners
        ),
        joint_facts=facts[None],
        joint_visibility=visibility[None],
        content_version=max(versions) if versions else content.version,
    )


def import_intake(session: Session, case_id: int, intake: Intake) -> SaveResult:
    """Replace the case's answers with an interchange intake's (partners matched by key).

    Raises:
        InvalidRecordError: the file's partner keys do not match the case's.
    """
    partner_ids = _partner_ids(session, case_id)
    keys = [partner.key for partner in intake.partners]
    if set(keys) != set(partner_ids):
        raise InvalidRecordError(
            f"the file's partners ({', '.join(keys)}) do not match this case's "
            f"({', '.join(sorted(partner_ids))})"
        )
    session.execute(delete(Answer).where(Answer.case_id == case_id))
    changes: list[AnswerChange] = []
    for partner in intake.partners:
        for fact_id, value in partner.facts.items():
            changes.append(
                AnswerChange(partner.key, fact_id, value, partner.visibility.get(fact_id))
            )
        for instrument_id, answer in partner.instruments.items():
            changes.append(AnswerChange(partner.key, instrument_id, answer))
        for activity_id, activity in partner.activities.items():
            answer_id = ACTIVITY_PREFIX + activity_id
            changes.append(
                AnswerChange(partner.key, answer_id, activity, partner.visibility.get(answer_id))
            )
    for fact_id, value in intake.joint_facts.items():
        changes.append(AnswerChange(None, fact_id, value, intake.joint_visibility.get(fact_id)))
    for partner in intake.partners:
        row = session.scalar(
            select(Partner).where(Partner.case_id == case_id, Partner.key == partner.key)
        )
        if row is not None:
            row.audit_c_threshold = partner.audit_c_threshold
    result = save_answers(session, case_id, changes)
    audit.append_event(session, "import", record_type="case", record_id=case_id)
    return result
