"""One open case: its answers in memory, evaluated live, every change saved at once.

The workspace's pages read from and write to a CaseSession; they never call the vault
themselves. A change is applied to the in-memory intake first (so the screen never waits),
re-evaluated on the spot (a couple of milliseconds), then saved on the task runner. A save that
fails keeps the change in memory, says so, and is retried with the next save, so nothing the
clinician typed is lost.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from clinical.content import Content, load_content
from clinical.engine import evaluate
from clinical.intake_edit import AnswerValue, answer_value, with_answer, with_visibility
from clinical.model import (
    Acknowledgement,
    CaseSnapshot,
    Evaluation,
    Indicator,
    Intake,
    PacingPlan,
    SafetyPlanChoices,
    Visibility,
)
from clinical.visibility import answer_visibility
from db.services import answers as answer_service
from db.services import plans as plan_service
from db.services.answers import AnswerChange, SaveResult
from db.services.snapshot import OpenedCase, case_snapshot
from db.services.types import CaseDetail, CasePlansInfo, PracticeSettingsInfo
from ui.tasks import describe_error
from ui.vault_access import VaultGateway

AnswerKey = tuple[str | None, str]


class _SetAnswer(QUndoCommand):
    """An answer change, undoable; consecutive changes to one text answer merge."""

    MERGE_ID = 1001

    def __init__(
        self, case: CaseSession, key: AnswerKey, old: AnswerValue, new: AnswerValue, label: str
    ) -> None:
        super().__init__(label)
        self._case = case
        self.key = key
        self.old = old
        self.new = new

    def id(self) -> int:
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        # Typing into one free-text answer is one undo step, not one per keystroke.
        if (
            isinstance(other, _SetAnswer)
            and other.key == self.key
            and isinstance(self.new, str)
            and isinstance(other.new, str)
            and not isinstance(self.new, bool)
        ):
            self.new = other.new
            return True
        return False

    def redo(self) -> None:
        self._case._apply_answer(self.key, self.new)

    def undo(self) -> None:
        self._case._apply_answer(self.key, self.old)


class CaseSession(QObject):
    """The open case's state and its only way to the vault.

    Attributes:
        undo_stack: every answer change, undoable with Ctrl+Z in the editors.

    Signals:
        answer_changed(object, str): an answer changed (owner key or None, answer id), by an
            edit, an undo or an import.
        evaluation_changed(): scores, indicators, disposition or negotiation may have changed.
        acknowledgements_changed(): an indicator was acknowledged.
        plans_changed(): the pacing plan, safety choices or case texts changed.
        detail_changed(): the case record changed (e.g. a consent was recorded).
        save_state_changed(str): a short status for the quiet saved indicator.
        save_failed(str): a save failed; the message is safe to show; the change is kept.
    """

    answer_changed = Signal(object, str)
    evaluation_changed = Signal()
    acknowledgements_changed = Signal()
    plans_changed = Signal()
    detail_changed = Signal()
    save_state_changed = Signal(str)
    save_failed = Signal(str)

    def __init__(
        self,
        gateway: VaultGateway,
        case_id: int,
        opened: OpenedCase,
        content: Content | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.gateway = gateway
        self.case_id = case_id
        self.content = content or load_content()
        self.detail: CaseDetail = opened.detail
        self.practice: PracticeSettingsInfo = opened.practice
        self._intake: Intake = opened.intake
        self._plans: CasePlansInfo = opened.plans
        self._acknowledgements: dict[str, Acknowledgement] = dict(opened.acknowledgements)
        self._evaluation: Evaluation = evaluate(self._intake, self.content)
        self.undo_stack = QUndoStack(self)
        # Changes not yet confirmed by the vault, in order; re-sent after a failure.
        self._unsaved: dict[AnswerKey, AnswerChange] = {}
        self._unsaved_plans: dict[str, tuple[Callable[..., None], object]] = {}
        self._saves_in_flight = 0
        self.last_saved_at: dt.datetime | None = None

    # ------------------------------------------------------------------ reading

    @property
    def intake(self) -> Intake:
        return self._intake

    @property
    def evaluation(self) -> Evaluation:
        return self._evaluation

    @property
    def acknowledgements(self) -> Mapping[str, Acknowledgement]:
        return self._acknowledgements

    @property
    def plans(self) -> CasePlansInfo:
        return self._plans

    @property
    def is_demo(self) -> bool:
        return self.detail.summary.is_demo

    @property
    def has_unsaved_changes(self) -> bool:
        return bool(self._unsaved or self._unsaved_plans) or self._saves_in_flight > 0

    def partner_name(self, key: str | None) -> str:
        if key is None:
            return "Joint"
        for partner in self.detail.partners:
            if partner.key == key:
                return partner.name
        return key

    def answer(self, owner: str | None, answer_id: str) -> AnswerValue:
        return answer_value(self._intake, owner, answer_id)

    def visibility(self, owner: str | None, answer_id: str) -> Visibility:
        return answer_visibility(self._intake, owner, answer_id, self.content)

    def set_detail(self, detail: CaseDetail) -> None:
        """The case's own record changed in the vault (a consent, a partner's details).

        Partners' names and AUDIT-C thresholds live in the intake too: a changed threshold
        changes the AUDIT-C result, so the case is evaluated again.
        """
        self.detail = detail
        stored = {partner.key: partner for partner in detail.partners}
        partners = tuple(
            dataclasses.replace(
                partner,
                name=stored[partner.key].name,
                audit_c_threshold=stored[partner.key].audit_c_threshold,
            )
            if partner.key in stored
            else partner
            for partner in self._intake.partners
        )
        thresholds_changed = any(
            old.audit_c_threshold != new.audit_c_threshold
            for old, new in zip(self._intake.partners, partners, strict=True)
        )
        self._intake = dataclasses.replace(self._intake, partners=partners)
        self.detail_changed.emit()
        if thresholds_changed:
            self._reevaluate()

    def is_acknowledged(self, indicator: Indicator) -> bool:
        return indicator.key in self._acknowledgements

    def snapshot(self) -> CaseSnapshot:
        """A frozen picture of what is on screen now, for reports and exports."""
        return case_snapshot(
            self.detail,
            self._intake,
            self._plans,
            self._acknowledgements,
            self.practice,
            self._evaluation,
            self.content,
        )

    # ------------------------------------------------------------------ answers

    def set_answer(
        self, owner: str | None, answer_id: str, value: AnswerValue, label: str = "Change answer"
    ) -> None:
        """Change one answer (undoable); a value of None clears it."""
        key = (owner, answer_id)
        old = self.answer(owner, answer_id)
        if old == value and type(old) is type(value):
            return
        self.undo_stack.push(_SetAnswer(self, key, old, value, label))

    def _apply_answer(self, key: AnswerKey, value: AnswerValue) -> None:
        owner, answer_id = key
        self._intake = with_answer(self._intake, owner, answer_id, value, self.content)
        self._reevaluate()
        self.answer_changed.emit(owner, answer_id)
        self._queue_save(AnswerChange(owner, answer_id, value))

    def set_visibility(
        self, owner: str | None, answer_id: str, visibility: Visibility | None
    ) -> None:
        """Choose who may see an answer (None: the policy's default)."""
        self._intake = with_visibility(self._intake, owner, answer_id, visibility)
        self.answer_changed.emit(owner, answer_id)
        self._begin_save()
        self.gateway.call(
            answer_service.set_visibility,
            self.case_id,
            owner,
            answer_id,
            visibility,
            on_done=lambda _: self._end_save(None),
            on_error=self._save_error,
        )

    def replace_intake(self, intake: Intake) -> None:
        """Replace every answer with an imported intake's; saved as one import."""
        self._intake = dataclasses.replace(
            intake,
            label=self._intake.label,
            confidentiality_policy=self._intake.confidentiality_policy,
            partners=tuple(
                dataclasses.replace(imported, name=self.partner_name(imported.key))
                for imported in intake.partners
            ),
        )
        self.undo_stack.clear()
        self._unsaved.clear()
        self._reevaluate()
        self.answer_changed.emit(None, "")
        self._begin_save()
        self.gateway.call(
            answer_service.import_intake,
            self.case_id,
            intake,
            on_done=self._end_save,
            on_error=self._save_error,
        )

    def _reevaluate(self) -> None:
        self._evaluation = evaluate(self._intake, self.content)
        self.evaluation_changed.emit()

    # ------------------------------------------------------------------ saving

    def _queue_save(self, change: AnswerChange) -> None:
        key = (change.partner, change.answer_id)
        self._unsaved.pop(key, None)  # keep the newest value, in the newest position
        self._unsaved[key] = change
        batch = list(self._unsaved.values())
        self._begin_save()

        def saved(result: SaveResult) -> None:
            for sent in batch:
                pending = self._unsaved.get((sent.partner, sent.answer_id))
                if pending is sent:  # unchanged since it was sent
                    del self._unsaved[(sent.partner, sent.answer_id)]
            self._end_save(result)

        self.gateway.call(
            answer_service.save_answers,
            self.case_id,
            batch,
            self.content,
            on_done=saved,
            on_error=self._save_error,
        )

    def retry_saving(self) -> None:
        """Send every change the vault has not confirmed yet (answers and decisions)."""
        if self._unsaved:
            last = next(reversed(self._unsaved.values()))
            self._queue_save(last)
        for kind, (service, value) in list(self._unsaved_plans.items()):
            self._save_plan(kind, service, value)

    def _begin_save(self) -> None:
        self._saves_in_flight += 1
        self.save_state_changed.emit("Saving…")

    def _end_save(self, result: SaveResult | None) -> None:
        self._saves_in_flight = max(0, self._saves_in_flight - 1)
        self.last_saved_at = dt.datetime.now()
        if self._saves_in_flight == 0:
            if self._unsaved or self._unsaved_plans:
                self.save_state_changed.emit("Some changes are not saved yet")
            else:
                self.save_state_changed.emit(f"Saved {self.last_saved_at:%H:%M}")

    def _save_error(self, error: BaseException) -> None:
        self._saves_in_flight = max(0, self._saves_in_flight - 1)
        message = describe_error(error)
        self.save_state_changed.emit("Not saved: your answers are kept on screen")
        self.save_failed.emit(message)

    # ------------------------------------------------------------------ decisions

    def acknowledge(self, indicator: Indicator, note: str, by: str) -> None:
        """Acknowledge an indicator with a note (audited in the vault)."""
        self._begin_save()

        def done(acknowledgement: Acknowledgement) -> None:
            self._acknowledgements[acknowledgement.indicator_key] = acknowledgement
            self.acknowledgements_changed.emit()
            self._end_save(None)

        self.gateway.call(
            plan_service.acknowledge_indicator,
            self.case_id,
            indicator.key,
            note,
            by,
            on_done=done,
            on_error=self._save_error,
        )

    def set_pacing_plan(self, plan: PacingPlan | None) -> None:
        self._plans = dataclasses.replace(self._plans, pacing_plan=plan)
        self.plans_changed.emit()
        self._save_plan("pacing", plan_service.save_pacing_plan, plan)

    def set_safety_choices(self, choices: SafetyPlanChoices) -> None:
        self._plans = dataclasses.replace(self._plans, safety_choices=choices)
        self.plans_changed.emit()
        self._save_plan("safety", plan_service.save_safety_choices, choices)

    def set_case_texts(
        self, *, goals: str | None = None, recommendations: str | None = None
    ) -> None:
        self._plans = dataclasses.replace(
            self._plans,
            goals=self._plans.goals if goals is None else goals,
            recommendations=(
                self._plans.recommendations if recommendations is None else recommendations
            ),
        )
        self.plans_changed.emit()
        texts = (self._plans.goals, self._plans.recommendations)

        def save_texts(session: object, case_id: int, both: tuple[str, str]) -> None:
            plan_service.save_case_texts(
                session,  # type: ignore[arg-type]
                case_id,
                goals=both[0],
                recommendations=both[1],
            )

        self._save_plan("texts", save_texts, texts)

    def _save_plan(self, kind: str, service: Callable[..., None], value: object) -> None:
        """Save one of the case's decisions; until the vault confirms, it is kept for a retry.

        Each save carries the whole current value, so a later save of the same kind replaces
        an earlier one that failed.
        """
        self._unsaved_plans[kind] = (service, value)
        self._begin_save()

        def saved(_: object) -> None:
            if self._unsaved_plans.get(kind, (None, None))[1] is value:
                del self._unsaved_plans[kind]
            self._end_save(None)

        self.gateway.call(service, self.case_id, value, on_done=saved, on_error=self._save_error)
