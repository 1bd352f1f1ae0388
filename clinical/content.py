"""Clinical content: the TOML files under clinical/content, validated, cross-checked and compiled.

`load_content()` reads every file once (the default folder is cached), validates each with
pydantic models, checks the cross-references between files (fact ids in conditions, activity
ids, template ids, thresholds within their instrument's range ...) and compiles the indicator
conditions. Any problem raises ContentError naming the file, the key path and the problem, e.g.
``indicators.toml: rules[3].condition: unknown fact id 'trauma.sexual_abuse'``.
"""

from __future__ import annotations

import functools
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from clinical.errors import ContentError
from clinical.expressions import (
    ActivityInfo,
    CompiledCondition,
    ExpressionError,
    FactType,
    InstrumentInfo,
    Vocabulary,
    compile_condition,
)
from clinical.model import (
    DISPOSITION_ORDER,
    SEVERITY_ORDER,
    ConfidentialityPolicy,
    Disposition,
    RiskTier,
    Severity,
    Visibility,
)

CONTENT_DIR = Path(__file__).with_name("content")

_ID = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
_SLUG = r"^[a-z][a-z0-9_-]*$"
_SOURCE = re.compile(r"^clinical-research\.md §\d+(\.\d+)*( \(.+\))?$")


class _Strict(BaseModel):
    """Frozen, and unknown keys are errors: a misspelt key must not be silently ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# ------------------------------------------------------------------------------ manifest.toml


class Manifest(_Strict):
    version: str = Field(min_length=1)
    title: str
    notes: str = ""


# ------------------------------------------------------------------------- questionnaire.toml

QuestionType = Literal["yes_no", "scale", "choice", "text", "instrument"]


class ChoiceOption(_Strict):
    value: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    label: str = Field(min_length=1)


class ScaleAnchor(_Strict):
    value: int
    label: str = Field(min_length=1)


class Question(_Strict):
    """One intake question.

    Attributes:
        type: yes_no (bool), scale (int min..max), choice (str, one of options), text (str),
            or instrument (the screening instrument named by `instrument`).
        asked_alone: asked with the other partner out of the room.
        always_clinician_only: never shown to the other partner, whatever is chosen.
        may_answer_jointly: the couple may answer it together (a joint fact).
        note: provenance shown beside the question, e.g. for Parley's own items.
    """

    id: str = Field(pattern=_ID)
    type: QuestionType
    label: str = Field(min_length=1)
    help: str = ""
    note: str = ""
    options: tuple[ChoiceOption, ...] = ()
    min: int | None = None
    max: int | None = None
    anchors: tuple[ScaleAnchor, ...] = ()
    instrument: str | None = None
    asked_alone: bool = False
    always_clinician_only: bool = False
    may_answer_jointly: bool = False

    @model_validator(mode="after")
    def _fields_match_type(self) -> Question:
        if self.type == "scale":
            if self.min is None or self.max is None or self.min >= self.max:
                raise ValueError("a scale needs min < max")
            values = {anchor.value for anchor in self.anchors}
            if not {self.min, self.max} <= values:
                raise ValueError("a scale needs anchor labels at its min and max")
            if any(not self.min <= value <= self.max for value in values):
                raise ValueError("every anchor must lie within min..max")
        elif self.min is not None or self.max is not None or self.anchors:
            raise ValueError("min, max and anchors belong to scale questions only")
        if self.type == "choice":
            if len(self.options) < 2:
                raise ValueError("a choice needs at least two options")
            if len({option.value for option in self.options}) != len(self.options):
                raise ValueError("option values must be unique")
        elif self.options:
            raise ValueError("options belong to choice questions only")
        if (self.type == "instrument") != (self.instrument is not None):
            raise ValueError("instrument questions, and only they, name an instrument")
        if self.always_clinician_only and not self.asked_alone:
            raise ValueError("an always-clinician-only question must be asked alone")
        if self.may_answer_jointly and self.asked_alone:
            raise ValueError("a question asked alone cannot be answered jointly")
        return self

    @property
    def value_kind(self) -> Literal["bool", "number", "string"] | None:
        """The kind of value a fact answer holds; None for instrument questions."""
        return {"yes_no": "bool", "scale": "number", "choice": "string", "text": "string"}.get(
            self.type
        )  # type: ignore[return-value]

    @property
    def default_visibility(self) -> Visibility:
        """The visibility under the limited-secrets policy (see clinical.visibility)."""
        return "clinician-only" if self.always_clinician_only or self.asked_alone else "joint"

    def visibility_under(self, policy: ConfidentialityPolicy) -> Visibility:
        """The default visibility of an answer to this question under a case's policy."""
        if self.always_clinician_only:
            return "clinician-only"
        if policy == "no-secrets":
            return "joint"
        return self.default_visibility


