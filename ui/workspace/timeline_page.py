"""The case timeline: intake, consents, answers, acknowledged indicators, plan changes, notes,
measures and reports, newest first.

Read from the vault's records and audit chain whenever the page is shown and whenever the case
changes while it is in view. Enter or a double-click opens what a line concerns: a note on the
notes page, a measure on the measures page, an acknowledgement on the indicators page.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.services.timeline import TimelineEntry, case_timeline
from ui.workspace.case_session import CaseSession
from ui.workspace.notes_store import records_for
from ui.workspace.pages import Navigator
from ui.workspace.timeline_model import ENTRY_ROLE, TimelineModel


class TimelineTable(QTableView):
    """The timeline's table; Enter opens the current line, like a double-click."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.doubleClicked.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class TimelinePage(QWidget):
    """The workspace's timeline page (sidebar key "timeline").

    Attributes:
        model: the entries in words (TimelineModel), checked by the model tester in tests.
        loads: how many times the timeline was read (for tests).
    """

    def __init__(self, case: CaseSession, navigator: Navigator) -> None:
        super().__init__()
        self.case = case
        self.navigator = navigator
        self.records = records_for(case)
        self.loads = 0
        self.model = TimelineModel(case)
        self.table = TimelineTable()
        self.table.setAccessibleName("Case timeline, newest first")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        # Room around each line: the timeline is read, not edited.
        self.table.setStyleSheet("QTableView::item { padding: 4px 12px; }")
        self.table.verticalHeader().setDefaultSectionSize(
            int(self.fontMetrics().lineSpacing() * 1.9)
        )
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.open_entry)
        intro = QLabel(
            "What happened in this case, newest first. Open a line (Enter or double-click) to "
            "see the note, measure or indicator it concerns."
        )
        intro.setWordWrap(True)
        intro.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorMessage")
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)

        # Changes while the page is in view refresh it, a moment later and once.
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(300)
        self.refresh_timer.timeout.connect(self.reload)
        for signal in (
            self.records.notes_changed,
            self.records.measures_changed,
            self.records.psychotherapy_changed,
            case.acknowledgements_changed,
            case.plans_changed,
        ):
            signal.connect(self._changed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.reload()

    def _changed(self) -> None:
        if self.isVisible():
            self.refresh_timer.start()

    def reload(self) -> None:
        """Read the timeline from the vault (on the task runner)."""
        alive = self.records.alive

        def loaded(entries: tuple[TimelineEntry, ...]) -> None:
            if not alive():
                return
            self.loads += 1
            self.error_label.hide()
            self.model.set_entries(entries)

        def failed(error: BaseException) -> None:
            if alive():
                self.error_label.setText("The timeline could not be read; try again shortly.")
                self.error_label.show()

        self.case.gateway.call(case_timeline, self.case.case_id, on_done=loaded, on_error=failed)

    def open_entry(self, index: QModelIndex) -> None:
        """Show what a line concerns on its page."""
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, TimelineEntry):
            return
        if entry.kind == "measure-recorded":
            page = self.navigator.show_page_by_key("measures")
            show = getattr(page, "show_series", None)
            if callable(show):
                show(str(entry.detail.get("partner")), str(entry.detail.get("instrument")))
            return
        if entry.kind == "psychotherapy-note-written":
            page = self.navigator.show_page_by_key("notes")
            private = entry.detail.get("private_id")
            select = getattr(page, "select_psychotherapy_note", None)
            if callable(select) and isinstance(private, int):
                select(private)
            return
        if entry.note_id is not None:
            page = self.navigator.show_page_by_key("notes")
            select = getattr(page, "select_note", None)
            if callable(select):
                select(entry.note_id)
            return
        if entry.kind == "indicator-acknowledged":
            self.navigator.show_page_by_key("indicators")
        elif entry.kind in ("plan-changed",) and entry.detail.get("plan") == "pacing":
            self.navigator.show_page_by_key("pacing")
        elif entry.kind == "plan-changed" and entry.detail.get("plan") == "safety":
            self.navigator.show_page_by_key("safety-plan")
