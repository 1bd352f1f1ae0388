"""A copy of the vault and its -wal taken in the middle of a transaction opens intact.

This is what a file-level backup tool or a sync client does to a live vault: it copies the
files while Parley writes. The copy must open with integrity_check ok and hold every
transaction committed before the copy, none of the one in flight.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from db.services.cases import list_case_ids
from db.vault import Vault

pytestmark = pytest.mark.reliability

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "fictional wal copy passphrase 8"

# Commits 30 cases (left in the -wal: no checkpoint yet), then starts a transaction that
# writes 200 more and waits, uncommitted, until the parent has copied the files.
WRITER = """
import os, sys
from pathlib import Path
from db.vault import Vault
from db.services.cases import create_case
from db.services.types import NewCase, NewPartner

def new_case(number):
    return NewCase("Fictional case %d" % number,
                   (NewPartner("Kim Example"), NewPartner("Alex Example")), "no-secrets")

vault = Vault.unlock(Path(sys.argv[1]), os.environ["PARLEY_PASSPHRASE"])
for number in range(30):
    with vault.session() as session:
        create_case(session, new_case(number))
with vault.session() as session:
    for number in range(30, 230):
        create_case(session, new_case(number))
    session.flush()  # the uncommitted pages reach the -wal or the page cache, not a commit
    print("in-transaction", flush=True)
    sys.stdin.readline()  # hold the transaction open until the parent says so
"""


def test_a_copy_taken_mid_transaction_opens_with_what_was_committed(tmp_path: Path) -> None:
    live = tmp_path / "live" / "practice.parley"
    Vault.create(live, PASSPHRASE).lock()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(live)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env={**os.environ, "PARLEY_PASSPHRASE": PASSPHRASE},
        text=True,
    )
    try:
        assert writer.stdout is not None
        line = writer.stdout.readline()
        assert line.strip() == "in-transaction", writer.stderr.read() if writer.stderr else ""
        wal = live.with_name(live.name + "-wal")
        assert wal.stat().st_size > 0, "the committed cases should be in the -wal"
        copy = tmp_path / "copy" / "practice.parley"
        copy.parent.mkdir()
        # The vault first, then its -wal: the order a naive copy tool uses.
        shutil.copyfile(live, copy)
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    finally:
        writer.kill()
        writer.communicate(timeout=30)  # reaps the process and closes its pipes

    opened = Vault.unlock(copy, PASSPHRASE)
    try:
        with opened.session() as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert len(list_case_ids(session)) == 30
    finally:
        opened.lock()
