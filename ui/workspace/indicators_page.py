"""The indicators panel: the disposition explained, and every referral indicator with its why.

Top: the disposition in words, its advice and reasons, and the medical-coordination flag.
Below, on the left, the indicators grouped by severity (icon, word and colour); on the right,
the chosen indicator: whose it is, rationale, recommended action, the evidence as readable
lines (click or Enter opens the answer), sources, and its acknowledgement. Critical indicators
say to see the partner alone and that they block the couple's safety plan until acknowledged.

Keyboard: arrows move through the indicators, Enter goes to the evidence and Enter again opens
the answer, Escape comes back, Ctrl+K acknowledges. Everything updates live as answers change.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from clinical.model import Acknowledgement, Indicator
from ui.theme import severity_colour, severity_icon
from ui.workspace.case_session import CaseSession
from ui.workspace.indicator_acknowledge import AcknowledgeDialog
from ui.workspace.indicator_models import (
    INDICATOR_ROLE,
    SEVERITY_ROLE,
    EvidenceListModel,
    IndicatorTreeModel,
)
from ui.workspace.indicator_text import (
    KINK_IS_NOT_A_RISK,
    MEDICAL_COORDINATION_MEANING,
    NO_INDICATORS_MEANING,
    NO_INDICATORS_TITLE,
    NO_MEDICAL_COORDINATION,
    SOURCES_HEADING,
    EvidenceLine,
    describe_evidence,
    describe_source,
    indicator_heading,
    name_partners,
    whose,
)
from ui.workspace.pages import Navigator
from ui.workspace.workspace import disposition_mark


def _scaled_font(label: QLabel, factor: float, bold: bool = True) -> None:
    font = label.font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    label.setFont(font)


def _wrapping_label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setAccessibleName(name)
    return label


def _section_heading(text: str) -> QLabel:
    label = QLabel(text)
    _scaled_font(label, 1.0)
    return label


def _when(at: dt.datetime) -> str:
    local = at.astimezone() if at.tzinfo is not None else at
    return f"{local:%d %b %Y} at {local:%H:%M}"


def _reasons_html(reasons: list[str]) -> str:
    """ "Why:" and the reasons; more than three go in two columns so the card stays short."""
    if len(reasons) == 1:
        return "<b>Why:</b> " + reasons[0]
    bullets = [f"•&nbsp;{reason}" for reason in reasons]
    if len(bullets) <= 3:
        return "<b>Why:</b><br>" + "<br>".join(bullets)
    half = (len(bullets) + 1) // 2
    columns = "".join(
        f'<td style="padding-right:24px" valign="top">{"<br>".join(part)}</td>'
        for part in (bullets[:half], bullets[half:])
    )
    return f"<b>Why:</b><table cellspacing=0 cellpadding=0><tr>{columns}</tr></table>"


class _WrappingDelegate(QStyledItemDelegate):
    """Row heights that follow the text wrapped at the view's width (item views do not)."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802 (Qt API)
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        wrapped = QStyleOptionViewItem(option)
        width = self._view.viewport().width() - depth * self._view.indentation()
        wrapped.rect = QRect(0, 0, max(width, 80), 1)  # a valid rect, or the style will not wrap
        return super().sizeHint(wrapped, index)


