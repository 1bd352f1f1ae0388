"""Import and export of `parley.intake/1` files from the intake page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from clinical.interchange import dump_intake, load_intake
from tests.ui.test_intake_page import click, intake_page, radio, stored_intake
from ui.workspace.intake_files import IntakeFileError, write_text_atomically
from ui.workspace.intake_page import IntakePage


def exported(page: IntakePage, qtbot, path: Path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    page.export_to(path)
    qtbot.waitUntil(lambda: "Exported" in page.message.text(), timeout=10_000)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_export_then_import_round_trips(qtbot, workspace_on, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("trauma-role-reversal")
    case = workspace.case
    page = intake_page(qtbot, workspace, "A")
    click(qtbot, radio(page, "medical.diabetes", "Yes"))
    before = case.snapshot().intake
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "intake.parley.json"
    data = exported(page, qtbot, target)
    assert data["format"] == "parley.intake/1"
    assert [p.name for p in folder.iterdir()] == ["intake.parley.json"], "no temp file left"
    assert data["partners"][0]["facts"]["medical.diabetes"] is True

    # Change answers, then bring the exported ones back.
    click(qtbot, radio(page, "medical.diabetes", "No"))
    click(qtbot, radio(page, "safety.afraid_of_partner", "Yes"))
    assert "ipv-risk" in {i.id for i in case.evaluation.indicators}
    page.import_from(target)
    qtbot.waitUntil(lambda: "Imported" in page.message.text(), timeout=10_000)
    assert dump_intake(case.intake, case.content) == dump_intake(before, case.content)
    assert radio(page, "medical.diabetes", "Yes").isChecked()
    assert radio(page, "safety.afraid_of_partner", "Not asked").isChecked()
    assert "ipv-risk" not in {i.id for i in case.evaluation.indicators}
    assert page.message.objectName() != "errorMessage"
    qtbot.waitUntil(lambda: not case.has_unsaved_changes, timeout=10_000)
    stored = stored_intake(workspace)
    assert stored.partner("A").facts == before.partner("A").facts
    assert stored.partner("A").instruments == before.partner("A").instruments
    assert stored.partner("B").activities == before.partner("B").activities


def test_exporting_twice_replaces_the_file_whole(qtbot, workspace_on, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple")
    page = intake_page(qtbot, workspace, "A")
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "intake.json"
    target.write_text("an older file\n", encoding="utf-8")
    exported(page, qtbot, target)
    first = load_intake(target, workspace.case.content)
    click(qtbot, radio(page, "medical.epilepsy", "Yes"))
    page.message.clear()
    exported(page, qtbot, target)
    second = load_intake(target, workspace.case.content)
    assert "medical.epilepsy" not in first.partner("A").facts
    assert second.partner("A").facts["medical.epilepsy"] is True
    assert [p.name for p in folder.iterdir()] == ["intake.json"]


def test_a_bad_file_names_the_json_path_and_changes_nothing(
    qtbot, workspace_on, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("trauma-role-reversal")
    case = workspace.case
    page = intake_page(qtbot, workspace, "A")
    good = tmp_path / "good.json"
    exported(page, qtbot, good)
    before = dump_intake(case.intake, case.content)
    undo_steps = case.undo_stack.count()

    data = json.loads(good.read_text(encoding="utf-8"))
    data["partners"][0]["instruments"]["phq9"] = [0, 1, 0]  # three items instead of nine
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    page.import_from(bad)
    qtbot.waitUntil(lambda: "Could not import" in page.message.text(), timeout=10_000)
    assert "partners[0].instruments.phq9" in page.message.text()
    assert "Nothing changed" in page.message.text()
    assert page.message.objectName() == "errorMessage"
    assert dump_intake(case.intake, case.content) == before
    assert case.undo_stack.count() == undo_steps

    # A file for another couple (other partner keys) is refused before anything is replaced.
    data = json.loads(good.read_text(encoding="utf-8"))
    data["partners"][1]["key"] = "C"
    other = tmp_path / "other-couple.json"
    other.write_text(json.dumps(data), encoding="utf-8")
    page.message.clear()
    page.import_from(other)
    qtbot.waitUntil(lambda: "Could not import" in page.message.text(), timeout=10_000)
    assert "partners: the file's partners (A, C) do not match" in page.message.text()
    assert dump_intake(case.intake, case.content) == before

    # Not JSON at all, and a missing file.
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"format": "parley.intake/1", ')
    page.message.clear()
    page.import_from(broken)
    qtbot.waitUntil(lambda: "Could not import" in page.message.text(), timeout=10_000)
    page.message.clear()
    page.import_from(tmp_path / "missing.json")
    qtbot.waitUntil(lambda: "no such file" in page.message.text(), timeout=10_000)
    assert dump_intake(case.intake, case.content) == before
    # No client data in the messages: names and answers never appear.
    assert "Kim" not in page.message.text()
    assert dump_intake(stored_intake(workspace), case.content) == before


def test_an_export_to_a_missing_folder_says_so(qtbot, workspace_on, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple")
    page = intake_page(qtbot, workspace, "A")
    page.export_to(tmp_path / "nowhere" / "intake.json")
    qtbot.waitUntil(lambda: "Could not export" in page.message.text(), timeout=10_000)
    assert "does not exist" in page.message.text()
    assert not (tmp_path / "nowhere").exists()


def test_a_failed_rename_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "intake.json"
    target.write_text("old\n", encoding="utf-8")

    def refuse(_source: str, _target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ui.workspace.intake_files.os.replace", refuse)
    with pytest.raises(IntakeFileError, match="No space left on device"):
        write_text_atomically("new\n", target)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in folder.iterdir()] == ["intake.json"]


def test_the_page_actions_ask_for_a_file_and_confirm_an_import(  # type: ignore[no-untyped-def]
    qtbot, workspace_on, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    workspace = workspace_on("ready-couple")
    case = workspace.case
    page = intake_page(qtbot, workspace, "A")
    keys = {a.text(): a.shortcut().toString() for a in page.actions()}
    assert keys["Import an intake file…"] == "Ctrl+Shift+I"
    assert keys["Export the intake to a file…"] == "Ctrl+Shift+E"
    assert keys["Next intake section"] == "Ctrl+PgDown"
    assert keys["Switch who may see the focused answer"] == "Ctrl+Shift+V"

    target = tmp_path / "chosen.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.export_action.trigger()
    qtbot.waitUntil(target.exists, timeout=10_000)
    before = dump_intake(case.intake, case.content)

    click(qtbot, radio(page, "medical.pregnant", "Yes"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    page.import_action.trigger()
    qtbot.waitUntil(lambda: "cancelled" in page.message.text(), timeout=10_000)
    assert case.answer("A", "medical.pregnant") is True, "a cancelled import changes nothing"
    page.import_action.trigger()
    qtbot.waitUntil(lambda: "Imported" in page.message.text(), timeout=10_000)
    assert dump_intake(case.intake, case.content) == before
    assert radio(page, "medical.pregnant", "Not asked").isChecked()