class Section(_Strict):
    id: str = Field(pattern=_SLUG)
    title: str = Field(min_length=1)
    intro: str = ""
    note: str = ""
    questions: tuple[Question, ...] = ()


class ActivityGrid(_Strict):
    """How the activity list is presented: in which section, with which labels."""

    section: str
    asked_alone: bool
    intro: str
    giving_label: str
    receiving_label: str
    experience_label: str
    response_labels: dict[Literal["yes", "maybe", "no", "limit"], str]
    experience_labels: dict[Literal["none", "some", "experienced"], str]

    @model_validator(mode="after")
    def _all_labels(self) -> ActivityGrid:
        if len(self.response_labels) != 4 or len(self.experience_labels) != 3:
            raise ValueError("label every response (yes, maybe, no, limit) and experience level")
        return self


class Questionnaire(_Strict):
    activity_grid: ActivityGrid
    sections: tuple[Section, ...] = Field(min_length=1)
    _index: dict[str, Question] = PrivateAttr(default_factory=dict)

    def questions(self) -> tuple[Question, ...]:
        """Every question in order."""
        return tuple(q for section in self.sections for q in section.questions)

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return self._by_id().get(question_id)

    def facts(self) -> Mapping[str, Question]:
        """Questions whose answers are facts (all but instrument questions), by id."""
        return {q.id: q for q in self.questions() if q.type != "instrument"}

    def _by_id(self) -> Mapping[str, Question]:
        return self._index

    @model_validator(mode="after")
    def _build_index(self) -> Questionnaire:
        self._index = {q.id: q for q in self.questions()}
        return self


# --------------------------------------------------------------------------- instruments.toml


class InstrumentItem(_Strict):
    number: int = Field(ge=1)
    text: str = Field(min_length=1)
    #: Response options of this item when they differ from the instrument's anchors (AUDIT-C).
    options: tuple[ScaleAnchor, ...] = ()
    #: A single item that raises an alert whatever the total (PHQ-9 item 9).
    critical: bool = False


class Band(_Strict):
    id: str = Field(pattern=_SLUG)
    label: str = Field(min_length=1)
    min: int
    max: int


class BandLabel(_Strict):
    id: str = Field(pattern=_SLUG)
    label: str = Field(min_length=1)


class ThresholdBands(_Strict):
    """Bands relative to the cut-off in force (AUDIT-C's per-partner threshold)."""

    below: BandLabel
    at_or_above: BandLabel


class ExposureGate(_Strict):
    preamble: str
    question: str
    yes_label: str
    no_label: str
    when_not_exposed: str


class PartnerThreshold(_Strict):
    """A cut-off the clinician chooses per partner (AUDIT-C: 3 for women, 4 for men)."""

    allowed: tuple[int, ...] = Field(min_length=1)
    default: int
    label: str
    help: str = ""


