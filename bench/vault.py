"""Vault benchmarks: how long unlocking takes, key derivation and checks included.

`unlock_s` is the median wall time of `Vault.unlock` + `lock` on a vault holding 10,000
fictional cases, with today's automatic backup already made (the usual case after the first
unlock of the day). It includes the PBKDF2 key derivation, the quick_check of every page,
the schema revision check and the audit writes. The baseline is opening a plain, unencrypted
SQLite file of the same cases and reading from it, measured in the same run.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from bench.harness import Metric, median_seconds
from db.services.cases import create_case
from db.services.types import NewCase, NewPartner
from db.vault import Vault

PASSPHRASE = "fictional benchmark passphrase 1"
CASES = 10_000
REPEATS = 7


def _fill_vault(path: Path) -> None:
    vault = Vault.create(path, PASSPHRASE)
    with vault.session() as session:
        for number in range(CASES):
            create_case(
                session,
                NewCase(
                    label=f"Fictional case {number:05d}",
                    partners=(NewPartner("Kim Example"), NewPartner("Alex Example")),
                    confidentiality_policy="no-secrets",
                ),
            )
    vault.lock()


def _plain_file(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, label TEXT)")
    connection.executemany(
        "INSERT INTO cases (label) VALUES (?)", [(f"Fictional case {n:05d}",) for n in range(CASES)]
    )
    connection.commit()
    connection.close()


def run() -> dict[str, Metric]:
    with tempfile.TemporaryDirectory(prefix="parley-bench-") as folder:
        vault_path = Path(folder) / "practice.parley"
        plain_path = Path(folder) / "plain.sqlite"
        _fill_vault(vault_path)
        _plain_file(plain_path)
        size_mb = vault_path.stat().st_size / 1e6

        def unlock_and_lock() -> None:
            Vault.unlock(vault_path, PASSPHRASE).lock()

        def open_plain() -> None:
            connection = sqlite3.connect(plain_path)
            connection.execute("SELECT count(*) FROM cases").fetchone()
            connection.close()

        # The warm-up unlock makes the day's automatic backup, so it is not in the median.
        unlock = median_seconds(unlock_and_lock, repeats=REPEATS, warmup=1)
        baseline = median_seconds(open_plain, repeats=REPEATS, warmup=1)
    return {
        "unlock_s": Metric(
            value=unlock,
            unit="s",
            baseline=baseline,
            goal=1.0,
            note=(
                f"Vault.unlock+lock, {CASES} cases ({size_mb:.1f} MB), PBKDF2-SHA512 256k "
                f"rounds, quick_check, audit writes, day's backup already made; median of "
                f"{REPEATS}. Baseline: open a plain SQLite file of {CASES} rows and count them "
                "(seconds)."
            ),
        )
    }
