"""Shared by the marker sweeps: a private HOME for a child process, and the search itself."""

from __future__ import annotations

import os
from pathlib import Path


def needles_for(marker: str, ascii_part: str) -> tuple[bytes, ...]:
    """The marker as it could land in a file: UTF-8, UTF-16-LE, and its ASCII part in both."""
    return (
        marker.encode("utf-8"),
        marker.encode("utf-16-le"),
        ascii_part.encode("ascii"),
        ascii_part.encode("utf-16-le"),
    )


def private_folders(tmp_path: Path) -> dict[str, Path]:
    """HOME, the XDG folders and TMPDIR, all made inside `tmp_path`, by variable name."""
    home = tmp_path / "home"
    folders = {
        "HOME": home,
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_STATE_HOME": home / ".local" / "state",
        "XDG_RUNTIME_DIR": tmp_path / "runtime",
        "TMPDIR": tmp_path / "tmp",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folders


def environment_with(folders: dict[str, Path]) -> dict[str, str]:
    """This process's environment with those folders, and no XDG_ or PARLEY_ setting of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PARLEY_"))}
    env.update({name: str(folder) for name, folder in folders.items()})
    return env


def scan(root: Path, needles: tuple[bytes, ...]) -> list[str]:
    """Every file under `root` holding one of the needles, with the needle it holds."""
    hits = []
    for file in root.rglob("*"):
        if file.is_file() and not file.is_symlink():
            data = file.read_bytes()
            hits.extend(f"{file}: {needle!r}" for needle in needles if needle in data)
    return hits