class Instrument(_Strict):
    """A public-domain screening instrument with its scoring."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    full_title: str
    measures: str
    stem: str
    item_min: int
    item_max: int
    items: tuple[InstrumentItem, ...] = Field(min_length=1)
    anchors: tuple[ScaleAnchor, ...] = ()
    bands: tuple[Band, ...] = ()
    threshold_bands: ThresholdBands | None = None
    cutoff: int
    cutoff_meaning: str
    gate: ExposureGate | None = None
    partner_threshold: PartnerThreshold | None = None
    public_domain: bool
    attribution: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    note: str = ""

    @property
    def item_count(self) -> int:
        return len(self.items)

    @property
    def total_range(self) -> tuple[int, int]:
        return self.item_count * self.item_min, self.item_count * self.item_max

    def band_for(self, total: int, threshold: int) -> BandLabel | Band:
        """The band of a total (threshold bands use the cut-off in force)."""
        if self.threshold_bands is not None:
            bands = self.threshold_bands
            return bands.at_or_above if total >= threshold else bands.below
        for band in self.bands:
            if band.min <= total <= band.max:
                return band
        raise ValueError("total outside the instrument's range")  # validated at load


class InstrumentsFile(_Strict):
    instruments: tuple[Instrument, ...] = Field(min_length=1)


# ---------------------------------------------------------------------------- activities.toml


class TierSpec(_Strict):
    id: RiskTier
    label: str


class ClassSpec(_Strict):
    id: str = Field(pattern=_SLUG)
    label: str


class Activity(_Strict):
    """A catalogue activity: its tier, physical demand, role-reversal partner and safety notes."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    activity_class: str = Field(alias="class")
    tier: RiskTier
    description: str = ""
    physically_demanding: bool = False
    paired_with: tuple[str, ...] = ()
    requires_non_verbal_signal: bool = False
    #: Never an agreed activity of a plan (breath play): it goes to "not part of this plan".
    never_in_plan: bool = False
    safety_notes: tuple[str, ...] = ()


class ActivitiesFile(_Strict):
    tiers: tuple[TierSpec, ...] = Field(min_length=1)
    classes: tuple[ClassSpec, ...] = Field(min_length=1)
    activities: tuple[Activity, ...] = Field(min_length=1)


# ---------------------------------------------------------------------------- indicators.toml

RuleKind = Literal["clinical", "high-risk-activity"]


class RuleLevelSpec(_Strict):
    severity: Severity
    condition: str = Field(min_length=1)
    title: str | None = None
    rationale: str | None = None
    action: str | None = None


class RuleSpec(_Strict):
    id: str = Field(pattern=_SLUG)
    title: str = Field(min_length=1)
    rationale: str = Field(min_length=1)
    action: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    scope: Literal["partner", "joint"]
    kind: RuleKind = "clinical"
    severity: Severity | None = None
    condition: str | None = None
    levels: tuple[RuleLevelSpec, ...] = ()

    @model_validator(mode="after")
    def _condition_or_levels(self) -> RuleSpec:
        single = self.severity is not None or self.condition is not None
        if single and self.levels:
            raise ValueError("give either severity and condition, or levels, not both")
        if not self.levels and (self.severity is None or self.condition is None):
            raise ValueError("a rule needs a severity and a condition, or levels")
        return self


