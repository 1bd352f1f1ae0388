"""The preview of the couple's safety plan: exactly the PDF the couple receives.

The document is the reports package's couple safety plan, built from a frozen snapshot of the
case off the UI thread (on the case's task runner), a short moment after the last edit, and
shown with the app's PDF preview (pages drawn by PDFium off the UI thread). It is the same
builder, with the same guard against clinician-only content, as the document the clinician
saves for the couple; nothing is written to disk. While a critical indicator is not
acknowledged there is no plan to preview: the panel says which indicators to acknowledge
first and offers the way to the indicators page.
"""

from __future__ import annotations

import datetime as dt

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinical.model import CaseSnapshot, Indicator
from reports.document import RenderedReport
from ui.pdf_preview import PdfPreview
from ui.tasks import describe_error
from ui.theme import severity_colour, severity_icon
from ui.workspace.case_session import CaseSession
from ui.workspace.pacing_editors import card, quiet_label, scaled_label, wrapping_label
from ui.workspace.pages import Navigator

#: How long after the last edit the preview is rebuilt (typing does not rebuild per key).
DEBOUNCE_MS = 450
ZOOM_STEP = 1.2


def build_couple_plan(snapshot: CaseSnapshot) -> RenderedReport:
    """The couple's safety plan for `snapshot`, as the couple gets it (runs on the worker)."""
    from reports.safety_plan import render_safety_plan

    return render_safety_plan(snapshot)


def blocking_titles(blocking: tuple[Indicator, ...]) -> list[str]:
    """The titles of the indicators that hold the plan back, each once, in order."""
    return list(dict.fromkeys(indicator.title for indicator in blocking))


