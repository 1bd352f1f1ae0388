"""The negotiation matrix: each activity in each role direction, partners side by side.

A table of the engine's negotiation cells (ui.workspace.negotiation_model) under a summary of
how many directions are a mutual yes, to discuss, closed or not answered, with filters by
class, status, partner (three or more partners), "hide closed" and free text. Enter or a
double-click on a row opens the answer on the intake page (the receiver's when the receiver's
answer is chosen, the giver's otherwise). Updates live as answers change.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinical.model import NegotiationCell
from ui.workspace.case_session import CaseSession
from ui.workspace.negotiation_model import (
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


def _set_text(label: QLabel, text: str) -> None:
    """Set a label's text only when it changes (no relayout, no repaint for nothing)."""
    if label.text() != text:
        label.setText(text)


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


#: Air between columns, in pixels at 1x (Qt scales it on high-DPI screens).
COLUMN_GAP = 12

#: Columns that share the width left by the others, wrapping their words when it is short.
WRAPPING_COLUMNS = (Column.ACTIVITY, Column.CLASS, Column.TIER, Column.DIRECTION)


def _lines(needed: int, width: int) -> int:
    """About how many lines a text `needed` pixels wide takes in a column `width` wide."""
    if needed <= width:
        return 1
    usable = max(width - COLUMN_GAP, 1)
    return -(-(needed - COLUMN_GAP) // usable)  # ceiling division


def fit_widths(
    wants: Sequence[int],
    floors: Sequence[int],
    row_widths: Sequence[Sequence[int]],
    available: int,
) -> list[int]:
    """Column widths that fit `available` pixels while adding as few lines as possible.

    Args:
        wants: each column's full one-line width (its widest row or its header).
        floors: the narrowest each column may become (its longest unbreakable word).
        row_widths: row_widths[column][row], the one-line width of that row's text.
        available: the pixels to share.

    Returns:
        One width per column. With room to spare, the first column takes the spare. Without,
        columns shrink step by step, each step taking the cut that adds the fewest lines to
        the table per pixel saved (a row is as tall as its most wrapped cell, so a row already
        two lines tall may wrap to two lines in another column for free). If even the floors
        do not fit, the floors (the table then scrolls sideways).
    """
    widths = list(wants)
    total = sum(widths)
    if total <= available:
        widths[0] += available - total
        return widths
    rows = max((len(column) for column in row_widths), default=0)

    def height(row: int, candidate: list[int]) -> int:
        return max(
            _lines(row_widths[c][row], candidate[c])
            for c in range(len(candidate))
            if row < len(row_widths[c])
        )

    heights = [height(row, widths) for row in range(rows)]
    excess = total - available
    while excess > 0:
        best: tuple[tuple[float, int], int, int, list[int]] | None = None
        for column, current in enumerate(widths):
            options = {w for w in row_widths[column] if floors[column] <= w < current}
            options.add(max(floors[column], current - excess))
            for option in options:
                width = max(option, current - excess)  # never cut more than needed
                if width >= current:
                    continue
                after = [
                    max(heights[row], _lines(row_widths[column][row], width)) for row in range(rows)
                ]
                added = sum(after) - sum(heights)
                saved = current - width
                key = (added / saved, -saved)
                if best is None or key < best[0]:
                    best = (key, column, width, after)
        if best is None:
            break  # every column is at its floor
        _, column, width, heights = best
        excess -= widths[column] - width
        widths[column] = width
    return widths


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
        self._layout_dirty = True
        self._fit_pending = False
        self._row_heights: list[int] = []
        self._single_height = 0
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
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
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
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._show_counts)
            signal.connect(self._apply_row_heights)
        case.evaluation_changed.connect(self.refresh)

        self.refresh()
        self._show_summary()
        self._show_counts()
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

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._layout_dirty:
            self.fit_columns()

    def _schedule_fit(self) -> None:
        if not self._fit_pending:
            self._fit_pending = True
            QTimer.singleShot(0, self._deferred_fit)

    def _deferred_fit(self) -> None:
        self._fit_pending = False
        if self._layout_dirty and self.isVisible():
            self.fit_columns()

    def fit_columns(self) -> None:
        """Share the width the fixed columns leave among the columns that may wrap.

        Activity, class, tier and direction each get their full one-line width when there is
        room (the spare goes to the activity); otherwise the widest are capped alike, never
        below their longest word (a whole name, for the direction), and wrap.
        """
        if self._fitting:
            return
        self._fitting = True
        self._layout_dirty = False
        try:
            self._fit_columns()
        finally:
            self._fitting = False

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        # The item delegate keeps this much room either side of a cell's text.
        style = self.table.style()
        margin = 2 * (
            style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1
        )
        plain = self.table.fontMetrics()
        bold = QFontMetrics(_bold(self.table.font()))
        model = self.model
        rows = model.rowCount()

        def metrics(row: int, column: int) -> QFontMetrics:
            return bold if model.is_bold(row, column) else plain

        # Every row, shown or filtered out, so widths do not jump as filters change.
        row_widths = {
            column: [
                metrics(row, column).horizontalAdvance(model.text(row, column))
                + margin
                + COLUMN_GAP
                for row in range(rows)
            ]
            for column in Column
        }
        wants = {
            column: max([header.sectionSizeHint(column) + COLUMN_GAP, *row_widths[column]])
            for column in Column
        }
        for column in Column:
            if column not in WRAPPING_COLUMNS:
                header.resizeSection(column, wants[column])
        fixed = sum(wants[column] for column in Column if column not in WRAPPING_COLUMNS)
        available = self.table.viewport().width() - fixed - 1
        floors = [
            max(
                (
                    metrics(row, column).horizontalAdvance(word)
                    # Plain spaces only: no-break spaces hold a partner's name whole.
                    for row in range(rows)
                    for word in model.text(row, column).split(" ")
                ),
                default=0,
            )
            + margin
            + COLUMN_GAP
            for column in WRAPPING_COLUMNS
        ]
        widths = fit_widths(
            [wants[c] for c in WRAPPING_COLUMNS],
            floors,
            [row_widths[c] for c in WRAPPING_COLUMNS],
            available,
        )
        for column, width in zip(WRAPPING_COLUMNS, widths, strict=True):
            header.resizeSection(column, width)

        # Row heights, measured here rather than by resizeRowsToContents(), which asks the
        # model for every role of every cell and takes a noticeable pause with many rows.
        padding = 6
        single = max(plain.height(), bold.height()) + padding
        heights = [single] * rows
        for column, width in zip(WRAPPING_COLUMNS, widths, strict=True):
            for row in range(rows):
                if row_widths[column][row] <= width:
                    continue
                box = metrics(row, column).boundingRect(
                    QRect(0, 0, width - margin, 100_000),
                    Qt.TextFlag.TextWordWrap,
                    model.text(row, column),
                )
                heights[row] = max(heights[row], box.height() + padding)
        self._single_height = single
        self._row_heights = heights
        self._apply_row_heights()

    def _apply_row_heights(self) -> None:
        """Give each shown row the height its wrapped text needs (rows move as filters change)."""
        header = self.table.verticalHeader()
        heights, single = self._row_heights, self._single_height
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0)).row()
            height = heights[source] if 0 <= source < len(heights) else single
            if header.sectionSize(row) != height:
                header.resizeSection(row, height)

    # ------------------------------------------------------------------ state

    def refresh(self) -> None:
        """Take the case's current negotiation cells (only changed rows are repainted).

        Column widths are fitted again only while the page is shown, once per burst of
        changes; a hidden page fits them when it is next shown (answers change on the intake
        pages, and measuring every row there would slow typing down).
        """
        if not self.model.set_cells(self.case.evaluation.negotiation):
            return
        self._layout_dirty = True
        if self.isVisible():
            self._schedule_fit()
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
        _set_text(self.summary_label, "&nbsp;&nbsp;&nbsp;&nbsp;".join(parts))

    def _show_counts(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        _set_text(
            self.shown_label,
            f"Showing all {total} directions" if shown == total else f"Showing {shown} of {total}",
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

    def _cell_at(self, index: QModelIndex) -> NegotiationCell | None:
        """The cell behind a table index.

        Read from our own model, not through QModelIndex.data(): a direct Python call, and
        safe from PySide6 6.12.0's lost references to None (the project pins below it).
        """
        if not index.isValid():
            return None
        return self.model.cell(self.proxy.mapToSource(index).row())

    def current_cell(self) -> NegotiationCell | None:
        return self._cell_at(self.table.currentIndex())

    def open_answer(self, index: QModelIndex) -> None:
        """Show the answer behind a row: the receiver's for the receiver's column."""
        cell = self._cell_at(index)
        if cell is None:
            return
        owner = cell.receiver if index.column() == Column.RECEIVER_ANSWER else cell.giver
        self.navigator.show_answer(owner, f"activity.{cell.activity}")
