"""Who may see an answer: every answer has an owner (a partner, or joint) and a visibility.

Rules, in order:
1. Instrument answers and scores are never couple-facing.
2. Always-clinician-only questions (partner safety, suicide, substances) stay clinician-only,
   whatever is chosen.
3. Otherwise an explicit choice (PartnerIntake.visibility, or Intake.joint_visibility for joint
   answers) wins.
4. Otherwise the case's policy decides: under `no-secrets` everything is joint; under
   `limited-secrets` what was asked with the partner alone is clinician-only, the rest joint.
Anything the content does not know is clinician-only: unknown means private.
"""

from __future__ import annotations

from clinical.content import Content, load_content
from clinical.model import Evidence, FactValue, Intake, Visibility

ACTIVITY_PREFIX = "activity."


def _explicit(intake: Intake, owner: str | None, answer_id: str) -> Visibility | None:
    if owner is None:
        return intake.joint_visibility.get(answer_id)
    try:
        return intake.partner(owner).visibility.get(answer_id)
    except KeyError:
        return None


def answer_visibility(
    intake: Intake, owner: str | None, answer_id: str, content: Content | None = None
) -> Visibility:
    """The visibility of one answer.

    Args:
        owner: the partner key, or None for a joint answer.
        answer_id: a fact id, an instrument id, or "activity.<activity id>".
    """
    content = content or load_content()
    if answer_id in content.instruments:
        return "clinician-only"
    if answer_id.startswith(ACTIVITY_PREFIX):
        if answer_id.removeprefix(ACTIVITY_PREFIX) not in content.activities:
            return "clinician-only"
        asked_alone = content.questionnaire.activity_grid.asked_alone
        always_private = False
    else:
        question = content.questionnaire.question(answer_id)
        if question is None:
            return "clinician-only"
        asked_alone = question.asked_alone
        always_private = question.always_clinician_only
    if always_private:
        return "clinician-only"
    explicit = _explicit(intake, owner, answer_id)
    if explicit is not None:
        return explicit
    if intake.confidentiality_policy == "no-secrets":
        return "joint"
    return "clinician-only" if asked_alone else "joint"


def is_couple_visible(
    intake: Intake, owner: str | None, answer_id: str, content: Content | None = None
) -> bool:
    """True when the answer may appear in anything printed for the couple."""
    return answer_visibility(intake, owner, answer_id, content) == "joint"


def evidence_answer_id(evidence: Evidence, content: Content | None = None) -> str:
    """The answer an evidence item quotes: "phq9.item9" -> "phq9", "activity.gag.giving" ->
    "activity.gag", a fact id -> itself."""
    content = content or load_content()
    if evidence.id.startswith(ACTIVITY_PREFIX):
        return ".".join(evidence.id.split(".")[:2])
    head = evidence.id.split(".", 1)[0]
    if head in content.instruments:
        return head
    return evidence.id


def is_evidence_couple_visible(
    intake: Intake, evidence: Evidence, content: Content | None = None
) -> bool:
    """True when an indicator's evidence item names only a couple-visible answer."""
    answer_id = evidence_answer_id(evidence, content)
    return is_couple_visible(intake, evidence.partner, answer_id, content)


def couple_visible_facts(
    intake: Intake, owner: str | None, content: Content | None = None
) -> dict[str, FactValue]:
    """The facts of one owner (a partner key, or None for joint) the couple may see."""
    facts = intake.joint_facts if owner is None else intake.partner(owner).facts
    return {
        fact_id: value
        for fact_id, value in facts.items()
        if is_couple_visible(intake, owner, fact_id, content)
    }