class IndicatorsFile(_Strict):
    rules: tuple[RuleSpec, ...] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class RuleLevel:
    """One compiled level of a rule: the first level whose condition holds decides."""

    severity: Severity
    condition: CompiledCondition
    title: str
    rationale: str
    action: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A compiled indicator rule (see indicators.toml for the fields)."""

    id: str
    title: str
    rationale: str
    action: str
    sources: tuple[str, ...]
    scope: Literal["partner", "joint"]
    kind: RuleKind
    levels: tuple[RuleLevel, ...]
    #: Every fact id the rule's conditions read (to decide whether joint facts concern it).
    fact_ids: frozenset[str]

    @property
    def severities(self) -> tuple[Severity, ...]:
        return tuple(level.severity for level in self.levels)


# -------------------------------------------------------------------------------- triage.toml


class SeveritySpec(_Strict):
    label: str
    requires_individual_follow_up: bool = False
    blocks_couple_plan: bool = False


class DispositionSpec(_Strict):
    id: Disposition
    title: str
    advice: str
    when_severity: tuple[Severity, ...] = ()
    when_interest_in_tiers: tuple[RiskTier, ...] = ()
    otherwise: bool = False
    reason_template: str = ""
    interest_reason_template: str = ""
    otherwise_reason: str = ""


class TriageFile(_Strict):
    medical_coordination_severities: tuple[Severity, ...]
    severities: dict[Severity, SeveritySpec]
    dispositions: tuple[DispositionSpec, ...]


# -------------------------------------------------------------------------------- pacing.toml

PlissitLevel = Literal["P", "LI", "SS", "IT"]


class StageSpec(_Strict):
    title: str = Field(min_length=1)
    #: The stage's name in the couple's plan where `title` would tell one partner's history.
    couple_title: str = ""
    typical_length: str = Field(min_length=1)
    homework: tuple[str, ...] = Field(min_length=1)
    check_ins: tuple[str, ...] = Field(min_length=1)
    advance_criteria: tuple[str, ...] = ()
    stop_criteria: tuple[str, ...] = Field(min_length=1)


class SuggestionTrigger(_Strict):
    """When a template is suggested: exactly one of indicators, disposition, activities, always."""

    weight: int = Field(ge=1, le=10)
    reason: str = Field(min_length=1)
    indicators: tuple[str, ...] = ()
    disposition: Disposition | None = None
    activities: tuple[str, ...] = ()
    always: bool = False

    @model_validator(mode="after")
    def _exactly_one(self) -> SuggestionTrigger:
        given = [
            bool(self.indicators),
            self.disposition is not None,
            bool(self.activities),
            self.always,
        ]
        if sum(given) != 1:
            raise ValueError("give exactly one of indicators, disposition, activities, always")
        return self


class Template(_Strict):
    """A pacing-plan template (the case gets an editable copy: clinical.pacing)."""

    id: str = Field(pattern=_SLUG)
    title: str = Field(min_length=1)
    #: The plan's name in the couple's plan where `title` would tell one partner's history.
    couple_title: str = ""
    summary: str = Field(min_length=1)
    plissit_level: PlissitLevel
    sources: tuple[str, ...] = Field(min_length=1)
    exclusions: tuple[str, ...] = ()
    suggest_when: tuple[SuggestionTrigger, ...] = Field(min_length=1)
    stages: tuple[StageSpec, ...] = Field(min_length=1)


class PlissitSpec(_Strict):
    id: PlissitLevel
    label: str


class PacingFile(_Strict):
    exclusions: tuple[str, ...] = Field(min_length=1)
    plissit_levels: tuple[PlissitSpec, ...] = Field(min_length=4)
    templates: tuple[Template, ...] = Field(min_length=1)

    def plissit_label(self, level: str) -> str:
        for spec in self.plissit_levels:
            if spec.id == level:
                return spec.label
        return level


# -------------------------------------------------------------------------------- safety.toml


class SignalWording(_Strict):
    green: str
    yellow: str
    red: str
    green_meaning: str
    yellow_meaning: str
    red_meaning: str
    non_verbal_meaning: str
    non_verbal_examples: tuple[str, ...] = Field(min_length=1)
    using_a_safeword: str


class SafetyWording(_Strict):
    """Wording of the couple-facing safety plan."""

    signals: SignalWording
    aftercare_fact: str
    non_verbal_fact: str
    aftercare_prompts: tuple[str, ...] = Field(min_length=1)
    drop_check: str
    general_rules: tuple[str, ...] = ()
    stop_and_call: tuple[str, ...] = Field(min_length=1)
    not_in_plan: tuple[str, ...] = Field(min_length=1)
    medical_points: dict[str, str] = Field(default_factory=dict)


# -------------------------------------------------------------------------------- the content


@dataclass(frozen=True, slots=True)
class Content:
    """All clinical content, validated and compiled: the one object the engine reads.

    Attributes:
        version: stored with every intake so that old answers stay interpretable.
        questionnaire: sections and questions, from which the UI builds its forms.
        instruments: the screening instruments by id, in questionnaire order.
        activities: the activity catalogue by id, in catalogue order.
        rules: the compiled indicator rules, in content order.
        templates: pacing-plan templates by id, in content order.
    """

    version: str
    questionnaire: Questionnaire
    instruments: Mapping[str, Instrument]
    activities: Mapping[str, Activity]
    tiers: Mapping[str, TierSpec]
    classes: Mapping[str, ClassSpec]
    rules: tuple[Rule, ...]
    triage: TriageFile
    pacing: PacingFile
    templates: Mapping[str, Template]
    safety: SafetyWording
    vocabulary: Vocabulary

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


_Model = TypeVar("_Model", bound=BaseModel)


def _format_location(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif path:
            path += f".{part}"
        else:
            path = str(part)
    return path or "(top level)"


def _read(directory: Path, name: str, model: type[_Model]) -> _Model:
    path = directory / name
    try:
        with path.open("rb") as stream:
            data: dict[str, Any] = tomllib.load(stream)
    except FileNotFoundError:
        raise ContentError(f"{name}: the file is missing from {directory}") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{name}: not valid TOML: {error}") from None
    except OSError as error:
        raise ContentError(f"{name}: cannot be read ({error.strerror})") from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = _format_location(tuple(first["loc"]))
        message = first["msg"].removeprefix("Value error, ")
        raise ContentError(f"{name}: {location}: {message}") from None


class _Problems:
    """Raises the first cross-reference problem as a ContentError naming file and key."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, key: str, problem: str) -> None:
        raise ContentError(f"{self.file}: {key}: {problem}")

    def check(self, ok: bool, key: str, problem: str) -> None:
        if not ok:
            self.fail(key, problem)


