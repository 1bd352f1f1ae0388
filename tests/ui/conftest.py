"""Fixtures for Qt tests: isolated settings and the app controller on a temp vault."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from desktop.app import AppController
from desktop.settings import AppSettings

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def app_settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def controller(qtbot, tmp_path: Path, app_settings: AppSettings) -> Iterator[AppController]:  # type: ignore[no-untyped-def]
    """An app controller on a vault path that does not exist yet (first start)."""
    ctrl = AppController(tmp_path / "vault" / "practice.parley", app_settings)
    yield ctrl
    if ctrl.vault is not None:
        ctrl.runner.wait_until_idle()
        if ctrl.main_window is not None:
            ctrl.main_window.prepare_to_lock()
        ctrl.vault.lock()
        ctrl.vault = None
    ctrl.runner.shutdown()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QApplication.processEvents()


def visible_texts() -> list[str]:
    """Every piece of text a person could read on screen right now."""
    texts: list[str] = []
    for widget in QApplication.allWidgets():
        if not widget.isVisible():
            continue
        texts.append(widget.windowTitle())
        for attribute in ("text", "toPlainText", "currentText", "placeholderText"):
            getter = getattr(widget, attribute, None)
            if callable(getter):
                try:
                    value = getter()
                except TypeError:
                    continue
                if isinstance(value, str):
                    texts.append(value)
        model_getter = getattr(widget, "model", None)
        if callable(model_getter) and isinstance(widget, QWidget):
            model = model_getter()
            if model is not None and hasattr(model, "rowCount"):
                texts.extend(_model_texts(model))
    return texts


def _model_texts(model) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    texts = []
    try:
        rows, columns = model.rowCount(), model.columnCount()
    except TypeError:
        return texts
    for row in range(rows):
        for column in range(columns):
            value = model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str):
                texts.append(value)
    return texts


# ---------------------------------------------------------------------------- workspace


def open_workspace_on(  # type: ignore[no-untyped-def]
    qtbot,
    vault_path: Path,
    vignette: str | None = "ready-couple",
    *,
    policy: str = "limited-secrets",
    partner_names: tuple[str, ...] = ("Kim Example", "Lee Example"),
    start_page: str | None = None,
):
    """A real vault with one fictional case (answers from a shared vignette), its CaseSession
    and its Workspace, shown offscreen at 1440x900. Returns (workspace, gateway)."""
    from clinical.interchange import load_intake
    from db.services import answers as answer_service
    from db.services import cases as case_service
    from db.services.snapshot import open_case_workspace
    from db.services.types import NewCase, NewPartner
    from db.vault import Vault
    from tests.clinical.helpers import SHARED_VIGNETTES
    from ui.tasks import TaskRunner
    from ui.vault_access import VaultGateway
    from ui.workspace.case_session import CaseSession
    from ui.workspace.workspace import Workspace

    vault = Vault.create(vault_path, PASSPHRASE)
    with vault.session() as session:
        case_id = case_service.create_case(
            session,
            NewCase(
                "Fictional test couple",
                tuple(NewPartner(name) for name in partner_names),
                policy,  # type: ignore[arg-type]
            ),
        ).id
        if vignette is not None:
            intake = load_intake(SHARED_VIGNETTES / f"{vignette}.intake.json")
            answer_service.import_intake(session, case_id, intake)
        opened = open_case_workspace(session, case_id)
    gateway = VaultGateway(vault, TaskRunner())
    case = CaseSession(gateway, case_id, opened)
    workspace = Workspace(case, start_page=start_page)
    qtbot.addWidget(workspace)
    workspace.resize(1440, 900)
    workspace.show()
    return workspace, gateway


@pytest.fixture
def workspace_on(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Factory fixture: `workspace_on(vignette=..., start_page=...)` -> Workspace.

    The vault, runner and widgets are cleaned up after the test.
    """
    opened: list = []

    def make(vignette: str | None = "ready-couple", **options):  # type: ignore[no-untyped-def]
        workspace, gateway = open_workspace_on(
            qtbot, tmp_path / f"vault-{len(opened)}" / "practice.parley", vignette, **options
        )
        opened.append(gateway)
        return workspace

    yield make
    for gateway in opened:
        gateway.runner.wait_until_idle()
        QApplication.processEvents()
        gateway.runner.shutdown()
        gateway.vault.lock()
