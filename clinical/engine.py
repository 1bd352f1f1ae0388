"""The clinical engine's entry point: `evaluate(intake) -> Evaluation`, and its JSON form."""

from __future__ import annotations

from typing import Any

from clinical.content import Content, load_content
from clinical.indicators import fire_indicators, subjects_for
from clinical.model import Evaluation, Intake
from clinical.negotiation import compare_activities
from clinical.pacing import suggest_templates
from clinical.scoring import score_partner
from clinical.triage import decide_disposition, needs_medical_coordination


def evaluate(intake: Intake, content: Content | None = None) -> Evaluation:
    """Evaluate a whole intake: scores, indicators, disposition, negotiation and pacing.

    Args:
        intake: the answers of two or more partners (and any joint answers).
        content: the clinical content to apply; None for the shipped content (cached).

    Returns:
        The evaluation. It never raises on a well-typed intake: an unanswered question is
        "not asked", which never fires an indicator by itself.
    """
    content = content or load_content()
    scores = {partner.key: score_partner(content, partner) for partner in intake.partners}
    indicators = fire_indicators(content, intake, subjects_for(intake, scores))
    disposition, reasons = decide_disposition(content, intake, indicators)
    return Evaluation(
        content_version=content.version,
        disposition=disposition,
        disposition_reasons=reasons,
        medical_coordination=needs_medical_coordination(content, indicators),
        indicators=indicators,
        scores=tuple(score for partner in intake.partners for score in scores[partner.key]),
        negotiation=compare_activities(content, intake),
        pacing_suggestions=suggest_templates(content, intake, indicators, disposition),
    )


def evaluation_to_json(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as plain JSON data, with exactly the keys of `parley evaluate --json`.

    Keys: disposition, medical_coordination, indicators (id, severity, partner, title,
    evidence [partner, id, value]), scores, negotiation, pacing_suggestions.
    """
    return {
        "disposition": evaluation.disposition,
        "medical_coordination": evaluation.medical_coordination,
        "indicators": [
            {
                "id": indicator.id,
                "severity": indicator.severity,
                "partner": indicator.partner,
                "title": indicator.title,
                "evidence": [
                    {"partner": item.partner, "id": item.id, "value": item.value}
                    for item in indicator.evidence
                ],
            }
            for indicator in evaluation.indicators
        ],
        "scores": [
            {
                "partner": score.partner,
                "instrument": score.instrument,
                "total": score.total,
                "band": score.band,
                "positive": score.positive,
                "threshold": score.threshold,
            }
            for score in evaluation.scores
        ],
        "negotiation": [
            {
                "activity": cell.activity,
                "giver": cell.giver,
                "receiver": cell.receiver,
                "giver_answer": cell.giver_answer,
                "receiver_answer": cell.receiver_answer,
                "status": cell.status,
            }
            for cell in evaluation.negotiation
        ],
        "pacing_suggestions": [
            {
                "template_id": suggestion.template_id,
                "title": suggestion.title,
                "rank": suggestion.rank,
                "reasons": list(suggestion.reasons),
            }
            for suggestion in evaluation.pacing_suggestions
        ],
    }
