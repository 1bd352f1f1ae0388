"""Readable words for ids and values: evidence, answers, partners, severities, dates.

The words come from the clinical content (question labels, instrument items and anchors,
activity labels), so the documents say what the intake form said. Nothing here decides
what a document may show; the builders do.
"""

from __future__ import annotations

import datetime as dt

from clinical.content import Content, Instrument
from clinical.model import (
    CaseSnapshot,
    Evidence,
    EvidenceValue,
    InstrumentScore,
    PartnerInfo,
    Severity,
)

SEVERITY_WORDS: dict[Severity, str] = {
    "critical": "Critical",
    "essential": "Essential",
    "recommended": "Recommended",
    "medical": "Medical",
}

ROLE_WORDS = {"giving": "giving", "receiving": "receiving"}


def partner_name(snapshot: CaseSnapshot, key: str | None) -> str:
    """The display name of a partner ("Kim Example"), "the couple" for joint, the key if unknown."""
    if key is None:
        return "the couple (answered together)"
    for partner in snapshot.partners:
        if partner.key == key:
            return partner.name or f"Partner {key}"
    for partner_intake in snapshot.intake.partners:
        if partner_intake.key == key:
            return partner_intake.name or f"Partner {key}"
    return f"Partner {key}"


def partner_with_key(snapshot: CaseSnapshot, key: str | None) -> str:
    """A partner's name with the key used in evidence: "Kim Example (A)"."""
    if key is None:
        return partner_name(snapshot, None)
    return f"{partner_name(snapshot, key)} ({key})"


def partners_of(snapshot: CaseSnapshot) -> tuple[PartnerInfo, ...]:
    """The snapshot's partners, or ones made from the intake when the snapshot has none."""
    if snapshot.partners:
        return snapshot.partners
    return tuple(PartnerInfo(key=p.key, name=p.name) for p in snapshot.intake.partners)


def format_day(day: dt.date | None, *, missing: str = "not recorded") -> str:
    """A date as people read it ("4 March 2025")."""
    if day is None:
        return missing
    return f"{day.day} {day.strftime('%B')} {day.year}"


def snapshot_day(snapshot: CaseSnapshot) -> dt.date:
    """The document date: the moment the snapshot was taken, so a rebuild prints the same."""
    return snapshot.taken_at.date()


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _instrument_value(instrument: Instrument, number: int, value: EvidenceValue) -> str:
    if not isinstance(value, int) or isinstance(value, bool):
        return str(value)
    item = next((i for i in instrument.items if i.number == number), None)
    options = (item.options if item is not None and item.options else ()) or instrument.anchors
    for option in options:
        if option.value == value:
            return f"{option.label} ({value})"
    return str(value)


def describe_value(content: Content, answer_id: str, value: EvidenceValue) -> str:
    """A fact's value in the form's words: "Yes", "Fairly easily (3)", an option label."""
    if value is None:
        return "not answered"
    question = content.questionnaire.question(answer_id)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if question is not None and question.type == "scale" and isinstance(value, int):
        for anchor in question.anchors:
            if anchor.value == value:
                return f"{anchor.label} ({value})"
        return f"{value} on {question.min} to {question.max}"
    if question is not None and question.type == "choice":
        for option in question.options:
            if option.value == value:
                return option.label
    return str(value)


def question_label(content: Content, answer_id: str) -> str:
    """The question as the form asked it, or the id when the content does not know it."""
    question = content.questionnaire.question(answer_id)
    return " ".join(question.label.split()) if question is not None else answer_id


def activity_words(content: Content, activity_id: str) -> str:
    """The catalogue label of an activity ("Light impact play")."""
    activity = content.activities.get(activity_id)
    return activity.label if activity is not None else activity_id.replace("_", " ")


def activity_class_words(content: Content, activity_id: str) -> str:
    """The activity's class ("Impact play"), for readers who need no more detail."""
    activity = content.activities.get(activity_id)
    if activity is None:
        return "an activity"
    spec = content.classes.get(activity.activity_class)
    return spec.label if spec is not None else activity.activity_class


def describe_evidence(
    content: Content,
    evidence: Evidence,
    *,
    activity_detail: str = "label",
) -> str:
    """One evidence item in readable words, without the partner.

    Args:
        content: the clinical content the intake was evaluated with.
        evidence: the answer behind an indicator.
        activity_detail: "label" names the activity, "class" only its kind (for readers who
            need the physical demand, not the practice), "none" hides activity answers.

    Returns:
        e.g. 'PHQ-9 item 9, "Thoughts that you ...": Several days (1)', 'Do you take blood
        thinners (anticoagulants)? Yes', 'Heavy impact play, receiving: Yes'.
    """
    parts = evidence.id.split(".")
    if parts[0] == "activity" and len(parts) == 3:
        activity_id, aspect = parts[1], parts[2]
        if activity_detail == "none":
            return "An activity answer"
        name = (
            activity_words(content, activity_id)
            if activity_detail == "label"
            else activity_class_words(content, activity_id)
        )
        grid = content.questionnaire.activity_grid
        if aspect == "experience":
            label = grid.experience_labels.get(str(evidence.value), str(evidence.value))  # type: ignore[call-overload]
            return f"{name}, experience: {label}"
        response = grid.response_labels.get(str(evidence.value), str(evidence.value))  # type: ignore[call-overload]
        return f"{name}, {ROLE_WORDS.get(aspect, aspect)}: {response}"
    instrument = content.instruments.get(parts[0])
    if instrument is not None and len(parts) == 2:
        tail = parts[1]
        if tail == "total":
            return f"{instrument.title} total score: {evidence.value}"
        if tail == "exposed":
            gate = instrument.gate
            question = gate.question if gate is not None else "Trauma exposure"
            answer = _bool_word(evidence.value)
            return f"{instrument.title} exposure, \u201c{question}\u201d: {answer}"
        if tail.startswith("item") and tail[4:].isdigit():
            number = int(tail[4:])
            item = next((i for i in instrument.items if i.number == number), None)
            text = f", \u201c{' '.join(item.text.split())}\u201d" if item is not None else ""
            value = _instrument_value(instrument, number, evidence.value)
            return f"{instrument.title} item {number}{text}: {value}"
    value_words = describe_value(content, evidence.id, evidence.value)
    return f"{question_label(content, evidence.id)} {value_words}"


def _bool_word(value: EvidenceValue) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def instrument_title(content: Content, instrument_id: str) -> str:
    """The short published name of an instrument ("PHQ-9")."""
    instrument = content.instruments.get(instrument_id)
    return instrument.title if instrument is not None else instrument_id


def describe_score(content: Content, score: InstrumentScore) -> tuple[str, str, str]:
    """(score, band, cut-off) cells for a scores table."""
    instrument = content.instruments.get(score.instrument)
    if score.total is None:
        total = f"incomplete ({score.answered} of {score.item_count} items)"
    elif instrument is not None:
        total = f"{score.total} of {instrument.total_range[1]}"
    else:
        total = str(score.total)
    band = score.band_label or score.band or "not scored"
    if score.threshold is None:
        cutoff = ""
    else:
        state = "" if score.positive is None else (" (met)" if score.positive else " (not met)")
        cutoff = f"{score.threshold} or more{state}"
    return total, band, cutoff
