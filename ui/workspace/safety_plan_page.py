"""The safety-plan page: the couple's plan, prefilled by the engine, edited, and previewed.

Left, what the clinician decides: which mutual-yes activities are agreed, the signal words
and the non-verbal stop signal (required, and flagged until set, when a gag or breath
restriction is in view), each partner's aftercare and the drop check, extra safety rules, a
note for the couple; the crisis contacts from the practice settings are shown. Above them,
what still needs settling before the couple takes the plan home. Right, the preview: the
very PDF the couple receives (see safety_preview).

Each edit builds new SafetyPlanChoices and goes to `case.set_safety_choices` as an undoable
step on the case's undo stack: saved at once, undone with Ctrl+Z.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from clinical.model import NegotiationCell, SafetyPlan, SafetyPlanChoices
from clinical.safety_plan import build_safety_plan, cell_key
from clinical.visibility import couple_visible_facts
from ui.theme import severity_colour
from ui.workspace.case_session import CaseSession
from ui.workspace.pacing_editors import (
    BulletListEdit,
    PlanLineEdit,
    PlanTextEdit,
    card,
    chain_tab_order,
    is_undo_or_redo,
    no_focus_scroll,
    quiet_label,
    scaled_label,
    wrapping_label,
)
from ui.workspace.pacing_undo import push_plan_edit
from ui.workspace.pages import Navigator
from ui.workspace.safety_edits import (
    DROP_CHECK_RANGE,
    with_aftercare,
    with_agreed,
    with_drop_check,
    with_extra_rules,
    with_non_verbal_required,
    with_note,
    with_signal,
)
from ui.workspace.safety_preview import SafetyPlanPreview

PROBLEM_ICON = "⚠"
NON_VERBAL_MISSING = (
    "Required: a gag or breath restriction is agreed or under discussion. Agree a signal "
    "that works without words, and practise it before it is needed."
)
CRISIS_CONTACTS_WHERE = (
    "Crisis contacts come from the practice settings: Practice › Practice settings… (Ctrl+,)."
)


def _problem_label() -> QLabel:
    """An inline problem: icon, words and the warning colour (never colour alone)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {severity_colour('essential').name()};")
    label.hide()
    return label


def _show_problem(label: QLabel, text: str) -> None:
    label.setText(f"{PROBLEM_ICON}  {text}" if text else "")
    label.setVisible(bool(text))


def _bold_label(text: str, buddy: QWidget | None = None) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    if buddy is not None:
        label.setBuddy(buddy)
    return label


