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
