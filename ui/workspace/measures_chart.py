"""A trend chart of one partner's scores on one instrument, painted with QPainter.

Scores by date, joined by a line; the intake's own score is a hollow dot, later ones solid; the
band thresholds are dashed lines labelled on the right (the same lines as the summary's chart,
from `clinical.measures_trend.band_lines`). Colours come from the palette, so it reads in the
light and the dark theme; text uses the widget's font, so it scales with the system's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from clinical.measures_trend import BandLine
from clinical.model import MeasurePoint
from ui.workspace.notes_models import format_day


class TrendChart(QWidget):
    """Paints one series; `set_series` replaces it.

    Attributes:
        points: the series, oldest first.
        bands: the band thresholds drawn as dashed lines.
        score_range: the instrument's lowest and highest total.
    """

    def __init__(self) -> None:
        super().__init__()
        self.points: tuple[MeasurePoint, ...] = ()
        self.bands: tuple[BandLine, ...] = ()
        self.score_range = (0, 1)
        self.title = ""
        self.empty_text = "No scores yet."
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Trend chart")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        line = self.fontMetrics().lineSpacing()
        return QSize(line * 30, line * 16)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        line = self.fontMetrics().lineSpacing()
        return QSize(line * 16, line * 11)

    def set_series(
        self,
        title: str,
        points: Sequence[MeasurePoint],
        bands: Sequence[BandLine],
        score_range: tuple[int, int],
        empty_text: str = "No scores yet.",
    ) -> None:
        self.title = title
        self.points = tuple(sorted(points, key=lambda p: (p.taken_on, not p.at_intake)))
        self.bands = tuple(bands)
        self.score_range = score_range
        self.empty_text = empty_text
        # Screen readers get the numbers the picture shows.
        described = "; ".join(
            f"{p.total} on {format_day(p.taken_on)}" + (" (intake)" if p.at_intake else "")
            for p in self.points
        )
        self.setAccessibleName(title or "Trend chart")
        self.setAccessibleDescription(described or empty_text)
        self.update()

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        rule = palette.color(QPalette.ColorRole.Mid)
        accent = palette.color(QPalette.ColorRole.Highlight)
        base = palette.color(QPalette.ColorRole.Base)
        metrics = self.fontMetrics()
        line = metrics.lineSpacing()
        small = QFont(self.font())
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.85)

        painter.fillRect(self.rect(), base)
        low, high = self.score_range
        axis_w = metrics.horizontalAdvance(str(high)) + line
        plot = QRectF(
            axis_w,
            line * 1.8,
            max(self.width() - axis_w - line, line),
            max(self.height() - line * 4.2, line),
        )
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        painter.drawText(QPointF(axis_w, line * 1.1), self.title)
        painter.setFont(self.font())
        painter.setPen(QPen(rule, 1))
        painter.drawRect(plot)

        def y_of(score: float) -> float:
            return plot.bottom() - (score - low) / max(high - low, 1) * plot.height()

        painter.setFont(small)
        small_metrics = painter.fontMetrics()
        for value in sorted({low, high, *(band.value for band in self.bands)}):
            painter.setPen(muted)
            label = str(value)
            painter.drawText(
                QPointF(
                    plot.left() - small_metrics.horizontalAdvance(label) - 6,
                    y_of(value) + small_metrics.ascent() / 2 - 1,
                ),
                label,
            )
        label_room = 0.0
        for band in self.bands:
            label_room = max(label_room, small_metrics.horizontalAdvance(band.short_label))
        for band in self.bands:
            y = y_of(band.value)
            pen = QPen(muted, 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            width = small_metrics.horizontalAdvance(band.short_label)
            box = QRectF(
                plot.right() - width - 8,
                y - small_metrics.height() - 1,
                width + 6,
                small_metrics.height(),
            )
            painter.fillRect(box, base)
            painter.setPen(muted)
            painter.drawText(
                box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, band.short_label
            )

        if not self.points:
            painter.setFont(self.font())
            painter.setPen(muted)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.empty_text)
            painter.end()
            return

        inset = min(label_room + line * 1.5, plot.width() / 2)
        first = self.points[0].taken_on
        last = self.points[-1].taken_on
        span = max((last - first).days, 1)
        left = plot.left() + line
        usable = max(plot.width() - line - inset, line)

        def x_of(index: int, day: dt.date) -> float:
            if first == last:
                return left + usable * (index + 1) / (len(self.points) + 1)
            return left + (day - first).days / span * usable

        spots = [QPointF(x_of(i, p.taken_on), y_of(p.total)) for i, p in enumerate(self.points)]
        if len(spots) > 1:
            painter.setPen(QPen(accent, 2))
            painter.drawPolyline(QPolygonF(spots))
        radius = line * 0.28
        bold_small = QFont(small)
        bold_small.setBold(True)
        for point, spot in zip(self.points, spots, strict=True):
            painter.setPen(QPen(accent, 2))
            painter.setBrush(base if point.at_intake else accent)
            painter.drawEllipse(spot, radius, radius)
            painter.setFont(bold_small)
            painter.setPen(text)
            score_text = str(point.total)
            painter.drawText(
                QPointF(
                    spot.x() - painter.fontMetrics().horizontalAdvance(score_text) / 2,
                    spot.y() - radius - 4,
                ),
                score_text,
            )
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setFont(small)
        painter.setPen(muted)
        baseline = plot.bottom() + small_metrics.ascent() + 6
        drawn_until = -1.0
        for point, spot in zip(self.points, spots, strict=True):
            label = format_day(point.taken_on) + (" (intake)" if point.at_intake else "")
            width = small_metrics.horizontalAdvance(label)
            x = min(max(spot.x() - width / 2, plot.left()), self.width() - width - 2)
            if x > drawn_until + 8:  # dates that would overlap are left to the table
                painter.drawText(QPointF(x, baseline), label)
                drawn_until = x + width
        legend = "○ intake   ● re-administered"
        painter.drawText(
            QPointF(plot.right() - small_metrics.horizontalAdvance(legend), line * 1.1), legend
        )
        painter.end()


def chart_colour(chart: TrendChart) -> QColor:
    """The colour the series is drawn in (for tests and legends)."""
    return chart.palette().color(QPalette.ColorRole.Highlight)
