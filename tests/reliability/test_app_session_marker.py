"""After a full session in the app, no client detail is found outside the encrypted vault.

A fresh process runs the real app offscreen with HOME, the XDG folders and TMPDIR inside one
temporary folder. It creates the vault through the first-start dialog, creates a case whose
partner is named "Zoë Marker-5519", answers intake questions (free text carrying the marker
too), acknowledges an indicator, chooses a pacing plan, writes the safety plan's signal, writes
and signs a session note, searches for the marker, makes the consultation summary and the
couple's plan (rendered and previewed in memory, not saved), makes a backup, locks, unlocks
(the day's automatic backup) and quits. Then every file under that folder (vault, backups,
logs, settings, temp) is searched for the marker in UTF-8, UTF-16 and its ASCII part.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.sweep import environment_with, needles_for, private_folders, scan

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
MARKER = "Zoë Marker-5519"
NEEDLES = needles_for(MARKER, "Marker-5519")

SESSION = r"""
import datetime as dt, json, sys, time
from PySide6.QtWidgets import QApplication, QFileDialog
from clinical.model import ActivityAnswer
from db.services import notes as note_service
from db.services.notes import NoteDraft
from db.services.types import NewCase, NewPartner
from db.services import cases as case_service
from desktop.app import start_app
from ui.search_dialog import show_search

marker = sys.argv[1]
passphrase = "fictional sweep passphrase 5"
app, controller = start_app(None)


def wait(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the session waited too long")
        app.processEvents()
        time.sleep(0.005)


def settle():
    wait(lambda: not controller.runner.is_busy)
    for _ in range(5):
        app.processEvents()


# First start: create the vault in its default place.
create = controller.create_dialog
create.passphrase_edit.setText(passphrase)
create.confirm_edit.setText(passphrase)
create._request_create()
wait(lambda: controller.main_window is not None)
window = controller.main_window
vault_path = controller.vault.path

made = []
window.gateway.call(
    case_service.create_case,
    NewCase(
        label="Sweep couple (fictional)",
        partners=(
            NewPartner(marker, contact=marker + " at example.org"),
            NewPartner("Kim Example"),
        ),
        confidentiality_policy="limited-secrets",
    ),
    on_done=made.append,
)
wait(lambda: made)
window.open_case(made[0].id)
wait(lambda: window.workspace is not None)
workspace = window.workspace
case = workspace.case

# Intake answers, free text carrying the marker; an answer that fires an indicator.
case.set_answer("A", "goals.hopes", "Hopes written by " + marker)
case.set_answer("A", "safety.afraid_of_partner", True)
case.set_answer("A", "activity.blindfold", ActivityAnswer("yes", "yes", "some"))
case.set_answer("B", "activity.blindfold", ActivityAnswer("yes", "yes", "some"))
for page_key in ("intake:A", "intake:B", "indicators", "negotiation", "pacing", "safety-plan"):
    workspace.show_page_by_key(page_key)
    settle()
wait(lambda: not case.has_unsaved_changes)
for indicator in case.evaluation.indicators:
    case.acknowledge(indicator, "Seen alone with " + marker, "Dr Sweep (fictional)")
pacing = workspace.show_page_by_key("pacing")
pacing.chooser.use_button.click()
safety = workspace.show_page_by_key("safety-plan")
signal = safety.signal_edits["non_verbal"]
signal.setText("Bell for " + marker)
signal.editingFinished.emit()
settle()
wait(lambda: not case.has_unsaved_changes)

# A session note, signed; then search for the marker across the practice.
notes = []
window.gateway.call(
    lambda session: note_service.sign_note(
        session,
        note_service.create_note(
            session, case.case_id, "soap",
            NoteDraft(dt.date.today(), {"subjective": marker + " spoke first."}, ("A", "B"), 50),
            "Dr Sweep (fictional)",
        ).id,
        "Dr Sweep (fictional)",
    ),
    on_done=notes.append,
)
wait(lambda: notes)
notes_page = workspace.show_page_by_key("notes")
settle()
notes_page.select_note(notes[0].id)
settle()
search = show_search(window)
search.field.setText("Marker")
search.search_now()
settle()
wait(lambda: search.model.rowCount() > 0)
search.close()

# Documents made and previewed (in memory only; saving one is the clinician's export).
reports = workspace.show_page_by_key("reports")
for index in range(2):
    reports.document_group.button(index).setChecked(True)
    reports.rendered = None
    reports.make()
    wait(lambda: reports.rendered is not None)
    wait(lambda: reports.preview.is_ready)

# A manual backup, lock, unlock (the day's automatic backup), quit.
# Back up now, accepting the place the save dialog offers.
QFileDialog.getSaveFileName = staticmethod(lambda parent, caption, offered, kinds: (offered, kinds))
window.backup_now()
settle()
wait(lambda: "verified" in window.statusBar().currentMessage())
backups = sorted(controller.vault.backups_dir.glob("manual*.parley"))
controller.lock()
wait(lambda: controller.unlock_dialog is not None)
controller._unlock(passphrase)
wait(lambda: controller.main_window is not None)
settle()
controller.quit()
print(json.dumps({"vault": str(vault_path), "backup": str(backups[0])}))
"""


def test_a_full_app_session_leaves_the_marker_in_no_file(tmp_path: Path) -> None:
    folders = private_folders(tmp_path)
    home = folders["HOME"]
    env = {**environment_with(folders), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SESSION, MARKER],
        capture_output=True,
        cwd=REPO,
        env=env,
        timeout=240,
        check=False,
    )
    stderr = done.stderr.decode("utf-8", errors="replace")
    assert done.returncode == 0, stderr
    result = json.loads(done.stdout.decode().strip().splitlines()[-1])
    vault, backup = Path(result["vault"]), Path(result["backup"])
    # The session really left files everywhere the sweep looks.
    assert vault.is_relative_to(home)
    assert backup.is_relative_to(home)
    assert len(list(vault.parent.rglob("*.parley"))) >= 3, "vault, manual and daily backup"
    logs = list(home.rglob("parley.log"))
    assert logs, "the session wrote its log"
    assert b"unlock" in logs[0].read_bytes().lower()
    assert list((home / ".config").rglob("*.conf")) or list((home / ".config").rglob("*.ini"))
    hits = scan(tmp_path, NEEDLES)
    assert not hits, "client data outside the vault:\n" + "\n".join(hits)
    assert MARKER.encode() not in done.stdout
    assert "Marker-5519" not in stderr
    # The scan is able to find the marker at all: a plain file holding it is caught.
    (folders["TMPDIR"] / "probe.txt").write_text(MARKER, encoding="utf-8")
    assert scan(tmp_path, NEEDLES)