class SafetyPlanPreview(QWidget):
    """What the couple will receive, rebuilt after edits.

    Attributes:
        view: the preview of the shown document's pages.
        data: the bytes of the shown document; None before the first one.
        blocked: whether an unacknowledged critical indicator holds the plan back.

    Signals:
        shown(): a freshly built document is shown.
        blocked_changed(bool): the plan became held back, or free again.
    """

    shown = Signal()
    blocked_changed = Signal(bool)

    def __init__(self, case: CaseSession, navigator: Navigator) -> None:
        super().__init__()
        self.case = case
        self.navigator = navigator
        self.data: bytes | None = None
        self.blocked = False
        self.page_count = 0
        self._in_flight = False
        self._again = False
        self._stale = True

        heading = scaled_label("What the couple will receive", 1.1)
        self.status_label = quiet_label("")
        self.status_label.setAccessibleName("Preview status")
        self.zoom_out_button = QPushButton("−")
        self.zoom_out_button.setAccessibleName("Zoom the preview out")
        self.zoom_out_button.setToolTip("Zoom out (Ctrl+-)")
        self.zoom_out_button.clicked.connect(lambda: self.zoom(1 / ZOOM_STEP))
        self.zoom_in_button = QPushButton("+")
        self.zoom_in_button.setAccessibleName("Zoom the preview in")
        self.zoom_in_button.setToolTip("Zoom in (Ctrl+=)")
        self.zoom_in_button.clicked.connect(lambda: self.zoom(ZOOM_STEP))
        self.fit_button = QPushButton("Fit &width")
        self.fit_button.setAccessibleName("Fit the preview to its width")
        self.fit_button.clicked.connect(self.fit_width)
        for button in (self.zoom_out_button, self.zoom_in_button):
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("MMM"))

        self.view = PdfPreview()
        self.view.setAccessibleName("Preview of the couple's safety plan")

        self.waiting_label = wrapping_label("Making the preview…", "Preview status")
        self.waiting_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.blocked_panel = self._build_blocked_panel()
        self.problem_label = wrapping_label("", "Why there is no preview")
        self.problem_panel = card(
            scaled_label("⚠  The plan could not be made", 1.05), self.problem_label
        )
        problem_holder = QWidget()
        problem_layout = QVBoxLayout(problem_holder)
        problem_layout.setContentsMargins(0, 0, 0, 0)
        problem_layout.addWidget(self.problem_panel)
        problem_layout.addStretch(1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.waiting_label)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.blocked_panel)
        self.stack.addWidget(problem_holder)
        self._problem_holder = problem_holder

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.zoom_out_button)
        top.addWidget(self.zoom_in_button)
        top.addWidget(self.fit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(self.stack, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh_now)
        for signal in (
            case.plans_changed,
            case.evaluation_changed,
            case.acknowledgements_changed,
            case.detail_changed,
        ):
            signal.connect(self.schedule)

    def _build_blocked_panel(self) -> QWidget:
        colour = severity_colour("critical").name()
        title = scaled_label(f"{severity_icon('critical')}  The couple's plan waits for you", 1.1)
        title.setStyleSheet(f"color: {colour};")
        self.blocked_label = wrapping_label("", "Indicators to acknowledge first")
        self.blocked_label.setTextFormat(Qt.TextFormat.RichText)
        self.go_to_indicators = QPushButton("&Go to the indicators")
        self.go_to_indicators.setAccessibleName("Go to the indicators page")
        self.go_to_indicators.clicked.connect(lambda: self.navigator.show_page_by_key("indicators"))
        button_row = QHBoxLayout()
        button_row.addWidget(self.go_to_indicators)
        button_row.addStretch(1)
        button_box = QWidget()
        button_box.setLayout(button_row)
        button_row.setContentsMargins(0, 0, 0, 0)
        explanation = quiet_label(
            "A critical indicator must be seen to, and acknowledged with a note, before the "
            "couple takes a plan home. Whose indicator it is shows on the indicators page only: "
            "the couple may be reading this screen with you."
        )
        box = card(title, self.blocked_label, button_box, explanation, spacing=10)
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        layout.addStretch(1)
        return holder

    # ------------------------------------------------------------------ refreshing

    def schedule(self) -> None:
        """Rebuild a moment after the last change; later, if the preview is not on screen."""
        if not self.isVisible():
            self._stale = True
            return
        self.timer.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._stale:
            self.timer.start(0)

    def refresh_now(self) -> None:
        """Rebuild the preview from what is on screen now."""
        self.timer.stop()
        self._stale = False
        snapshot = self.case.snapshot()
        blocking = snapshot.unacknowledged_blocking()
        self._set_blocked(blocking)
        if blocking:
            return
        if self._in_flight:
            self._again = True  # one more build once the running one is back
            return
        self._in_flight = True
        if self.data is None:
            self.stack.setCurrentWidget(self.waiting_label)
        self.status_label.setText("Updating the preview…")
        self.case.gateway.run(
            lambda: build_couple_plan(snapshot), on_done=self._built, on_error=self._failed
        )

    def _set_blocked(self, blocking: tuple[Indicator, ...]) -> None:
        was = self.blocked
        self.blocked = bool(blocking)
        if blocking:
            items = "".join(f"<li>{_escape(title)}</li>" for title in blocking_titles(blocking))
            self.blocked_label.setText(
                "Acknowledge these critical indicators first, then the preview shows here:"
                f"<ul>{items}</ul>"
            )
            self.stack.setCurrentWidget(self.blocked_panel)
            self.status_label.setText("No preview until the critical indicators are acknowledged.")
        for button in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            button.setEnabled(not blocking)
        if was != self.blocked:
            self.blocked_changed.emit(self.blocked)

    def _alive(self) -> bool:
        # Results arrive later on the UI thread; the page may have been closed meanwhile.
        return shiboken6.isValid(self)

    def _built(self, report: RenderedReport) -> None:
        if not self._alive():
            return
        self._in_flight = False
        if self._again:
            self._again = False
            self.refresh_now()
        if self.blocked:
            return  # an indicator fired while this was being built: do not show it
        self._show(report)

    def _failed(self, error: BaseException) -> None:
        if not self._alive():
            return
        self._in_flight = False
        if self._again:
            self._again = False
            self.refresh_now()
            return
        if self.blocked:
            return
        self.problem_label.setText(describe_error(error))
        self.stack.setCurrentWidget(self._problem_holder)
        self.status_label.setText("")

    def _show(self, report: RenderedReport) -> None:
        # The preview keeps the clinician's place in the document across rebuilds.
        self.view.load(report.data)
        self.data = report.data
        self.page_count = report.page_count
        self.stack.setCurrentWidget(self.view)
        pages = f"{report.page_count} page{'s' if report.page_count != 1 else ''}"
        self.status_label.setText(
            f"Exactly what the couple receives · {pages} · updated {dt.datetime.now():%H:%M}"
        )
        self.shown.emit()

    # ------------------------------------------------------------------ zoom

    def zoom(self, factor: float) -> None:
        self.view.zoom(factor)

    def fit_width(self) -> None:
        self.view.fit_width()


def _escape(text: str) -> str:
    import html

    return html.escape(text)
