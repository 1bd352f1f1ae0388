"""No client detail leaks outside the encrypted vault: not in any file Parley leaves behind.

A fresh process with HOME, the XDG folders and TMPDIR all inside one temporary folder creates
a vault in its default place, adds a case with a partner named "Zoë Marker-7731", backs it up
and closes. The marker, in UTF-8, UTF-16-LE and its ASCII part alone, must appear in no file
under that folder (vault, -wal while open, backups, settings, temp), and neither the vault nor
its backups may begin with the plain SQLite header.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.sweep import environment_with, needles_for, private_folders, scan

pytestmark = pytest.mark.reliability

REPO = Path(__file__).resolve().parents[2]
MARKER = "Zoë Marker-7731"
NEEDLES = needles_for(MARKER, "Marker-7731")
SQLITE_HEADER = b"SQLite format 3\0"

CHILD = """
import json, os, sys
from pathlib import Path
from db.vault import Vault, default_vault_path
from db.services.cases import create_case, update_case, mark_case_opened
from db.services.types import CaseChanges, NewCase, NewPartner, PartnerChanges

marker, backup_dir = sys.argv[1], Path(sys.argv[2])
path = default_vault_path()
vault = Vault.create(path, "fictional marker passphrase 8")
with vault.session() as session:
    case = create_case(session, NewCase(
        label="Example couple (fictional)",
        partners=(NewPartner(marker, contact=marker + " at example.org"),
                  NewPartner("Kim Example")),
        confidentiality_policy="limited-secrets", consent_note="noted for " + marker))
with vault.session() as session:
    mark_case_opened(session, case.id)
    update_case(session, case.id, CaseChanges(
        partners=(PartnerChanges(key="A", pronouns=marker),)))
backup = vault.backup_to(backup_dir)
# While the vault is still open: the -wal and -shm files exist now and are scanned too.
open_files = {}
for folder in (path.parent, backup_dir):
    for file in folder.rglob("*"):
        if file.is_file():
            open_files[str(file)] = file.read_bytes().hex()
vault.lock()
Vault.unlock(path, "fictional marker passphrase 8").lock()  # and the auto-backup of the day
print(json.dumps({"vault": str(path), "backup": str(backup), "open_files": open_files}))
"""


def test_the_marker_appears_in_no_file_outside_the_vault(tmp_path: Path) -> None:
    folders = private_folders(tmp_path)
    backup_dir = tmp_path / "usb-stick"
    backup_dir.mkdir()
    env = environment_with(folders)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, MARKER, str(backup_dir)],
        capture_output=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    for needle in NEEDLES:
        assert needle not in result.stderr  # nothing logged either
    report = json.loads(result.stdout.decode().strip().splitlines()[-1])
    vault = Path(report["vault"])
    assert vault.is_relative_to(folders["XDG_DATA_HOME"])

    open_hits = [
        f"{name}: {needle!r}"
        for name, data in report["open_files"].items()
        for needle in NEEDLES
        if needle in bytes.fromhex(data)
    ]
    assert any(name.endswith("-wal") for name in report["open_files"])
    assert open_hits == []
    assert scan(tmp_path, NEEDLES) == []

    encrypted = [vault, Path(report["backup"]), *(vault.parent / "backups").glob("*.parley")]
    assert len(encrypted) >= 3
    for file in encrypted:
        assert not file.read_bytes().startswith(SQLITE_HEADER), file
    # The scan is able to find the marker at all: a plain file holding it is caught.
    probe = tmp_path / "tmp" / "probe.txt"
    probe.write_text(MARKER, encoding="utf-16-le")
    assert scan(tmp_path, NEEDLES)
