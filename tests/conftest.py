"""Test-wide setup: Qt offscreen, private user folders, fictional data only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before any Qt import: no display here, and tests must never need one.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PARLEY_TEST", "1")


@pytest.fixture(autouse=True)
def private_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME and the XDG folders at the test's own folder.

    Settings, logs and default vault locations then never touch the real user's files, and
    the privacy sweeps can search exactly what a test wrote.
    """
    home = tmp_path / "home"
    for name, sub in (
        ("HOME", ""),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        folder = home / sub if sub else home
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(folder))
    return home
