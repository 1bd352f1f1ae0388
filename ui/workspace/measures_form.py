"""The re-administration form: one instrument's items, as published, with radio buttons.

Items sharing the instrument's anchors (PHQ-9, GAD-7, PC-PTSD-5) sit in a grid under the
published stem with the anchors as column heads; items with their own options (AUDIT-C) list
those options under the item. PC-PTSD-5 asks its exposure question first; "No" scores 0 and
the items stay closed. Arrow keys move within an item's answers, Tab to the next item.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clinical.content import Instrument
from clinical.model import InstrumentAnswer, PtsdScreenAnswer


def _wrapping(text: str, muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if muted:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class InstrumentForm(QWidget):
    """The items of one instrument, answered with radio buttons.

    Attributes:
        groups: one exclusive button group per item, ids are the item scores.
        gate: the PC-PTSD-5 exposure question's group (id 1 yes, 0 no), or None.

    Signals:
        changed(): an answer changed.
    """

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.instrument: Instrument | None = None
        self.groups: list[QButtonGroup] = []
        self.gate: QButtonGroup | None = None
        self._item_buttons: list[QRadioButton] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)

    def set_instrument(self, instrument: Instrument) -> None:
        """Build the form for `instrument` (every answer empty)."""
        self.instrument = instrument
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.groups = []
        self._item_buttons = []
        self.gate = None
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        if instrument.gate is not None:
            layout.addWidget(_wrapping(instrument.gate.preamble, muted=True))
            layout.addWidget(_wrapping(instrument.gate.question))
            self.gate = QButtonGroup(self)
            row = QHBoxLayout()
            for value, text in ((1, instrument.gate.yes_label), (0, instrument.gate.no_label)):
                button = QRadioButton(text)
                button.setAccessibleName(f"{instrument.gate.question} {text}")
                self.gate.addButton(button, value)
                row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
            self.gate.idToggled.connect(self._gate_changed)
        layout.addWidget(_wrapping(instrument.stem))
        if any(item.options for item in instrument.items):
            self._item_lists(layout, instrument)
        else:
            self._item_grid(layout, instrument)
        if instrument.note:
            layout.addWidget(_wrapping(instrument.note, muted=True))
        self._layout.addWidget(body)
        self._gate_changed()

    def focus_chain(self) -> list[QWidget]:
        """The answers in reading order: the gate's, then each item's."""
        gate = self.gate.buttons() if self.gate is not None else []
        return [*gate, *self._item_buttons]

    def _item_grid(self, layout: QVBoxLayout, instrument: Instrument) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        for column, anchor in enumerate(instrument.anchors, start=1):
            head = _wrapping(anchor.label, muted=True)
            head.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
            head.setMaximumWidth(self.fontMetrics().averageCharWidth() * 11)
            grid.addWidget(head, 0, column)
        for row, item in enumerate(instrument.items, start=1):
            grid.addWidget(_wrapping(f"{item.number}. {item.text}"), row, 0)
            group = QButtonGroup(self)
            for column, anchor in enumerate(instrument.anchors, start=1):
                button = QRadioButton()
                button.setAccessibleName(f"Item {item.number}: {anchor.label}")
                button.setToolTip(anchor.label)
                group.addButton(button, anchor.value)
                grid.addWidget(button, row, column, Qt.AlignmentFlag.AlignHCenter)
                self._item_buttons.append(button)
            group.idToggled.connect(self._toggled)
            self.groups.append(group)
        grid.setColumnStretch(0, 1)
        layout.addLayout(grid)

    def _item_lists(self, layout: QVBoxLayout, instrument: Instrument) -> None:
        for item in instrument.items:
            layout.addWidget(_wrapping(f"{item.number}. {item.text}"))
            group = QButtonGroup(self)
            options = item.options or instrument.anchors
            row = QGridLayout()
            row.setContentsMargins(18, 0, 0, 4)
            for index, option in enumerate(options):
                button = QRadioButton(option.label)
                button.setAccessibleName(f"Item {item.number}: {option.label}")
                group.addButton(button, option.value)
                row.addWidget(button, index // 3, index % 3)
                self._item_buttons.append(button)
            group.idToggled.connect(self._toggled)
            self.groups.append(group)
            layout.addLayout(row)

    # ------------------------------------------------------------------ answers

    def _toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self.changed.emit()

    def _gate_changed(self, *_: object) -> None:
        closed = self.gate is not None and self.gate.checkedId() != 1
        for button in self._item_buttons:
            button.setEnabled(not closed)
        self.changed.emit()

    def answer(self) -> InstrumentAnswer:
        """The answers so far (None for items not answered)."""
        items = tuple(
            group.checkedId() if group.checkedId() >= 0 else None for group in self.groups
        )
        if self.gate is not None:
            gate = self.gate.checkedId()
            exposed = None if gate < 0 else gate == 1
            return PtsdScreenAnswer(exposed=exposed, items=items)
        return items

    def set_answer(self, answer: InstrumentAnswer) -> None:
        """Tick the answers of `answer` (for tests and corrections)."""
        items: tuple[int | None, ...]
        if isinstance(answer, PtsdScreenAnswer):
            if self.gate is not None and answer.exposed is not None:
                button = self.gate.button(1 if answer.exposed else 0)
                if button is not None:
                    button.setChecked(True)
            items = answer.items
        else:
            items = answer
        for group, value in zip(self.groups, items, strict=False):
            if value is not None and group.button(value) is not None:
                group.button(value).setChecked(True)

    def clear(self) -> None:
        for group in [*self.groups, *([self.gate] if self.gate else [])]:
            group.setExclusive(False)
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(True)
        self._gate_changed()
