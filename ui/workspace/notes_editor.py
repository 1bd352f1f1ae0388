"""The session-note form: date, length, who attended, pacing stage, and the format's sections.

Shows one note at a time, either editable (a draft) or read-only (a signed note). It knows
nothing of the vault: it turns what is typed into a NoteDraft and reports every change.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinical.note_formats import NoteFormat, NoteFormats
from db.services.notes import NoteDraft, NoteInfo
from ui.workspace.case_session import CaseSession

#: (template id, stage index, stage title) as a note records it.
StageChoice = tuple[str | None, int, str]


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class SectionEdit(QPlainTextEdit):
    """One section's text: its prompt shows while empty; Tab moves on to the next field."""

    def __init__(self, title: str, prompt: str) -> None:
        super().__init__()
        self.setAccessibleName(title)
        self.setAccessibleDescription(prompt)
        self.setPlaceholderText(prompt)
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.textChanged.connect(self._fit_to_text)
        self._fit_to_text()

    #: The box grows with its text between these many lines, then scrolls.
    MIN_LINES = 3
    MAX_LINES = 14

    def _fit_to_text(self) -> None:
        # A plain-text document measures its height in lines, not pixels.
        lines = int(self.document().documentLayout().documentSize().height())
        shown = max(self.MIN_LINES, min(self.MAX_LINES, lines + 1))
        margins = self.contentsMargins()
        frame = 2 * self.frameWidth() + margins.top() + margins.bottom()
        height = shown * self.fontMetrics().lineSpacing() + frame + 8
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_to_text()  # wrapping changes with the width

    def set_text_quietly(self, text: str) -> None:
        if text != self.toPlainText():
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)
            self._fit_to_text()


