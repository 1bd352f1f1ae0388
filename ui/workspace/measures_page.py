"""Measures over time: PHQ-9, GAD-7, PC-PTSD-5 and AUDIT-C re-administered at later sessions.

Choose a partner and an instrument: the trend chart shows the intake's score (hollow dot) and
every later administration, with the band thresholds drawn and labelled; the table below lists
them. On the right, the instrument's published items to give it again, scored as they are
ticked exactly as at intake; "Record" (Ctrl+Return) stores it with its date. A recorded score is
never changed; recording a corrected one for the same day replaces it in the chart, and both are
kept.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinical.measures_trend import REPEATABLE_INSTRUMENTS, band_lines, score_administration
from clinical.model import InstrumentAnswer, MeasurePoint, PtsdScreenAnswer
from db.services.measures import MeasureRecord, current_records
from ui.theme import severity_colour, severity_icon
from ui.workspace.case_session import CaseSession
from ui.workspace.measures_chart import TrendChart
from ui.workspace.measures_form import InstrumentForm
from ui.workspace.measures_models import MeasurePointsModel
from ui.workspace.notes_models import format_day
from ui.workspace.notes_store import CaseRecords, records_for
from ui.workspace.pages import Navigator


def _muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class MeasuresPage(QWidget):
    """The workspace's measures page (sidebar key "measures").

    Attributes:
        partner_combo, instrument_combo: which series is shown and given again.
        chart: the trend chart; table: the same scores as a table.
        form: the instrument's items for a new administration.
    """

    def __init__(self, case: CaseSession, navigator: Navigator) -> None:
        super().__init__()
        self.case = case
        self.navigator = navigator
        self.records: CaseRecords = records_for(case)
        content = case.content

        self.partner_combo = QComboBox()
        self.partner_combo.setAccessibleName("Partner")
        for partner in case.detail.partners:
            self.partner_combo.addItem(f"{partner.name} ({partner.key})", partner.key)
        self.instrument_combo = QComboBox()
        self.instrument_combo.setAccessibleName("Instrument")
        for instrument_id in REPEATABLE_INSTRUMENTS:
            instrument = content.instruments.get(instrument_id)
            if instrument is not None:
                self.instrument_combo.addItem(
                    f"{instrument.title}: {instrument.measures}", instrument_id
                )
        self.partner_combo.currentIndexChanged.connect(self.refresh)
        self.instrument_combo.currentIndexChanged.connect(self._instrument_chosen)
        top = QHBoxLayout()
        partner_label = QLabel("&Partner")
        partner_label.setBuddy(self.partner_combo)
        instrument_label = QLabel("&Instrument")
        instrument_label.setBuddy(self.instrument_combo)
        top.addWidget(partner_label)
        top.addWidget(self.partner_combo)
        top.addSpacing(18)
        top.addWidget(instrument_label)
        top.addWidget(self.instrument_combo)
        top.addStretch(1)

        self.chart = TrendChart()
        self.model = MeasurePointsModel()
        self.table = QTableView()
        self.table.setAccessibleName("Scores over time")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.cutoff_label = _muted()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.setSpacing(8)
        left_layout.addWidget(self.chart, 3)
        left_layout.addWidget(self.cutoff_label)
        left_layout.addWidget(self.table, 1)
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(rows * 3)
        self.table.setMaximumHeight(rows * 8)

        # ---- right: give the instrument again
        self.form_title = QLabel()
        self.form_title.setWordWrap(True)
        self.date_edit = QDateEdit()
        self.date_edit.setAccessibleName("Date given")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        today = dt.date.today()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        date_row = QHBoxLayout()
        date_label = QLabel("&Date given")
        date_label.setBuddy(self.date_edit)
        date_row.addWidget(date_label)
        date_row.addWidget(self.date_edit)
        date_row.addStretch(1)
        self.form = InstrumentForm()
        self.form.changed.connect(self._score_changed)
        self.score_label = QLabel()
        self.score_label.setAccessibleName("Score so far")
        self.critical_label = QLabel()
        self.critical_label.setWordWrap(True)
        self.critical_label.setAccessibleName("Critical item")
        self.critical_label.hide()
        self.record_button = QPushButton("&Record")
        self.record_button.setToolTip("Store this administration (Ctrl+Return)")
        self.record_button.clicked.connect(self.record)
        self.message = _muted()
        self.error_label = QLabel()
        self.error_label.setObjectName("errorMessage")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        record_row = QHBoxLayout()
        record_row.addWidget(self.record_button)
        record_row.addWidget(self.score_label, 1)
        form_box = QWidget()
        form_layout = QVBoxLayout(form_box)
        form_layout.setContentsMargins(12, 0, 12, 12)
        form_layout.setSpacing(10)
        form_layout.addWidget(self.form_title)
        form_layout.addLayout(date_row)
        form_layout.addWidget(self.form)
        form_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(form_box)
        scroll.setMinimumWidth(self.fontMetrics().averageCharWidth() * 62)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        # The Record button, the score and any warning stay in view below the scrolling form.
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(8)
        right_layout.addWidget(scroll, 1)
        footer = QVBoxLayout()
        footer.setContentsMargins(12, 0, 12, 0)
        footer.setSpacing(6)
        footer.addWidget(self.critical_label)
        footer.addWidget(self.error_label)
        footer.addLayout(record_row)
        footer.addWidget(self.message)
        right_layout.addLayout(footer)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.record_action = QAction("Record the measure", self)
        self.record_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.record_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.record_action.triggered.connect(self.record)
        self.addAction(self.record_action)

        self.records.measures_changed.connect(self.refresh)
        case.evaluation_changed.connect(self.refresh)
        self._instrument_chosen()

    # ------------------------------------------------------------------ choosing

    @property
    def partner(self) -> str:
        return str(self.partner_combo.currentData())

    @property
    def instrument_id(self) -> str:
        return str(self.instrument_combo.currentData())

    def show_series(self, partner: str, instrument_id: str) -> None:
        """Choose the partner and instrument to show (for navigation and screenshots)."""
        self.partner_combo.setCurrentIndex(max(0, self.partner_combo.findData(partner)))
        self.instrument_combo.setCurrentIndex(max(0, self.instrument_combo.findData(instrument_id)))

    def _instrument_chosen(self) -> None:
        instrument = self.case.content.instruments[self.instrument_id]
        self.form.set_instrument(instrument)
        # The form is rebuilt for each instrument: put it back in reading order for Tab.
        chain = [self.date_edit, *self.form.focus_chain(), self.record_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)
        self.refresh()

    def _threshold(self) -> int:
        for partner in self.case.intake.partners:
            if partner.key == self.partner:
                return partner.audit_c_threshold
        return 3

    # ------------------------------------------------------------------ showing

    def series(self) -> tuple[MeasurePoint, ...]:
        """The chosen partner's scores on the chosen instrument: intake first, then later."""
        points: list[MeasurePoint] = []
        score = self.case.evaluation.score(self.partner, self.instrument_id)
        if score is not None and score.total is not None:
            points.append(
                MeasurePoint(
                    partner=self.partner,
                    instrument=self.instrument_id,
                    taken_on=self.case.detail.summary.created_at.date(),
                    total=score.total,
                    band=score.band,
                    band_label=score.band_label,
                    threshold=score.threshold,
                    at_intake=True,
                )
            )
        records: list[MeasureRecord] = [
            record
            for record in current_records(self.records.measures)
            if record.partner == self.partner and record.instrument == self.instrument_id
        ]
        points += [record.point() for record in records]
        return tuple(points)

    def refresh(self) -> None:
        instrument = self.case.content.instruments[self.instrument_id]
        name = self.partner_combo.currentText()
        points = self.series()
        threshold = self._threshold() if instrument.partner_threshold else None
        self.chart.set_series(
            f"{instrument.title} for {name}",
            points,
            band_lines(instrument, threshold),
            instrument.total_range,
            empty_text=f"No {instrument.title} score yet: not answered at intake, not given since.",
        )
        self.model.set_points(points)
        self.cutoff_label.setText(f"{instrument.full_title}. {instrument.cutoff_meaning}")
        self.form_title.setText(f"<b>Give {instrument.title} again to {name}</b>")
        self._score_changed()

    def _score_changed(self) -> None:
        instrument = self.case.content.instruments[self.instrument_id]
        score = score_administration(
            self.case.content, self.instrument_id, self.form.answer(), self._threshold()
        )
        answer = self.form.answer()
        self._show_critical(answer)
        if score.total is None:
            if isinstance(answer, PtsdScreenAnswer) and answer.exposed is None:
                self.score_label.setText(f"Answer the first question of {instrument.title}")
            else:
                self.score_label.setText(f"{score.answered} of {score.item_count} answered")
            self.record_button.setEnabled(False)
            self.record_action.setEnabled(False)
        else:
            self.score_label.setText(f"Score {score.total}: {score.band_label}")
            self.record_button.setEnabled(True)
            self.record_action.setEnabled(True)

    def _show_critical(self, answer: InstrumentAnswer) -> None:
        """A critical item (PHQ-9 item 9) above 0 is shown at once, icon, word and colour."""
        instrument = self.case.content.instruments[self.instrument_id]
        items = answer.items if isinstance(answer, PtsdScreenAnswer) else answer
        raised = [
            item.number
            for item, value in zip(instrument.items, items, strict=False)
            if item.critical and value
        ]
        if not raised:
            self.critical_label.hide()
            return
        colour = severity_colour("critical").name()
        numbers = ", ".join(str(number) for number in raised)
        self.critical_label.setText(
            f'<span style="color:{colour}; font-weight:600">{severity_icon("critical")} '
            f"Critical item {numbers} answered above 0.</span> "
            f"{html.escape(instrument.note)}"
        )
        self.critical_label.show()

    # ------------------------------------------------------------------ recording

    def record(self) -> None:
        """Store the administration on the form (complete answers only)."""
        if not self.record_button.isEnabled():
            return
        day = self.date_edit.date()
        taken_on = dt.date(day.year(), day.month(), day.day())
        instrument = self.case.content.instruments[self.instrument_id]
        self.record_button.setEnabled(False)
        self.error_label.hide()

        def done(record: MeasureRecord) -> None:
            self.form.clear()
            self.message.setText(
                f"Recorded {instrument.title} of {format_day(record.taken_on)}: "
                f"{record.total} ({record.band_label or record.band})."
            )

        def failed(message: str) -> None:
            self.record_button.setEnabled(True)
            self.error_label.setText(message)
            self.error_label.show()

        self.records.record_measure(
            self.partner, self.instrument_id, self.form.answer(), taken_on, done, failed
        )
