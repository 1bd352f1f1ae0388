"""Small trend charts of measures over time, drawn with reportlab.graphics (no Qt, no database).

`measures_chart` draws one partner's series of one instrument: the scores by date, joined by a
line, with the band thresholds as labelled dashed lines (the same lines the app draws, from
`clinical.measures_trend.band_lines`). `summary_measures_chart` is the consultation summary's
hook (`reports.flowables.MeasuresChart`): every series of two or more points, two charts a row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib.colors import Color, white
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from clinical.content import Instrument, load_content
from clinical.measures_trend import BandLine, band_lines, series_by_partner_and_instrument
from clinical.model import MeasurePoint
from reports.fonts import BOLD, REGULAR, register_bundled_fonts
from reports.styles import ACCENT, INK, MUTED, RULE

#: Space around the plot, in points: left for the score axis, bottom for the dates.
_LEFT, _RIGHT, _TOP, _BOTTOM = 20.0, 8.0, 18.0, 16.0
_SMALL = 6.5


def _day_label(day: dt.date) -> str:
    return f"{day.day} {day:%b} {day.year}"


def measures_chart(
    points: Sequence[MeasurePoint],
    instrument: Instrument,
    bands: Sequence[BandLine],
    *,
    width: float = 240.0,
    height: float = 130.0,
    title: str = "",
) -> Drawing:
    """One series as a small line chart.

    Args:
        points: the series (one partner, one instrument), in any order.
        instrument: its instrument, for the score range and the title.
        bands: the band thresholds to draw (`clinical.measures_trend.band_lines`).
        width, height: the drawing's size in points.
        title: the heading above the plot; the instrument's title when empty.
    """
    register_bundled_fonts()
    series = sorted(points, key=lambda p: (p.taken_on, not p.at_intake))
    drawing = Drawing(width, height)
    low, high = instrument.total_range
    plot_w = width - _LEFT - _RIGHT
    plot_h = height - _TOP - _BOTTOM
    drawing.add(
        String(0, height - 10, title or instrument.title, fontName=BOLD, fontSize=8, fillColor=INK)
    )
    drawing.add(Rect(_LEFT, _BOTTOM, plot_w, plot_h, strokeColor=RULE, fillColor=None))

    def y_of(score: float) -> float:
        return _BOTTOM + (score - low) / max(high - low, 1) * plot_h

    labels = [(band, band.short_label) for band in bands]
    # The points keep clear of the band labels along the right edge.
    inset = max((stringWidth(text, REGULAR, _SMALL - 0.5) for _, text in labels), default=0.0)
    inset = min(inset + 10, plot_w / 2)
    first = series[0].taken_on if series else dt.date.today()
    last = series[-1].taken_on if series else first
    span = max((last - first).days, 1)

    def x_of(index: int, day: dt.date) -> float:
        if first == last:
            # Same day (the intake and a re-administration): spread them evenly.
            return _LEFT + (plot_w - inset) * (index + 1) / (len(series) + 1)
        return _LEFT + 8 + (day - first).days / span * (plot_w - 8 - inset)

    ticks = sorted({low, high, *(band.value for band in bands)})
    for value in ticks:
        drawing.add(
            String(
                _LEFT - 3,
                y_of(value) - 2,
                str(value),
                fontName=REGULAR,
                fontSize=_SMALL,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    for band, text in labels:
        y = y_of(band.value)
        drawing.add(
            Line(
                _LEFT,
                y,
                _LEFT + plot_w,
                y,
                strokeColor=MUTED,
                strokeWidth=0.5,
                strokeDashArray=[2, 2],
            )
        )
        # Right-aligned on a white ground, so the dashed line never strikes through it.
        label_w = stringWidth(text, REGULAR, _SMALL - 0.5)
        right = _LEFT + plot_w - 2
        drawing.add(
            Rect(
                right - label_w - 1, y + 0.8, label_w + 2, _SMALL, strokeColor=None, fillColor=white
            )
        )
        drawing.add(
            String(
                right,
                y + 1.8,
                text,
                fontName=REGULAR,
                fontSize=_SMALL - 0.5,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    coordinates = [(x_of(i, p.taken_on), y_of(p.total)) for i, p in enumerate(series)]
    if len(coordinates) > 1:
        flat = [value for pair in coordinates for value in pair]
        drawing.add(PolyLine(flat, strokeColor=ACCENT, strokeWidth=1.2))
    for point, (x, y) in zip(series, coordinates, strict=True):
        fill: Color = white if point.at_intake else ACCENT
        drawing.add(Circle(x, y, 2.4, strokeColor=ACCENT, strokeWidth=1, fillColor=fill))
        drawing.add(
            String(
                x,
                y + 4,
                str(point.total),
                fontName=BOLD,
                fontSize=_SMALL,
                fillColor=INK,
                textAnchor="middle",
            )
        )
    if series:
        first_x = coordinates[0][0]
        drawing.add(
            String(
                first_x - 4,
                4,
                _day_label(first),
                fontName=REGULAR,
                fontSize=_SMALL,
                fillColor=MUTED,
            )
        )
        if last != first:
            # Under the last point, so the dates read as the ends of the line.
            drawing.add(
                String(
                    coordinates[-1][0] + 4,
                    4,
                    _day_label(last),
                    fontName=REGULAR,
                    fontSize=_SMALL,
                    fillColor=MUTED,
                    textAnchor="end",
                )
            )
        if series[0].at_intake:
            drawing.add(
                String(
                    _LEFT + plot_w,
                    height - 10,
                    "○ intake   ● later",
                    fontName=REGULAR,
                    fontSize=_SMALL,
                    fillColor=MUTED,
                    textAnchor="end",
                )
            )
    return drawing


def summary_measures_chart(points: tuple[MeasurePoint, ...], width: float) -> Flowable | None:
    """The consultation summary's measures chart: every series of two or more points.

    Conforms to `reports.flowables.MeasuresChart`; pass it as `measures_chart=` to
    `reports.summary.render_summary`. None when no series has two points to join.
    """
    content = load_content()
    cells: list[Drawing] = []
    for (partner, instrument_id), series in series_by_partner_and_instrument(points).items():
        instrument = content.instruments.get(instrument_id)
        if instrument is None or len(series) < 2:
            continue
        threshold = next((p.threshold for p in series if p.threshold is not None), None)
        cells.append(
            measures_chart(
                series,
                instrument,
                band_lines(instrument, threshold),
                width=width / 2 - 6,
                height=128,
                title=f"Partner {partner} · {instrument.title}",
            )
        )
    if not cells:
        return None
    rows = [cells[index : index + 2] for index in range(0, len(cells), 2)]
    if len(rows[-1]) == 1:
        rows[-1].append(Drawing(width / 2 - 6, 1))
    table = Table(rows, colWidths=[width / 2] * 2, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table
