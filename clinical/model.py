"""Frozen value types every layer shares: intakes, evaluations, plans and case snapshots.

One case snapshot type feeds the screens, the reports and the interchange export alike, so
the three can never disagree. Everything here is immutable and free of Qt, SQL and PDF code.
Mappings are plain dicts by convention: build a new snapshot instead of mutating one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

Response: TypeAlias = Literal["yes", "maybe", "no", "limit"]
Experience: TypeAlias = Literal["none", "some", "experienced"]
Visibility: TypeAlias = Literal["joint", "clinician-only"]
ConfidentialityPolicy: TypeAlias = Literal["no-secrets", "limited-secrets"]
Severity: TypeAlias = Literal["critical", "essential", "recommended", "medical"]
Disposition: TypeAlias = Literal[
    "therapy-essential", "consult-before-high-risk", "lower-risk-start"
]
RiskTier: TypeAlias = Literal["low", "moderate", "high", "no-safe-practice"]
NegotiationStatus: TypeAlias = Literal[
    "mutual-yes", "one-sided", "both-maybe", "closed", "unanswered"
]

#: A fact's value: yes/no questions are bool, scales are int, choices and free text are str.
FactValue: TypeAlias = bool | int | str
#: What evidence may quote: a fact, an item score, a total, an activity response.
EvidenceValue: TypeAlias = bool | int | str | None

RESPONSES: tuple[Response, ...] = ("yes", "maybe", "no", "limit")
SEVERITY_ORDER: tuple[Severity, ...] = ("critical", "essential", "recommended", "medical")
DISPOSITION_ORDER: tuple[Disposition, ...] = (
    "therapy-essential",
    "consult-before-high-risk",
    "lower-risk-start",
)


# ---------------------------------------------------------------------------------- intake


@dataclass(frozen=True, slots=True)
class ActivityAnswer:
    """One partner's answer for one activity, per role.

    "giving" is the active or dominant side, "receiving" the other. None means not asked yet.
    """

    giving: Response | None = None
    receiving: Response | None = None
    experience: Experience | None = None


@dataclass(frozen=True, slots=True)
class PtsdScreenAnswer:
    """PC-PTSD-5: the exposure gate and five yes(1)/no(0) items; items count only if exposed."""

    exposed: bool | None = None
    items: tuple[int | None, ...] = (None, None, None, None, None)


#: Item scores of a summed instrument (None = item not answered yet), or the PC-PTSD-5 answer.
InstrumentAnswer: TypeAlias = tuple[int | None, ...] | PtsdScreenAnswer


@dataclass(frozen=True, slots=True)
class PartnerIntake:
    """Everything one partner answered.

    Attributes:
        key: short stable key inside the case ("A", "B", "C" ...), used in evidence.
        name: display name; never written to logs, titles or PDF metadata.
        audit_c_threshold: 3 or 4; the clinician's choice (default 3, the more sensitive).
        facts: answers by canonical or questionnaire id; an absent id means "not asked".
        instruments: item scores by instrument id ("phq9", "gad7", "pc_ptsd5", "audit_c").
        activities: answers by activity id.
        visibility: explicit per-answer visibility chosen by the clinician, keyed by answer id
            (a fact id, an instrument id, or "activity.<id>"); absent ids use the content's
            default for the case's policy (see clinical.visibility).
    """

    key: str
    name: str
    audit_c_threshold: int = 3
    facts: Mapping[str, FactValue] = field(default_factory=dict)
    instruments: Mapping[str, InstrumentAnswer] = field(default_factory=dict)
    activities: Mapping[str, ActivityAnswer] = field(default_factory=dict)
    visibility: Mapping[str, Visibility] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Intake:
    """A whole intake: two or more partners and the answers given together.

    Attributes:
        content_version: version of the questionnaire content the answers were given under,
            so that old answers stay interpretable after the content changes.
    """

    label: str
    confidentiality_policy: ConfidentialityPolicy
    partners: tuple[PartnerIntake, ...]
    joint_facts: Mapping[str, FactValue] = field(default_factory=dict)
    joint_visibility: Mapping[str, Visibility] = field(default_factory=dict)
    content_version: str = ""

    def partner(self, key: str) -> PartnerIntake:
        """The partner with this key; KeyError when there is none."""
        for partner in self.partners:
            if partner.key == key:
                return partner
        raise KeyError(key)


# ------------------------------------------------------------------------------ evaluation


@dataclass(frozen=True, slots=True)
class Evidence:
    """One answer that made an indicator fire: whose (None = joint), which id, what value.

    Ids are canonical: a fact id, "phq9.item9", "phq9.total", "pc_ptsd5.exposed",
    "activity.breath_play.giving", "activity.breath_play.experience".
    """

    partner: str | None
    id: str
    value: EvidenceValue


@dataclass(frozen=True, slots=True)
class InstrumentScore:
    """A scored instrument for one partner.

    Attributes:
        total: the sum, or None while items are missing (PC-PTSD-5 not exposed scores 0).
        band: band id from the content ("minimal", "mild" ...), None while incomplete.
        positive: whether the published cut-off is met, None while incomplete.
        threshold: the cut-off applied (for AUDIT-C, the partner's own threshold).
    """

    instrument: str
    partner: str
    total: int | None
    band: str | None
    band_label: str | None
    positive: bool | None
    threshold: int | None
    answered: int
    item_count: int

    @property
    def complete(self) -> bool:
        return self.total is not None


@dataclass(frozen=True, slots=True)
class Indicator:
    """A referral indicator that fired, with its reason, the answers behind it and sources.

    Attributes:
        partner: the partner it concerns, or None for a joint indicator.
        requires_individual_follow_up: critical indicators: see that partner alone.
        blocks_couple_plan: critical indicators: no couple-facing plan until acknowledged.
    """

    id: str
    severity: Severity
    title: str
    rationale: str
    action: str
    sources: tuple[str, ...]
    partner: str | None
    evidence: tuple[Evidence, ...]
    requires_individual_follow_up: bool = False
    blocks_couple_plan: bool = False

    @property
    def key(self) -> str:
        """Stable key for acknowledgements: "<id>" or "<id>@<partner>"."""
        return self.id if self.partner is None else f"{self.id}@{self.partner}"


@dataclass(frozen=True, slots=True)
class NegotiationCell:
    """One activity in one role direction: `giver` takes the giving role towards `receiver`."""

    activity: str
    label: str
    activity_class: str
    tier: RiskTier
    giver: str
    receiver: str
    giver_answer: Response | None
    receiver_answer: Response | None
    status: NegotiationStatus
    #: Activities shown beside this one (role-reversal partners), from the catalogue.
    paired_with: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PacingSuggestion:
    """A pacing-plan template the engine suggests, best first, with why."""

    template_id: str
    title: str
    rank: int
    reasons: tuple[str, ...]
    indicator_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What the engine concludes from a whole intake."""

    content_version: str
    disposition: Disposition
    disposition_reasons: tuple[str, ...]
    medical_coordination: bool
    indicators: tuple[Indicator, ...]
    scores: tuple[InstrumentScore, ...]
    negotiation: tuple[NegotiationCell, ...]
    pacing_suggestions: tuple[PacingSuggestion, ...]

    def score(self, partner: str, instrument: str) -> InstrumentScore | None:
        for score in self.scores:
            if score.partner == partner and score.instrument == instrument:
                return score
        return None


# ---------------------------------------------------------------------------- pacing plan


@dataclass(frozen=True, slots=True)
class PacingStage:
    """One stage of a pacing plan, as the clinician tailored it."""

    title: str
    typical_length: str
    homework: tuple[str, ...]
    check_ins: tuple[str, ...]
    advance_criteria: tuple[str, ...]
    stop_criteria: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PacingPlan:
    """A pacing plan belonging to a case: a template's copy, edited by the clinician."""

    template_id: str
    title: str
    plissit_level: str
    stages: tuple[PacingStage, ...]
    current_stage: int = 0
    exclusions: tuple[str, ...] = ()

    @property
    def stage(self) -> PacingStage | None:
        if 0 <= self.current_stage < len(self.stages):
            return self.stages[self.current_stage]
        return None


# ---------------------------------------------------------------------------- safety plan


@dataclass(frozen=True, slots=True)
class CrisisContact:
    """A crisis line or service from the practice settings (not client data)."""

    name: str
    phone: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class PlanActivity:
    """An activity on a safety plan, in one role direction."""

    activity: str
    label: str
    tier: RiskTier
    giver: str
    receiver: str


@dataclass(frozen=True, slots=True)
class Signals:
    """Traffic-light words and the non-verbal signal."""

    green: str = "green"
    yellow: str = "yellow"
    red: str = "red"
    non_verbal: str = ""
    non_verbal_required: bool = False


@dataclass(frozen=True, slots=True)
class SafetyPlanChoices:
    """What the clinician decided on top of the engine's proposal.

    Attributes:
        agreed: activity keys "<activity>:<giver>><receiver>" the couple agreed; None means
            "every mutual yes", the engine's proposal.
        aftercare: per partner key, what that partner wants after a scene.
        extra_rules: rules the clinician adds to the physical-safety list.
    """

    agreed: tuple[str, ...] | None = None
    signals: Signals = field(default_factory=Signals)
    aftercare: Mapping[str, str] = field(default_factory=dict)
    drop_check_hours: tuple[int, int] = (24, 72)
    extra_rules: tuple[str, ...] = ()
    notes_for_couple: str = ""


@dataclass(frozen=True, slots=True)
class SafetyPlan:
    """The couple-facing safety plan; build it with clinical.safety_plan, never by hand.

    Holds joint content only once made couple-facing: no clinician-only answer, no score.
    """

    agreed: tuple[PlanActivity, ...]
    maybe: tuple[PlanActivity, ...]
    limits: tuple[PlanActivity, ...]
    signals: Signals
    aftercare: Mapping[str, str]
    drop_check: str
    safety_rules: tuple[str, ...]
    medical_points: tuple[str, ...]
    pacing_stage: PacingStage | None
    pacing_title: str
    stop_and_call: tuple[str, ...]
    crisis_contacts: tuple[CrisisContact, ...]
    notes_for_couple: str = ""
    problems: tuple[str, ...] = ()
    #: What is never part of any plan, and why (breath play, self-bondage, intoxicated play).
    not_in_plan: tuple[str, ...] = ()


# --------------------------------------------------------------------------- case snapshot


@dataclass(frozen=True, slots=True)
class PracticeInfo:
    """Practice settings that appear on documents (the clinician's, not the clients')."""

    clinician_name: str = ""
    credentials: str = ""
    practice_name: str = ""
    practice_contact: str = ""
    crisis_contacts: tuple[CrisisContact, ...] = ()


@dataclass(frozen=True, slots=True)
class PartnerInfo:
    """Identifying details of one partner."""

    key: str
    name: str
    pronouns: str = ""
    date_of_birth: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """The clinician's acknowledgement of one indicator (by Indicator.key)."""

    indicator_key: str
    note: str
    by: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class ConsentInfo:
    """The confidentiality policy consent recorded at intake."""

    policy: ConfidentialityPolicy
    consented_on: dt.date | None
    consented_by: tuple[str, ...]
    share_with_professionals: bool = False
    share_exception_note: str = ""


@dataclass(frozen=True, slots=True)
class MeasurePoint:
    """One administration of an instrument, for measures over time.

    Attributes:
        band: the band id ("moderate"); `band_label` is its wording ("Moderate").
        threshold: the cut-off that applied (AUDIT-C: the partner's own), for charts.
        at_intake: the intake's own score (the first point of a series).
    """

    partner: str
    instrument: str
    taken_on: dt.date
    total: int
    band: str | None
    band_label: str | None = None
    threshold: int | None = None
    at_intake: bool = False


@dataclass(frozen=True, slots=True)
class CaseSnapshot:
    """A frozen picture of one case at one moment: the input of every report and export."""

    case_id: str
    label: str
    status: str
    practice: PracticeInfo
    partners: tuple[PartnerInfo, ...]
    consent: ConsentInfo
    intake: Intake
    evaluation: Evaluation
    acknowledgements: Mapping[str, Acknowledgement] = field(default_factory=dict)
    pacing_plan: PacingPlan | None = None
    safety_choices: SafetyPlanChoices = field(default_factory=SafetyPlanChoices)
    measures: tuple[MeasurePoint, ...] = ()
    goals: str = ""
    recommendations: str = ""
    taken_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    intake_date: dt.date | None = None
    is_demo: bool = False

    def unacknowledged_blocking(self) -> tuple[Indicator, ...]:
        """Critical indicators that still block the couple-facing plan."""
        return tuple(
            indicator
            for indicator in self.evaluation.indicators
            if indicator.blocks_couple_plan and indicator.key not in self.acknowledgements
        )
