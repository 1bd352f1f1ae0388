"""Cases: create, read, change, record consent, list for the lazy case table, mark opened.

Every write logs an audit event naming the case by id and the fields by name, never a
client's name or any other value a client gave.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import cast

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from db.audit import append_event
from db.errors import InvalidRecordError, RecordNotFoundError
from db.models import (
    CASE_STATUSES,
    CONFIDENTIALITY_POLICIES,
    Case,
    ConsentRecord,
    Partner,
    utc_now,
)
from db.services.types import (
    CaseChanges,
    CaseDetail,
    CaseRow,
    CaseSort,
    CaseStatus,
    CaseSummary,
    ConsentRecordInfo,
    NewCase,
    NewConsent,
    NewPartner,
    PartnerChanges,
    PartnerDetail,
    Policy,
)

MIN_PARTNERS = 2
MAX_PARTNERS = 12
_PARTNER_KEY = re.compile(r"^[A-Z]{1,2}$")
_SORT_COLUMNS = {
    "label": Case.label,
    "created": Case.created_at,
    "updated": Case.updated_at,
    "last_seen": Case.last_seen_at,
    "status": Case.status,
    "severity": Case.severity_rank,
}
#: Ids fetched per query in case_rows (well under SQLite's bound-variable limit).
_ROW_CHUNK = 500


def _letters(index: int) -> str:
    """ "A".."Z", then "AA", "AB", ... for the index-th partner."""
    if index < 26:
        return chr(ord("A") + index)
    return chr(ord("A") + index // 26 - 1) + chr(ord("A") + index % 26)


def _check_label(label: str) -> str:
    cleaned = label.strip()
    if not cleaned:
        raise InvalidRecordError("a case needs a label")
    if len(cleaned) > 200:
        raise InvalidRecordError("a case label can be at most 200 characters")
    return cleaned


def _check_status(status: str) -> CaseStatus:
    if status not in CASE_STATUSES:
        raise InvalidRecordError(f"status must be one of {', '.join(CASE_STATUSES)}")
    return cast(CaseStatus, status)


def _check_policy(policy: str | None) -> Policy:
    if policy not in CONFIDENTIALITY_POLICIES:
        raise InvalidRecordError(
            f"confidentiality policy must be one of {', '.join(CONFIDENTIALITY_POLICIES)}"
        )
    return cast(Policy, policy)


def _check_threshold(threshold: int) -> int:
    if threshold not in (3, 4):
        raise InvalidRecordError("the AUDIT-C threshold must be 3 or 4")
    return threshold


def _new_partner_rows(
    partners: Sequence[NewPartner], existing: Iterable[str], first_position: int
) -> list[Partner]:
    """Partner rows for `partners`; empty keys get the next letter no partner uses or asks for."""
    used = set(existing)
    requested = {p.key.strip().upper() for p in partners if p.key.strip()}
    rows = []
    next_index = 0
    for offset, partner in enumerate(partners):
        if not partner.name.strip():
            raise InvalidRecordError(f"partner {offset + 1} needs a name")
        key = partner.key.strip().upper()
        if not key:
            while _letters(next_index) in used or _letters(next_index) in requested:
                next_index += 1
            key = _letters(next_index)
        if not _PARTNER_KEY.match(key):
            raise InvalidRecordError("a partner key is one or two letters, like A or B")
        if key in used:
            raise InvalidRecordError(f"partner key {key} is used twice")
        used.add(key)
        rows.append(
            Partner(
                key=key,
                name=partner.name.strip(),
                pronouns=partner.pronouns.strip(),
                date_of_birth=partner.date_of_birth,
                contact=partner.contact.strip(),
                audit_c_threshold=_check_threshold(partner.audit_c_threshold),
                position=first_position + offset,
            )
        )
    return rows


def _load_case(session: Session, case_id: int) -> Case:
    case = session.scalar(
        select(Case)
        .where(Case.id == case_id)
        .options(selectinload(Case.partners), selectinload(Case.consents))
    )
    if case is None:
        raise RecordNotFoundError(f"case {case_id} does not exist (it may have been removed)")
    return case


def _summary(case: Case) -> CaseSummary:
    return CaseSummary(
        id=case.id,
        public_id=case.public_id,
        label=case.label,
        status=_check_status(case.status),
        confidentiality_policy=_check_policy(case.confidentiality_policy),
        partner_keys=tuple(partner.key for partner in case.partners),
        created_at=case.created_at,
        updated_at=case.updated_at,
        last_seen_at=case.last_seen_at,
        is_demo=case.is_demo,
        highest_severity=case.highest_severity,
        disposition=case.disposition,
    )


def _partner_detail(partner: Partner) -> PartnerDetail:
    return PartnerDetail(
        id=partner.id,
        key=partner.key,
        name=partner.name,
        pronouns=partner.pronouns,
        date_of_birth=partner.date_of_birth,
        contact=partner.contact,
        audit_c_threshold=partner.audit_c_threshold,
        position=partner.position,
    )


def _consent_info(record: ConsentRecord) -> ConsentRecordInfo:
    return ConsentRecordInfo(
        id=record.id,
        kind=record.kind,
        policy=record.policy,
        consented_on=record.consented_on,
        consented_by=tuple(record.consented_by),
        wording_version=record.wording_version,
        note=record.note,
        recorded_at=record.recorded_at,
    )


def create_case(session: Session, new_case: NewCase) -> CaseSummary:
    """Create a case with its partners and the confidentiality consent; log `case-created`.

    Raises:
        InvalidRecordError: fewer than two partners, an unknown policy or status, a partner
            without a name, or consent by a partner key that is not in the case.
    """
    label = _check_label(new_case.label)
    policy = _check_policy(new_case.confidentiality_policy)
    status = _check_status(new_case.status)
    if not MIN_PARTNERS <= len(new_case.partners) <= MAX_PARTNERS:
        raise InvalidRecordError(
            f"a case has {MIN_PARTNERS} to {MAX_PARTNERS} partners (a couple or more)"
        )
    partners = _new_partner_rows(new_case.partners, (), 0)
    keys = [partner.key for partner in partners]
    consented_by = _check_consenters(new_case.consented_by, keys)
    now = utc_now()
    case = Case(
        public_id=str(uuid.uuid4()),
        label=label,
        status=status,
        confidentiality_policy=policy,
        created_at=now,
        updated_at=now,
        is_demo=new_case.is_demo,
    )
    case.partners = partners
    case.consents = [
        ConsentRecord(
            kind="confidentiality-policy",
            policy=policy,
            consented_on=new_case.consented_on or dt.date.today(),
            consented_by=consented_by,
            wording_version=new_case.consent_wording_version,
            note=new_case.consent_note,
            recorded_at=now,
        )
    ]
    session.add(case)
    session.flush()
    append_event(
        session,
        "case-created",
        record_type="case",
        record_id=case.id,
        details={"partners": len(partners), "policy": policy, "demo": new_case.is_demo},
    )
    return _summary(case)


def _check_consenters(consented_by: Sequence[str] | None, keys: Sequence[str]) -> list[str]:
    if consented_by is None:
        return list(keys)
    cleaned = [key.strip().upper() for key in consented_by]
    if not cleaned:
        raise InvalidRecordError("a consent needs at least one partner who gave it")
    unknown = [key for key in cleaned if key not in keys]
    if unknown:
        raise InvalidRecordError(f"partner {unknown[0]} is not in this case")
    return cleaned


def get_case(session: Session, case_id: int) -> CaseDetail:
    """A case with its partners and consents.

    Raises:
        RecordNotFoundError: no case with that id.
    """
    case = _load_case(session, case_id)
    return CaseDetail(
        summary=_summary(case),
        partners=tuple(_partner_detail(partner) for partner in case.partners),
        consents=tuple(_consent_info(record) for record in case.consents),
    )


def update_case(session: Session, case_id: int, changes: CaseChanges) -> CaseSummary:
    """Apply `changes`; log `case-changed` with the names of the changed fields.

    Raises:
        RecordNotFoundError: no case with that id.
        InvalidRecordError: an invalid value, or a partner key not in the case.
    """
    case = _load_case(session, case_id)
    changed: list[str] = []
    if changes.label is not None:
        label = _check_label(changes.label)
        if label != case.label:
            case.label = label
            changed.append("label")
    if changes.status is not None:
        status = _check_status(changes.status)
        if status != case.status:
            case.status = status
            changed.append("status")
    by_key = {partner.key: partner for partner in case.partners}
    for partner_changes in changes.partners:
        partner = by_key.get(partner_changes.key.strip().upper())
        if partner is None:
            raise InvalidRecordError(f"partner {partner_changes.key} is not in this case")
        applied = _apply_partner_changes(partner, partner_changes)
        changed.extend(f"partner.{partner.key}.{name}" for name in applied)
    if changes.add_partners:
        if len(case.partners) + len(changes.add_partners) > MAX_PARTNERS:
            raise InvalidRecordError(f"a case has at most {MAX_PARTNERS} partners")
        position = max((partner.position for partner in case.partners), default=-1) + 1
        added = _new_partner_rows(changes.add_partners, by_key, position)
        case.partners.extend(added)
        changed.extend(f"partner.{partner.key}.added" for partner in added)
    if changed:
        case.updated_at = utc_now()
        session.flush()
        details: dict[str, str | list[str]] = {"fields": changed}
        if "status" in changed:
            details["status"] = case.status
        append_event(
            session, "case-changed", record_type="case", record_id=case.id, details=details
        )
    return _summary(case)


def _apply_partner_changes(partner: Partner, changes: PartnerChanges) -> list[str]:
    changed = []
    if changes.name is not None:
        name = changes.name.strip()
        if not name:
            raise InvalidRecordError(f"partner {partner.key} needs a name")
        if name != partner.name:
            partner.name = name
            changed.append("name")
    for field in ("pronouns", "contact"):
        value = getattr(changes, field)
        if value is not None and value.strip() != getattr(partner, field):
            setattr(partner, field, value.strip())
            changed.append(field)
    if changes.clear_date_of_birth and partner.date_of_birth is not None:
        partner.date_of_birth = None
        changed.append("date_of_birth")
    elif changes.date_of_birth is not None and changes.date_of_birth != partner.date_of_birth:
        partner.date_of_birth = changes.date_of_birth
        changed.append("date_of_birth")
    if changes.audit_c_threshold is not None:
        threshold = _check_threshold(changes.audit_c_threshold)
        if threshold != partner.audit_c_threshold:
            partner.audit_c_threshold = threshold
            changed.append("audit_c_threshold")
    return changed


def record_consent(session: Session, case_id: int, consent: NewConsent) -> ConsentRecordInfo:
    """Record a consent; a "confidentiality-policy" consent also sets the case's policy.

    Raises:
        RecordNotFoundError: no case with that id.
        InvalidRecordError: no kind, an unknown policy, or an unknown partner key.
    """
    case = _load_case(session, case_id)
    kind = consent.kind.strip()
    if not re.fullmatch(r"[a-z][a-z0-9-]{1,47}", kind):
        raise InvalidRecordError("a consent kind is a short lowercase code, like share-records")
    keys = [partner.key for partner in case.partners]
    consented_by = _check_consenters(consent.consented_by, keys)
    policy: Policy | None = None
    if kind == "confidentiality-policy" or consent.policy is not None:
        policy = _check_policy(consent.policy)
    now = utc_now()
    record = ConsentRecord(
        kind=kind,
        policy=policy,
        consented_on=consent.consented_on or dt.date.today(),
        consented_by=consented_by,
        wording_version=consent.wording_version,
        note=consent.note,
        recorded_at=now,
    )
    case.consents.append(record)
    if kind == "confidentiality-policy" and policy is not None:
        case.confidentiality_policy = policy
    case.updated_at = now
    session.flush()
    append_event(
        session,
        "consent-recorded",
        record_type="case",
        record_id=case.id,
        details={"consent_kind": kind, "policy": policy, "consent_id": record.id},
    )
    return _consent_info(record)


def mark_case_opened(session: Session, case_id: int) -> CaseSummary:
    """Note that the clinician opened the case now; log `case-opened`.

    Raises:
        RecordNotFoundError: no case with that id.
    """
    case = _load_case(session, case_id)
    case.last_seen_at = utc_now()
    session.flush()
    append_event(session, "case-opened", record_type="case", record_id=case.id)
    return _summary(case)


def list_case_ids(
    session: Session,
    sort: CaseSort = "-updated",
    filter_text: str = "",
    status: CaseStatus | None = None,
) -> list[int]:
    """Ids of the cases to show, in display order (for a table model that loads rows lazily).

    Args:
        sort: a column name, with "-" for descending; ties are broken by id.
        filter_text: keeps cases whose label or any partner's name contains it
            (case-insensitive, Unicode aware).
        status: keeps only cases with this status.

    Raises:
        InvalidRecordError: an unknown sort or status.
    """
    descending = sort.startswith("-")
    column = _SORT_COLUMNS.get(sort.lstrip("-"))
    if column is None:
        raise InvalidRecordError(f"cannot sort cases by {sort!r}")
    query = select(Case.id)
    if status is not None:
        query = query.where(Case.status == _check_status(status))
    needle = filter_text.strip().casefold()
    if needle:
        conditions: list[ColumnElement[bool]] = [
            func.instr(func.parley_fold(Case.label), needle) > 0,
            exists().where(
                Partner.case_id == Case.id, func.instr(func.parley_fold(Partner.name), needle) > 0
            ),
        ]
        query = query.where(or_(*conditions))
    if descending:
        query = query.order_by(column.desc(), Case.id.desc())
    else:
        query = query.order_by(column.asc(), Case.id.asc())
    return list(session.scalars(query))


def case_rows(session: Session, ids: Sequence[int]) -> list[CaseRow]:
    """The rows for `ids`, in the same order; ids that no longer exist are left out."""
    cases: dict[int, Case] = {}
    names: dict[int, list[str]] = {}
    for start in range(0, len(ids), _ROW_CHUNK):
        chunk = list(ids[start : start + _ROW_CHUNK])
        for case in session.scalars(select(Case).where(Case.id.in_(chunk))):
            cases[case.id] = case
        partner_rows = session.execute(
            select(Partner.case_id, Partner.name)
            .where(Partner.case_id.in_(chunk))
            .order_by(Partner.case_id, Partner.position)
        )
        for case_id, name in partner_rows:
            names.setdefault(case_id, []).append(name)
    rows = []
    for case_id in ids:
        found = cases.get(case_id)
        if found is None:
            continue
        rows.append(
            CaseRow(
                id=found.id,
                public_id=found.public_id,
                label=found.label,
                status=_check_status(found.status),
                partner_names=tuple(names.get(found.id, ())),
                created_at=found.created_at,
                updated_at=found.updated_at,
                last_seen_at=found.last_seen_at,
                is_demo=found.is_demo,
                highest_severity=found.highest_severity,
                disposition=found.disposition,
            )
        )
    return rows


def count_cases(session: Session) -> int:
    """How many cases the vault holds."""
    return int(session.scalar(select(func.count()).select_from(Case)) or 0)
