"""The demo practice and the synthetic practice generator: fictional, valid, reproducible."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from clinical.engine import evaluate
from clinical.interchange import dump_intake, load_intake
from db.services import answers as answer_service
from db.services import cases as case_service
from db.services import measures as measure_service
from db.services import notes as note_service
from db.services import plans as plan_service
from db.vault import Vault
from desktop.demo import DEMO_COUPLES, create_demo_vault
from desktop.synthetic import generate_practice

PASSPHRASE = "fictional demo passphrase 9"


def test_demo_practice_is_fictional_and_exercises_every_tier(tmp_path: Path) -> None:
    path = tmp_path / "demo.parley"
    ids = create_demo_vault(path, PASSPHRASE)
    assert len(ids) == len(DEMO_COUPLES)
    vault = Vault.unlock(path, PASSPHRASE)
    try:
        with vault.session() as session:
            rows = case_service.case_rows(session, ids)
            dispositions = set()
            for row in rows:
                assert row.is_demo
                assert all("(fictional)" in name for name in row.partner_names)
                intake = answer_service.load_intake(session, row.id)
                dispositions.add(evaluate(intake).disposition)
                couple = next(c for c in DEMO_COUPLES if c.label == row.label)
                # Couples on a plan have a history for the notes and measures screens.
                has_history = bool(couple.template)
                assert bool(note_service.list_notes(session, row.id)) == has_history
                assert bool(measure_service.list_measures(session, row.id)) == has_history
                if has_history:
                    # The plan stands where the newest note says the couple is.
                    newest = note_service.list_notes(session, row.id)[0]
                    plan = plan_service.get_case_plans(session, row.id).pacing_plan
                    assert plan is not None
                    assert plan.current_stage == newest.current.pacing_stage
    finally:
        vault.lock()
    assert dispositions == {"therapy-essential", "consult-before-high-risk", "lower-risk-start"}


def test_demo_command_creates_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "demo.parley"
    env = {"PARLEY_PASSPHRASE": PASSPHRASE, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    command = [sys.executable, "-m", "desktop", "demo", str(path)]
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert first.returncode == 0, first.stderr
    assert "fictional" in first.stdout
    second = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert second.returncode != 0
    assert "already exists" in second.stderr
    assert "Traceback" not in second.stderr


def test_synthetic_practice_is_reproducible_and_valid(tmp_path: Path) -> None:
    def build(name: str) -> list[str]:
        vault = Vault.create(tmp_path / name, PASSPHRASE)
        try:
            generated = generate_practice(vault, 40, seed=3, batch=16)
            with vault.session() as session:
                texts = []
                for case_id in generated.case_ids:
                    intake = answer_service.load_intake(session, case_id)
                    # Every synthetic intake is a valid interchange file.
                    text = dump_intake(intake)
                    assert load_intake(text).partners[0].key == "A"
                    texts.append(text)
                rows = case_service.case_rows(session, list(generated.case_ids))
            assert all(row.is_demo and row.disposition for row in rows)
            return texts
        finally:
            vault.lock()

    assert build("one.parley") == build("two.parley")
