"""The pacing-plan page: choose a suggested template, then tailor the case's own copy.

Left, the engine's suggested templates, best first with their reasons, and the outline of the
chosen one with "Use this template". Right, the case's plan: its title, the stage the couple
is on now (prominent, with step back and next stage), the stages in order (add, remove,
reorder, mark as current), the chosen stage's form, and what the plan never includes.

Every edit builds a new frozen PacingPlan and goes to `case.set_pacing_plan` as an undoable
step on the case's undo stack: saved at once, undone and redone with Ctrl+Z / Ctrl+Shift+Z.

Keyboard: Ctrl+Shift+U uses the chosen template; Ctrl+Shift+N adds a stage after the chosen
one; Ctrl+Shift+Delete removes it; Ctrl+Shift+Up / Down move it; Ctrl+Shift+M marks it as the
current stage; Ctrl+Shift+PgDown / PgUp move the couple on a stage or back.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from clinical.errors import UnknownTemplateError
from clinical.model import PacingPlan
from clinical.pacing import plan_from_template
from ui.workspace.case_session import CaseSession
from ui.workspace.pacing_chooser import TemplateChooser
from ui.workspace.pacing_editors import (
    PlanLineEdit,
    bullet_html,
    card,
    chain_tab_order,
    is_undo_or_redo,
    no_focus_scroll,
    quiet_label,
    scaled_label,
    wrapping_label,
)
from ui.workspace.pacing_edits import (
    blank_stage,
    with_current_stage,
    with_stage_added,
    with_stage_items,
    with_stage_moved,
    with_stage_removed,
    with_stage_text,
    with_title,
)
from ui.workspace.pacing_models import PacingStageModel, now_text
from ui.workspace.pacing_stage_editor import StageEditor
from ui.workspace.pacing_undo import push_plan_edit
from ui.workspace.pages import Navigator

#: Undo texts (shown in Edit > Undo ...).
FIELD_NAMES = {
    "title": "stage title",
    "typical_length": "typical length",
    "homework": "homework",
    "check_ins": "check-ins",
    "advance_criteria": "when to move on",
    "stop_criteria": "when to stop",
}


def _scroll(widget: QWidget) -> QScrollArea:
    area = no_focus_scroll(QScrollArea())
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


class _WrappedTextDelegate(QStyledItemDelegate):
    """Items as tall as their text wrapped at the list's width: a long stage title wraps
    instead of pushing the stage's length out of its row."""

    def __init__(self, view: QListView, padding: tuple[int, int]) -> None:
        super().__init__(view)
        self.view = view
        self.padding = padding

    def sizeHint(  # noqa: N802 (Qt API)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        across, down = self.padding
        width = max(10, self.view.viewport().width() - 2 * across - 2 * self.view.spacing() - 4)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        text = str(index.data() or "")
        bounds = option.fontMetrics.boundingRect(QRect(0, 0, width, 10_000), flags, text)
        return QSize(width, bounds.height() + 2 * down + 2)


class PacingPlanPage(QWidget):
    """The workspace's pacing-plan page (sidebar key "pacing").

    Attributes:
        chooser: the suggested templates and the chosen one's outline.
        stage_model: the stages of the case's plan (PacingStageModel).
        stage_list: the list of stages.
        stage_editor: the chosen stage's form.
        replace_box: the question asked before an edited plan is replaced (while open).
    """

    def __init__(self, case: CaseSession, navigator: Navigator) -> None:
        super().__init__()
        self.case = case
        self.navigator = navigator
        self.replace_box: QMessageBox | None = None

        # ---- left: templates
        self.chooser = TemplateChooser(case.content)
        self.chooser.use_requested.connect(self.use_template)
        self.chooser.rebuilt.connect(self._fix_tab_order)
        left = _scroll(self.chooser)
        left.setMinimumWidth(300)

        # ---- right: the case's plan
        self.empty_state = self._build_empty_state()
        self.editor = self._build_editor()
        self.body = QStackedWidget()
        self.body.addWidget(self.empty_state)
        self.body.addWidget(self.editor)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.body)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 7)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(self.splitter, 1)

        self._build_actions()
        case.plans_changed.connect(self.refresh)
        case.evaluation_changed.connect(self._evaluation_changed)
        self._evaluation_changed()
        self.refresh()
        self._fix_tab_order()
        self.setFocusProxy(self.stage_list if self.plan is not None else self.chooser)

    # ------------------------------------------------------------------ building

    def _build_empty_state(self) -> QWidget:
        title = scaled_label("No pacing plan yet", 1.2)
        text = wrapping_label(
            "Choose a template on the left (the suggestions are ranked for this case) and "
            "press “Use this template”. The case gets its own copy: rename it, change the "
            "stages, the homework and the criteria, and mark the stage the couple is on."
        )
        box = card(title, text, spacing=10)
        box.setMaximumWidth(560)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(16, 0, 0, 0)
        holder_layout.addWidget(box)
        holder_layout.addStretch(1)
        return holder

    def _build_editor(self) -> QWidget:
        # Plan title and origin.
        self.title_edit = PlanLineEdit("Plan title", "What this plan is called")
        title_font = self.title_edit.font()
        if title_font.pointSizeF() > 0:
            title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self.title_edit.setFont(title_font)
        self.title_edit.textEdited.connect(self._title_edited)
        self.title_edit.editingFinished.connect(self._title_finished)
        title_label = QLabel("Plan &title")
        title_label.setBuddy(self.title_edit)
        self.origin_label = wrapping_label("", "Template and PLISSIT level")

        # The stage the couple is on now.
        self.now_label = scaled_label("", 1.35)
        self.now_label.setAccessibleName("Current stage")
        self.now_stage_label = wrapping_label("", "Current stage title")
        now_font = self.now_stage_label.font()
        if now_font.pointSizeF() > 0:
            now_font.setPointSizeF(now_font.pointSizeF() * 1.1)
        self.now_stage_label.setFont(now_font)
        self.step_back_button = QPushButton("◀  Step &back")
        self.step_back_button.setToolTip("The couple goes back a stage (Ctrl+Shift+PgUp)")
        self.step_back_button.clicked.connect(lambda: self.move_current_stage(-1))
        self.next_stage_button = QPushButton("&Next stage  ▶")
        self.next_stage_button.setToolTip(
            "The couple moves on to the next stage (Ctrl+Shift+PgDown)"
        )
        self.next_stage_button.clicked.connect(lambda: self.move_current_stage(1))
        now_text_column = QVBoxLayout()
        now_text_column.setSpacing(2)
        now_text_column.addWidget(self.now_label)
        now_text_column.addWidget(self.now_stage_label)
        now_row = QHBoxLayout()
        now_row.addLayout(now_text_column, 1)
        now_row.addWidget(self.step_back_button, 0, Qt.AlignmentFlag.AlignVCenter)
        now_row.addWidget(self.next_stage_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.now_card = QFrame()
        self.now_card.setObjectName("nowCard")
        # Prominent without a colour of its own: the palette's highlight, light or dark.
        self.now_card.setStyleSheet(
            "QFrame#nowCard { border: 2px solid palette(highlight); border-radius: 6px;"
            " background: palette(base); }"
        )
        self.now_card.setLayout(now_row)
        now_row.setContentsMargins(16, 10, 12, 10)

        # Stages.
        self.stage_model = PacingStageModel(self)
        self.stage_list = QListView()
        self.stage_list.setModel(self.stage_model)
        self.stage_list.setAccessibleName("Stages of the plan")
        self.stage_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stage_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.stage_list.setWordWrap(True)
        # Titles wrap to the column's width; a sideways scroll bar would only hide them.
        self.stage_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stage_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.stage_list.setUniformItemSizes(False)
        self.stage_list.setSpacing(2)
        self.stage_list.setStyleSheet("QListView::item { padding: 4px 6px; }")
        self.stage_list.setItemDelegate(_WrappedTextDelegate(self.stage_list, padding=(6, 4)))
        self.stage_list.selectionModel().currentChanged.connect(self._stage_chosen)
        stages_label = scaled_label("Sta&ges", 1.05)
        stages_label.setBuddy(self.stage_list)
        self.add_button = QPushButton("&Add stage")
        self.add_button.setToolTip("Add a stage after the chosen one (Ctrl+Shift+N)")
        self.add_button.clicked.connect(self.add_stage)
        self.remove_button = QPushButton("&Remove stage")
        self.remove_button.setToolTip("Remove the chosen stage (Ctrl+Shift+Delete)")
        self.remove_button.clicked.connect(self.remove_stage)
        self.up_button = QPushButton("Move u&p")
        self.up_button.setToolTip("Move the chosen stage earlier (Ctrl+Shift+Up)")
        self.up_button.clicked.connect(lambda: self.move_stage(-1))
        self.down_button = QPushButton("Move do&wn")
        self.down_button.setToolTip("Move the chosen stage later (Ctrl+Shift+Down)")
        self.down_button.clicked.connect(lambda: self.move_stage(1))
        self.mark_button = QPushButton("Mar&k as current")
        self.mark_button.setToolTip("The couple is on the chosen stage now (Ctrl+Shift+M)")
        self.mark_button.clicked.connect(self.mark_current)
        buttons = QGridLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.add_button, 0, 0)
        buttons.addWidget(self.remove_button, 0, 1)
        buttons.addWidget(self.up_button, 1, 0)
        buttons.addWidget(self.down_button, 1, 1)
        buttons.addWidget(self.mark_button, 2, 0, 1, 2)

        self.exclusions_label = wrapping_label("", "Never part of this plan")
        self.exclusions_label.setTextFormat(Qt.TextFormat.RichText)
        exclusions = card(
            scaled_label("Never part of this plan", 1.0),
            self.exclusions_label,
            quiet_label("Every plan excludes these; they cannot be edited."),
            spacing=4,
        )

        stages_column = QWidget()
        stages_layout = QVBoxLayout(stages_column)
        stages_layout.setContentsMargins(0, 0, 8, 0)
        stages_layout.addWidget(stages_label)
        stages_layout.addWidget(self.stage_list, 1)
        stages_layout.addLayout(buttons)
        stages_column.setMinimumWidth(230)

        self.stage_editor = StageEditor()
        self.stage_editor.text_edited.connect(self._stage_text_edited)
        self.stage_editor.text_finished.connect(self._stage_text_finished)
        self.stage_editor.items_edited.connect(self._stage_items_edited)
        stage_column = QWidget()
        stage_column_layout = QVBoxLayout(stage_column)
        stage_column_layout.setContentsMargins(0, 0, 8, 0)
        stage_column_layout.setSpacing(16)
        stage_column_layout.addWidget(self.stage_editor)
        stage_column_layout.addWidget(exclusions)
        stage_column_layout.addStretch(1)
        stage_scroll = _scroll(stage_column)
        stage_scroll.setMinimumWidth(320)

        self.stage_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.stage_splitter.setChildrenCollapsible(False)
        self.stage_splitter.addWidget(stages_column)
        self.stage_splitter.addWidget(stage_scroll)
        self.stage_splitter.setStretchFactor(0, 2)
        self.stage_splitter.setStretchFactor(1, 3)

        editor = QWidget()
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(16, 0, 0, 0)
        layout.setSpacing(10)
        title_row = QHBoxLayout()
        title_row.addWidget(title_label)
        title_row.addWidget(self.title_edit, 1)
        layout.addLayout(title_row)
        layout.addWidget(self.origin_label)
        layout.addWidget(self.now_card)
        layout.addWidget(self.stage_splitter, 1)
        editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return editor

    def _build_actions(self) -> None:
        def action(text: str, keys: str, slot: object) -> QAction:
            made = QAction(text, self)
            made.setShortcut(QKeySequence(keys))
            made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            made.triggered.connect(slot)
            self.addAction(made)
            return made

        self.use_action = action("Use the chosen pacing template", "Ctrl+Shift+U", self._use_chosen)
        self.add_action = action("Add a pacing stage", "Ctrl+Shift+N", self.add_stage)
        self.remove_action = action("Remove the pacing stage", "Ctrl+Shift+Del", self.remove_stage)
        self.up_action = action(
            "Move the pacing stage up", "Ctrl+Shift+Up", lambda: self.move_stage(-1)
        )
        self.down_action = action(
            "Move the pacing stage down", "Ctrl+Shift+Down", lambda: self.move_stage(1)
        )
        self.mark_action = action(
            "Mark the pacing stage as current", "Ctrl+Shift+M", self.mark_current
        )
        self.next_action = action(
            "Move the couple to the next stage",
            "Ctrl+Shift+PgDown",
            lambda: self.move_current_stage(1),
        )
        self.back_action = action(
            "Move the couple back a stage", "Ctrl+Shift+PgUp", lambda: self.move_current_stage(-1)
        )

    def _fix_tab_order(self) -> None:
        editor = self.stage_editor
        chain_tab_order(
            [
                *self.chooser.focus_order(),
                self.title_edit,
                self.step_back_button,
                self.next_stage_button,
                self.stage_list,
                self.add_button,
                self.remove_button,
                self.up_button,
                self.down_button,
                self.mark_button,
                editor.title_edit,
                editor.length_edit,
                *editor.lists.values(),
            ]
        )

    # ------------------------------------------------------------------ reading

    @property
    def plan(self) -> PacingPlan | None:
        """The case's plan as it is now."""
        return self.case.plans.pacing_plan

    def chosen_stage(self) -> int:
        """The stage chosen in the list (-1 when none)."""
        index = self.stage_list.currentIndex()
        return index.row() if index.isValid() else -1

    # ------------------------------------------------------------------ showing

    def _evaluation_changed(self) -> None:
        self.chooser.set_suggestions(self.case.evaluation.pacing_suggestions)

    def refresh(self) -> None:
        """Show the case's plan (after an edit, an undo, or another page's change)."""
        plan = self.plan
        self.chooser.set_plan_template(plan.template_id if plan is not None else None)
        if plan is None:
            self.body.setCurrentWidget(self.empty_state)
            self.stage_model.set_plan(None)
            self._update_enabled()
            return
        self.body.setCurrentWidget(self.editor)
        chosen = self.chosen_stage()
        self.stage_model.set_plan(plan)
        self.title_edit.set_text_quietly(plan.title)
        template = self.case.content.templates.get(plan.template_id)
        origin = f"From the template “{template.title}”" if template else "Tailored plan"
        self.origin_label.setText(f"{origin} · PLISSIT level: {plan.plissit_level}")
        self.now_label.setText(now_text(plan))
        stage = plan.stage
        self.now_stage_label.setText(stage.title if stage is not None else "")
        exclusions = dict.fromkeys((*self.case.content.pacing.exclusions, *plan.exclusions))
        self.exclusions_label.setText(bullet_html(exclusions))
        if not 0 <= chosen < len(plan.stages):
            chosen = min(max(plan.current_stage, 0), len(plan.stages) - 1)
        self.stage_editor.setEnabled(bool(plan.stages))
        if not plan.stages:
            self.stage_editor.index = -1
            self.stage_editor.heading.setText("Add a stage to fill it in")
        else:
            self.choose_stage(chosen)
            self.stage_editor.show_stage(plan, chosen)
        self._update_enabled()

    def choose_stage(self, index: int) -> None:
        """Choose stage `index` in the list (its form shows on the right)."""
        model_index = self.stage_model.index(index, 0)
        if model_index.isValid() and self.stage_list.currentIndex() != model_index:
            self.stage_list.selectionModel().setCurrentIndex(
                model_index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        elif model_index.isValid() and not self.stage_list.selectionModel().isSelected(model_index):
            self.stage_list.selectionModel().select(
                model_index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def _stage_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        plan = self.plan
        if plan is not None and current.isValid():
            self.stage_editor.show_stage(plan, current.row())
        self._update_enabled()

    def _update_enabled(self) -> None:
        plan = self.plan
        has_plan = plan is not None
        chosen = self.chosen_stage()
        count = len(plan.stages) if plan is not None else 0
        current = plan.current_stage if plan is not None else -1
        self.add_action.setEnabled(has_plan)
        self.add_button.setEnabled(has_plan)
        for widget in (self.remove_button, self.remove_action):
            widget.setEnabled(has_plan and count > 1 and chosen >= 0)
        for widget in (self.up_button, self.up_action):
            widget.setEnabled(has_plan and chosen > 0)
        for widget in (self.down_button, self.down_action):
            widget.setEnabled(has_plan and 0 <= chosen < count - 1)
        for widget in (self.mark_button, self.mark_action):
            widget.setEnabled(has_plan and chosen >= 0 and chosen != current)
        on_a_stage = 0 <= current < count
        for widget in (self.step_back_button, self.back_action):
            widget.setEnabled(has_plan and on_a_stage and current > 0)
        for widget in (self.next_stage_button, self.next_action):
            widget.setEnabled(has_plan and on_a_stage and current < count - 1)

    # ------------------------------------------------------------------ choosing a template

    def _use_chosen(self) -> None:
        template_id = self.chooser.selected_template()
        if template_id is not None:
            self.use_template(template_id)

    def use_template(self, template_id: str) -> None:
        """Copy a template into the case; an edited plan is replaced only after asking."""
        fresh = plan_from_template(template_id, self.case.content)
        plan = self.plan
        if plan is None or plan == fresh:
            self._replace_plan(fresh)
            return
        if not self._is_edited(plan):
            self._replace_plan(fresh)
            return
        self._ask_before_replacing(fresh)

    def _is_edited(self, plan: PacingPlan) -> bool:
        """Whether the plan differs from a fresh copy of its template (progress counts)."""
        try:
            return plan != plan_from_template(plan.template_id, self.case.content)
        except UnknownTemplateError:
            return True

    def _ask_before_replacing(self, fresh: PacingPlan) -> None:
        if self.replace_box is not None:
            self.replace_box.close()
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Replace the pacing plan?")
        box.setText(f"Replace the case's tailored plan with a fresh copy of “{fresh.title}”?")
        box.setInformativeText(
            "Your changes to the stages, and the stage the couple is on, are replaced. "
            "Ctrl+Z brings the tailored plan back."
        )
        replace = box.addButton("&Replace the plan", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("&Keep the tailored plan", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)

        def answered() -> None:
            if box.clickedButton() is replace:
                self._replace_plan(fresh)
            self.replace_box = None
            box.deleteLater()

        box.finished.connect(answered)
        self.replace_box = box
        box.open()

    def _replace_plan(self, fresh: PacingPlan) -> None:
        old = self.plan
        text = f"Use the template “{fresh.title}”"
        push_plan_edit(self.case.undo_stack, self.case.set_pacing_plan, old, fresh, text)
        self.choose_stage(self.plan.current_stage if self.plan is not None else 0)
        self.stage_list.setFocus()

    # ------------------------------------------------------------------ editing the plan

    def _edit(self, new: PacingPlan, text: str, merge_key: str | None = None) -> bool:
        old = self.plan
        if old is None:
            return False
        return push_plan_edit(
            self.case.undo_stack, self.case.set_pacing_plan, old, new, text, merge_key
        )

    def _title_edited(self, text: str) -> None:
        plan = self.plan
        if plan is not None:
            self._edit(
                with_title(plan, text), "Rename the plan", f"plan-title#{self.title_edit.session}"
            )

    def _title_finished(self) -> None:
        plan = self.plan
        if plan is not None and not plan.title.strip():
            # A plan needs a name on the documents: give it back its template's.
            template = self.case.content.templates.get(plan.template_id)
            title = template.title if template is not None else "Pacing plan"
            self._edit(
                with_title(plan, title), "Rename the plan", f"plan-title#{self.title_edit.session}"
            )
            self.title_edit.set_text_quietly(title)

    def _stage_text_edited(self, field: str, text: str, session: int) -> None:
        plan, index = self.plan, self.stage_editor.index
        if plan is None or not 0 <= index < len(plan.stages):
            return
        self._edit(
            with_stage_text(plan, index, field, text),
            f"Change the {FIELD_NAMES[field]}",
            f"stage-{index}-{field}#{session}",
        )

    def _stage_text_finished(self, field: str) -> None:
        plan, index = self.plan, self.stage_editor.index
        if field != "title" or plan is None or not 0 <= index < len(plan.stages):
            return
        if not plan.stages[index].title.strip():
            title = f"Stage {index + 1}"
            session = self.stage_editor.title_edit.session
            self._edit(
                with_stage_text(plan, index, "title", title),
                "Change the stage title",
                f"stage-{index}-title#{session}",
            )
            self.stage_editor.title_edit.set_text_quietly(title)

    def _stage_items_edited(self, field: str, items: object, session: int) -> None:
        plan, index = self.plan, self.stage_editor.index
        if plan is None or not 0 <= index < len(plan.stages) or not isinstance(items, tuple):
            return
        self._edit(
            with_stage_items(plan, index, field, items),
            f"Change the {FIELD_NAMES[field]}",
            f"stage-{index}-{field}#{session}",
        )

    def add_stage(self) -> None:
        """Add an empty stage after the chosen one and put the cursor in its title."""
        plan = self.plan
        if plan is None:
            return
        after = self.chosen_stage() if self.chosen_stage() >= 0 else len(plan.stages) - 1
        length = plan.stages[after].typical_length if 0 <= after < len(plan.stages) else ""
        if self._edit(with_stage_added(plan, after, blank_stage(length)), "Add a stage"):
            self.choose_stage(after + 1)
            self.stage_editor.title_edit.setFocus()
            self.stage_editor.title_edit.selectAll()

    def remove_stage(self) -> None:
        """Remove the chosen stage (a plan keeps at least one; Ctrl+Z brings it back)."""
        plan, index = self.plan, self.chosen_stage()
        if plan is None or index < 0:
            return
        if self._edit(with_stage_removed(plan, index), "Remove a stage"):
            self.choose_stage(min(index, len(plan.stages) - 2))

    def move_stage(self, offset: int) -> None:
        """Move the chosen stage earlier (-1) or later (+1); it stays chosen."""
        plan, index = self.plan, self.chosen_stage()
        if plan is None or index < 0:
            return
        if self._edit(with_stage_moved(plan, index, offset), "Move a stage"):
            self.choose_stage(index + offset)

    def mark_current(self) -> None:
        """The couple is on the chosen stage now."""
        plan, index = self.plan, self.chosen_stage()
        if plan is not None and index >= 0:
            self._edit(with_current_stage(plan, index), "Mark the current stage")

    def move_current_stage(self, offset: int) -> None:
        """Move the couple on (+1) or back (-1) a stage."""
        plan = self.plan
        if plan is None:
            return
        target = plan.current_stage + offset
        if self._edit(with_current_stage(plan, target), "Move to another stage"):
            self.choose_stage(target)

    # ------------------------------------------------------------------ keys

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        # Reached only when no window action took Ctrl+Z (the editors pass it on): the
        # case's undo stack still answers it while this page has focus.
        if event.matches(QKeySequence.StandardKey.Undo):
            self.case.undo_stack.undo()
            event.accept()
            return
        if is_undo_or_redo(event):
            self.case.undo_stack.redo()
            event.accept()
            return
        super().keyPressEvent(event)
