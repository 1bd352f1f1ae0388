"""Measures over time: scoring a re-administration, band lines for charts, series per partner.

Pure Python: the app's trend chart (QPainter) and the consultation summary's chart (reportlab)
both draw from these values, so the two can never disagree about where a band begins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clinical.content import Content, Instrument
from clinical.model import InstrumentAnswer, InstrumentScore, MeasurePoint, PartnerIntake
from clinical.scoring import score_instrument

#: The instruments that can be re-administered at later sessions.
REPEATABLE_INSTRUMENTS: tuple[str, ...] = ("phq9", "gad7", "pc_ptsd5", "audit_c")


@dataclass(frozen=True, slots=True)
class BandLine:
    """A horizontal line on a trend chart: where a band (or the positive screen) begins."""

    value: int
    label: str

    @property
    def short_label(self) -> str:
        """The label up to its first colon ("Screen positive"), for the side of a chart."""
        return self.label.split(":", 1)[0].strip()


def band_lines(instrument: Instrument, threshold: int | None = None) -> tuple[BandLine, ...]:
    """The lower edges of an instrument's bands above its lowest one, lowest first.

    Instruments banded relative to a cut-off (AUDIT-C) get one line at `threshold` (the
    partner's own cut-off; the instrument's default when None).
    """
    if instrument.threshold_bands is not None:
        cut = instrument.cutoff if threshold is None else threshold
        return (BandLine(cut, instrument.threshold_bands.at_or_above.label),)
    low, _ = instrument.total_range
    return tuple(BandLine(band.min, band.label) for band in instrument.bands if band.min > low)


def score_administration(
    content: Content,
    instrument_id: str,
    answer: InstrumentAnswer,
    audit_c_threshold: int = 3,
) -> InstrumentScore:
    """Score one re-administration exactly as the intake's own answer would be scored.

    Raises:
        KeyError: the content has no such instrument.
    """
    instrument = content.instruments[instrument_id]
    partner = PartnerIntake(
        key="-",
        name="",
        audit_c_threshold=audit_c_threshold,
        instruments={instrument_id: answer},
    )
    return score_instrument(instrument, partner)


def series_by_partner_and_instrument(
    points: Iterable[MeasurePoint],
) -> dict[tuple[str, str], tuple[MeasurePoint, ...]]:
    """Points grouped by (partner key, instrument id), each series oldest first.

    The intake's own point sorts before a re-administration on the same day.
    """
    grouped: dict[tuple[str, str], list[MeasurePoint]] = {}
    for point in points:
        grouped.setdefault((point.partner, point.instrument), []).append(point)
    return {
        key: tuple(sorted(series, key=lambda p: (p.taken_on, not p.at_intake)))
        for key, series in sorted(grouped.items())
    }
