"""Plain words for the indicators panel: evidence lines, whose an indicator is, its sources.

Everything a therapist reads here comes from the content (question labels, instrument item
texts, activity labels, response labels), never from ids: "Kim: PHQ-9 item 9 “Thoughts that
you would be better off dead…” — 1 (Several days)", not "phq9.item9 = 1".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from clinical.content import Content, Instrument, ScaleAnchor
from clinical.model import Evaluation, Evidence, EvidenceValue, Indicator
from clinical.visibility import ACTIVITY_PREFIX, evidence_answer_id

#: Who an indicator about the joint answers concerns.
THE_COUPLE = "the couple"

#: The panel's own explanations. They restate DOMAIN.md (medical coordination; kink interest is
#: never itself a risk factor: Kink Clinical Practice Guidelines 3-4, clinical-research.md §2.1
#: and §2.7); the clinical rules and their wording stay in the content files.
MEDICAL_COORDINATION_MEANING = (
    "Some answers call for a medical assessment before physically demanding play, whatever the "
    "disposition. The medical indicators below say which."
)
NO_MEDICAL_COORDINATION = "No indicator calls for a medical assessment before physical play."
NO_INDICATORS_TITLE = "No indicators"
NO_INDICATORS_MEANING = (
    "None of the answers given so far raises a referral indicator. An unanswered question "
    "cannot raise one, so this holds for what has been answered; it updates as answers come in."
)
KINK_IS_NOT_A_RISK = (
    "Interest in kink is never, by itself, a risk factor or a diagnosis (Kink Clinical Practice "
    "Guidelines 3 and 4)."
)

_SOURCE = re.compile(r"^clinical-research\.md (§[\d.]+)(?: \((.+)\))?$")


@dataclass(frozen=True, slots=True)
class EvidenceLine:
    """One evidence item as the therapist reads it, and the answer it opens.

    Attributes:
        owner: whose answer it is (partner key, or None for a joint answer).
        answer_id: the answer to show: a fact id, an instrument id or "activity.<id>".
        text: the readable line, e.g. "Kim Example: Are you ever afraid of your partner? — yes".
        private: the answer is clinician-only (asked alone); never read it out to the couple.
    """

    owner: str | None
    answer_id: str
    text: str
    private: bool = False


def whose(partner: str | None, partner_name: Callable[[str], str]) -> str:
    """The partner's name, or "the couple" for a joint indicator or answer."""
    return THE_COUPLE if partner is None else partner_name(partner)


