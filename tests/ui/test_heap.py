"""Settling the heap: survivors are frozen out of later collections, and freed once garbage."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QObject

from ui.heap import settle_heap, settle_heap_soon


class Node:
    """A fictional object that refers to itself, so only the collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_survivors_are_frozen_and_freed_by_the_next_settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    gc.unfreeze()  # an earlier test's settle may have frozen objects: start from none
    try:
        node = Node()
        alive = weakref.ref(node)
        context = QObject()
        settle_heap_soon(context)
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=2_000)
        del node
        gc.collect()
        assert alive() is not None, "a frozen cycle is skipped by ordinary collections"
        settle_heap()
        assert alive() is None, "the next settle unfreezes first, so the garbage goes"
    finally:
        gc.unfreeze()
