"""Practice settings: the clinician, the practice, crisis contacts, auto-lock and backups."""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session

from clinical.model import CrisisContact
from db.audit import append_event
from db.errors import InvalidRecordError
from db.models import PracticeSettings, utc_now
from db.services.types import PracticeSettingsChanges, PracticeSettingsInfo

#: Allowed ranges of the numeric settings (inclusive).
LIMITS = {
    "auto_lock_minutes": (1, 240),
    "backups_kept": (1, 365),
    "retention_years": (1, 100),
}


def _row(session: Session) -> PracticeSettings:
    row = session.get(PracticeSettings, 1)
    if row is None:  # migration 0001 inserts it; recreate the defaults if it was removed
        row = PracticeSettings(id=1, crisis_contacts=[])
        session.add(row)
        session.flush()
    return row


def _info(row: PracticeSettings) -> PracticeSettingsInfo:
    contacts = tuple(
        CrisisContact(
            name=str(item.get("name", "")),
            phone=str(item.get("phone", "")),
            note=str(item.get("note", "")),
        )
        for item in (row.crisis_contacts or [])
    )
    return PracticeSettingsInfo(
        clinician_name=row.clinician_name,
        credentials=row.credentials,
        practice_name=row.practice_name,
        practice_contact=row.practice_contact,
        crisis_contacts=contacts,
        auto_lock_minutes=row.auto_lock_minutes,
        backups_kept=row.backups_kept,
        retention_years=row.retention_years,
    )


def get_practice_settings(session: Session) -> PracticeSettingsInfo:
    """The practice settings (defaults on a new vault)."""
    return _info(_row(session))


def update_practice_settings(
    session: Session, changes: PracticeSettingsChanges
) -> PracticeSettingsInfo:
    """Apply `changes`, log `settings-changed` with the changed field names, return the result.

    Raises:
        InvalidRecordError: a number is out of range or a crisis contact lacks name or phone.
    """
    row = _row(session)
    changed: list[str] = []
    for field in dataclasses.fields(changes):
        value = getattr(changes, field.name)
        if value is None:
            continue
        if field.name in LIMITS:
            low, high = LIMITS[field.name]
            if not isinstance(value, int) or not low <= value <= high:
                label = field.name.replace("_", " ")
                raise InvalidRecordError(f"{label} must be a whole number from {low} to {high}")
        if field.name == "crisis_contacts":
            for contact in value:
                if not contact.name.strip() or not contact.phone.strip():
                    raise InvalidRecordError("every crisis contact needs a name and a phone")
            value = [
                {"name": contact.name, "phone": contact.phone, "note": contact.note}
                for contact in value
            ]
        if getattr(row, field.name) != value:
            setattr(row, field.name, value)
            changed.append(field.name)
    if changed:
        row.updated_at = utc_now()
        session.flush()
        append_event(
            session,
            "settings-changed",
            record_type="practice_settings",
            record_id=1,
            details={"fields": changed},
        )
    return _info(row)
