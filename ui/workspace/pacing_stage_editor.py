"""The form for one stage of the case's pacing plan: title, length, homework and criteria."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from clinical.model import PacingPlan
from ui.workspace.pacing_editors import BulletListEdit, PlanLineEdit, quiet_label, scaled_label
from ui.workspace.pacing_models import stage_heading

#: (field, label with mnemonic, accessible name, placeholder) of the stage's lists.
LIST_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("homework", "&Homework", "Homework", "What the couple does between sessions"),
    ("check_ins", "&Check-ins", "Check-ins", "When and how you check in with them"),
    (
        "advance_criteria",
        "Ready to move &on when",
        "Ready to move on when",
        "What shows they are ready for the next stage",
    ),
    (
        "stop_criteria",
        "&Stop or step back when",
        "Stop or step back when",
        "What means pause, or go back a stage",
    ),
)


class StageEditor(QWidget):
    """Edits one stage; reports each change with the field it concerns.

    Signals:
        text_edited(str, str, int): a text field changed (field, new text, typing session).
        text_finished(str): the clinician left a text field (field).
        items_edited(str, object, int): a list changed (field, tuple of items, typing session).
    """

    text_edited = Signal(str, str, int)
    text_finished = Signal(str)
    items_edited = Signal(str, object, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = -1
        self.heading = scaled_label("", 1.1)
        self.heading.setAccessibleName("Stage being edited")
        self.title_edit = PlanLineEdit("Stage title", "What this stage is called")
        self.length_edit = PlanLineEdit("Typical length", "For example: 1–2 weeks")
        self.lists: dict[str, BulletListEdit] = {}

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(6)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self._label("Stage t&itle", self.title_edit), self.title_edit)
        form.addRow(self._label("Typical &length", self.length_edit), self.length_edit)
        for field, label, name, placeholder in LIST_FIELDS:
            editor = BulletListEdit(name, placeholder + " (one per line)")
            editor.items_edited.connect(
                lambda field=field, editor=editor: self.items_edited.emit(
                    field, editor.items(), editor.session
                )
            )
            self.lists[field] = editor
            form.addRow(self._label(label, editor), editor)
        hint = quiet_label(
            "Enter starts a new point; Enter on an empty point moves on. "
            "Every change is saved at once; Ctrl+Z undoes it."
        )

        self.title_edit.textEdited.connect(
            lambda text: self.text_edited.emit("title", text, self.title_edit.session)
        )
        self.length_edit.textEdited.connect(
            lambda text: self.text_edited.emit("typical_length", text, self.length_edit.session)
        )
        self.title_edit.editingFinished.connect(lambda: self.text_finished.emit("title"))
        self.length_edit.editingFinished.connect(lambda: self.text_finished.emit("typical_length"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(hint)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    def show_stage(self, plan: PacingPlan, index: int) -> None:
        """Show stage `index` of `plan`; fields that already show its values are left alone."""
        if not 0 <= index < len(plan.stages):
            return
        self.index = index
        stage = plan.stages[index]
        current = " (the couple is here now)" if index == plan.current_stage else ""
        self.heading.setText(f"Stage {index + 1} of {len(plan.stages)}{current}")
        self.heading.setToolTip(stage_heading(plan, index))
        self.title_edit.set_text_quietly(stage.title)
        self.length_edit.set_text_quietly(stage.typical_length)
        for field, editor in self.lists.items():
            editor.set_items(getattr(stage, field))
