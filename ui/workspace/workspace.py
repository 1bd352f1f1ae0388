"""The case workspace: a header that always shows the verdict, a sidebar, and the pages."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinical.intake_edit import intake_completeness
from clinical.model import Evaluation
from ui.theme import severity_colour, severity_icon
from ui.workspace.case_session import CaseSession
from ui.workspace.pages import PageSpec, intake_page_key, workspace_pages

#: Severity shown for each disposition: the chip uses the same colour and icon language.
DISPOSITION_SEVERITY = {
    "therapy-essential": "critical",
    "consult-before-high-risk": "essential",
    "lower-risk-start": "recommended",
}
DISPOSITION_ICON = {
    "therapy-essential": "✖",
    "consult-before-high-risk": "▲",
    "lower-risk-start": "✓",
}


def disposition_mark(evaluation: Evaluation) -> tuple[str, str]:
    """(severity level for the colour, mark) of the evaluation's disposition.

    Therapy essential reached through essential indicators only wears their mark and colour:
    the critical cross is never shown without a critical indicator.
    """
    disposition = evaluation.disposition
    if disposition == "therapy-essential" and not any(
        indicator.severity == "critical" for indicator in evaluation.indicators
    ):
        return "essential", severity_icon("essential")
    return DISPOSITION_SEVERITY[disposition], DISPOSITION_ICON[disposition]


class VerdictBar(QFrame):
    """The disposition and medical-coordination flag, visible on every page of the case."""

    def __init__(self, case: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.setObjectName("verdictBar")
        self.disposition_label = QLabel()
        self.disposition_label.setAccessibleName("Disposition")
        self.disposition_label.setTextFormat(Qt.TextFormat.RichText)
        self.medical_label = QLabel()
        self.medical_label.setAccessibleName("Medical coordination")
        self.counts_label = QLabel()
        self.counts_label.setAccessibleName("Indicators by severity")
        self.provisional_label = QLabel()
        self.provisional_label.setAccessibleName("How complete the intakes are")
        self.provisional_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.disposition_label)
        layout.addSpacing(18)
        layout.addWidget(self.medical_label)
        layout.addSpacing(18)
        layout.addWidget(self.provisional_label)
        layout.addStretch(1)
        layout.addWidget(self.counts_label)
        case.evaluation_changed.connect(self.refresh)
        case.acknowledgements_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        evaluation = self.case.evaluation
        disposition = evaluation.disposition
        spec = next((d for d in self.case.content.triage.dispositions if d.id == disposition), None)
        title = spec.title if spec else disposition
        level, icon = disposition_mark(evaluation)
        colour = severity_colour(level).name()
        self.disposition_label.setText(
            f'<span style="color:{colour}; font-weight:600">{icon} {title}</span>'
        )
        self.disposition_label.setToolTip(
            (spec.advice if spec else "") + "\n\n" + "\n".join(evaluation.disposition_reasons)
        )
        if evaluation.medical_coordination:
            self.medical_label.setText(f"{severity_icon('medical')} Medical coordination needed")
            self.medical_label.setStyleSheet(f"color: {severity_colour('medical').name()};")
        else:
            self.medical_label.setText("No medical coordination flagged")
            self.medical_label.setStyleSheet("")
        counts: dict[str, int] = {}
        for indicator in evaluation.indicators:
            counts[indicator.severity] = counts.get(indicator.severity, 0) + 1
        open_critical = sum(
            1
            for i in evaluation.indicators
            if i.blocks_couple_plan and not self.case.is_acknowledged(i)
        )
        self._show_completeness()
        parts = [f"{severity_icon(s)} {n} {s}" for s, n in counts.items()]
        if open_critical:
            parts.append(f"{open_critical} to acknowledge")
        self.counts_label.setText("   ".join(parts) if parts else "No indicators")

    def _show_completeness(self) -> None:
        """Say the verdict is provisional while the intakes are incomplete, and where."""
        completeness = intake_completeness(self.case.intake, self.case.content)
        if completeness.complete:
            self.provisional_label.clear()
            self.provisional_label.setToolTip("")
            return
        self.provisional_label.setText(
            f"Provisional: {completeness.answered} of {completeness.total} answers given"
        )
        tip = "The verdict rests on the answers given so far; unasked questions raise nothing."
        if completeness.empty_sections:
            tip += "\nNothing answered yet in:\n" + "\n".join(
                f"• {self.case.partner_name(key)}: {title}"
                for key, title in completeness.empty_sections
            )
        self.provisional_label.setToolTip(tip)


class Workspace(QWidget):
    """One case: header, verdict bar, sidebar of pages (Ctrl+1..Ctrl+9), the current page.

    Signals:
        close_requested(): the clinician wants to go back to the case list.
    """

    close_requested = Signal()

    def __init__(
        self, case: CaseSession, parent: QWidget | None = None, start_page: str | None = None
    ) -> None:
        super().__init__(parent)
        self.case = case
        self.specs: list[PageSpec] = workspace_pages(case)
        self.pages: dict[str, QWidget] = {}

        self.title_label = title = QLabel(case.detail.summary.label)
        title.setAccessibleName("Case")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        title.setFont(font)
        self.partners_label = partners = QLabel(self._partners_text())
        partners.setAccessibleName("Partners")
        case.detail_changed.connect(self._detail_changed)
        self.save_label = QLabel("All changes saved")
        self.save_label.setAccessibleName("Save status")
        case.save_state_changed.connect(self._save_state_changed)
        self.retry_button = QPushButton("Retry saving")
        self.retry_button.setAccessibleName("Retry saving the changes that failed")
        self.retry_button.clicked.connect(case.retry_saving)
        self.retry_button.hide()
        header = QHBoxLayout()
        header.addWidget(title)
        if case.is_demo:
            demo = QLabel("DEMO, fictional")
            demo.setObjectName("demoBanner")
            demo.setAccessibleName("Demo case, fictional data")
            header.addWidget(demo)
        header.addSpacing(12)
        header.addWidget(partners, 1)
        header.addWidget(self.save_label)
        header.addWidget(self.retry_button)

        self.verdict = VerdictBar(case)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Case sections")
        self.sidebar.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.sidebar.setFixedWidth(230)
        self.stack = QStackedWidget()
        for index, spec in enumerate(self.specs):
            shortcut = f"   Ctrl+{index + 1}" if index < 9 else ""
            item = QListWidgetItem(spec.title)
            item.setToolTip(spec.title + shortcut)
            # A comfortable click target that follows the font size (high DPI, large fonts).
            item.setSizeHint(QSize(0, self.fontMetrics().height() * 2 + 4))
            self.sidebar.addItem(item)
            placeholder = QWidget()  # the page itself is built the first time it is shown
            self.stack.addWidget(placeholder)
        self.sidebar.currentRowChanged.connect(self.show_page)

        body = QHBoxLayout()
        body.setSpacing(0)
        body.addWidget(self.sidebar)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(header)
        layout.addWidget(self.verdict)
        layout.addLayout(body, 1)
        start = next((i for i, s in enumerate(self.specs) if s.key == start_page), 0)
        self.sidebar.setCurrentRow(start)

    def _partners_text(self) -> str:
        return "  ·  ".join(
            f"{p.key}: {p.name}" + (f" ({p.pronouns})" if p.pronouns else "")
            for p in self.case.detail.partners
        )

    def _detail_changed(self) -> None:
        """A label or a partner's details were edited: the header and the sidebar follow."""
        self.title_label.setText(self.case.detail.summary.label)
        self.partners_label.setText(self._partners_text())
        titles = {spec.key: spec.title for spec in workspace_pages(self.case)}
        for index, spec in enumerate(self.specs):
            title = titles.get(spec.key, spec.title)
            self.specs[index] = dataclasses.replace(spec, title=title)
            item = self.sidebar.item(index)
            item.setText(title)
            shortcut = f"   Ctrl+{index + 1}" if index < 9 else ""
            item.setToolTip(title + shortcut)

    def _save_state_changed(self, text: str) -> None:
        self.save_label.setText(text)
        # Offered while something the clinician entered is not yet in the vault.
        self.retry_button.setVisible(
            self.case.has_unsaved_changes and not text.startswith("Saving")
        )

    def show_page(self, index: int) -> None:
        """Show page `index` (building it on first use) and select it in the sidebar."""
        if not 0 <= index < len(self.specs):
            return
        spec = self.specs[index]
        page = self.pages.get(spec.key)
        if page is None:
            page = spec.build(self.case, self)
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self.pages[spec.key] = page
        self.stack.setCurrentWidget(page)
        if self.sidebar.currentRow() != index:
            self.sidebar.setCurrentRow(index)

    def show_page_by_key(self, key: str) -> QWidget | None:
        for index, spec in enumerate(self.specs):
            if spec.key == key:
                self.show_page(index)
                return self.pages.get(key)
        return None

    def show_answer(self, owner: str | None, answer_id: str) -> None:
        """Show the intake page of `owner` with the answer's question in view and focused."""
        page = self.show_page_by_key(intake_page_key(owner))
        focus = getattr(page, "focus_answer", None)
        if callable(focus):
            focus(answer_id)

    def page(self, key: str) -> QWidget | None:
        """The page with this key, building it if needed (for tests and navigation)."""
        current = self.sidebar.currentRow()
        widget = self.show_page_by_key(key)
        self.show_page(current)
        return widget
