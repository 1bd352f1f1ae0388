"""The `parley` command's own behaviour: version, help, clean failures."""

from __future__ import annotations

import subprocess
import sys


def run_parley(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args], capture_output=True, text=True, check=False
    )


def test_version_prints_the_package_version() -> None:
    result = run_parley("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("parley ")


def test_unknown_command_fails_without_traceback() -> None:
    result = run_parley("no-such-command")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