class IndicatorTreeView(QTreeView):
    """The indicators list: rows grow to hold wrapped titles, re-measured on resize."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_WrappingDelegate(self))
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()


class EvidenceView(QListView):
    """Evidence lines; a click, Enter or Return opens the answer, Escape goes back.

    Signals:
        open_requested(QModelIndex): the line whose answer should be shown.
        back_requested(): the clinician wants to return to the indicator list.
    """

    open_requested = Signal(QModelIndex)
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setSpacing(2)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.clicked.connect(self.open_requested)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.open_requested.emit(index)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.back_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        # Tall enough for every line, wrapped at the current width: the detail pane scrolls,
        # not this list.
        model = self.model()
        delegate = self.itemDelegate()
        height = 2 * self.frameWidth() + 2 * self.spacing()
        if model is not None and delegate is not None:
            option = QStyleOptionViewItem()
            self.initViewItemOption(option)
            width = max(self.viewport().width(), 200) - 2 * self.spacing()
            option.rect = QRect(0, 0, width, 1)  # a valid rect, or the style will not wrap
            for row in range(model.rowCount()):
                index = model.index(row, 0)
                height += delegate.sizeHint(option, index).height() + 2 * self.spacing()
        return QSize(super().sizeHint().width(), max(height, 32))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.sizeHint()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().resizeEvent(event)
        # Wrapped lines change height with the width.
        self.updateGeometry()


class IndicatorDetail(QWidget):
    """The chosen indicator in full, or a severity group's meaning when a group is chosen.

    Signals:
        acknowledge_requested(): the clinician pressed Acknowledge.
        evidence_open_requested(EvidenceLine): open the answer behind this evidence line.
        back_requested(): Escape in the evidence list.
    """

    acknowledge_requested = Signal()
    evidence_open_requested = Signal(object)
    back_requested = Signal()

    def __init__(self, case: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.indicator: Indicator | None = None
        self.evidence_model = EvidenceListModel(self)

        self.severity_label = QLabel()
        self.severity_label.setAccessibleName("Severity")
        self.title_label = _wrapping_label(name="Indicator")
        _scaled_font(self.title_label, 1.25)
        self.whose_label = _wrapping_label(name="Whose indicator")
        self.critical_notice = _wrapping_label(name="Critical indicator: what it requires")
        self.critical_notice.setObjectName("criticalNotice")
        self.critical_notice.setTextFormat(Qt.TextFormat.RichText)
        self.rationale_label = _wrapping_label(name="Why it matters")
        self.action_label = _wrapping_label(name="Recommended action")
        self.evidence_heading = QLabel("&Evidence (click or press Enter to open the answer)")
        _scaled_font(self.evidence_heading, 1.0)
        self.evidence_view = EvidenceView()
        self.evidence_view.setAccessibleName("Evidence: the answers behind this indicator")
        self.evidence_view.setModel(self.evidence_model)
        self.evidence_heading.setBuddy(self.evidence_view)
        self.evidence_view.open_requested.connect(self._open_evidence)
        self.evidence_view.back_requested.connect(self.back_requested)
        self.evidence_model.modelReset.connect(self.evidence_view.updateGeometry)
        self.sources_label = _wrapping_label(name="Sources")
        self.sources_label.setTextFormat(Qt.TextFormat.RichText)
        self.acknowledgement_label = _wrapping_label(name="Acknowledgement")
        self.acknowledgement_label.setTextFormat(Qt.TextFormat.RichText)
        self.acknowledge_button = QPushButton("&Acknowledge…")
        self.acknowledge_button.setAccessibleName("Acknowledge this indicator")
        self.acknowledge_button.setToolTip("Acknowledge with a note (Ctrl+K)")
        self.acknowledge_button.clicked.connect(self.acknowledge_requested)

        indicator_page = QWidget()
        layout = QVBoxLayout(indicator_page)
        layout.setContentsMargins(4, 4, 12, 12)
        layout.setSpacing(6)
        header = QHBoxLayout()
        heading = QVBoxLayout()
        heading.setSpacing(4)
        heading.addWidget(self.severity_label)
        heading.addWidget(self.title_label)
        heading.addWidget(self.whose_label)
        header.addLayout(heading, 1)
        header.addWidget(self.acknowledge_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)
        layout.addWidget(self.acknowledgement_label)
        layout.addSpacing(4)
        layout.addWidget(self.critical_notice)
        layout.addSpacing(6)
        layout.addWidget(_section_heading("Why it matters"))
        layout.addWidget(self.rationale_label)
        layout.addSpacing(6)
        layout.addWidget(_section_heading("What to do"))
        layout.addWidget(self.action_label)
        layout.addSpacing(6)
        layout.addWidget(self.evidence_heading)
        layout.addWidget(self.evidence_view)
        layout.addSpacing(6)
        layout.addWidget(_section_heading(SOURCES_HEADING))
        layout.addWidget(self.sources_label)
        layout.addStretch(1)

        self.group_title = _wrapping_label(name="Severity group")
        _scaled_font(self.group_title, 1.25)
        self.group_text = _wrapping_label(name="What this severity means")
        group_page = QWidget()
        group_layout = QVBoxLayout(group_page)
        group_layout.setContentsMargins(4, 4, 12, 12)
        group_layout.addWidget(self.group_title)
        group_layout.addWidget(self.group_text)
        group_layout.addStretch(1)

        self.pages = QStackedWidget()
        self.pages.addWidget(indicator_page)
        self.pages.addWidget(group_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

    # ------------------------------------------------------------------ showing

    def show_indicator(self, indicator: Indicator, pending: bool = False) -> None:
        """Fill the pane with one indicator; `pending`: its acknowledgement is being saved."""
        self.indicator = indicator
        case = self.case
        content = case.content
        colour = severity_colour(indicator.severity).name()
        label = content.triage.severities[indicator.severity].label
        self.severity_label.setText(f"{severity_icon(indicator.severity)}  {label}")
        self.severity_label.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.title_label.setText(indicator.title)
        person = whose(indicator.partner, case.partner_name)
        self.whose_label.setText(f"Concerns {person}")
        acknowledgement = case.acknowledgements.get(indicator.key)
        self._show_critical_notice(indicator, person, acknowledgement)
        self.rationale_label.setText(indicator.rationale)
        self.action_label.setText(indicator.action)
        self.evidence_model.set_lines(
            [
                describe_evidence(
                    evidence,
                    content,
                    case.partner_name,
                    case.evaluation,
                    lambda owner, answer_id: case.visibility(owner, answer_id) == "clinician-only",
                )
                for evidence in indicator.evidence
            ]
        )
        self.evidence_view.updateGeometry()
        self.sources_label.setText(
            "<br>".join(html.escape(describe_source(s)) for s in indicator.sources)
        )
        self._show_acknowledgement(indicator, acknowledgement, pending)
        self.pages.setCurrentIndex(0)

    def _show_critical_notice(
        self, indicator: Indicator, person: str, acknowledgement: Acknowledgement | None
    ) -> None:
        lines: list[str] = []
        if indicator.requires_individual_follow_up:
            alone = "each partner" if indicator.partner is None else html.escape(person)
            lines.append(f"<b>See {alone} alone</b> for follow-up before going on together.")
        if indicator.blocks_couple_plan:
            if acknowledgement is None:
                lines.append(
                    "<b>Blocks the couple's safety plan until acknowledged.</b> "
                    "Acknowledge it once you have followed it up."
                )
            else:
                lines.append("Acknowledged: it no longer blocks the couple's safety plan.")
        self.critical_notice.setVisible(bool(lines))
        self.critical_notice.setText("<br>".join(lines))
        # Once acknowledged the notice steps back: a quiet border instead of the alarm colour.
        colour = (
            "palette(mid)"
            if acknowledgement is not None
            else severity_colour(indicator.severity).name()
        )
        self.critical_notice.setStyleSheet(
            f"QLabel#criticalNotice {{ border: 2px solid {colour}; border-radius: 6px;"
            " padding: 8px 10px; }"
        )

    def _show_acknowledgement(
        self, indicator: Indicator, acknowledgement: Acknowledgement | None, pending: bool
    ) -> None:
        if pending:
            self.acknowledgement_label.setText("Saving the acknowledgement…")
        elif acknowledgement is None:
            self.acknowledgement_label.setText("Not acknowledged yet.")
        else:
            by = html.escape(acknowledgement.by) if acknowledgement.by else "the clinician"
            note = html.escape(acknowledgement.note) if acknowledgement.note else "(no note)"
            self.acknowledgement_label.setText(
                f"✓ Acknowledged by {by} on {_when(acknowledgement.at)}: “{note}”"
            )
        self.acknowledge_button.setEnabled(not pending)
        self.acknowledge_button.setText(
            "&Acknowledge…" if acknowledgement is None else "&Acknowledge again…"
        )

    def show_group(self, severity: str, members: list[Indicator]) -> None:
        """Say what a severity group means and how many of its indicators wait."""
        self.indicator = None
        spec = self.case.content.triage.severities[severity]  # type: ignore[index]
        count = len(members)
        self.group_title.setText(
            f"{severity_icon(severity)}  {spec.label}: {count} indicator{'s' if count != 1 else ''}"
        )
        self.group_title.setStyleSheet(f"color: {severity_colour(severity).name()};")
        lines = []
        if spec.requires_individual_follow_up:
            lines.append("Each needs follow-up with the partner concerned, alone.")
        if spec.blocks_couple_plan:
            waiting = sum(1 for i in members if not self.case.is_acknowledged(i))
            lines.append(
                "Each blocks the couple's safety plan until you acknowledge it"
                + (f" ({waiting} still to acknowledge)." if waiting else "; all are acknowledged.")
            )
        lines.append("Choose an indicator on the left to see its reasons, evidence and sources.")
        self.group_text.setText("\n\n".join(lines))
        self.pages.setCurrentIndex(1)

    def _open_evidence(self, index: QModelIndex) -> None:
        line = self.evidence_model.line(index.row())
        if isinstance(line, EvidenceLine):
            self.evidence_open_requested.emit(line)


class DispositionCard(QFrame):
    """The disposition in words, its advice and reasons, and the medical-coordination flag."""

    def __init__(self, case: CaseSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.setObjectName("card")
        self.title_label = QLabel()
        self.title_label.setAccessibleName("Disposition")
        _scaled_font(self.title_label, 1.3)
        self.advice_label = _wrapping_label(name="What the disposition means")
        self.reasons_label = _wrapping_label(name="Reasons for the disposition")
        self.reasons_label.setTextFormat(Qt.TextFormat.RichText)
        self.medical_label = _wrapping_label(name="Medical coordination")
        self.medical_label.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.advice_label)
        layout.addWidget(self.reasons_label)
        layout.addSpacing(2)
        layout.addWidget(self.medical_label)

    def refresh(self) -> None:
        evaluation = self.case.evaluation
        disposition = evaluation.disposition
        spec = next((d for d in self.case.content.triage.dispositions if d.id == disposition), None)
        severity, mark = disposition_mark(evaluation)
        colour = severity_colour(severity).name()
        title = spec.title if spec else disposition
        self.title_label.setText(f"{mark}  {title}")
        self.title_label.setStyleSheet(f"color: {colour};")
        self.advice_label.setText(spec.advice.strip() if spec else "")
        keys = tuple(p.key for p in self.case.detail.partners)
        reasons = [
            html.escape(name_partners(reason, self.case.partner_name, keys))
            for reason in evaluation.disposition_reasons
        ]
        self.reasons_label.setText(_reasons_html(reasons))
        if evaluation.medical_coordination:
            medical_colour = severity_colour("medical").name()
            self.medical_label.setText(
                f'<span style="color:{medical_colour}; font-weight:600">'
                f"{severity_icon('medical')} Medical coordination needed.</span> "
                + html.escape(MEDICAL_COORDINATION_MEANING)
            )
        else:
            self.medical_label.setText(
                "<b>No medical coordination flagged.</b> " + html.escape(NO_MEDICAL_COORDINATION)
            )


class IndicatorsPage(QWidget):
    """The workspace's indicators page (sidebar key "indicators").

    Attributes:
        model: the indicators grouped by severity (IndicatorTreeModel).
        tree: the list of indicators.
        detail: the chosen indicator in full.
        acknowledge_action: Ctrl+K, acknowledge the chosen indicator with a note.
    """

    def __init__(self, case: CaseSession, navigator: Navigator) -> None:
        super().__init__()
        self.case = case
        self.navigator = navigator
        self._shown: object = None
        self._pending: set[str] = set()

        self.disposition = DispositionCard(case)

        severity_labels = {
            str(key): spec.label for key, spec in case.content.triage.severities.items()
        }
        self.model = IndicatorTreeModel(case.partner_name, severity_labels, self)
        self.tree = IndicatorTreeView()
        self.tree.setAccessibleName("Indicators by severity")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setIndentation(18)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setStyleSheet("QTreeView::item { padding: 5px 4px; }")
        self.model.modelReset.connect(self.tree.expandAll)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.activated.connect(self._tree_activated)
        list_heading = QLabel("&Indicators")
        _scaled_font(list_heading, 1.1)
        list_heading.setBuddy(self.tree)
        hint = QLabel("↑↓ choose · Enter: evidence · Ctrl+K: acknowledge")
        hint.setWordWrap(True)
        hint.setEnabled(False)  # quiet, secondary text

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.addWidget(list_heading)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(hint)

        self.detail = IndicatorDetail(case)
        self.detail.acknowledge_requested.connect(self.acknowledge_current)
        self.detail.evidence_open_requested.connect(self.open_evidence)
        self.detail.back_requested.connect(lambda: self.tree.setFocus())
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.detail)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail_scroll = scroll

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)

        self.empty_state = self._build_empty_state()
        self.body = QStackedWidget()
        self.body.addWidget(self.splitter)
        self.body.addWidget(self.empty_state)

        self.save_problem = QLabel("")
        self.save_problem.setObjectName("errorMessage")
        self.save_problem.setWordWrap(True)
        self.save_problem.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(12)
        layout.addWidget(self.disposition)
        layout.addWidget(self.save_problem)
        layout.addWidget(self.body, 1)

        self.acknowledge_action = QAction("Acknowledge indicator…", self)
        self.acknowledge_action.setShortcut(QKeySequence("Ctrl+K"))
        self.acknowledge_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.acknowledge_action.triggered.connect(self.acknowledge_current)
        self.addAction(self.acknowledge_action)

        case.evaluation_changed.connect(self.refresh)
        case.acknowledgements_changed.connect(self._acknowledgements_changed)
        case.save_failed.connect(self._save_failed)
        self.refresh()
        first = self.model.first_indicator_index()
        if first.isValid():
            self.tree.setCurrentIndex(first)
        self.setFocusProxy(self.tree)

    def _build_empty_state(self) -> QWidget:
        card = QFrame()
        card.setObjectName("card")
        title = QLabel(f"✓  {NO_INDICATORS_TITLE}")
        title.setAccessibleName("No indicators")
        _scaled_font(title, 1.25)
        meaning = _wrapping_label(NO_INDICATORS_MEANING, "What no indicators means")
        kink = _wrapping_label(KINK_IS_NOT_A_RISK, "A reminder")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(meaning)
        layout.addWidget(kink)
        outer = QWidget()
        outer_layout = QVBoxLayout(outer)
        outer_layout.setContentsMargins(0, 0, 0, 0)
        outer_layout.addWidget(card)
        outer_layout.addStretch(1)
        return outer

    # ------------------------------------------------------------------ state

    def current_indicator(self) -> Indicator | None:
        value = self.model.data(self.tree.currentIndex(), INDICATOR_ROLE)
        return value if isinstance(value, Indicator) else None

    def select_indicator(self, key: str) -> bool:
        """Make the indicator with this Indicator.key current; False if it is not shown."""
        index = self.model.indicator_index(key)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            return True
        return False

    def refresh(self) -> None:
        """Bring everything up to date with the case (cheap when nothing changed)."""
        case = self.case
        evaluation = case.evaluation
        state = (
            evaluation.disposition,
            evaluation.disposition_reasons,
            evaluation.medical_coordination,
            evaluation.indicators,
            tuple(sorted(case.acknowledgements.items())),
            frozenset(self._pending),
        )
        if state == self._shown:
            return
        self._shown = state
        self.disposition.refresh()
        current = self.current_indicator()
        current_key = current.key if current is not None else None
        self.model.set_indicators(evaluation.indicators, case.acknowledgements)
        has_any = self.model.rowCount() > 0
        self.body.setCurrentWidget(self.splitter if has_any else self.empty_state)
        self.acknowledge_action.setEnabled(has_any)
        if not has_any:
            return
        index = self.tree.currentIndex()
        if not index.isValid() and not (current_key and self.select_indicator(current_key)):
            self.tree.setCurrentIndex(self.model.first_indicator_index())
        self._show_current()

    def _acknowledgements_changed(self) -> None:
        self._pending = {key for key in self._pending if key not in self.case.acknowledgements}
        self.save_problem.hide()
        self.refresh()

    def _save_failed(self, message: str) -> None:
        if self._pending:
            self._pending.clear()
            self.save_problem.setText(f"The acknowledgement was not saved: {message}")
            self.save_problem.show()
            self.refresh()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()

    def _show_current(self) -> None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return
        indicator = self.model.data(index, INDICATOR_ROLE)
        if isinstance(indicator, Indicator):
            self.detail.show_indicator(indicator, pending=indicator.key in self._pending)
            self.acknowledge_action.setEnabled(indicator.key not in self._pending)
        else:
            severity = self.model.data(index, SEVERITY_ROLE)
            members = [i for i in self.model.indicators() if i.severity == severity]
            self.detail.show_group(str(severity), members)
            self.acknowledge_action.setEnabled(False)

    # ------------------------------------------------------------------ actions

    def _tree_activated(self, index: QModelIndex) -> None:
        if isinstance(self.model.data(index, INDICATOR_ROLE), Indicator):
            self.focus_evidence()

    def focus_evidence(self) -> None:
        """Move the keyboard to the current indicator's evidence, its first line chosen."""
        view = self.detail.evidence_view
        if self.detail.evidence_model.rowCount() == 0:
            return
        if not view.currentIndex().isValid():
            view.setCurrentIndex(self.detail.evidence_model.index(0))
        view.setFocus(Qt.FocusReason.TabFocusReason)
        self.detail_scroll.ensureWidgetVisible(view)

    def open_evidence(self, line: EvidenceLine) -> None:
        """Show the answer an evidence line quotes, on its owner's intake page."""
        self.navigator.show_answer(line.owner, line.answer_id)

    def acknowledge_current(self) -> None:
        """Ask for a note and acknowledge the current indicator (Ctrl+K)."""
        indicator = self.current_indicator()
        if indicator is None or indicator.key in self._pending:
            return
        heading = indicator_heading(indicator, self.case.partner_name)
        consequence = (
            "Once acknowledged, it no longer blocks the couple's safety plan. It stays listed."
            if indicator.blocks_couple_plan
            else "It stays listed, marked as acknowledged, with your note."
        )
        previous = self.case.acknowledgements.get(indicator.key)
        dialog = AcknowledgeDialog(heading, consequence, previous.note if previous else "", self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.acknowledge(indicator, dialog.note_text())

    def acknowledge(self, indicator: Indicator, note: str) -> None:
        """Record the acknowledgement in the vault (off the UI thread); the pane says so."""
        self._pending.add(indicator.key)
        self.save_problem.hide()
        self.case.acknowledge(indicator, note, by=self.case.practice.clinician_name or "")
        self.refresh()