def _yes_no(value: EvidenceValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "not answered" if value is None else str(value)


def _anchor(anchors: tuple[ScaleAnchor, ...], value: EvidenceValue) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        return _yes_no(value)
    label = next((a.label for a in anchors if a.value == value), None)
    return f"{value} ({label})" if label else str(value)


def _instrument_evidence(
    instrument: Instrument,
    part: str,
    evidence: Evidence,
    evaluation: Evaluation | None,
) -> tuple[str, str]:
    value = evidence.value
    if part == "total":
        shown = _yes_no(value)
        score = (
            evaluation.score(evidence.partner, instrument.id)
            if evaluation is not None and evidence.partner is not None
            else None
        )
        if score is not None and score.total == value and score.band_label:
            shown = f"{value} ({score.band_label.lower()})"
        return f"{instrument.title} total score", shown
    if part == "exposed" and instrument.gate is not None:
        return f"{instrument.title} “{instrument.gate.question}”", _yes_no(value)
    if part.startswith("item") and part[4:].isdigit():
        number = int(part[4:])
        item = next((i for i in instrument.items if i.number == number), None)
        if item is not None:
            anchors = item.options or instrument.anchors
            return f"{instrument.title} item {number} “{item.text}”", _anchor(anchors, value)
    return f"{instrument.title} {part}", _yes_no(value)


def _activity_evidence(content: Content, evidence: Evidence) -> tuple[str, str]:
    _, activity_id, *rest = evidence.id.split(".")
    part = rest[0] if rest else ""
    activity = content.activities.get(activity_id)
    label = activity.label if activity is not None else activity_id.replace("_", " ")
    grid = content.questionnaire.activity_grid
    value = evidence.value
    if part == "experience":
        shown = grid.experience_labels.get(value, _yes_no(value))  # type: ignore[call-overload]
        return f"{label}, experience", shown.lower()
    role = {"giving": grid.giving_label, "receiving": grid.receiving_label}.get(part, part)
    # "Giving (active or leading side)" reads as just "giving" on a one-line summary.
    role = role.split(" (", 1)[0].lower()
    shown = grid.response_labels.get(value, _yes_no(value))  # type: ignore[call-overload]
    return f"{label}, {role}", shown.lower()


def _fact_evidence(content: Content, evidence: Evidence) -> tuple[str, str]:
    question = content.questionnaire.question(evidence.id)
    value = evidence.value
    if question is None:
        # Unknown to this content (an older intake): still readable, never an error.
        return evidence.id.split(".")[-1].replace("_", " ").capitalize(), _yes_no(value)
    if question.type == "scale":
        return question.label, _anchor(question.anchors, value)
    if question.type == "choice":
        label = next((o.label for o in question.options if o.value == value), None)
        return question.label, label or _yes_no(value)
    if question.type == "text" and isinstance(value, str):
        return question.label, f"“{value}”"
    return question.label, _yes_no(value)


def describe_evidence(
    evidence: Evidence,
    content: Content,
    partner_name: Callable[[str], str],
    evaluation: Evaluation | None = None,
    is_private: Callable[[str | None, str], bool] | None = None,
) -> EvidenceLine:
    """The readable line for one evidence item, and the answer it comes from.

    Args:
        partner_name: a partner's display name from its key.
        evaluation: used to name an instrument total's band; optional.
        is_private: whether an answer (owner, answer id) is clinician-only; optional.
    """
    if evidence.id.startswith(ACTIVITY_PREFIX):
        label, shown = _activity_evidence(content, evidence)
    else:
        head, _, part = evidence.id.partition(".")
        instrument = content.instruments.get(head)
        if instrument is not None:
            label, shown = _instrument_evidence(instrument, part, evidence, evaluation)
        else:
            label, shown = _fact_evidence(content, evidence)
    who = whose(evidence.partner, partner_name)
    answer_id = evidence_answer_id(evidence, content)
    private = bool(is_private and is_private(evidence.partner, answer_id))
    return EvidenceLine(
        owner=evidence.partner,
        answer_id=answer_id,
        text=f"{who[:1].upper()}{who[1:]}: {label} — {shown}",
        private=private,
    )


def describe_source(source: str) -> str:
    """A content source reference in plain words, under a "Sources" heading that names them.

    "clinical-research.md §2.5 (breath play: Wiseman)" -> "§2.5 — breath play: Wiseman". The
    file name means nothing to a therapist; the section of the research notes and the note do.
    """
    match = _SOURCE.match(source)
    if match is None:
        return source
    section, note = match.groups()
    return section + (f" — {note}" if note else "")


#: The heading above an indicator's sources.
SOURCES_HEADING = "Sources (Parley's clinical research notes)"


def name_partners(text: str, partner_name: Callable[[str], str], keys: tuple[str, ...]) -> str:
    """Replace "partner A" in a disposition reason with the partner's name.

    The triage content words its reasons with partner keys ("History of abuse (partner A)");
    on screen the name is what the therapist knows the person by.
    """
    if not keys:
        return text
    pattern = re.compile(r"\b[Pp]artner (" + "|".join(re.escape(k) for k in keys) + r")\b")
    return pattern.sub(lambda m: partner_name(m.group(1)), text)


def indicator_heading(indicator: Indicator, partner_name: Callable[[str], str]) -> str:
    """ "<title> — <whose>", the indicator's one-line name in lists."""
    return f"{indicator.title} — {whose(indicator.partner, partner_name)}"
