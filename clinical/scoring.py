"""Instrument scoring: totals, published bands and cut-offs per partner."""

from __future__ import annotations

from clinical.content import Content, Instrument
from clinical.model import InstrumentAnswer, InstrumentScore, PartnerIntake, PtsdScreenAnswer


def partner_threshold(instrument: Instrument, partner: PartnerIntake) -> int:
    """The cut-off that applies to this partner.

    Instruments with a per-partner threshold (AUDIT-C) read it from the partner's
    `audit_c_threshold`; a value the content does not allow falls back to the content's default
    (3, the more sensitive one). Other instruments use their published cut-off.
    """
    choice = instrument.partner_threshold
    if choice is None:
        return instrument.cutoff
    if partner.audit_c_threshold in choice.allowed:
        return partner.audit_c_threshold
    return choice.default


def _item_scores(instrument: Instrument, answer: InstrumentAnswer | None) -> list[int | None]:
    """Item scores in order; None where unanswered or out of range (never guessed)."""
    count = instrument.item_count
    if answer is None:
        return [None] * count
    if isinstance(answer, PtsdScreenAnswer):
        if answer.exposed is None:
            return [None] * count
        if not answer.exposed:
            return [0] * count  # no to the exposure gate scores 0 and the screen stops
        raw: tuple[int | None, ...] = answer.items
    else:
        raw = answer
    scores: list[int | None] = []
    for index in range(count):
        value = raw[index] if index < len(raw) else None
        valid = (
            isinstance(value, int)
            and not isinstance(value, bool)
            and instrument.item_min <= value <= instrument.item_max
        )
        scores.append(value if valid else None)
    return scores


def score_instrument(instrument: Instrument, partner: PartnerIntake) -> InstrumentScore:
    """Score one instrument for one partner; incomplete answers give no total and no band."""
    items = _item_scores(instrument, partner.instruments.get(instrument.id))
    answered = sum(value is not None for value in items)
    threshold = partner_threshold(instrument, partner)
    if answered < instrument.item_count:
        return InstrumentScore(
            instrument=instrument.id,
            partner=partner.key,
            total=None,
            band=None,
            band_label=None,
            positive=None,
            threshold=threshold,
            answered=answered,
            item_count=instrument.item_count,
        )
    total = sum(value for value in items if value is not None)
    band = instrument.band_for(total, threshold)
    return InstrumentScore(
        instrument=instrument.id,
        partner=partner.key,
        total=total,
        band=band.id,
        band_label=band.label,
        positive=total >= threshold,
        threshold=threshold,
        answered=answered,
        item_count=instrument.item_count,
    )


def score_partner(content: Content, partner: PartnerIntake) -> tuple[InstrumentScore, ...]:
    """Every instrument of the content, scored for one partner, in content order."""
    return tuple(
        score_instrument(instrument, partner) for instrument in content.instruments.values()
    )
