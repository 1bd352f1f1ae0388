"""Keeps Python's garbage collector from pausing the screen while the clinician works.

A full collection walks every live object with the GIL held: with a case open that is some
hundreds of thousands (Qt wrappers, the clinical content, SQLAlchemy's mappers) and takes
60-80 ms, long enough to stall typing and clicking whenever it happens to run (measured by
bench/autosave.py). Almost all of those objects live until the case closes. So once a case has
opened we collect once, while the clinician is looking at the new screen, and move the
survivors into the collector's permanent generation, which later collections skip. The next
settle first unfreezes, so a closed case's objects are collected then.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


def settle_heap() -> None:
    """Collect everything once, then exempt the survivors from later collections."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def settle_heap_soon(context: QObject) -> None:
    """`settle_heap` once the event loop has painted what is pending (dropped with `context`)."""
    QTimer.singleShot(0, context, settle_heap)
