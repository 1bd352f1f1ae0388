"""Logging to a rotating file in the user's log folder: events and error types, no client data."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import platformdirs


def log_directory() -> Path:
    return Path(platformdirs.user_log_dir("Parley", appauthor=False))


def configure_logging() -> Path:
    """Send Parley's log records to parley.log; returns the file's path.

    Code logs what happened (unlock failed, backup made, task failed with ValueError), never
    who or what was said; this is a convention every module follows, checked by the marker
    sweep test that searches the log folder for a client name.
    """
    with _configured_lock:
        root = logging.getLogger()
        existing = [h for h in root.handlers if getattr(h, "parley_log", False)]
        if existing:
            return Path(existing[0].baseFilename)  # type: ignore[attr-defined]
        return _add_file_handler(root)


_configured_lock = threading.Lock()


def _add_file_handler(root: logging.Logger) -> Path:
    import logging.handlers  # here, not at import: it pulls in sockets and email parsing

    folder = log_directory()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "parley.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.parley_log = True  # type: ignore[attr-defined]
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    # Alembic narrates every plugin and step at INFO; its warnings are what matter here.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return path
