"""The open case's session: live evaluation, undo, and every change reaching the vault."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clinical.interchange import load_intake
from clinical.model import ActivityAnswer
from db.services import answers as answer_service
from db.services import cases as case_service
from db.services.snapshot import open_case_workspace
from db.services.types import NewCase, NewPartner
from db.vault import Vault
from tests.clinical.helpers import SHARED_VIGNETTES
from tests.ui.conftest import PASSPHRASE
from ui.tasks import TaskRunner
from ui.vault_access import VaultGateway
from ui.workspace.case_session import CaseSession


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[VaultGateway]:
    vault = Vault.create(tmp_path / "practice.parley", PASSPHRASE)
    runner = TaskRunner()
    gateway = VaultGateway(vault, runner)
    yield gateway
    runner.wait_until_idle()
    runner.shutdown()
    vault.lock()
    gateway.vault.lock()  # a test may have swapped in a re-opened vault


def open_session(gateway: VaultGateway) -> CaseSession:
    with gateway.vault.session() as session:
        case_id = case_service.create_case(
            session,
            NewCase(
                "Fictional couple",
                (NewPartner("Kim Example"), NewPartner("Lee Example")),
                "limited-secrets",
            ),
        ).id
        answer_service.import_intake(
            session, case_id, load_intake(SHARED_VIGNETTES / "ready-couple.intake.json")
        )
        opened = open_case_workspace(session, case_id)
    return CaseSession(gateway, case_id, opened)


def stored_intake(gateway: VaultGateway, case: CaseSession):  # type: ignore[no-untyped-def]
    gateway.runner.wait_until_idle()
    with gateway.vault.session() as session:
        return answer_service.load_intake(session, case.case_id)


def test_a_change_re_evaluates_at_once_and_is_saved(qtbot, gateway: VaultGateway) -> None:  # type: ignore[no-untyped-def]
    case = open_session(gateway)
    assert case.evaluation.disposition == "lower-risk-start"
    with qtbot.waitSignal(case.evaluation_changed, timeout=1000):
        case.set_answer("A", "safety.afraid_of_partner", True)
    assert case.evaluation.disposition == "therapy-essential"
    assert any(i.id == "ipv-risk" and i.partner == "A" for i in case.evaluation.indicators)
    qtbot.waitUntil(lambda: not case.has_unsaved_changes, timeout=5000)
    assert stored_intake(gateway, case).partner("A").facts["safety.afraid_of_partner"] is True


def test_undo_and_redo_restore_answers_in_memory_and_in_the_vault(qtbot, gateway) -> None:  # type: ignore[no-untyped-def]
    case = open_session(gateway)
    before = case.answer("B", "activity.blindfold")
    case.set_answer("B", "activity.blindfold", ActivityAnswer("no", "no", "none"))
    case.set_answer("B", "sexual.desire", 2)
    case.undo_stack.undo()
    case.undo_stack.undo()
    assert case.answer("B", "activity.blindfold") == before
    assert case.answer("B", "sexual.desire") == 6
    qtbot.waitUntil(lambda: not case.has_unsaved_changes, timeout=5000)
    stored = stored_intake(gateway, case)
    assert stored.partner("B").activities["blindfold"] == before
    assert stored.partner("B").facts["sexual.desire"] == 6
    case.undo_stack.redo()
    assert case.answer("B", "activity.blindfold") == ActivityAnswer("no", "no", "none")


def test_typing_into_one_text_answer_is_one_undo_step(qtbot, gateway) -> None:  # type: ignore[no-untyped-def]
    case = open_session(gateway)
    for text in ("T", "Ta", "Tal", "Talk"):
        case.set_answer(None, "goals.hopes", text)
    assert case.undo_stack.count() == 1
    case.undo_stack.undo()
    assert case.answer(None, "goals.hopes") is None


def test_acknowledging_a_critical_indicator_unblocks_the_couple_plan(qtbot, gateway) -> None:  # type: ignore[no-untyped-def]
    case = open_session(gateway)
    case.set_answer("B", "suicide.thoughts_past_month", True)
    blocking = case.snapshot().unacknowledged_blocking()
    assert [i.key for i in blocking] == ["suicide-risk@B"]
    with qtbot.waitSignal(case.acknowledgements_changed, timeout=5000):
        case.acknowledge(blocking[0], "Seen alone; safety plan made", "Dr Example")
    assert case.snapshot().unacknowledged_blocking() == ()


def test_changes_that_fail_to_save_are_kept_and_saved_on_retry(qtbot, gateway) -> None:  # type: ignore[no-untyped-def]
    from clinical.pacing import plan_from_template
    from db.services import plans as plan_service

    case = open_session(gateway)
    path = gateway.vault.path
    gateway.runner.wait_until_idle()
    gateway.vault.lock()  # the vault goes away underneath the open case
    with qtbot.waitSignal(case.save_failed, timeout=5000) as failed:
        case.set_answer("A", "sexual.desire", 2)
    assert "locked" in failed.args[0]
    plan = plan_from_template("communication-first")
    with qtbot.waitSignal(case.save_failed, timeout=5000):
        case.set_pacing_plan(plan)
    assert case.has_unsaved_changes
    assert case.answer("A", "sexual.desire") == 2  # still on screen

    gateway.vault = Vault.unlock(path, PASSPHRASE)
    case.retry_saving()
    qtbot.waitUntil(lambda: not case.has_unsaved_changes, timeout=5000)
    assert stored_intake(gateway, case).partner("A").facts["sexual.desire"] == 2
    with gateway.vault.session() as session:
        assert plan_service.get_case_plans(session, case.case_id).pacing_plan == plan
