"""The template chooser of the pacing page: the engine's suggestions, best first, and an outline.

Each suggestion is a radio button with the reasons the engine gave; the chosen template's
outline (summary, PLISSIT level, stages with their length, what it never includes) shows
below, with "Use this template". Templates the engine did not suggest can be shown too: the
clinician decides, the suggestions only advise.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clinical.content import Content, Template
from clinical.model import PacingSuggestion
from ui.workspace.pacing_editors import (
    card,
    quiet_label,
    scaled_label,
    wrapping_label,
)

NOT_SUGGESTED = "Not suggested by this case's answers."


def template_outline_html(template: Template, content: Content) -> str:
    """The outline of a template as rich text for a label (content text is escaped)."""
    level = content.pacing.plissit_label(template.plissit_level)
    stages = "".join(
        f"<li>{html.escape(stage.title)} "
        f'<span style="white-space:nowrap">({html.escape(stage.typical_length)})</span></li>'
        for stage in template.stages
    )
    exclusions = "".join(
        f"<li>{html.escape(text)}</li>"
        for text in dict.fromkeys((*content.pacing.exclusions, *template.exclusions))
    )
    return (
        f"<p>{html.escape(' '.join(template.summary.split()))}</p>"
        f"<p><b>PLISSIT level:</b> {html.escape(level)} ({template.plissit_level})</p>"
        f"<p><b>Stages</b></p><ol>{stages}</ol>"
        f"<p><b>Never part of it</b></p><ul>{exclusions}</ul>"
    )


class TemplateChooser(QWidget):
    """Suggested templates with their reasons, the chosen one's outline, and "Use this template".

    Signals:
        use_requested(str): the clinician wants this template (id) copied into the case.
        selection_changed(str): another template was chosen in the list.
        rebuilt(): the list was made anew (its buttons are new widgets).
    """

    use_requested = Signal(str)
    selection_changed = Signal(str)
    rebuilt = Signal()

    def __init__(self, content: Content, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self._suggestions: tuple[PacingSuggestion, ...] = ()
        self._shown_ids: tuple[str, ...] = ()
        self._current_plan_template: str | None = None

        heading = scaled_label("Suggested templates", 1.15)
        explanation = quiet_label(
            "Best first, from this case's indicators and interests. Choose one to see its "
            "outline; the case gets its own copy to tailor."
        )
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.buttonToggled.connect(self._toggled)
        self.list_box = QWidget()
        self.list_layout = QVBoxLayout(self.list_box)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(4)
        self.show_all = QCheckBox("Show &every template")
        self.show_all.setAccessibleName("Show every template, not only the suggested ones")
        self.show_all.toggled.connect(lambda _checked: self._rebuild())

        self.outline_title = scaled_label("", 1.05)
        self.outline_title.setWordWrap(True)
        self.outline = wrapping_label("", "Outline of the chosen template")
        self.outline.setTextFormat(Qt.TextFormat.RichText)
        self.use_button = QPushButton("&Use this template")
        self.use_button.setAccessibleName("Use this template for the case")
        self.use_button.setToolTip("Copy this template into the case's plan (Ctrl+Shift+U)")
        self.use_button.clicked.connect(self._use)
        self.in_use_label = quiet_label("")
        use_row = QHBoxLayout()
        use_row.setContentsMargins(0, 0, 0, 0)
        use_row.addWidget(self.use_button)
        use_row.addStretch(1)
        use_box = QWidget()
        use_box.setLayout(use_row)
        # The button sits under the title, where it is seen without scrolling.
        self.outline_card = card(self.outline_title, use_box, self.in_use_label, self.outline)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addWidget(self.list_box)
        layout.addWidget(self.show_all)
        layout.addSpacing(4)
        layout.addWidget(self.outline_card)
        layout.addStretch(1)

    # ------------------------------------------------------------------ state

    def set_suggestions(self, suggestions: tuple[PacingSuggestion, ...]) -> None:
        """Show the engine's current suggestions (the choice is kept when still listed)."""
        if suggestions == self._suggestions and self._shown_ids:
            return
        self._suggestions = suggestions
        self._rebuild()

    def set_plan_template(self, template_id: str | None) -> None:
        """Say which template the case's plan was copied from (it is chosen when first shown)."""
        first_time = self._current_plan_template is None and template_id is not None
        self._current_plan_template = template_id
        if first_time and template_id is not None and template_id not in self._shown_ids:
            self.show_all.setChecked(True)
        if first_time and template_id is not None:
            self.select(template_id)
        self._show_outline()

    def focus_order(self) -> list[QWidget]:
        """The chooser's fields in the order Tab should visit them."""
        return [*self.group.buttons(), self.show_all, self.use_button]

    def selected_template(self) -> str | None:
        button = self.group.checkedButton()
        if button is None:
            return None
        value = button.property("templateId")
        return value if isinstance(value, str) else None

    def select(self, template_id: str) -> bool:
        for button in self.group.buttons():
            if button.property("templateId") == template_id:
                button.setChecked(True)
                return True
        return False

    def shown_templates(self) -> tuple[str, ...]:
        """Template ids in the order they are listed."""
        return self._shown_ids

    # ------------------------------------------------------------------ building

    def _rebuild(self) -> None:
        keep = self.selected_template()
        had_focus = self.list_box.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        for button in self.group.buttons():
            self.group.removeButton(button)
        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

        entries: list[tuple[str, str, tuple[str, ...]]] = [
            (s.template_id, f"{s.rank}. {s.title}", s.reasons)
            for s in self._suggestions
            if s.template_id in self.content.templates
        ]
        if self.show_all.isChecked() or not entries:
            listed = {template_id for template_id, _, _ in entries}
            entries += [
                (template.id, template.title, (NOT_SUGGESTED,))
                for template in self.content.templates.values()
                if template.id not in listed
            ]
        self._shown_ids = tuple(template_id for template_id, _, _ in entries)
        for template_id, text, reasons in entries:
            entry = QFrame()
            entry_layout = QVBoxLayout(entry)
            entry_layout.setContentsMargins(0, 4, 0, 4)
            entry_layout.setSpacing(2)
            radio = QRadioButton(text)
            radio.setProperty("templateId", template_id)
            radio.setAccessibleName(text)
            radio.setAccessibleDescription(" ".join(reasons))
            bold = radio.font()
            bold.setBold(True)
            radio.setFont(bold)
            self.group.addButton(radio)
            entry_layout.addWidget(radio)
            if reasons == (NOT_SUGGESTED,):
                why = quiet_label(NOT_SUGGESTED)
            else:
                why = wrapping_label("\n".join(f"• {reason}" for reason in reasons))
            why.setIndent(24)
            entry_layout.addWidget(why)
            self.list_layout.addWidget(entry)

        target = keep if keep in self._shown_ids else self._current_plan_template
        if target not in self._shown_ids:
            target = self._shown_ids[0] if self._shown_ids else None
        if target is not None:
            self.select(target)
            if had_focus:
                checked = self.group.checkedButton()
                if checked is not None:
                    checked.setFocus()
        self._show_outline()
        self.rebuilt.emit()

    def _toggled(self, button: QRadioButton, checked: bool) -> None:
        if checked:
            self._show_outline()
            template_id = button.property("templateId")
            if isinstance(template_id, str):
                self.selection_changed.emit(template_id)

    def _show_outline(self) -> None:
        template_id = self.selected_template()
        template = self.content.templates.get(template_id) if template_id else None
        self.outline_card.setVisible(template is not None)
        if template is None:
            return
        self.outline_title.setText(template.title)
        self.outline.setText(template_outline_html(template, self.content))
        in_use = template.id == self._current_plan_template
        self.in_use_label.setText("The case's plan was made from this template." if in_use else "")
        self.in_use_label.setVisible(in_use)
        self.use_button.setText(
            "&Use a fresh copy of this template" if in_use else "&Use this template"
        )

    def _use(self) -> None:
        template_id = self.selected_template()
        if template_id is not None:
            self.use_requested.emit(template_id)
