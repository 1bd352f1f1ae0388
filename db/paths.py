"""Where Parley's files live by default; light enough to import before any database code."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

VAULT_FILE_NAME = "practice.parley"


def default_vault_path() -> Path:
    """Where the practice vault lives unless the user picks another file."""
    return Path(user_data_dir("Parley", appauthor=False)) / VAULT_FILE_NAME
