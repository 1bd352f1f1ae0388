"""Referral indicators: the compiled rules of indicators.toml run over an intake."""

from __future__ import annotations

from collections.abc import Mapping

from clinical.content import Content, Rule
from clinical.expressions import Context, Subject
from clinical.model import SEVERITY_ORDER, Indicator, InstrumentScore, Intake, PartnerIntake


def partner_subject(partner: PartnerIntake, scores: tuple[InstrumentScore, ...]) -> Subject:
    """The view of one partner's answers that conditions read."""
    return Subject(
        partner=partner.key,
        facts=partner.facts,
        instruments=partner.instruments,
        totals={score.instrument: score.total for score in scores},
        thresholds={score.instrument: score.threshold for score in scores},
        activities=partner.activities,
    )


_NOBODY = Subject(partner=None, facts={})


def _fire(rule: Rule, context: Context, content: Content) -> Indicator | None:
    for level in rule.levels:  # ordered: the first level that holds wins
        value, evidence = level.condition(context)
        if value is True:
            severity = content.triage.severities[level.severity]
            return Indicator(
                id=rule.id,
                severity=level.severity,
                title=level.title,
                rationale=level.rationale,
                action=level.action,
                sources=rule.sources,
                partner=context.subject.partner,
                evidence=evidence,
                requires_individual_follow_up=severity.requires_individual_follow_up,
                blocks_couple_plan=severity.blocks_couple_plan,
            )
    return None


def fire_indicators(
    content: Content, intake: Intake, subjects: tuple[Subject, ...]
) -> tuple[Indicator, ...]:
    """Run every rule and return the indicators that fired, most severe first.

    Partner rules run once per partner and, when some of the facts they read were answered
    jointly, once more on the joint facts (partner None). A condition that also needs
    instrument or activity answers is unknown there and so cannot fire on the joint facts
    alone. Joint rules run once over all partners.
    """
    joint = Subject(partner=None, facts=intake.joint_facts) if intake.joint_facts else None
    fired: list[tuple[int, int, Indicator]] = []
    for rule_index, rule in enumerate(content.rules):
        contexts: list[tuple[int, Context]] = []
        if rule.scope == "joint":
            contexts.append((len(subjects), Context(_NOBODY, subjects)))
        else:
            contexts.extend((i, Context(s, subjects)) for i, s in enumerate(subjects))
            if joint is not None and not rule.fact_ids.isdisjoint(intake.joint_facts):
                contexts.append((len(subjects), Context(joint, subjects)))
        for order, context in contexts:
            indicator = _fire(rule, context, content)
            if indicator is not None:
                fired.append((rule_index, order, indicator))
    fired.sort(key=lambda entry: (SEVERITY_ORDER.index(entry[2].severity), entry[0], entry[1]))
    return tuple(indicator for _, _, indicator in fired)


def subjects_for(
    intake: Intake, scores: Mapping[str, tuple[InstrumentScore, ...]]
) -> tuple[Subject, ...]:
    """One Subject per partner, in intake order."""
    return tuple(partner_subject(p, scores[p.key]) for p in intake.partners)
