"""The negotiation matrix: each activity in each role direction, partners side by side.

A table of the engine's negotiation cells (ui.workspace.negotiation_model) under a summary of
how many directions are a mutual yes, to discuss, closed or not answered, with filters by
class, status, partner (three or more partners), "hide closed" and free text. Enter or a
double-click on a row opens the answer on the intake page (the receiver's when the receiver's
answer is chosen, the giver's otherwise). Updates live as answers change.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinical.model import NegotiationCell
from ui.workspace.case_session import CaseSession
from ui.workspace.negotiation_model import (
    CELL_ROLE,
    STATUS_GROUP,
    STATUS_GROUPS,
    Column,
    NegotiationFilter,
    NegotiationTableModel,
)
from ui.workspace.pages import Navigator

#: A short key to reading the matrix (restates DOMAIN.md's activity answer model).
READING_KEY = (
    "Giving is the active or leading side. A direction is a mutual yes when the giver says yes "
    "to giving and the receiver yes to receiving; a no or a hard limit on either side closes it. "
    "Enter or a double-click opens the answer."
)


#: Air between columns, in pixels at 1x (Qt scales it on high-DPI screens).
COLUMN_GAP = 12

#: Columns that share the width left by the others, wrapping their words when it is short.
WRAPPING_COLUMNS = (Column.ACTIVITY, Column.CLASS, Column.TIER)


def fit_widths(wants: list[int], floors: list[int], available: int) -> list[int]:
    """Widths for columns wanting `wants` in `available` pixels, the first taking any spare.

    When they do not fit, every column wider than a common cap is cut to the cap (the largest
    that fits), but never below its floor (its longest word): narrow columns stay whole.
    """
    total = sum(wants)
    if total <= available:
        return [wants[0] + available - total, *wants[1:]]

    def widths_at(cap: int) -> list[int]:
        return [min(want, max(cap, floor)) for want, floor in zip(wants, floors, strict=True)]

    low, high = 0, max(wants)
    while low < high:  # the largest cap whose widths still fit
        middle = (low + high + 1) // 2
        if sum(widths_at(middle)) <= available:
            low = middle
        else:
            high = middle - 1
    return widths_at(low)


class NegotiationPage(QWidget):
    """The workspace's negotiation page (sidebar key "negotiation").

    Attributes:
        model: every activity in every role direction (NegotiationTableModel).
        proxy: the filters over it (NegotiationFilter); the table shows the proxy.
        table: the matrix.
        find_action: Ctrl+F, type to filter the rows.
        hide_closed_action: Ctrl+H, hide closed directions (checkable).
        clear_filters_action: Ctrl+Shift+F, show every row again.
    """

    def __init__(self, case: CaseSession, navigator: Navigator) -> None:
        super().__init__()
        self.case = case
        self.navigator = navigator
        self._fitting = False
        self.model = NegotiationTableModel(case.content, case.partner_name, self)
        self.proxy = NegotiationFilter(self)
        self.proxy.setSourceModel(self.model)

        title = QLabel("Negotiation")
        font = title.font()
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        title.setFont(font)
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("How the directions stand")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        key = QLabel(READING_KEY)
        key.setWordWrap(True)
        key.setAccessibleName("How to read the matrix")

        self.class_filter = QComboBox()
        self.class_filter.setAccessibleName("Filter by class")
        self.class_filter.addItem("All classes", "")
        for class_id, spec in case.content.classes.items():
            self.class_filter.addItem(spec.label, class_id)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by status")
        self.status_filter.addItem("All statuses", "")
        for group_id, style in STATUS_GROUPS.items():
            self.status_filter.addItem(f"{style.icon} {style.label}", group_id)
        self.partner_filter = QComboBox()
        self.partner_filter.setAccessibleName("Filter by partner")
        self.partner_filter.addItem("All partners", "")
        for partner in case.detail.partners:
            self.partner_filter.addItem(partner.name, partner.key)
        self.hide_closed = QCheckBox("&Hide closed")
        self.hide_closed.setAccessibleName("Hide closed directions")
        self.hide_closed.setToolTip("Hide directions closed by a no or a hard limit (Ctrl+H)")
        self.find_field = QLineEdit()
        self.find_field.setAccessibleName("Find an activity or a partner")
        self.find_field.setPlaceholderText("Find an activity or a partner (Ctrl+F)")
        self.find_field.setClearButtonEnabled(True)
        self.clear_button = QPushButton("Show &all")
        self.clear_button.setAccessibleName("Clear every filter")
        self.clear_button.setToolTip("Clear every filter (Ctrl+Shift+F)")
        self.shown_label = QLabel()
        self.shown_label.setAccessibleName("Rows shown")

        class_label = QLabel("&Class:")
        class_label.setBuddy(self.class_filter)
        status_label = QLabel("S&tatus:")
        status_label.setBuddy(self.status_filter)
        self.partner_label = QLabel("&Partner:")
        self.partner_label.setBuddy(self.partner_filter)
        # With two partners every row concerns both of them: the filter would mean nothing.
        self.several_partners = len(case.detail.partners) > 2
        self.partner_label.setVisible(self.several_partners)
        self.partner_filter.setVisible(self.several_partners)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(class_label)
        filters.addWidget(self.class_filter)
        filters.addSpacing(8)
        filters.addWidget(status_label)
        filters.addWidget(self.status_filter)
        filters.addSpacing(8)
        filters.addWidget(self.partner_label)
        filters.addWidget(self.partner_filter)
        filters.addSpacing(8)
        filters.addWidget(self.hide_closed)
        filters.addSpacing(8)
        filters.addWidget(self.find_field, 1)
        filters.addWidget(self.clear_button)

        self.table = QTableView()
        self.table.setAccessibleName("Negotiation matrix")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setSortingEnabled(False)
        # Long activity names wrap onto a second line rather than being cut off at 1280 px.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Widths are set by fit_columns (the clinician may still drag them).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.activated.connect(self.open_answer)
        self.table.viewport().installEventFilter(self)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(self.summary_label, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(key, 1)
        bottom.addSpacing(16)
        bottom.addWidget(self.shown_label, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.find_action = self._action("Find in the negotiation matrix", "Ctrl+F", self.focus_find)
        self.hide_closed_action = self._action("Hide closed directions", "Ctrl+H", None)
        self.hide_closed_action.setCheckable(True)
        self.hide_closed_action.toggled.connect(self.hide_closed.setChecked)
        self.hide_closed.toggled.connect(self.hide_closed_action.setChecked)
        self.clear_filters_action = self._action(
            "Show every negotiation row", "Ctrl+Shift+F", self.clear_filters
        )

        for combo in (self.class_filter, self.status_filter, self.partner_filter):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.hide_closed.toggled.connect(self._apply_filters)
        self.find_field.textChanged.connect(self._apply_filters)
        self.clear_button.clicked.connect(self.clear_filters)
        self.proxy.rowsInserted.connect(self._show_counts)
        self.proxy.rowsRemoved.connect(self._show_counts)
        self.proxy.modelReset.connect(self._show_counts)
        self.proxy.layoutChanged.connect(self._show_counts)
        case.evaluation_changed.connect(self.refresh)

        self.refresh()
        if self.proxy.rowCount() > 0:
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self.setFocusProxy(self.table)

    def _action(self, text: str, keys: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if callable(slot):
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    # ------------------------------------------------------------------ layout

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # The table's viewport width settles after the page's (scroll bars come and go).
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return super().eventFilter(watched, event)

    def fit_columns(self) -> None:
        """Share the width the fixed columns leave among activity, class and tier.

        Each gets its full one-line width when there is room (the spare goes to the activity);
        otherwise the widest are capped alike, never below their longest word, and wrap.
        """
        if self._fitting:
            return
        self._fitting = True
        try:
            self._fit_columns()
        finally:
            self._fitting = False

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        wants = {
            column: max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column))
            + COLUMN_GAP
            for column in Column
        }
        for column in Column:
            if column not in WRAPPING_COLUMNS:
                header.resizeSection(column, wants[column])
        fixed = sum(wants[column] for column in Column if column not in WRAPPING_COLUMNS)
        available = self.table.viewport().width() - fixed - 1
        floors = [self._longest_word(c) + COLUMN_GAP for c in WRAPPING_COLUMNS]
        widths = fit_widths([wants[c] for c in WRAPPING_COLUMNS], floors, available)
        for column, width in zip(WRAPPING_COLUMNS, widths, strict=True):
            header.resizeSection(column, width)
        self.table.resizeRowsToContents()

    def _longest_word(self, column: Column) -> int:
        metrics = self.table.fontMetrics()
        longest = 0
        for row in range(self.model.rowCount()):
            text = str(self.model.index(row, column).data() or "")
            for word in text.split():
                longest = max(longest, metrics.horizontalAdvance(word))
        return longest + 8  # the item's own text margins

    # ------------------------------------------------------------------ state

    def refresh(self) -> None:
        """Take the case's current negotiation cells (only changed rows are repainted)."""
        if self.model.set_cells(self.case.evaluation.negotiation):
            self.fit_columns()
        self._show_summary()
        self._show_counts()

    def _show_summary(self) -> None:
        counts = dict.fromkeys(STATUS_GROUPS, 0)
        for cell in self.model.cells():
            counts[STATUS_GROUP[cell.status]] += 1
        parts = []
        for group_id, style in STATUS_GROUPS.items():
            colour = style.colour().name()
            parts.append(
                f'<span style="color:{colour}">{style.icon} <b>{counts[group_id]}</b> '
                f"{html.escape(style.label.lower())}</span>"
            )
        self.summary_label.setText("&nbsp;&nbsp;&nbsp;&nbsp;".join(parts))

    def _show_counts(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.shown_label.setText(
            f"Showing all {total} directions" if shown == total else f"Showing {shown} of {total}"
        )

    def _apply_filters(self) -> None:
        self.proxy.set_filters(
            activity_class=self.class_filter.currentData(),
            status_group=self.status_filter.currentData(),
            partner=self.partner_filter.currentData() if self.several_partners else "",
            hide_closed=self.hide_closed.isChecked(),
            text=self.find_field.text(),
        )
        self._show_counts()

    # ------------------------------------------------------------------ actions

    def focus_find(self) -> None:
        self.find_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_field.selectAll()

    def clear_filters(self) -> None:
        """Show every row: no class, status or partner filter, closed shown, no text."""
        for widget in (self.class_filter, self.status_filter, self.partner_filter):
            widget.blockSignals(True)
            widget.setCurrentIndex(0)
            widget.blockSignals(False)
        self.hide_closed.blockSignals(True)
        self.hide_closed.setChecked(False)
        self.hide_closed.blockSignals(False)
        self.hide_closed_action.setChecked(False)
        self.find_field.blockSignals(True)
        self.find_field.clear()
        self.find_field.blockSignals(False)
        self._apply_filters()

    def current_cell(self) -> NegotiationCell | None:
        value = self.table.currentIndex().data(CELL_ROLE)
        return value if isinstance(value, NegotiationCell) else None

    def open_answer(self, index: QModelIndex) -> None:
        """Show the answer behind a row: the receiver's for the receiver's column."""
        cell = index.data(CELL_ROLE)
        if not isinstance(cell, NegotiationCell):
            return
        owner = cell.receiver if index.column() == Column.RECEIVER_ANSWER else cell.giver
        self.navigator.show_answer(owner, f"activity.{cell.activity}")
