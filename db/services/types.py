"""Frozen values the vault services take and return; never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, TypeAlias

from clinical.model import CrisisContact, PacingPlan, PracticeInfo, SafetyPlanChoices

CaseStatus: TypeAlias = Literal["intake", "active", "paused", "closed"]
Policy: TypeAlias = Literal["no-secrets", "limited-secrets"]
CaseSort: TypeAlias = Literal[
    "label",
    "-label",
    "created",
    "-created",
    "updated",
    "-updated",
    "last_seen",
    "-last_seen",
    "status",
    "-status",
    "severity",
    "-severity",
]


@dataclass(frozen=True, slots=True)
class PracticeSettingsInfo:
    """The practice-wide settings."""

    clinician_name: str
    credentials: str
    practice_name: str
    practice_contact: str
    crisis_contacts: tuple[CrisisContact, ...]
    auto_lock_minutes: int
    backups_kept: int
    retention_years: int

    def practice_info(self) -> PracticeInfo:
        """The part of the settings that appears on documents."""
        return PracticeInfo(
            clinician_name=self.clinician_name,
            credentials=self.credentials,
            practice_name=self.practice_name,
            practice_contact=self.practice_contact,
            crisis_contacts=self.crisis_contacts,
        )


@dataclass(frozen=True, slots=True)
class PracticeSettingsChanges:
    """Changes to practice settings; None leaves a field as it is."""

    clinician_name: str | None = None
    credentials: str | None = None
    practice_name: str | None = None
    practice_contact: str | None = None
    crisis_contacts: tuple[CrisisContact, ...] | None = None
    auto_lock_minutes: int | None = None
    backups_kept: int | None = None
    retention_years: int | None = None


@dataclass(frozen=True, slots=True)
class NewPartner:
    """One partner of a new case; `key` is assigned ("A", "B", ...) when left empty."""

    name: str
    key: str = ""
    pronouns: str = ""
    date_of_birth: dt.date | None = None
    contact: str = ""
    audit_c_threshold: int = 3


@dataclass(frozen=True, slots=True)
class NewCase:
    """A case to create, with the confidentiality consent given at intake.

    Attributes:
        consented_on: the day consent was given (today when None).
        consented_by: partner keys that consented (all partners when None).
    """

    label: str
    partners: tuple[NewPartner, ...]
    confidentiality_policy: Policy
    consented_on: dt.date | None = None
    consented_by: tuple[str, ...] | None = None
    consent_wording_version: str = ""
    consent_note: str = ""
    status: CaseStatus = "intake"
    is_demo: bool = False


@dataclass(frozen=True, slots=True)
class PartnerDetail:
    """A partner as stored."""

    id: int
    key: str
    name: str
    pronouns: str
    date_of_birth: dt.date | None
    contact: str
    audit_c_threshold: int
    position: int


@dataclass(frozen=True, slots=True)
class ConsentRecordInfo:
    """A consent as recorded."""

    id: int
    kind: str
    policy: str | None
    consented_on: dt.date
    consented_by: tuple[str, ...]
    wording_version: str
    note: str
    recorded_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """A case's own fields, without its partners' details."""

    id: int
    public_id: str
    label: str
    status: CaseStatus
    confidentiality_policy: Policy
    partner_keys: tuple[str, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    last_seen_at: dt.datetime | None
    is_demo: bool
    highest_severity: str | None = None
    disposition: str | None = None


@dataclass(frozen=True, slots=True)
class CaseDetail:
    """A case with its partners and consent records."""

    summary: CaseSummary
    partners: tuple[PartnerDetail, ...]
    consents: tuple[ConsentRecordInfo, ...]


@dataclass(frozen=True, slots=True)
class PartnerChanges:
    """Changes to the partner with `key`; None leaves a field as it is."""

    key: str
    name: str | None = None
    pronouns: str | None = None
    date_of_birth: dt.date | None = None
    clear_date_of_birth: bool = False
    contact: str | None = None
    audit_c_threshold: int | None = None


@dataclass(frozen=True, slots=True)
class CaseChanges:
    """Changes to a case; None leaves a field as it is.

    The confidentiality policy changes only with a consent (`record_consent`).
    """

    label: str | None = None
    status: CaseStatus | None = None
    partners: tuple[PartnerChanges, ...] = ()
    add_partners: tuple[NewPartner, ...] = ()


@dataclass(frozen=True, slots=True)
class NewConsent:
    """A consent to record, e.g. kind "confidentiality-policy" or "share-with-professionals".

    A "confidentiality-policy" consent needs `policy` and becomes the case's policy.
    """

    kind: str
    consented_by: tuple[str, ...]
    consented_on: dt.date | None = None
    policy: Policy | None = None
    wording_version: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class CaseRow:
    """What one line of the case list shows."""

    id: int
    public_id: str
    label: str
    status: CaseStatus
    partner_names: tuple[str, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    last_seen_at: dt.datetime | None
    is_demo: bool
    highest_severity: str | None = None
    disposition: str | None = None


@dataclass(frozen=True, slots=True)
class CasePlansInfo:
    """The clinician's decisions for a case: plans and the texts that go on documents."""

    pacing_plan: PacingPlan | None
    safety_choices: SafetyPlanChoices
    goals: str
    recommendations: str
