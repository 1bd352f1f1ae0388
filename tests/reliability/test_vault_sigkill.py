"""SIGKILL a writing process at random moments; every reported commit must survive.

A writer subprocess unlocks the vault and creates fictional cases in a loop, printing each
id after its commit returned. The parent kills it with SIGKILL (no chance to clean up) at a
random moment, sometimes before it even finished unlocking, then unlocks the vault itself:
it must open, pass integrity_check and hold every id the writer reported.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from db.services.cases import case_rows, list_case_ids
from db.vault import Vault

pytestmark = pytest.mark.reliability

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "fictional sigkill passphrase 3"
KILLS = 50
#: The whole test stops early (with a failure) rather than run past this.
BUDGET_SECONDS = 150

WRITER = """
import os, sys
from pathlib import Path
from db.vault import Vault
from db.services.cases import create_case
from db.services.types import NewCase, NewPartner

vault = Vault.unlock(Path(sys.argv[1]), os.environ["PARLEY_PASSPHRASE"])
print("ready", flush=True)
number = 0
while True:
    with vault.session() as session:
        case = create_case(session, NewCase(
            label="Fictional case %d" % number,
            partners=(NewPartner("Kim Example"), NewPartner("Alex Example")),
            confidentiality_policy="no-secrets"))
    # Printed only after the commit returned: a reported id is a committed id.
    print(case.id, flush=True)
    number += 1
"""


def reported_ids(output: str) -> set[int]:
    """Ids on complete lines; a line cut off by the kill was never fully reported."""
    ids = set()
    for line in output.split("\n")[:-1]:
        if line.strip().isdigit():
            ids.add(int(line))
    return ids


def test_sigkill_during_writes_never_loses_a_reported_commit(tmp_path: Path) -> None:
    path = tmp_path / "practice.parley"
    Vault.create(path, PASSPHRASE).lock()
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    env = {**os.environ, "PARLEY_PASSPHRASE": PASSPHRASE}
    committed: set[int] = set()
    started = time.monotonic()
    for round_number in range(KILLS):
        assert time.monotonic() - started < BUDGET_SECONDS, f"only {round_number} rounds done"
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=REPO,
            env=env,
        )
        assert writer.stdout is not None
        if round_number % 5 == 4:
            # Sometimes kill during start-up: mid-unlock, mid-audit write or mid-backup.
            time.sleep(rng.uniform(0.05, 0.6))
        else:
            first = writer.stdout.readline()
            assert first.strip() == b"ready", first
            time.sleep(rng.uniform(0.0, 0.25))
        writer.send_signal(signal.SIGKILL)
        output, _ = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL
        ids = reported_ids(output.decode("ascii", errors="replace"))
        committed |= ids

        vault = Vault.unlock(path, PASSPHRASE)
        try:
            with vault.session() as session:
                assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                present = set(list_case_ids(session))
                missing = committed - present
                assert not missing, f"round {round_number}: committed cases lost: {missing}"
                rows = case_rows(session, sorted(ids))
                assert all(row.partner_names == ("Kim Example", "Alex Example") for row in rows)
        finally:
            vault.lock()
    assert len(committed) > KILLS  # the writer really wrote between kills