class NoteEditor(QWidget):
    """The form of one session note.

    Attributes:
        format_combo, date_edit, duration_spin, stage_combo, progress_combo: the fields.
        attended: a check box per partner key.
        sections: the text box of each section of the note's format, by section id.

    Signals:
        changed(): something the clinician can edit changed.
    """

    changed = Signal()

    def __init__(self, case: CaseSession, formats: NoteFormats) -> None:
        super().__init__()
        self.case = case
        self.formats = formats
        self._locked = False
        self._loading = False
        self._built_format = ""

        self.format_combo = QComboBox()
        self.format_combo.setAccessibleName("Note format")
        for note_format in formats.formats:
            self.format_combo.addItem(
                f"{note_format.title}: {note_format.full_title}", note_format.id
            )
        self.format_combo.currentIndexChanged.connect(self._format_chosen)
        self.format_hint = QLabel()
        self.format_hint.setWordWrap(True)
        self.format_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.date_edit = QDateEdit()
        self.date_edit.setAccessibleName("Session date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        self.date_edit.setMaximumDate(_qdate(dt.date.today()))
        self.date_edit.dateChanged.connect(self._edited)

        self.duration_spin = QSpinBox()
        self.duration_spin.setAccessibleName("Session length in minutes")
        self.duration_spin.setRange(0, 24 * 60)
        self.duration_spin.setSingleStep(5)
        self.duration_spin.setSpecialValueText("Not recorded")
        self.duration_spin.setSuffix(" min")
        self.duration_spin.valueChanged.connect(self._edited)

        attended_row = QHBoxLayout()
        self.attended: dict[str, QCheckBox] = {}
        for partner in case.detail.partners:
            box = QCheckBox(f"{partner.name} ({partner.key})")
            box.setAccessibleName(f"{partner.name} attended")
            box.toggled.connect(self._edited)
            self.attended[partner.key] = box
            attended_row.addWidget(box)
        attended_row.addStretch(1)

        self.stage_combo = QComboBox()
        self.stage_combo.setAccessibleName("Pacing-plan stage at this session")
        self.stage_combo.currentIndexChanged.connect(self._edited)
        self.progress_combo = QComboBox()
        self.progress_combo.setAccessibleName("Progress in that stage")
        self.progress_combo.addItem("Not recorded", None)
        for progress in formats.stage_progress:
            self.progress_combo.addItem(progress.label, progress.id)
        self.progress_combo.currentIndexChanged.connect(self._edited)
        stage_row = QHBoxLayout()
        stage_row.addWidget(self.stage_combo, 3)
        stage_row.addWidget(self.progress_combo, 2)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        format_row = QHBoxLayout()
        format_row.addWidget(self.format_combo)
        format_row.addSpacing(12)
        format_row.addWidget(self.format_hint, 1)
        format_label = QLabel("&Format")
        format_label.setBuddy(self.format_combo)
        form.addRow(format_label, format_row)
        when = QHBoxLayout()
        when.addWidget(self.date_edit)
        length_label = QLabel("&Length")
        length_label.setBuddy(self.duration_spin)
        when.addSpacing(24)
        when.addWidget(length_label)
        when.addSpacing(6)
        when.addWidget(self.duration_spin)
        when.addStretch(1)
        date_label = QLabel("Session &date")
        date_label.setBuddy(self.date_edit)
        form.addRow(date_label, when)
        form.addRow("Attended", attended_row)
        stage_label = QLabel("Pacing &stage")
        stage_label.setBuddy(self.stage_combo)
        form.addRow(stage_label, stage_row)

        self.sections: dict[str, SectionEdit] = {}
        self.sections_box = QVBoxLayout()
        self.sections_box.setSpacing(6)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addLayout(form)
        layout.addLayout(self.sections_box)
        self._build_sections(formats.format(formats.default_format))
        self._fill_stages(None)

    @staticmethod
    def _row(form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)

    # ------------------------------------------------------------------ building

    @property
    def format_id(self) -> str:
        return str(self.format_combo.currentData())

    def _build_sections(self, note_format: NoteFormat) -> None:
        if note_format.id == self._built_format:
            return  # keep the boxes (and the cursor in them) as they are
        self._built_format = note_format.id
        keep = {key: edit.toPlainText() for key, edit in self.sections.items()}
        while self.sections_box.count():
            item = self.sections_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.sections = {}
        previous: QWidget = self.progress_combo
        for section in note_format.sections:
            title = QLabel(f"<b>{section.title}</b>")
            edit = SectionEdit(section.title, section.prompt)
            title.setBuddy(edit)
            edit.set_text_quietly(keep.get(section.id, ""))
            edit._fit_to_text()
            edit.textChanged.connect(self._edited)
            edit.setReadOnly(self._locked)
            self.sections_box.addWidget(title)
            self.sections_box.addWidget(edit)
            self.sections[section.id] = edit
            QWidget.setTabOrder(previous, edit)
            previous = edit
        self.format_hint.setText(note_format.summary)

    def _fill_stages(self, recorded: StageChoice | None) -> None:
        plan = self.case.plans.pacing_plan
        self.stage_combo.blockSignals(True)
        self.stage_combo.clear()
        self.stage_combo.addItem("Not recorded", None)
        if plan is not None:
            for index, stage in enumerate(plan.stages):
                current = "  (current)" if index == plan.current_stage else ""
                self.stage_combo.addItem(
                    f"Stage {index + 1} of {len(plan.stages)}: {stage.title}{current}",
                    (plan.template_id, index, stage.title),
                )
        chosen = 0
        if recorded is not None:
            chosen = next(
                (
                    i
                    for i in range(self.stage_combo.count())
                    if self.stage_combo.itemData(i) == recorded
                ),
                -1,
            )
            if chosen < 0:
                # Recorded under an earlier version of the plan: show it as it was.
                _template, index, title = recorded
                self.stage_combo.addItem(f"Stage {index + 1}: {title} (as recorded)", recorded)
                chosen = self.stage_combo.count() - 1
        self.stage_combo.setCurrentIndex(chosen)
        self.stage_combo.setEnabled(not self._locked and self.stage_combo.count() > 1)
        if plan is None and recorded is None:
            self.stage_combo.setItemText(0, "No pacing plan chosen yet")
        self.stage_combo.blockSignals(False)

    # ------------------------------------------------------------------ showing

    def show_new(self, note_format: str, session_date: dt.date) -> None:
        """A blank note: everyone attended, the plan's current stage preselected."""
        self._loading = True
        try:
            self.set_locked(False)
            self.format_combo.setEnabled(True)
            self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(note_format)))
            for edit in self.sections.values():
                edit.set_text_quietly("")
            self._build_sections(self.formats.format(self.format_id))
            self.date_edit.setDate(_qdate(session_date))
            self.duration_spin.setValue(0)
            for box in self.attended.values():
                box.setChecked(True)
            plan = self.case.plans.pacing_plan
            current: StageChoice | None = None
            if plan is not None and plan.stage is not None:
                current = (plan.template_id, plan.current_stage, plan.stage.title)
            self._fill_stages(current)
            self.progress_combo.setCurrentIndex(0)
        finally:
            self._loading = False

    def show_note(self, note: NoteInfo, *, keep_text: bool = False) -> None:
        """Show a stored note (read-only when signed).

        Args:
            keep_text: leave the fields as typed (after a save of what is on screen).
        """
        self._loading = True
        try:
            self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(note.note_format)))
            self.format_combo.setEnabled(False)
            self._build_sections(self.formats.format(note.note_format))
            self.set_locked(note.is_signed)
            if keep_text and not note.is_signed:
                return
            version = note.current
            for section_id, edit in self.sections.items():
                edit.set_text_quietly(version.sections.get(section_id, ""))
            self.date_edit.setDate(_qdate(version.session_date))
            self.duration_spin.setValue(version.duration_minutes or 0)
            for key, box in self.attended.items():
                box.setChecked(key in version.attended)
            recorded: StageChoice | None = None
            if version.pacing_stage is not None:
                recorded = (
                    version.pacing_template_id,
                    version.pacing_stage,
                    version.pacing_stage_title,
                )
            self._fill_stages(recorded)
            progress = self.progress_combo.findData(version.stage_progress)
            self.progress_combo.setCurrentIndex(max(progress, 0))
        finally:
            self._loading = False

    def set_locked(self, locked: bool) -> None:
        """Read-only (a signed note) or editable (a draft)."""
        self._locked = locked
        for edit in self.sections.values():
            edit.setReadOnly(locked)
        for widget in (self.date_edit, self.duration_spin, self.progress_combo):
            widget.setEnabled(not locked)
        for box in self.attended.values():
            box.setEnabled(not locked)
        self.stage_combo.setEnabled(not locked and self.stage_combo.count() > 1)
        if locked:
            self.format_combo.setEnabled(False)

    @property
    def locked(self) -> bool:
        return self._locked

    # ------------------------------------------------------------------ reading

    def draft(self) -> NoteDraft:
        """What the form holds now."""
        stage: StageChoice | None = self.stage_combo.currentData()
        duration = self.duration_spin.value()
        return NoteDraft(
            session_date=_pydate(self.date_edit.date()),
            sections={key: edit.toPlainText() for key, edit in self.sections.items()},
            attended=tuple(key for key, box in self.attended.items() if box.isChecked()),
            duration_minutes=duration or None,
            pacing_template_id=stage[0] if stage else None,
            pacing_stage=stage[1] if stage else None,
            pacing_stage_title=stage[2] if stage else "",
            stage_progress=self.progress_combo.currentData(),
        )

    def has_text(self) -> bool:
        return any(edit.toPlainText().strip() for edit in self.sections.values())

    # ------------------------------------------------------------------ changes

    def _format_chosen(self) -> None:
        if self._loading:
            return
        self._build_sections(self.formats.format(self.format_id))
        self._edited()

    def _edited(self) -> None:
        if not self._loading and not self._locked:
            self.changed.emit()
