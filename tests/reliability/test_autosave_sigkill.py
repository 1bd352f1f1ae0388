"""SIGKILL while intake answers autosave and notes are signed; nothing reported is lost.

The writer runs what the workspace's worker thread runs: `save_answers` for each answer as it
is made (free text that grows a word at a time, and a PHQ-9 that changes item by item), and
every few answers a session note created and signed. It prints each change after its commit
returned. The parent kills it with SIGKILL at random moments, then opens the vault: it must
pass integrity_check, hold the last reported text and PHQ-9 answer (or a later one), and every
reported signed note must be there, signed, with its words intact and no later change.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from db.services import answers as answer_service
from db.services import cases as case_service
from db.services import notes as note_service
from db.services.types import NewCase, NewPartner
from db.vault import Vault

pytestmark = pytest.mark.reliability

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "fictional sigkill passphrase 6"
KILLS = 25
BUDGET_SECONDS = 120

WRITER = """
import datetime as dt, json, os, sys
from pathlib import Path
from db.vault import Vault
from db.services import notes as note_service
from db.services.answers import AnswerChange, save_answers
from db.services.notes import NoteDraft

vault = Vault.unlock(Path(sys.argv[1]), os.environ["PARLEY_PASSPHRASE"])
case_id, start = int(sys.argv[2]), int(sys.argv[3])
print(json.dumps({"ready": True}), flush=True)
step = start
while True:
    words = " ".join(f"word{n}" for n in range(step + 1))
    phq9 = tuple((step + item) % 4 for item in range(9))
    with vault.session() as session:
        save_answers(session, case_id, [AnswerChange("A", "goals.hopes", words)])
    print(json.dumps({"hopes": words}), flush=True)
    with vault.session() as session:
        save_answers(session, case_id, [AnswerChange("B", "phq9", phq9)])
    print(json.dumps({"phq9": list(phq9)}), flush=True)
    if step % 3 == 0:
        with vault.session() as session:
            note = note_service.create_note(
                session, case_id, "soap",
                NoteDraft(dt.date(2026, 1, 1), {"subjective": f"note {step} " + words},
                          ("A", "B"), 50),
                "Dr Example (fictional)")
        with vault.session() as session:
            note_service.sign_note(session, note.id, "Dr Example (fictional)")
        print(json.dumps({"signed": note.id, "text": f"note {step} " + words}), flush=True)
    step += 1
"""


def complete_lines(output: bytes) -> list[dict[str, object]]:
    """Messages on complete lines; a line cut off by the kill was never fully reported."""
    lines = output.decode("utf-8", errors="replace").split("\n")[:-1]
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_sigkill_while_answers_autosave_and_notes_are_signed(tmp_path: Path) -> None:
    path = tmp_path / "practice.parley"
    vault = Vault.create(path, PASSPHRASE)
    with vault.session() as session:
        case_id = case_service.create_case(
            session,
            NewCase(
                "Fictional test couple",
                (NewPartner("Kim Example"), NewPartner("Lee Example")),
                "no-secrets",
            ),
        ).id
    vault.lock()
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    env = {**os.environ, "PARLEY_PASSPHRASE": PASSPHRASE}
    signed: dict[int, str] = {}
    last_hopes: str | None = None
    last_phq9: tuple[int, ...] | None = None
    step = 0
    started = time.monotonic()
    for round_number in range(KILLS):
        assert time.monotonic() - started < BUDGET_SECONDS, f"only {round_number} rounds done"
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(case_id), str(step)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=REPO,
            env=env,
        )
        assert writer.stdout is not None
        first = writer.stdout.readline()
        assert b"ready" in first, first
        time.sleep(rng.uniform(0.0, 0.4))
        writer.send_signal(signal.SIGKILL)
        output, _ = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL
        messages = complete_lines(output)
        for message in messages:
            if "hopes" in message:
                last_hopes = str(message["hopes"])
            elif "phq9" in message:
                last_phq9 = tuple(message["phq9"])  # type: ignore[arg-type]
            elif "signed" in message:
                signed[int(message["signed"])] = str(message["text"])  # type: ignore[call-overload]
        step += len(messages) + 1  # the next writer writes values not seen before

        vault = Vault.unlock(path, PASSPHRASE)
        try:
            with vault.session() as session:
                assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                intake = answer_service.load_intake(session, case_id)
                hopes = intake.partner("A").facts.get("goals.hopes")
                phq9 = intake.partner("B").instruments.get("phq9")
                if last_hopes is not None:
                    # The reported text, or a later one whose report the kill cut off.
                    assert isinstance(hopes, str)
                    assert hopes.startswith(last_hopes), f"round {round_number}: text lost"
                if last_phq9 is not None:
                    assert phq9 is not None, f"round {round_number}: PHQ-9 lost"
                notes = {note.id: note for note in note_service.list_notes(session, case_id)}
                for note_id, words in signed.items():
                    note = notes.get(note_id)
                    assert note is not None, f"round {round_number}: signed note {note_id} lost"
                    assert note.is_signed
                    assert note.current.sections["subjective"] == words
        finally:
            vault.lock()
    assert len(signed) >= 3, "the writer really signed notes between kills"
