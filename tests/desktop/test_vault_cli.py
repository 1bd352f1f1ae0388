"""`parley init|backup|restore|audit verify|passwd` as a script would run them (subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from db.cipher import derive_key, open_keyed_connection, read_salt

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "fictional cli passphrase 9"


def parley(
    *args: str, passphrase: str | None = PASSPHRASE, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    env["PARLEY_TEST"] = "1"
    if passphrase is not None:
        env["PARLEY_PASSPHRASE"] = passphrase
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def assert_one_line_failure(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("parley: ")
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture(scope="module")
def cli_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "practice.parley"
    result = parley("init", str(path))
    assert result.returncode == 0, result.stderr
    assert f"created vault {path}" in result.stdout
    return path


def test_init_refuses_an_existing_vault_and_short_passphrases(
    cli_vault: Path, tmp_path: Path
) -> None:
    assert_one_line_failure(parley("init", str(cli_vault)), "already exists")
    assert_one_line_failure(
        parley("init", str(tmp_path / "new.parley"), passphrase="short"), "at least 10"
    )
    assert not (tmp_path / "new.parley").exists()


def test_init_without_a_passphrase_and_no_terminal(tmp_path: Path) -> None:
    result = parley("init", str(tmp_path / "new.parley"), passphrase=None)
    assert_one_line_failure(result, "PARLEY_PASSPHRASE")
    assert result.returncode == 2


def test_backup_success_and_failures(cli_vault: Path, tmp_path: Path) -> None:
    result = parley("backup", str(cli_vault), str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "backup written and verified" in result.stdout
    (written,) = tmp_path.glob("*.parley")
    assert read_salt(written) == read_salt(cli_vault)
    assert_one_line_failure(
        parley("backup", str(cli_vault), str(tmp_path / "gone" / "b.parley")), "does not exist"
    )
    assert_one_line_failure(
        parley("backup", str(cli_vault), str(tmp_path), passphrase="wrong but long enough"),
        "wrong passphrase, or not a Parley vault",
    )
    assert_one_line_failure(
        parley("backup", str(tmp_path / "absent.parley"), str(tmp_path)), "no vault at"
    )


def test_audit_verify_ok_then_tampered(cli_vault: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.parley"
    assert parley("backup", str(cli_vault), str(copy)).returncode == 0
    result = parley("audit", "verify", str(copy))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("audit chain ok (")
    salt = read_salt(copy)
    assert salt is not None
    connection = open_keyed_connection(copy, derive_key(PASSPHRASE, salt))
    connection.execute("DELETE FROM audit_events WHERE seq = 2")
    connection.execute("UPDATE audit_events SET details = '{\"x\":1}' WHERE seq = 1")
    connection.close()
    tampered = parley("audit", "verify", str(copy))
    assert tampered.returncode == 1
    assert tampered.stdout.splitlines() == [
        "audit: event 1 was edited: its contents no longer match its hash",
        "audit: event 2 was deleted from the chain",
    ]


def test_restore_success_and_failures(cli_vault: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.parley"
    assert parley("backup", str(cli_vault), str(backup)).returncode == 0
    target = tmp_path / "restored" / "practice.parley"
    result = parley("restore", str(backup), str(target))
    assert result.returncode == 0, result.stderr
    assert f"restored {target}" in result.stdout
    again = parley("restore", str(backup), str(target))
    assert again.returncode == 0
    assert "kept as" in again.stdout
    assert_one_line_failure(
        parley("restore", str(backup), str(target), passphrase="wrong but long enough"),
        "wrong passphrase",
    )
    damaged = tmp_path / "damaged.parley"
    damaged.write_bytes(backup.read_bytes()[:5000])
    assert_one_line_failure(parley("restore", str(damaged), str(target)), "damaged")
    assert_one_line_failure(
        parley("restore", str(tmp_path / "nothing.parley"), str(target)), "no backup at"
    )


def test_passwd(tmp_path: Path) -> None:
    path = tmp_path / "p.parley"
    assert parley("init", str(path)).returncode == 0
    result = parley("passwd", str(path), PARLEY_NEW_PASSPHRASE="an entirely new phrase 5")
    assert result.returncode == 0, result.stderr
    assert "older backups still open with the old passphrase" in result.stdout
    assert_one_line_failure(parley("audit", "verify", str(path)), "wrong passphrase")
    ok = parley("audit", "verify", str(path), passphrase="an entirely new phrase 5")
    assert ok.returncode == 0
    assert_one_line_failure(
        parley(
            "passwd", str(path), passphrase="an entirely new phrase 5", PARLEY_NEW_PASSPHRASE="x"
        ),
        "passphrase refused",
    )


def test_a_vault_in_use_is_reported(cli_vault: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\nfrom db.vault import Vault\n"
            "Vault.unlock(Path(sys.argv[1]), sys.argv[2])\nprint('open', flush=True)\n"
            "time.sleep(60)\n",
            str(cli_vault),
            PASSPHRASE,
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        assert_one_line_failure(parley("audit", "verify", str(cli_vault)), "already open")
    finally:
        holder.kill()
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
