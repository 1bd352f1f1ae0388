"""Edit case details: label, status and partners' details change, and the verdict follows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from clinical.model import Intake, PartnerIntake
from db.services import answers as answer_service
from db.services import cases as case_service
from db.services.types import NewCase, NewPartner
from db.vault import Vault
from desktop.settings import AppSettings
from tests.ui.conftest import PASSPHRASE
from ui.case_details_dialog import CaseDetailsDialog
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

#: Three drinks' worth of AUDIT-C points: positive at threshold 3, negative at 4.
AUDIT_C_OF_THREE = (1, 1, 1)


@pytest.fixture
def window_on_case(
    qtbot, tmp_path: Path, app_settings: AppSettings
) -> Iterator[tuple[MainWindow, int, Vault]]:  # type: ignore[no-untyped-def]
    vault = Vault.create(tmp_path / "details" / "practice.parley", PASSPHRASE)
    with vault.session() as session:
        case_id = case_service.create_case(
            session,
            NewCase(
                "Fictional couple",
                (NewPartner("Kim Example", pronouns="she/her"), NewPartner("Lee Example")),
                "limited-secrets",
            ),
        ).id
        answer_service.import_intake(
            session,
            case_id,
            Intake(
                label="Fictional couple",
                confidentiality_policy="limited-secrets",
                partners=(
                    PartnerIntake("A", "Kim Example", instruments={"audit_c": AUDIT_C_OF_THREE}),
                    PartnerIntake("B", "Lee Example"),
                ),
            ),
        )
    runner = TaskRunner()
    window = MainWindow(vault, runner, app_settings)
    qtbot.addWidget(window)
    window.show()
    window.open_case(case_id)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)
    yield window, case_id, vault
    runner.wait_until_idle()
    QApplication.processEvents()
    window.prepare_to_lock()
    runner.wait_until_idle()
    runner.shutdown()
    vault.lock()


def test_unchanged_details_give_no_changes(window_on_case) -> None:  # type: ignore[no-untyped-def]
    window, _, _ = window_on_case
    dialog = CaseDetailsDialog(window.workspace.case.detail, window)
    assert dialog.changes() is None
    dialog.deleteLater()


def test_edited_details_are_saved_shown_and_the_audit_c_verdict_follows(  # type: ignore[no-untyped-def]
    qtbot, window_on_case, monkeypatch
) -> None:
    window, case_id, vault = window_on_case
    case = window.workspace.case
    assert any(i.id == "alcohol-misuse" for i in case.evaluation.indicators)

    def edit(dialog: CaseDetailsDialog) -> QDialog.DialogCode:
        first = dialog.partners[0]
        first.name.setText("Robin Example")
        first.pronouns.clear()
        first.threshold.setCurrentIndex(first.threshold.findData(4))
        dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("active"))
        dialog._try_accept()
        assert dialog.result() == QDialog.DialogCode.Accepted
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CaseDetailsDialog, "exec", edit)
    window.actions_by_name["edit-case"].trigger()
    qtbot.waitUntil(lambda: case.detail.partners[0].name == "Robin Example", timeout=10_000)
    assert case.partner_name("A") == "Robin Example"
    assert case.intake.partner("A").audit_c_threshold == 4
    assert not any(i.id == "alcohol-misuse" for i in case.evaluation.indicators)
    workspace = window.workspace
    assert "Robin Example" in workspace.partners_label.text()
    assert "she/her" not in workspace.partners_label.text()
    assert workspace.sidebar.item(0).text() == "Intake: Robin Example"
    window.gateway.runner.wait_until_idle()
    with vault.session() as session:
        detail = case_service.get_case(session, case_id)
        row = case_service.case_rows(session, [case_id])[0]
    assert detail.summary.status == "active"
    assert detail.partners[0].pronouns == ""
    assert detail.partners[0].audit_c_threshold == 4
    assert row.highest_severity is None, "the case list's verdict follows the new threshold"


def test_a_partner_without_a_name_is_refused(window_on_case) -> None:  # type: ignore[no-untyped-def]
    window, _, _ = window_on_case
    dialog = CaseDetailsDialog(window.workspace.case.detail, window)
    dialog.partners[1].name.clear()
    dialog._try_accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "name" in dialog.problem_label.text()
    dialog.deleteLater()
