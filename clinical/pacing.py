"""Pacing plans: template suggestions ranked from the evaluation, and editable copies."""

from __future__ import annotations

from clinical.content import Content, Template, load_content
from clinical.errors import UnknownTemplateError
from clinical.expressions import INTERESTED
from clinical.model import (
    Disposition,
    Indicator,
    Intake,
    PacingPlan,
    PacingStage,
    PacingSuggestion,
)


def _interested_activities(intake: Intake) -> set[str]:
    return {
        activity_id
        for partner in intake.partners
        for activity_id, answer in partner.activities.items()
        if answer.giving in INTERESTED or answer.receiving in INTERESTED
    }


def suggest_templates(
    content: Content,
    intake: Intake,
    indicators: tuple[Indicator, ...],
    disposition: Disposition,
) -> tuple[PacingSuggestion, ...]:
    """Templates whose triggers hold, best first, each with the reasons that suggested it.

    The score of a template is the sum of the weights of its triggers that hold; ties keep the
    content's order. Templates with no trigger holding are not suggested.
    """
    fired = {indicator.id for indicator in indicators}
    interests = _interested_activities(intake)
    scored: list[tuple[int, int, Template, list[str], list[str]]] = []
    for order, template in enumerate(content.templates.values()):
        score = 0
        reasons: list[str] = []
        indicator_ids: list[str] = []
        for trigger in template.suggest_when:
            matched_indicators = [i for i in trigger.indicators if i in fired]
            holds = (
                bool(matched_indicators)
                or trigger.disposition == disposition
                or any(activity in interests for activity in trigger.activities)
                or trigger.always
            )
            if holds:
                score += trigger.weight
                reasons.append(" ".join(trigger.reason.split()))
                indicator_ids.extend(i for i in matched_indicators if i not in indicator_ids)
        if score:
            scored.append((-score, order, template, reasons, indicator_ids))
    scored.sort(key=lambda entry: (entry[0], entry[1]))
    return tuple(
        PacingSuggestion(
            template_id=template.id,
            title=template.title,
            rank=rank,
            reasons=tuple(reasons),
            indicator_ids=tuple(indicator_ids),
        )
        for rank, (_, _, template, reasons, indicator_ids) in enumerate(scored, start=1)
    )


def plan_from_template(template_id: str, content: Content | None = None) -> PacingPlan:
    """A fresh copy of a template for a case to edit, at its first stage.

    Every plan carries the exclusions common to all templates (breath play, unmonitored or
    self-bondage, play while intoxicated) plus the template's own.

    Raises:
        UnknownTemplateError: the content defines no template with this id.
    """
    content = content or load_content()
    template = content.templates.get(template_id)
    if template is None:
        raise UnknownTemplateError(f"unknown pacing template '{template_id}'")
    label = content.pacing.plissit_label(template.plissit_level)
    return PacingPlan(
        template_id=template.id,
        title=template.title,
        plissit_level=f"{label} ({template.plissit_level})",
        stages=tuple(
            PacingStage(
                title=stage.title,
                typical_length=stage.typical_length,
                homework=stage.homework,
                check_ins=stage.check_ins,
                advance_criteria=stage.advance_criteria,
                stop_criteria=stage.stop_criteria,
            )
            for stage in template.stages
        ),
        current_stage=0,
        exclusions=tuple(dict.fromkeys((*content.pacing.exclusions, *template.exclusions))),
    )