def _check_sources(problems: _Problems, key: str, sources: tuple[str, ...]) -> None:
    for index, source in enumerate(sources):
        problems.check(
            bool(_SOURCE.match(source)),
            f"{key}.sources[{index}]",
            "a source must read 'clinical-research.md §<section>' with an optional note in "
            "brackets",
        )


def _check_questionnaire(questionnaire: Questionnaire, instruments: Mapping[str, Any]) -> None:
    problems = _Problems("questionnaire.toml")
    seen: set[str] = set()
    for s_index, section in enumerate(questionnaire.sections):
        for q_index, question in enumerate(section.questions):
            key = f"sections[{s_index}].questions[{q_index}]"
            problems.check(question.id not in seen, f"{key}.id", f"duplicate id '{question.id}'")
            seen.add(question.id)
            if question.type == "instrument":
                problems.check(
                    question.instrument in instruments,
                    f"{key}.instrument",
                    f"unknown instrument id '{question.instrument}'",
                )
                problems.check(
                    question.id == question.instrument,
                    f"{key}.id",
                    "an instrument question's id is the instrument id",
                )
                problems.check(
                    question.always_clinician_only,
                    f"{key}.always_clinician_only",
                    "instrument answers and scores are never couple-facing",
                )
    section_ids = [section.id for section in questionnaire.sections]
    problems.check(
        len(set(section_ids)) == len(section_ids), "sections", "section ids must be unique"
    )
    problems.check(
        questionnaire.activity_grid.section in section_ids,
        "activity_grid.section",
        f"unknown section '{questionnaire.activity_grid.section}'",
    )
    asked = {q.instrument for q in questionnaire.questions() if q.type == "instrument"}
    for instrument_id in instruments:
        problems.check(
            instrument_id in asked, "sections", f"instrument '{instrument_id}' is never asked"
        )


