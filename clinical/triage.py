"""Disposition and medical coordination: DOMAIN.md's tier table, as written in triage.toml."""

from __future__ import annotations

from clinical.content import Content
from clinical.expressions import INTERESTED
from clinical.model import Disposition, Indicator, Intake


def _whose(indicator: Indicator) -> str:
    return "the couple" if indicator.partner is None else f"partner {indicator.partner}"


def decide_disposition(
    content: Content, intake: Intake, indicators: tuple[Indicator, ...]
) -> tuple[Disposition, tuple[str, ...]]:
    """The first disposition of the table whose condition holds, and the reasons for it.

    A disposition holds when an indicator of one of its severities fired, or when a partner
    answered yes or maybe (either role) to an activity of one of its tiers. The reasons name
    those indicators and interests in plain words.
    """
    for spec in content.triage.dispositions:
        if spec.otherwise:
            return spec.id, (spec.otherwise_reason.strip(),)
        reasons: list[str] = []
        for indicator in indicators:
            if indicator.severity in spec.when_severity:
                reasons.append(
                    spec.reason_template.format(
                        title=indicator.title,
                        whose=_whose(indicator),
                        severity=content.triage.severities[indicator.severity].label.lower(),
                    )
                )
        if spec.when_interest_in_tiers:
            for partner in intake.partners:
                for activity_id, answer in partner.activities.items():
                    activity = content.activities.get(activity_id)
                    if activity is None or activity.tier not in spec.when_interest_in_tiers:
                        continue
                    if answer.giving in INTERESTED or answer.receiving in INTERESTED:
                        reasons.append(
                            spec.interest_reason_template.format(
                                partner=partner.key,
                                activity=activity.label,
                                tier=content.tiers[activity.tier].label.lower(),
                            )
                        )
        if reasons:
            return spec.id, tuple(reasons)
    raise AssertionError("triage.toml always ends with a default disposition")  # validated


def needs_medical_coordination(content: Content, indicators: tuple[Indicator, ...]) -> bool:
    """True iff an indicator of a medical-coordination severity fired."""
    severities = content.triage.medical_coordination_severities
    return any(indicator.severity in severities for indicator in indicators)
