"""Schema revisions: which one a vault is at, which ones this Parley knows, and upgrading.

The Alembic version table lives inside the encrypted file, so a vault and its backups always
say which schema they hold. Migrations are forward-only; a vault at a revision this Parley
does not know was written by a newer Parley and is never touched.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@lru_cache(maxsize=1)
def known_revisions() -> tuple[str, ...]:
    """Every revision this Parley knows, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    newest_first = [revision.revision for revision in script.walk_revisions()]
    return tuple(reversed(newest_first))


def head_revision() -> str:
    """The newest revision this Parley knows."""
    return known_revisions()[-1]


def current_revision(dbapi_connection: Any) -> str | None:
    """The revision stamped in an open DB-API connection's vault, or None if unstamped."""
    table = dbapi_connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if table is None:
        return None
    row = dbapi_connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def upgrade(connection: Connection, target: str = "head") -> None:
    """Apply migrations up to `target` on `connection`, inside the caller's transaction."""
    from alembic import command

    config = _config()
    config.attributes["connection"] = connection
    command.upgrade(config, target)