class SafetyPlanPage(QWidget):
    """The workspace's safety-plan page (sidebar key "safety-plan").

    Attributes:
        preview: the couple's PDF as they will receive it.
        agreed_boxes: one checkbox per mutual-yes activity and direction, by `cell_key`.
        signal_edits: the signal fields by name (green, yellow, red, non_verbal).
        aftercare_edits: each partner's aftercare field, by partner key.
        plan: the couple-facing plan as the engine builds it from what is on screen.
    """

    def __init__(self, case: CaseSession, navigator: Navigator) -> None:
        super().__init__()
        self.case = case
        self.navigator = navigator
        self.agreed_boxes: dict[str, QCheckBox] = {}
        self._mutual: tuple[NegotiationCell, ...] = ()
        self.plan: SafetyPlan = self._build_plan()

        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 12, 12)
        editor_layout.setSpacing(14)
        self.problems_card = self._build_problems()
        editor_layout.addWidget(self.problems_card)
        editor_layout.addWidget(self._build_agreed())
        editor_layout.addWidget(self._build_signals())
        editor_layout.addWidget(self._build_aftercare())
        editor_layout.addWidget(self._build_rules())
        editor_layout.addWidget(self._build_note())
        editor_layout.addWidget(self._build_contacts())
        editor_layout.addStretch(1)
        scroll = no_focus_scroll(QScrollArea())
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(editor)
        scroll.setMinimumWidth(380)
        self.editor_scroll = scroll

        self.preview = SafetyPlanPreview(case, navigator)
        self.preview.setMinimumWidth(360)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(self.splitter, 1)

        self._build_actions()
        case.plans_changed.connect(self.refresh)
        case.evaluation_changed.connect(self.refresh)
        case.acknowledgements_changed.connect(self.refresh)
        self.refresh()
        self._fix_tab_order()

    # ------------------------------------------------------------------ building

    def _build_problems(self) -> QFrame:
        title = scaled_label(f"{PROBLEM_ICON}  Before the couple takes this home", 1.05)
        title.setStyleSheet(f"color: {severity_colour('essential').name()};")
        self.problems_label = wrapping_label("", "To settle before the couple takes this home")
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        return card(title, self.problems_label, spacing=4)

    def _build_agreed(self) -> QFrame:
        self.agreed_list = QWidget()
        self.agreed_layout = QVBoxLayout(self.agreed_list)
        self.agreed_layout.setContentsMargins(0, 0, 0, 0)
        self.agreed_layout.setSpacing(4)
        self.no_mutual_label = quiet_label("No activity is a yes for both partners yet.")
        self.later_label = wrapping_label("", "Open for later talk")
        self.later_label.setTextFormat(Qt.TextFormat.RichText)
        return card(
            scaled_label("Agreed activities", 1.1),
            quiet_label(
                "Each activity both partners said yes to, in each direction. Untick what the "
                "couple has not agreed to try yet; it moves to “for later talk”."
            ),
            self.agreed_list,
            self.no_mutual_label,
            self.later_label,
        )

    def _build_signals(self) -> QFrame:
        wording = self.case.content.safety.signals
        self.signal_edits: dict[str, PlanLineEdit] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field, label, meaning in (
            ("green", "&Green word", wording.green_meaning),
            ("yellow", "&Yellow word", wording.yellow_meaning),
            ("red", "&Red word", wording.red_meaning),
        ):
            edit = PlanLineEdit(label.replace("&", ""), getattr(wording, field))
            edit.setToolTip(meaning)
            edit.textEdited.connect(lambda text, field=field: self._signal_edited(field, text))
            edit.editingFinished.connect(lambda field=field: self._signal_finished(field))
            self.signal_edits[field] = edit
            row = QVBoxLayout()
            row.setSpacing(0)
            row.addWidget(edit)
            hint = quiet_label(meaning)
            row.addWidget(hint)
            form.addRow(_bold_label(label, edit), row)
        examples = "; ".join(wording.non_verbal_examples)
        non_verbal = PlanLineEdit("Non-verbal stop signal", f"For example: {examples}")
        non_verbal.setToolTip(" ".join(wording.non_verbal_meaning.split()))
        non_verbal.textEdited.connect(lambda text: self._signal_edited("non_verbal", text))
        self.signal_edits["non_verbal"] = non_verbal
        self.non_verbal_problem = _problem_label()
        self.non_verbal_problem.setAccessibleName("Non-verbal signal problem")
        self.non_verbal_source = quiet_label("")
        # Short, so the card fits a 1280-pixel screen: the tooltip says the rest.
        self.require_non_verbal = QCheckBox("Always ask for one")
        self.require_non_verbal.setToolTip(
            "Ask for a non-verbal stop signal even without a gag or breath restriction"
        )
        self.require_non_verbal.setAccessibleName("Always ask for a non-verbal stop signal")
        self.require_non_verbal.toggled.connect(self._require_toggled)
        non_verbal_column = QVBoxLayout()
        non_verbal_column.setSpacing(4)
        non_verbal_column.addWidget(non_verbal)
        non_verbal_column.addWidget(self.non_verbal_source)
        non_verbal_column.addWidget(self.non_verbal_problem)
        non_verbal_column.addWidget(self.require_non_verbal)
        form.addRow(_bold_label("&Non-verbal stop signal", non_verbal), non_verbal_column)
        box = QWidget()
        box.setLayout(form)
        form.setContentsMargins(0, 0, 0, 0)
        return card(scaled_label("Signals", 1.1), box)

    def _build_aftercare(self) -> QFrame:
        prompts = " ".join(self.case.content.safety.aftercare_prompts)
        self.aftercare_edits: dict[str, PlanTextEdit] = {}
        self.aftercare_problems: dict[str, QLabel] = {}
        self.aftercare_sources: dict[str, QLabel] = {}
        column = QVBoxLayout()
        column.setSpacing(6)
        column.setContentsMargins(0, 0, 0, 0)
        for partner in self.case.detail.partners:
            name = self.case.partner_name(partner.key)
            edit = PlanTextEdit(f"Aftercare for {name}", prompts)
            edit.text_edited.connect(
                lambda text, key=partner.key: self._aftercare_edited(key, text)
            )
            self.aftercare_edits[partner.key] = edit
            problem = _problem_label()
            self.aftercare_problems[partner.key] = problem
            source = quiet_label("")
            self.aftercare_sources[partner.key] = source
            column.addWidget(_bold_label(f"{name} ({partner.key})", edit))
            column.addWidget(edit)
            column.addWidget(source)
            column.addWidget(problem)
        self.drop_start = QSpinBox()
        self.drop_end = QSpinBox()
        for spin, name in ((self.drop_start, "from"), (self.drop_end, "to")):
            spin.setRange(*DROP_CHECK_RANGE)
            spin.setSuffix(" hours" if spin is self.drop_end else "")
            spin.setAccessibleName(f"Drop check {name} hours after a scene")
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(self._drop_edited)
        # The label above its row, so the row fits the narrower column at 1280x720.
        drop_title = _bold_label("&Drop check", self.drop_start)
        drop_row = QHBoxLayout()
        drop_row.addWidget(QLabel("Check in with each other"))
        drop_row.addWidget(self.drop_start)
        drop_row.addWidget(QLabel("to"))
        drop_row.addWidget(self.drop_end)
        drop_row.addWidget(QLabel("after a scene"))
        drop_row.addStretch(1)
        holder = QWidget()
        holder.setLayout(column)
        drop_holder = QWidget()
        drop_column = QVBoxLayout(drop_holder)
        drop_column.setContentsMargins(0, 4, 0, 0)
        drop_column.setSpacing(2)
        drop_column.addWidget(drop_title)
        drop_column.addLayout(drop_row)
        return card(scaled_label("Aftercare", 1.1), holder, drop_holder)

    def _build_rules(self) -> QFrame:
        self.rules_edit = BulletListEdit(
            "Extra safety rules", "A rule of your own for this couple (one per line)"
        )
        self.rules_edit.items_edited.connect(self._rules_edited)
        label = scaled_label("E&xtra safety rules", 1.1)
        label.setBuddy(self.rules_edit)
        return card(
            label,
            quiet_label(
                "Added to the rules the plan already lists: the general ones and those of the "
                "agreed activities."
            ),
            self.rules_edit,
        )

    def _build_note(self) -> QFrame:
        self.note_edit = PlanTextEdit(
            "Note for the couple", "A few warm words, or what to bring to the next session"
        )
        self.note_edit.text_edited.connect(self._note_edited)
        label = scaled_label("A note for the &couple", 1.1)
        label.setBuddy(self.note_edit)
        return card(label, self.note_edit)

    def _build_contacts(self) -> QFrame:
        self.contacts_label = wrapping_label("", "Crisis contacts")
        self.contacts_label.setTextFormat(Qt.TextFormat.RichText)
        self.contacts_problem = _problem_label()
        return card(
            scaled_label("Crisis contacts", 1.1),
            self.contacts_label,
            self.contacts_problem,
            quiet_label(CRISIS_CONTACTS_WHERE),
        )

    def _build_actions(self) -> None:
        def action(text: str, keys: QKeySequence, slot: object) -> QAction:
            made = QAction(text, self)
            made.setShortcut(keys)
            made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            made.triggered.connect(slot)
            self.addAction(made)
            return made

        self.refresh_action = action(
            "Refresh the safety-plan preview", QKeySequence("F5"), self.preview.refresh_now
        )
        self.zoom_in_action = action(
            "Zoom the safety-plan preview in",
            QKeySequence("Ctrl+="),
            lambda: self.preview.zoom(1.2),
        )
        self.zoom_out_action = action(
            "Zoom the safety-plan preview out",
            QKeySequence("Ctrl+-"),
            lambda: self.preview.zoom(1 / 1.2),
        )

    def _fix_tab_order(self) -> None:
        preview = self.preview
        chain_tab_order(
            [
                *self.agreed_boxes.values(),
                *self.signal_edits.values(),
                self.require_non_verbal,
                *self.aftercare_edits.values(),
                self.drop_start,
                self.drop_end,
                self.rules_edit,
                self.note_edit,
                preview.zoom_out_button,
                preview.zoom_in_button,
                preview.fit_button,
                preview.view,
                preview.go_to_indicators,
            ]
        )

    # ------------------------------------------------------------------ showing

    @property
    def choices(self) -> SafetyPlanChoices:
        return self.case.plans.safety_choices

    def _build_plan(self) -> SafetyPlan:
        case = self.case
        return build_safety_plan(
            case.intake,
            case.evaluation,
            case.plans.safety_choices,
            case.plans.pacing_plan,
            case.practice.practice_info(),
            acknowledged=tuple(case.acknowledgements),
            content=case.content,
        )

    def refresh(self) -> None:
        """Show the case's choices and what the engine makes of them."""
        self.plan = self._build_plan()
        choices = self.choices
        self._show_agreed(choices)
        for field, edit in self.signal_edits.items():
            edit.set_text_quietly(getattr(choices.signals, field))
        self.require_non_verbal.blockSignals(True)
        self.require_non_verbal.setChecked(choices.signals.non_verbal_required)
        self.require_non_verbal.blockSignals(False)
        self._show_non_verbal(choices)
        for key, aftercare_edit in self.aftercare_edits.items():
            aftercare_edit.set_text_quietly(choices.aftercare.get(key, ""))
        self._show_aftercare(choices)
        for spin, value in zip(
            (self.drop_start, self.drop_end), choices.drop_check_hours, strict=True
        ):
            if spin.value() != value:
                spin.blockSignals(True)
                spin.setValue(value)
                spin.blockSignals(False)
        self.rules_edit.set_items(choices.extra_rules)
        self.note_edit.set_text_quietly(choices.notes_for_couple)
        self._show_contacts()
        self._show_problems()

    def _show_agreed(self, choices: SafetyPlanChoices) -> None:
        never = {a.id for a in self.case.content.activities.values() if a.never_in_plan}
        mutual = tuple(
            cell
            for cell in self.case.evaluation.negotiation
            if cell.status == "mutual-yes" and cell.activity not in never
        )
        if [cell_key(c) for c in mutual] != [cell_key(c) for c in self._mutual]:
            self._rebuild_agreed(mutual)
        self._mutual = mutual
        agreed = (
            {cell_key(cell) for cell in mutual} if choices.agreed is None else set(choices.agreed)
        )
        for key, box in self.agreed_boxes.items():
            if box.isChecked() != (key in agreed):
                box.blockSignals(True)
                box.setChecked(key in agreed)
                box.blockSignals(False)
        self.no_mutual_label.setVisible(not mutual)
        later = [
            f"{item.label} ({self._direction(item.giver, item.receiver)})"
            for item in self.plan.maybe
        ]
        limits = len(self.plan.limits)
        parts = []
        if later:
            parts.append("<b>For later talk:</b> " + _escape("; ".join(later)))
        if limits:
            parts.append(
                f"<b>Hard limits:</b> {limits} listed on the plan, so that both know them."
            )
        self.later_label.setText("<br>".join(parts))
        self.later_label.setVisible(bool(parts))

    def _rebuild_agreed(self, mutual: tuple[NegotiationCell, ...]) -> None:
        while self.agreed_layout.count():
            item = self.agreed_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.agreed_boxes = {}
        tiers = self.case.content.tiers
        indent = self.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + 8
        for cell in mutual:
            key = cell_key(cell)
            tier = tiers[cell.tier].label if cell.tier in tiers else cell.tier
            direction = self._direction(cell.giver, cell.receiver)
            # Short text on the box (a checkbox does not wrap); the direction wraps below it.
            box = QCheckBox(f"{cell.label}  ·  {tier.lower()}")
            box.setAccessibleName(f"Agreed: {cell.label}, {direction}")
            box.toggled.connect(lambda checked, key=key: self._agreed_toggled(key, checked))
            who = quiet_label(direction)
            who.setIndent(indent)
            entry = QWidget()
            entry_layout = QVBoxLayout(entry)
            entry_layout.setContentsMargins(0, 2, 0, 2)
            entry_layout.setSpacing(0)
            # As wide as its words: a click beside them does not tick anything by surprise.
            box.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            entry_layout.addWidget(box, 0, Qt.AlignmentFlag.AlignLeft)
            entry_layout.addWidget(who)
            self.agreed_layout.addWidget(entry)
            self.agreed_boxes[key] = box
        if hasattr(self, "note_edit"):  # after the first build: the page is complete
            self._fix_tab_order()

    def _direction(self, giver: str, receiver: str) -> str:
        if not giver or not receiver:
            return "either of you"
        return f"{self.case.partner_name(giver)} gives, {self.case.partner_name(receiver)} receives"

    def _show_non_verbal(self, choices: SafetyPlanChoices) -> None:
        signals = self.plan.signals
        chosen = choices.signals.non_verbal.strip()
        from_intake = signals.non_verbal if not chosen else ""
        self.non_verbal_source.setText(
            f"From the intake, shared with the couple: “{from_intake}”" if from_intake else ""
        )
        self.non_verbal_source.setVisible(bool(from_intake))
        missing = signals.non_verbal_required and not signals.non_verbal
        _show_problem(self.non_verbal_problem, NON_VERBAL_MISSING if missing else "")
        required = signals.non_verbal_required and not choices.signals.non_verbal_required
        label = "Required for this plan" if required else ""
        self.signal_edits["non_verbal"].setAccessibleDescription(label)

    def _show_aftercare(self, choices: SafetyPlanChoices) -> None:
        fact_id = self.case.content.safety.aftercare_fact
        for key in self.aftercare_edits:
            shared = couple_visible_facts(self.case.intake, key, self.case.content).get(fact_id)
            shared_text = shared.strip() if isinstance(shared, str) else ""
            use_shared = bool(shared_text) and not choices.aftercare.get(key, "").strip()
            source = self.aftercare_sources[key]
            source.setText(
                f"From the intake, shared with the couple: “{shared_text}”" if use_shared else ""
            )
            source.setVisible(use_shared)
            missing = key not in self.plan.aftercare
            name = self.case.partner_name(key)
            _show_problem(
                self.aftercare_problems[key],
                f"Nothing written for {name} yet: the plan leaves a line to fill in by hand."
                if missing
                else "",
            )

    def _show_contacts(self) -> None:
        contacts = self.case.practice.crisis_contacts
        if contacts:
            rows = "".join(
                f"<li><b>{_escape(c.name)}</b> · {_escape(c.phone)}"
                + (f" · {_escape(c.note)}" if c.note else "")
                + "</li>"
                for c in contacts
            )
            self.contacts_label.setText(f"<ul>{rows}</ul>")
        else:
            self.contacts_label.setText("None set yet.")
        _show_problem(
            self.contacts_problem,
            "The plan needs at least one crisis contact." if not contacts else "",
        )

    def _show_problems(self) -> None:
        # An unacknowledged critical indicator is explained by the preview, where the plan is.
        problems = [p for p in self.plan.problems if "critical indicator" not in p]
        self.problems_label.setText(
            "<ul>" + "".join(f"<li>{_escape(p)}</li>" for p in problems) + "</ul>"
        )
        self.problems_card.setVisible(bool(problems))

    # ------------------------------------------------------------------ editing

    def _edit(self, new: SafetyPlanChoices, text: str, merge_key: str | None = None) -> bool:
        return push_plan_edit(
            self.case.undo_stack, self.case.set_safety_choices, self.choices, new, text, merge_key
        )

    def _agreed_toggled(self, key: str, checked: bool) -> None:
        mutual = [cell_key(cell) for cell in self._mutual]
        verb = "Agree" if checked else "Untick"
        self._edit(with_agreed(self.choices, mutual, key, checked), f"{verb} an activity")

    def _signal_edited(self, field: str, text: str) -> None:
        session = self.signal_edits[field].session
        self._edit(
            with_signal(self.choices, field, text), "Change a signal", f"signal-{field}#{session}"
        )

    def _signal_finished(self, field: str) -> None:
        if getattr(self.choices.signals, field).strip():
            return
        # A plan without a stop word is no plan: an emptied word goes back to the usual one.
        word = getattr(self.case.content.safety.signals, field)
        session = self.signal_edits[field].session
        self._edit(
            with_signal(self.choices, field, word), "Change a signal", f"signal-{field}#{session}"
        )
        self.signal_edits[field].set_text_quietly(word)

    def _require_toggled(self, checked: bool) -> None:
        self._edit(with_non_verbal_required(self.choices, checked), "Ask for a non-verbal signal")

    def _aftercare_edited(self, key: str, text: str) -> None:
        session = self.aftercare_edits[key].session
        self._edit(
            with_aftercare(self.choices, key, text),
            "Change aftercare",
            f"aftercare-{key}#{session}",
        )

    def _drop_edited(self) -> None:
        start, end = self.drop_start.value(), self.drop_end.value()
        new = with_drop_check(self.choices, start, end)
        self._edit(new, "Change the drop check", "drop-check")
        # An end before the start follows it (the stored hours are always in order).
        for spin, value in zip((self.drop_start, self.drop_end), new.drop_check_hours, strict=True):
            if spin.value() != value:
                spin.blockSignals(True)
                spin.setValue(value)
                spin.blockSignals(False)

    def _rules_edited(self) -> None:
        session = self.rules_edit.session
        self._edit(
            with_extra_rules(self.choices, self.rules_edit.items()),
            "Change the extra rules",
            f"rules#{session}",
        )

    def _note_edited(self, text: str) -> None:
        session = self.note_edit.session
        self._edit(with_note(self.choices, text), "Change the note", f"note#{session}")

    # ------------------------------------------------------------------ keys

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        # Reached only when no window action took Ctrl+Z (the editors pass it on).
        if event.matches(QKeySequence.StandardKey.Undo):
            self.case.undo_stack.undo()
            event.accept()
            return
        if is_undo_or_redo(event):
            self.case.undo_stack.redo()
            event.accept()
            return
        super().keyPressEvent(event)


def _escape(text: str) -> str:
    import html

    return html.escape(text)