def _check_instruments(parsed: InstrumentsFile) -> None:
    problems = _Problems("instruments.toml")
    ids = [instrument.id for instrument in parsed.instruments]
    problems.check(len(set(ids)) == len(ids), "instruments", "instrument ids must be unique")
    for index, instrument in enumerate(parsed.instruments):
        key = f"instruments[{index}]"
        # Only public-domain wording may be reproduced (clinical-research.md §0, finding 1).
        problems.check(
            instrument.public_domain,
            f"{key}.public_domain",
            "only public-domain instruments may be stored with their wording",
        )
        _check_sources(problems, key, instrument.sources)
        problems.check(
            instrument.item_min < instrument.item_max,
            f"{key}.item_max",
            "item_max must be above item_min",
        )
        low, high = instrument.total_range
        numbers = [item.number for item in instrument.items]
        problems.check(
            numbers == list(range(1, len(numbers) + 1)),
            f"{key}.items",
            "items must be numbered 1, 2, 3 ... in published order",
        )
        item_values = set(range(instrument.item_min, instrument.item_max + 1))
        for i_index, item in enumerate(instrument.items):
            options = item.options or instrument.anchors
            problems.check(
                {option.value for option in options} == item_values,
                f"{key}.items[{i_index}].options" if item.options else f"{key}.anchors",
                f"response options must cover every score from {instrument.item_min} to "
                f"{instrument.item_max} exactly once",
            )
        problems.check(
            low <= instrument.cutoff <= high,
            f"{key}.cutoff",
            f"cut-off {instrument.cutoff} is outside the total's range {low}..{high}",
        )
        if instrument.bands:
            problems.check(
                instrument.threshold_bands is None,
                f"{key}.threshold_bands",
                "give bands or threshold_bands, not both",
            )
            expected = low
            for b_index, band in enumerate(instrument.bands):
                problems.check(
                    band.min == expected and band.min <= band.max,
                    f"{key}.bands[{b_index}]",
                    f"bands must be contiguous and ordered: this band must start at {expected}",
                )
                expected = band.max + 1
            problems.check(
                expected == high + 1,
                f"{key}.bands",
                f"bands must cover the total's range {low}..{high}",
            )
        else:
            problems.check(
                instrument.threshold_bands is not None,
                f"{key}.bands",
                "give bands or threshold_bands",
            )
        if instrument.partner_threshold is not None:
            # The intake stores a per-partner threshold for AUDIT-C only (audit_c_threshold).
            problems.check(
                instrument.id == "audit_c",
                f"{key}.partner_threshold",
                "only audit_c has a per-partner threshold in the intake format",
            )
            threshold = instrument.partner_threshold
            for t_index, allowed in enumerate(threshold.allowed):
                problems.check(
                    low <= allowed <= high,
                    f"{key}.partner_threshold.allowed[{t_index}]",
                    f"threshold {allowed} is outside the total's range {low}..{high}",
                )
            problems.check(
                threshold.default in threshold.allowed,
                f"{key}.partner_threshold.default",
                "the default must be one of the allowed thresholds",
            )
        if instrument.gate is not None:
            problems.check(
                instrument.item_min == 0,
                f"{key}.item_min",
                "a gated instrument scores 0 when not exposed, so items must start at 0",
            )


def _check_activities(parsed: ActivitiesFile) -> None:
    problems = _Problems("activities.toml")
    tier_ids = [tier.id for tier in parsed.tiers]
    problems.check(
        sorted(tier_ids) == sorted(("low", "moderate", "high", "no-safe-practice")),
        "tiers",
        "label each tier exactly once: low, moderate, high, no-safe-practice",
    )
    class_ids = {spec.id for spec in parsed.classes}
    ids = [activity.id for activity in parsed.activities]
    for index, activity in enumerate(parsed.activities):
        key = f"activities[{index}]"
        problems.check(ids.count(activity.id) == 1, f"{key}.id", f"duplicate id '{activity.id}'")
        problems.check(
            activity.activity_class in class_ids,
            f"{key}.class",
            f"unknown activity class '{activity.activity_class}'",
        )
        for p_index, other in enumerate(activity.paired_with):
            other_key = f"{key}.paired_with[{p_index}]"
            problems.check(other in ids, other_key, f"unknown activity id '{other}'")
            problems.check(other != activity.id, other_key, "an activity cannot pair with itself")
            partner = parsed.activities[ids.index(other)]
            problems.check(
                activity.id in partner.paired_with,
                other_key,
                f"pairs go both ways: '{other}' must list '{activity.id}' too",
            )
        problems.check(
            bool(activity.safety_notes),
            f"{key}.safety_notes",
            "every activity needs the safety notes a plan shows when it is chosen",
        )
        if activity.tier == "no-safe-practice":
            problems.check(
                activity.never_in_plan,
                f"{key}.never_in_plan",
                "an activity with no safe practice can never be part of a plan",
            )


def _vocabulary(
    questionnaire: Questionnaire, instruments: InstrumentsFile, activities: ActivitiesFile
) -> Vocabulary:
    facts: dict[str, FactType] = {}
    for question in questionnaire.questions():
        kind = question.value_kind
        if kind is None:
            continue
        allowed = frozenset(o.value for o in question.options) if question.options else None
        facts[question.id] = FactType(kind, question.min, question.max, allowed)
    return Vocabulary(
        facts=facts,
        instruments={
            instrument.id: InstrumentInfo(
                item_count=instrument.item_count,
                item_min=instrument.item_min,
                item_max=instrument.item_max,
                has_gate=instrument.gate is not None,
            )
            for instrument in instruments.instruments
        },
        activities=tuple(
            ActivityInfo(a.id, a.tier, a.activity_class, a.physically_demanding)
            for a in activities.activities
        ),
        tiers=frozenset(tier.id for tier in activities.tiers),
        classes=frozenset(spec.id for spec in activities.classes),
    )


