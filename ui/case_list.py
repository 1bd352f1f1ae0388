"""The case list: a lazily filled table model over case ids, and the page that shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.services import cases as case_service
from db.services.types import CaseRow, CaseSort, CaseStatus
from ui.theme import severity_colour, severity_icon
from ui.vault_access import VaultGateway

ModelIndex = QModelIndex | QPersistentModelIndex

#: Rows fetched per request; a screenful or two, so the first page paints at once.
PAGE_SIZE = 100


@dataclass(frozen=True)
class _Column:
    title: str
    sort: str | None  # the service's sort key, None when the column cannot sort
    text: Callable[[CaseRow], str]


def _date(value: dt.datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d") if value is not None else "not yet"


def _severity_text(row: CaseRow) -> str:
    severity = row.highest_severity
    return f"{severity_icon(severity)} {severity}" if severity else "none"


COLUMNS: tuple[_Column, ...] = (
    _Column("Case", "label", lambda r: f"{r.label}  [DEMO, fictional]" if r.is_demo else r.label),
    _Column("Partners", None, lambda r: ", ".join(r.partner_names)),
    _Column("Status", "status", lambda r: r.status),
    _Column("Highest indicator", "severity", _severity_text),
    _Column("Last opened", "last_seen", lambda r: _date(r.last_seen_at)),
)


class CaseListModel(QAbstractTableModel):
    """Case ids in display order; each row's details are fetched in pages when first shown.

    The id list comes from one indexed query; rows arrive from the task runner a page at a
    time, so a vault of 10,000 cases paints its first page as fast as one of 100.

    Signals:
        loaded(int): a new id list arrived (its length).
        failed(str): a query failed; the message is safe to show.
    """

    loaded = Signal(int)
    failed = Signal(str)

    def __init__(self, gateway: VaultGateway) -> None:
        super().__init__()
        self._gateway = gateway
        self._ids: list[int] = []
        self._rows: dict[int, CaseRow] = {}
        self._requested_pages: set[int] = set()
        self._generation = 0
        self.sort_key: CaseSort = "-updated"
        self.filter_text = ""
        self.status: CaseStatus | None = None

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        """Fetch the id list again for the current sort and filters."""
        self._generation += 1
        generation = self._generation

        def arrived(ids: list[int]) -> None:
            if generation != self._generation:
                return  # a newer query is on its way
            self.beginResetModel()
            self._ids = ids
            self._rows.clear()
            self._requested_pages.clear()
            self.endResetModel()
            self.loaded.emit(len(ids))

        self._gateway.call(
            case_service.list_case_ids,
            self.sort_key,
            self.filter_text,
            self.status,
            on_done=arrived,
            on_error=self._report,
        )

    def clear(self) -> None:
        """Forget every id and row (the vault is locking)."""
        self._generation += 1
        self.beginResetModel()
        self._ids = []
        self._rows.clear()
        self._requested_pages.clear()
        self.endResetModel()

    def _report(self, error: BaseException) -> None:
        from ui.tasks import describe_error

        self.failed.emit(describe_error(error))

    def _request_page(self, page: int) -> None:
        if page in self._requested_pages:
            return
        self._requested_pages.add(page)
        generation = self._generation
        ids = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]

        def arrived(rows: list[CaseRow]) -> None:
            if generation != self._generation:
                return
            for row in rows:
                self._rows[row.id] = row
            first = page * PAGE_SIZE
            last = min(len(self._ids), first + PAGE_SIZE) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

        self._gateway.call(case_service.case_rows, ids, on_done=arrived, on_error=self._report)

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section].title
        return None

    def row_at(self, row: int) -> CaseRow | None:
        """The loaded row, or None while its page is still on its way."""
        if not 0 <= row < len(self._ids):
            return None
        return self._rows.get(self._ids[row])

    def case_id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row = self.row_at(index.row())
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._request_page(index.row() // PAGE_SIZE)
                return "…"
            return None
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.sort == "severity":
            return severity_colour(row.highest_severity) if row.highest_severity else None
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort is None:
            return
        key = COLUMNS[column].sort
        descending = order == Qt.SortOrder.DescendingOrder
        self.sort_key = f"-{key}" if descending else key  # type: ignore[assignment]
        self.reload()


STATUS_CHOICES: tuple[tuple[str, CaseStatus | None], ...] = (
    ("All statuses", None),
    ("Intake", "intake"),
    ("Active", "active"),
    ("Paused", "paused"),
    ("Closed", "closed"),
)


class CaseListPage(QWidget):
    """The practice's cases: filter, sort, open with Enter or a double click.

    Signals:
        open_case(int): the clinician opened the case with this id.
        new_case_requested(): the clinician asked for a new case.
    """

    open_case = Signal(int)
    new_case_requested = Signal()

    def __init__(self, gateway: VaultGateway, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CaseListModel(gateway)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by case or partner name (Ctrl+F)")
        self.filter_edit.setAccessibleName("Filter cases")
        self.filter_edit.setClearButtonEnabled(True)
        self._filter_delay = QTimer(self)
        self._filter_delay.setSingleShot(True)
        self._filter_delay.setInterval(200)
        self._filter_delay.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._filter_delay.start)
        self.filter_edit.returnPressed.connect(self._focus_table)

        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Filter by status")
        for label, _ in STATUS_CHOICES:
            self.status_combo.addItem(label)
        self.status_combo.currentIndexChanged.connect(self._apply_filter)

        new_button = QPushButton("New case…")
        new_button.setToolTip("New case (Ctrl+N)")
        new_button.clicked.connect(self.new_case_requested)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.status_combo)
        top.addWidget(new_button)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Cases")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(4, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in range(2, len(COLUMNS)):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        self.model.sort_key = "-last_seen"

        self.empty_label = QLabel(
            "No cases yet.\n\nPress Ctrl+N or choose “New case…” to record a first consultation."
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self._stack = QStackedLayout()
        self._stack.addWidget(self.table)
        self._stack.addWidget(self.empty_label)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of cases shown")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self._stack, 1)
        layout.addWidget(self.count_label)
        self.model.loaded.connect(self._loaded)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_filter)

    def reload(self) -> None:
        self.model.reload()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _focus_table(self) -> None:
        self.table.setFocus()
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _apply_filter(self) -> None:
        self.model.filter_text = self.filter_edit.text()
        self.model.status = STATUS_CHOICES[self.status_combo.currentIndex()][1]
        self.model.reload()

    def _loaded(self, count: int) -> None:
        filtered = bool(self.model.filter_text or self.model.status)
        if count == 0 and not filtered:
            self._stack.setCurrentWidget(self.empty_label)
        else:
            self._stack.setCurrentWidget(self.table)
        self.count_label.setText(
            f"{count} case{'s' if count != 1 else ''}" + (" match the filter" if filtered else "")
        )

    def _open_index(self, index: QModelIndex) -> None:
        case_id = self.model.case_id_at(index.row())
        if case_id is not None:
            self.open_case.emit(case_id)
