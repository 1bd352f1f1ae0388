"""Undoable edits of a case's plans, pushed onto the case's own undo stack.

The pacing-plan and safety-plan editors push their edits onto `case.undo_stack`, the stack
the Case menu's Undo and Redo (Ctrl+Z, Ctrl+Shift+Z) already drive. One stack for the whole
case means one Ctrl+Z, in one order, whatever the clinician last touched; a second stack with
its own Ctrl+Z would make the key ambiguous while an editor has focus. Undo and redo go
through the same CaseSession setter as the edit itself, so each one is saved at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QUndoCommand, QUndoStack

PlanT = TypeVar("PlanT")


class PlanEdit(QUndoCommand, Generic[PlanT]):
    """One edit of a plan value (a PacingPlan or SafetyPlanChoices), undoable.

    Consecutive edits with the same `merge_key` (typing into one field) become one undo step.

    Attributes:
        old: the value before the edit, restored by undo.
        new: the value after the edit, restored by redo.
        merge_key: edits with the same key merge; None never merges.
    """

    MERGE_ID = 2101

    def __init__(
        self,
        apply: Callable[[PlanT], None],
        old: PlanT,
        new: PlanT,
        text: str,
        merge_key: str | None = None,
    ) -> None:
        super().__init__(text)
        self._apply = apply
        self.old = old
        self.new = new
        self.merge_key = merge_key

    def id(self) -> int:
        return self.MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if (
            not isinstance(other, PlanEdit)
            or self.merge_key is None
            or other.merge_key != self.merge_key
            or other._apply != self._apply
        ):
            return False
        self.new = other.new
        # Typing a word and deleting it again leaves nothing to undo.
        self.setObsolete(self.new == self.old)
        return True

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


def push_plan_edit(
    stack: QUndoStack,
    apply: Callable[[PlanT], None],
    old: PlanT,
    new: PlanT,
    text: str,
    merge_key: str | None = None,
) -> bool:
    """Apply `new` through `apply` as an undoable step; nothing happens when it equals `old`.

    Returns:
        Whether an edit was made.
    """
    if new == old:
        return False
    stack.push(PlanEdit(apply, old, new, text, merge_key))
    return True