def _compile_rules(parsed: IndicatorsFile, vocabulary: Vocabulary) -> tuple[Rule, ...]:
    problems = _Problems("indicators.toml")
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, spec in enumerate(parsed.rules):
        key = f"rules[{index}]"
        problems.check(spec.id not in seen, f"{key}.id", f"duplicate rule id '{spec.id}'")
        seen.add(spec.id)
        _check_sources(problems, key, spec.sources)
        raw: list[tuple[str, Severity, str, RuleLevelSpec | None]]
        if spec.levels:
            raw = [
                (f"{key}.levels[{i}]", level.severity, level.condition, level)
                for i, level in enumerate(spec.levels)
            ]
        else:
            assert spec.severity is not None  # validated by RuleSpec
            assert spec.condition is not None
            raw = [(key, spec.severity, spec.condition, None)]
        levels: list[RuleLevel] = []
        for level_key, severity, text, level in raw:
            try:
                compiled = compile_condition(text, vocabulary, spec.scope)
            except ExpressionError as error:
                raise ContentError(f"indicators.toml: {level_key}.condition: {error}") from None
            levels.append(
                RuleLevel(
                    severity=severity,
                    condition=compiled,
                    title=(level.title if level and level.title else spec.title),
                    rationale=(level.rationale if level and level.rationale else spec.rationale),
                    action=(level.action if level and level.action else spec.action),
                )
            )
        severities = [level.severity for level in levels]
        problems.check(
            severities == sorted(severities, key=SEVERITY_ORDER.index)
            and len(set(severities)) == len(severities),
            f"{key}.levels",
            "levels must go from the most to the least severe, one level per severity",
        )
        rules.append(
            Rule(
                id=spec.id,
                title=spec.title,
                rationale=spec.rationale,
                action=spec.action,
                sources=spec.sources,
                scope=spec.scope,
                kind=spec.kind,
                levels=tuple(levels),
                fact_ids=frozenset().union(*(level.condition.fact_ids for level in levels)),
            )
        )
    return tuple(rules)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _check_triage(parsed: TriageFile) -> None:
    problems = _Problems("triage.toml")
    problems.check(
        set(parsed.severities) == set(SEVERITY_ORDER),
        "severities",
        "describe every severity: " + ", ".join(SEVERITY_ORDER),
    )
    ids = tuple(spec.id for spec in parsed.dispositions)
    problems.check(
        ids == DISPOSITION_ORDER,
        "dispositions",
        "list the dispositions in this order: " + ", ".join(DISPOSITION_ORDER),
    )
    for index, spec in enumerate(parsed.dispositions):
        key = f"dispositions[{index}]"
        last = index == len(parsed.dispositions) - 1
        problems.check(
            spec.otherwise == last,
            f"{key}.otherwise",
            "the last disposition, and only it, is the default (otherwise = true)",
        )
        if not last:
            problems.check(
                bool(spec.when_severity or spec.when_interest_in_tiers),
                key,
                "a disposition other than the default needs when_severity or "
                "when_interest_in_tiers",
            )
        for field_name, allowed in (
            ("reason_template", {"title", "whose", "severity"}),
            ("interest_reason_template", {"partner", "activity", "tier"}),
        ):
            unknown = _placeholders(getattr(spec, field_name)) - allowed
            problems.check(
                not unknown,
                f"{key}.{field_name}",
                f"unknown placeholder(s) {sorted(unknown)}; allowed: {sorted(allowed)}",
            )
        for severity in spec.when_severity:
            problems.check(
                severity not in parsed.medical_coordination_severities,
                f"{key}.when_severity",
                f"'{severity}' indicators set medical coordination and do not change the tier",
            )


