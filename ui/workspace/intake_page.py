"""A partner's intake form (or the couple's joint answers), generated from the questionnaire.

The page shows a section list with how much of each section is answered, and one scrolling
form: every section with its questions, the screening instruments as rows of radio buttons
under their published stems, the activity list, and a "partner alone" banner over what is asked
with the other partner out of the room. Every change goes through the CaseSession: it is
undoable, re-evaluated at once, and saved off the UI thread. Changes made elsewhere (undo,
redo, an import) come back through `case.answer_changed` and only refresh the widgets.

Keyboard: Tab walks the answers in reading order; arrows and Space choose; Delete clears an
answer; Ctrl+PgDown / Ctrl+PgUp (or Alt+Down / Alt+Up) move between sections; Ctrl+Shift+V
switches who may see the focused answer; Ctrl+Shift+I imports and Ctrl+Shift+E exports a
`parley.intake/1` file.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QFont, QHideEvent, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from clinical.model import Intake
from ui.tasks import describe_error
from ui.workspace.case_session import CaseSession
from ui.workspace.intake_files import export_intake_file, read_intake_file
from ui.workspace.intake_models import (
    ACTIVITY_GRID,
    IntakeSectionsModel,
    SectionPlan,
    plan_sections,
)
from ui.workspace.intake_widgets import (
    ActivityGridEditor,
    AnswerEditor,
    FormContext,
    make_editor,
    text_label,
)
from ui.workspace.pages import Navigator

#: How long closing a case (or locking) waits for the last answers to be saved.
CLOSING_SAVE_WAIT_S = 2.0
#: The file name offered for an export: what it is, never whose it is.
DEFAULT_EXPORT_NAME = "intake.parley.json"


class _SectionDelegate(QStyledItemDelegate):
    """Each section as its title (wrapped, never cut) over how much of it is answered."""

    PADDING = 6

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view

    def _title_rect(self, option: QStyleOptionViewItem, text: str, width: int) -> QRect:
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        return option.fontMetrics.boundingRect(QRect(0, 0, max(width, 10), 10_000), flags, text)

    def sizeHint(  # noqa: N802 (Qt API)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        width = self.view.viewport().width() - 18
        title = self._title_rect(option, str(index.data()), width)
        height = title.height() + option.fontMetrics.height() + 2 + self.PADDING * 2
        return QSize(width, height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        text = option.text
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        answered, total = index.data(IntakeSectionsModel.ProgressRole)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        main = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = main if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        metrics = option.fontMetrics
        rect = option.rect.adjusted(10, self.PADDING, -8, -self.PADDING)
        title = self._title_rect(option, text, rect.width()).translated(rect.topLeft())
        bottom = QRect(rect.left(), title.bottom() + 3, rect.width(), metrics.height())
        progress = f"{answered} of {total} answered"
        if total and answered == total:
            progress = "✓ " + progress
        painter.save()
        painter.setPen(main)
        painter.drawText(
            title.adjusted(0, 0, rect.width() - title.width(), 0),
            int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap),
            text,
        )
        painter.setPen(muted)
        painter.drawText(
            bottom,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            metrics.elidedText(progress, Qt.TextElideMode.ElideRight, bottom.width()),
        )
        painter.restore()


class IntakeSection(QFrame):
    """One section of the form: title, intro and note, then its blocks of questions."""

    def __init__(
        self,
        form: FormContext,
        plan: SectionPlan,
        editors: dict[str, AnswerEditor],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.banners: list[QLabel] = []
        self.editors: list[AnswerEditor] = []
        section = plan.section
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(10)
        title = text_label(section.title, self, scale=1.3, weight=QFont.Weight.Bold)
        title.setAccessibleName(f"Section: {section.title}")
        layout.addWidget(title)
        if section.intro:
            layout.addWidget(text_label(section.intro, self))
        notes = {q.note for q in plan.questions}
        # A note every question repeats is shown there; said once more here it would be noise.
        if section.note and notes != {section.note}:
            layout.addWidget(text_label(section.note, self, muted=True, italic=True))
        questions = {q.id: q for q in plan.questions}
        for block in plan.blocks:
            host: QWidget = self
            block_layout = layout
            if block.asked_alone and form.owner is not None:
                host = QFrame(self)
                host.setObjectName("aloneBlock")
                host.setFrameShape(QFrame.Shape.StyledPanel)
                block_layout = QVBoxLayout(host)
                block_layout.setContentsMargins(0, 0, 0, 6)
                block_layout.setSpacing(10)
                banner = QLabel(host)
                banner.setObjectName("aloneBanner")
                banner.setWordWrap(True)
                banner.setAccessibleName("Asked with the partner alone")
                self.banners.append(banner)
                block_layout.addWidget(banner)
                layout.addWidget(host)
            for item in block.items:
                editor: AnswerEditor
                if item == ACTIVITY_GRID:
                    editor = ActivityGridEditor(form, plan.activity_ids, host)
                else:
                    editor = make_editor(form, questions[item], host)
                block_layout.addWidget(editor)
                self.editors.append(editor)
                for answer_id in editor.answer_ids:
                    editors[answer_id] = editor
        self.update_banners(form)

    def update_banners(self, form: FormContext) -> None:
        for banner in self.banners:
            banner.setText(
                f"Ask with {form.who} alone: the other partner is out of the room for these "
                "questions."
            )

    def first_editor(self) -> AnswerEditor | None:
        return self.editors[0] if self.editors else None


class IntakePage(QWidget):
    """The intake form of one partner (owner = key) or the couple's joint answers (None).

    Attributes:
        owner: the partner key, or None for answers given together.
        editors: the editor of every answer id on the page.
        sections: the section widgets, in order.
        sections_model: the section list's model (progress per section).
    """

    def __init__(self, case: CaseSession, navigator: Navigator, owner: str | None) -> None:
        super().__init__()
        self.case = case
        self.navigator = navigator
        self.owner = owner
        self.form = FormContext(case, owner)
        self.plans = plan_sections(case.content, owner)
        self.editors: dict[str, AnswerEditor] = {}
        self.sections: list[IntakeSection] = []
        self._syncing_list = False
        self._busy_files = False

        # ---- header: whose intake, overall progress, import and export
        if owner is None:
            heading = "Joint answers"
            subtitle = (
                "Questions the couple may answer together. Each partner's own answers are on "
                "their intake page."
            )
        else:
            heading = f"Intake: {case.partner_name(owner)}"
            subtitle = (
                "Answers save as you go. Tab moves through the answers, arrow keys choose, "
                # No-break spaces keep the two shortcuts together when the line wraps.
                "Delete clears; Ctrl+PgDown\u00a0/\u00a0Ctrl+PgUp change\u00a0section."
            )
        self.heading = text_label(heading, self, scale=1.2, weight=QFont.Weight.Bold, wrap=False)
        self.subtitle = text_label(subtitle, self, muted=True)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Intake progress")
        # The count in a label beside a slim bar: text drawn across the bar's fill changes
        # colour in the middle of a digit, which is hard to read.
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(max(6, self.fontMetrics().height() // 3))
        self.progress.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * 9)
        self.progress_label = text_label("", self, muted=True, wrap=False)
        self.import_button = QPushButton("&Import…", self)
        self.export_button = QPushButton("E&xport…", self)
        self.import_button.setAccessibleName("Import an intake file")
        self.export_button.setAccessibleName("Export this intake to a file")
        self.import_button.setToolTip(
            "Replace this case's answers with a parley.intake/1 file (Ctrl+Shift+I)"
        )
        self.export_button.setToolTip(
            "Save this case's answers as a parley.intake/1 file (Ctrl+Shift+E)"
        )
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Import and export messages")
        self.message.hide()

        # ---- section list and form
        self.sections_model = IntakeSectionsModel(self.plans, case.intake, owner, self)
        self.section_list = QListView(self)
        self.section_list.setModel(self.sections_model)
        self.section_list.setItemDelegate(_SectionDelegate(self.section_list))
        self.section_list.setSpacing(1)
        self.section_list.setAccessibleName("Intake sections")
        self.section_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.section_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.section_list.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * 14)
        self.form_scroll = QScrollArea(self)
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form_scroll.setAccessibleName("Intake form")
        self.form_widget = QWidget(self.form_scroll)
        self.form_widget.setObjectName("intakeForm")
        self.form_layout = QVBoxLayout(self.form_widget)
        self.form_layout.setContentsMargins(4, 4, 16, 24)
        self.form_layout.setSpacing(18)
        if not self.plans:
            self.form_layout.addWidget(text_label("This page has no questions.", self.form_widget))
        self.form_layout.addStretch(1)
        self.form_scroll.setWidget(self.form_widget)
        # The first section now, the others one per event-loop turn: the page shows at once
        # and the UI never stalls while the rest is built (see ensure_built).
        self.ensure_built(0)
        if not self.fully_built:
            QTimer.singleShot(0, self, self._build_next_section)

        header = QHBoxLayout()
        header.setSpacing(12)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.heading)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        counted = QVBoxLayout()
        counted.setSpacing(3)
        counted.addWidget(self.progress_label, 0, Qt.AlignmentFlag.AlignRight)
        counted.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignRight)
        header.addLayout(counted)
        header.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignVCenter)
        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(self.section_list)
        body.addWidget(self.form_scroll, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 8, 0)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)

        # ---- actions (listed under Help; active while the focus is on this page)
        self.import_action = self._action(
            "Import an intake file…", "Ctrl+Shift+I", self.choose_import
        )
        self.export_action = self._action(
            "Export the intake to a file…", "Ctrl+Shift+E", self.choose_export
        )
        self.next_section_action = self._action(
            "Next intake section", "Ctrl+PgDown", lambda: self.move_section(1), "Alt+Down"
        )
        self.previous_section_action = self._action(
            "Previous intake section", "Ctrl+PgUp", lambda: self.move_section(-1), "Alt+Up"
        )
        self.visibility_action = self._action(
            "Switch who may see the focused answer", "Ctrl+Shift+V", self.toggle_focused_visibility
        )
        self.import_button.clicked.connect(self.choose_import)
        self.export_button.clicked.connect(self.choose_export)

        # ---- wiring
        selection = self.section_list.selectionModel()
        selection.currentRowChanged.connect(self._section_chosen)
        self.form_scroll.verticalScrollBar().valueChanged.connect(self._sync_section_list)
        case.answer_changed.connect(self._answer_changed)
        case.evaluation_changed.connect(self._evaluation_changed)
        case.detail_changed.connect(self._detail_changed)
        self._update_progress()
        if self.plans:
            self._syncing_list = True
            self.section_list.setCurrentIndex(self.sections_model.index(0, 0))
            self._syncing_list = False

    # ------------------------------------------------------------------ building

    @property
    def fully_built(self) -> bool:
        """Whether every section's widgets exist (they are built progressively)."""
        return len(self.sections) == len(self.plans)

    def ensure_built(self, row: int | None = None) -> None:
        """Build the sections up to `row` (every section for None) now."""
        last = len(self.plans) - 1 if row is None else min(row, len(self.plans) - 1)
        while len(self.sections) <= last:
            plan = self.plans[len(self.sections)]
            section = IntakeSection(self.form, plan, self.editors, self.form_widget)
            # Before the closing stretch; in order, so Tab follows the reading order.
            self.form_layout.insertWidget(len(self.sections), section)
            self.sections.append(section)

    def _build_next_section(self) -> None:
        self.ensure_built(len(self.sections))
        if not self.fully_built:
            QTimer.singleShot(0, self, self._build_next_section)

    def _action(self, text: str, keys: str, slot: object, *more: str) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(keys), *(QKeySequence(k) for k in more)])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # ------------------------------------------------------------------ reacting to the case

    def _answer_changed(self, owner: str | None, answer_id: str) -> None:
        if answer_id == "":  # an import replaced everything
            for editor in self._unique_editors():
                editor.refresh()
            self.sections_model.refresh(self.case.intake)
        elif owner == self.owner:
            changed = self.editors.get(answer_id)
            if changed is None:
                return
            changed.refresh(answer_id)
            self.sections_model.refresh(self.case.intake, answer_id)
        else:
            return
        self._update_progress()

    def _evaluation_changed(self) -> None:
        for editor in self._unique_editors():
            editor.refresh_scores()

    def _detail_changed(self) -> None:
        if self.owner is not None:
            self.heading.setText(f"Intake: {self.case.partner_name(self.owner)}")
        for section in self.sections:
            section.update_banners(self.form)

    def _unique_editors(self) -> list[AnswerEditor]:
        return [editor for section in self.sections for editor in section.editors]

    def _update_progress(self) -> None:
        answered, total = self.sections_model.totals()
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(answered)
        self.progress_label.setText(f"{answered} of {total} answered")
        self.progress.setAccessibleDescription(self.progress_label.text())

    # ------------------------------------------------------------------ sections

    def current_section(self) -> int:
        return max(0, self.section_list.currentIndex().row())

    def _section_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing_list or not current.isValid():
            return
        self.scroll_to_section(current.row())

    def scroll_to_section(self, row: int) -> None:
        """Bring section `row` to the top of the form."""
        self.ensure_built(row)
        self._lay_out()
        section = self.sections[row]
        self.form_scroll.verticalScrollBar().setValue(section.y() - 4)
        self._select_section(row)

    def move_section(self, step: int) -> None:
        """Go to the next (1) or previous (-1) section and focus its first answer."""
        if not self.sections:
            return
        row = min(max(self.current_section() + step, 0), len(self.sections) - 1)
        self.scroll_to_section(row)
        editor = self.sections[row].first_editor()
        if editor is not None:
            editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def _select_section(self, row: int) -> None:
        if self.section_list.currentIndex().row() == row:
            return
        self._syncing_list = True
        try:
            self.section_list.selectionModel().setCurrentIndex(
                self.sections_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect,
            )
        finally:
            self._syncing_list = False

    def _sync_section_list(self, value: int) -> None:
        """Follow the scrolling: the section at the top of the form is the current one."""
        if self._syncing_list or not self.sections:
            return
        bar = self.form_scroll.verticalScrollBar()
        row = 0
        if value >= bar.maximum() > 0:
            # At the very end the last section may be too short to reach the top.
            row = len(self.sections) - 1
        else:
            for index, section in enumerate(self.sections):
                if section.y() <= value + self.form_scroll.viewport().height() // 4:
                    row = index
        self._select_section(row)

    def _lay_out(self) -> None:
        """Apply pending layouts, so that positions are real before scrolling to one."""
        for _ in range(3):
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    # ------------------------------------------------------------------ focus

    def focus_answer(self, answer_id: str) -> None:
        """Scroll to an answer, select its section, focus its first input and highlight it.

        Accepts the ids evidence names, too: "phq9.item9", "activity.gag.giving".
        """
        self.ensure_built()
        editor = self._editor_for(answer_id)
        if editor is None:
            return
        row = next((i for i, s in enumerate(self.sections) if editor in s.editors), None)
        if row is not None:
            self._select_section(row)
        target = editor.focus_target(answer_id)
        self._lay_out()
        # Show the question whole, under its "alone" banner when it opens the block (as far
        # as the height allows), and its first input in any case.
        block = editor.parentWidget()
        if block is not None and block.objectName() == "aloneBlock":
            editors = block.findChildren(AnswerEditor)
            banner = block.findChild(QLabel, "aloneBanner")
            if editors and editors[0] is editor and banner is not None:
                self.form_scroll.ensureWidgetVisible(banner, 20, 20)
        fits = editor.height() < self.form_scroll.viewport().height() - 40
        self.form_scroll.ensureWidgetVisible(editor if fits else target, 20, 40)
        self.form_scroll.ensureWidgetVisible(target, 20, 40)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        editor.highlight(answer_id)
        # The page may have been built a moment ago: scroll again once it has its final size.
        QTimer.singleShot(0, self, lambda: self.form_scroll.ensureWidgetVisible(target, 20, 40))

    def _editor_for(self, answer_id: str) -> AnswerEditor | None:
        candidate = answer_id
        while candidate:
            editor = self.editors.get(candidate)
            if editor is not None:
                return editor
            candidate = candidate.rpartition(".")[0]
        return None

    def commit_pending_edits(self) -> None:
        """Save any free text typed but not saved yet (before a lock, an export or an import)."""
        for editor in self._unique_editors():
            editor.commit_pending()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        # The text fields save what was typed when they hide (and here again, in case they
        # did not hear of it yet). When the case itself is closing (Ctrl+W, or the vault
        # locking), the vault may close as soon as this returns, so those saves are waited
        # for: a few milliseconds, bounded.
        self.commit_pending_edits()
        if self._case_is_closing():
            self._finish_saving(CLOSING_SAVE_WAIT_S)
        super().hideEvent(event)

    def _finish_saving(self, limit_s: float) -> None:
        """Wait (at most `limit_s`) until the case's saves are done and their results are in.

        The results are handed back here, while the case session still exists: it is deleted
        with the workspace before the event loop would deliver them. A save that fails keeps
        its change unsaved; the wait then ends at the limit.
        """
        runner = self.case.gateway.runner
        deadline = time.monotonic() + limit_s
        while self.case.has_unsaved_changes:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            runner.wait_until_idle(remaining)
            # The worker posts a result just after it counts itself idle: deliver it now.
            QApplication.sendPostedEvents(runner, QEvent.Type.MetaCall)
            if self.case.has_unsaved_changes:
                time.sleep(0.002)

    def _case_is_closing(self) -> bool:
        """Whether the workspace holding this page was just taken out of the main window."""
        workspace = self.navigator
        if not isinstance(workspace, QWidget):
            return False
        holder = workspace.parentWidget()
        return isinstance(holder, QStackedWidget) and holder.indexOf(workspace) < 0

    def toggle_focused_visibility(self) -> None:
        """Switch who may see the answer that has the focus (Ctrl+Shift+V)."""
        widget: QWidget | None = QApplication.focusWidget() or self.focusWidget()
        while widget is not None and not isinstance(widget, AnswerEditor):
            widget = widget.parentWidget()
        toggle = widget.visibility_toggle if widget is not None else None
        if toggle is not None and toggle.isEnabled():
            toggle.toggle()

    # ------------------------------------------------------------------ import and export

    def choose_import(self) -> None:
        """Ask for a file, then import it (Ctrl+Shift+I)."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Import an intake file", "", "Parley intake (*.json);;All files (*)"
        )
        if path:
            self.import_from(Path(path), confirm=True)

    def choose_export(self) -> None:
        """Ask where to save, then export (Ctrl+Shift+E)."""
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the intake", DEFAULT_EXPORT_NAME, "Parley intake (*.json)"
        )
        if path:
            self.export_to(Path(path))

    def import_from(self, path: Path, confirm: bool = False) -> None:
        """Read and check `path` off the UI thread; if it fits this case, replace the answers.

        A file that does not load changes nothing and its problem is shown, naming the JSON
        path. With `confirm`, the clinician is asked first (an import cannot be undone).
        """
        self.commit_pending_edits()
        content = self.case.content
        keys = [partner.key for partner in self.case.detail.partners]
        name = path.name
        self._show_message(f"Reading {name}…")

        def loaded(intake: Intake) -> None:
            if confirm and not self._confirm_import(name):
                self._show_message("Import cancelled; nothing changed.")
                return
            self.case.replace_intake(intake)
            self._show_message(f"Imported {name}: the answers of every partner were replaced.")

        def failed(error: BaseException) -> None:
            self._show_message(
                f"Could not import {name}: {describe_error(error)}. Nothing changed.", error=True
            )

        self.case.gateway.run(lambda: read_intake_file(path, content, keys), loaded, failed)

    def _confirm_import(self, name: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Import an intake file",
            f"Replace every answer of this case with the answers in {name}?\n\n"
            "This cannot be undone. Export the current answers first if you may need them.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def export_to(self, path: Path) -> None:
        """Write the case's answers to `path` (atomically, off the UI thread)."""
        self.commit_pending_edits()
        intake = self.case.snapshot().intake
        content = self.case.content
        name = path.name
        self._show_message(f"Exporting to {name}…")
        self.case.gateway.run(
            lambda: export_intake_file(intake, content, path),
            lambda _written: self._show_message(f"Exported the intake to {name}."),
            lambda error: self._show_message(
                f"Could not export: {describe_error(error)}", error=True
            ),
        )

    def _show_message(self, text: str, error: bool = False) -> None:
        self.message.setObjectName("errorMessage" if error else "")
        # The object name drives the style sheet; re-polish so the change shows.
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(("✖ " if error else "") + text)
        self.message.show()