def _check_pacing(parsed: PacingFile, rules: tuple[Rule, ...], activity_ids: set[str]) -> None:
    problems = _Problems("pacing.toml")
    rule_ids = {rule.id for rule in rules}
    ids = [template.id for template in parsed.templates]
    for index, template in enumerate(parsed.templates):
        key = f"templates[{index}]"
        problems.check(ids.count(template.id) == 1, f"{key}.id", f"duplicate id '{template.id}'")
        _check_sources(problems, key, template.sources)
        for t_index, trigger in enumerate(template.suggest_when):
            trigger_key = f"{key}.suggest_when[{t_index}]"
            for indicator in trigger.indicators:
                problems.check(
                    indicator in rule_ids,
                    f"{trigger_key}.indicators",
                    f"unknown indicator id '{indicator}'",
                )
            for activity in trigger.activities:
                problems.check(
                    activity in activity_ids,
                    f"{trigger_key}.activities",
                    f"unknown activity id '{activity}'",
                )
    problems.check(
        {spec.id for spec in parsed.plissit_levels} == {"P", "LI", "SS", "IT"},
        "plissit_levels",
        "label each PLISSIT level: P, LI, SS, IT",
    )


def _check_safety(parsed: SafetyWording, questionnaire: Questionnaire) -> None:
    problems = _Problems("safety.toml")
    unknown = _placeholders(parsed.drop_check) - {"start", "end"}
    problems.check(
        not unknown, "drop_check", f"unknown placeholder(s) {sorted(unknown)}; use start, end"
    )
    for key in ("aftercare_fact", "non_verbal_fact"):
        question = questionnaire.question(getattr(parsed, key))
        problems.check(
            question is not None and question.type == "text",
            key,
            f"'{getattr(parsed, key)}' is not a free-text question of the questionnaire",
        )
        if question is not None:
            problems.check(
                not question.always_clinician_only,
                key,
                "a clinician-only answer can never appear on the couple's plan",
            )
    for fact_id in parsed.medical_points:
        question = questionnaire.question(fact_id)
        problems.check(
            question is not None and question.type == "yes_no",
            f"medical_points.{fact_id}",
            f"'{fact_id}' is not a yes/no question of the questionnaire",
        )
        if question is not None:
            # A couple-facing plan must never quote an answer that can only be clinician-only.
            problems.check(
                not question.always_clinician_only,
                f"medical_points.{fact_id}",
                "a clinician-only answer can never appear on the couple's plan",
            )


def _load(directory: Path) -> Content:
    manifest = _read(directory, "manifest.toml", Manifest)
    instruments = _read(directory, "instruments.toml", InstrumentsFile)
    _check_instruments(instruments)
    activities = _read(directory, "activities.toml", ActivitiesFile)
    _check_activities(activities)
    questionnaire = _read(directory, "questionnaire.toml", Questionnaire)
    instrument_map = {instrument.id: instrument for instrument in instruments.instruments}
    _check_questionnaire(questionnaire, instrument_map)
    vocabulary = _vocabulary(questionnaire, instruments, activities)
    rules = _compile_rules(_read(directory, "indicators.toml", IndicatorsFile), vocabulary)
    triage = _read(directory, "triage.toml", TriageFile)
    _check_triage(triage)
    pacing = _read(directory, "pacing.toml", PacingFile)
    activity_ids = {activity.id for activity in activities.activities}
    _check_pacing(pacing, rules, activity_ids)
    safety = _read(directory, "safety.toml", SafetyWording)
    _check_safety(safety, questionnaire)
    return Content(
        version=manifest.version,
        questionnaire=questionnaire,
        instruments=instrument_map,
        activities={activity.id: activity for activity in activities.activities},
        tiers={tier.id: tier for tier in activities.tiers},
        classes={spec.id: spec for spec in activities.classes},
        rules=rules,
        triage=triage,
        pacing=pacing,
        templates={template.id: template for template in pacing.templates},
        safety=safety,
        vocabulary=vocabulary,
    )


@functools.cache
def _load_default() -> Content:
    return _load(CONTENT_DIR)


def load_content(directory: Path | None = None) -> Content:
    """Load, validate and compile the clinical content.

    Args:
        directory: a folder holding the content files; None for the shipped content, which is
            loaded once and cached for the life of the process.

    Raises:
        ContentError: a file is missing, is not valid TOML, breaks its schema, or refers to
            something another file does not define; the message names file, key and problem.
    """
    if directory is None:
        return _load_default()
    return _load(directory)
