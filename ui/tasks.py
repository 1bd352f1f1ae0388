"""The background task runner: vault work runs on one worker thread, results return to the UI.

Rules, after Picard and Anki: never touch a widget from the worker; never block the UI thread
on I/O; all database work is serialised on a single worker so writes keep their order; every
result or error is posted back to the UI thread through a queued signal.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from clinical.errors import ParleyError

log = logging.getLogger(__name__)

T = TypeVar("T")


def describe_error(error: BaseException) -> str:
    """A message for a person: ParleyError text as is, anything else by its type only.

    An unexpected exception's text may quote client data, so it is never shown or logged.
    """
    if isinstance(error, ParleyError):
        return str(error)
    return (
        f"Something went wrong ({type(error).__name__}). Nothing saved before this was lost; "
        "try again, and if it keeps happening, lock and unlock the vault."
    )


class Task(Generic[T]):
    """A unit of work queued on the runner."""

    # A plain class, not a dataclass: this module is on the start-up path, dataclasses is not.
    __slots__ = ("generation", "on_done", "on_error", "task_id", "work")

    def __init__(
        self,
        task_id: int,
        work: Callable[[], T],
        on_done: Callable[[T], None] | None,
        on_error: Callable[[BaseException], None] | None,
        generation: int,
    ) -> None:
        self.task_id = task_id
        self.work = work
        self.on_done = on_done
        self.on_error = on_error
        self.generation = generation


class TaskRunner(QObject):
    """Runs callables in submission order on one worker thread.

    Signals:
        busy_changed(bool): true while work is queued or running.
        failed(str): a task without its own error handler failed; the message is safe to show.
    """

    busy_changed = Signal(bool)
    failed = Signal(str)
    _finished = Signal(object, object, object)  # task, result, error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue[Task[Any] | None] = queue.Queue()
        self._ids = itertools.count(1)
        self._undelivered = 0  # submitted, result not yet handed back (drives busy_changed)
        self._unrun = 0  # submitted, not yet executed by the worker (drives wait_until_idle)
        self._generation = 0
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._finished.connect(self._deliver)
        self._thread = threading.Thread(target=self._work_loop, name="parley-vault", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ UI thread side

    def submit(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        """Queue `work`; `on_done(result)` or `on_error(exc)` later run on the UI thread."""
        with self._lock:
            self._undelivered += 1
            self._unrun += 1
            self._idle.clear()
            became_busy = self._undelivered == 1
            task = Task(next(self._ids), work, on_done, on_error, self._generation)
        if became_busy:
            self.busy_changed.emit(True)
        self._queue.put(task)
        return task.task_id

    def forget_pending_results(self) -> None:
        """Drop the callbacks of work already queued (used when the vault locks).

        The work itself still runs to completion, so nothing half-saved is abandoned; only its
        results are no longer delivered to screens that are going away.
        """
        with self._lock:
            self._generation += 1

    def wait_until_idle(self, timeout: float = 30.0) -> bool:
        """Block until every queued task has run (results may still await delivery)."""
        return self._idle.wait(timeout)

    @property
    def is_busy(self) -> bool:
        return not self._idle.is_set()

    def shutdown(self, timeout: float = 30.0) -> None:
        """Finish queued work and stop the worker thread."""
        self._queue.put(None)
        self._thread.join(timeout)

    @Slot(object, object, object)
    def _deliver(self, task: Task[Any], result: object, error: BaseException | None) -> None:
        with self._lock:
            current = task.generation == self._generation
        try:
            if not current:
                return
            if error is None:
                if task.on_done is not None:
                    task.on_done(result)
            elif task.on_error is not None:
                task.on_error(error)
            else:
                self.failed.emit(describe_error(error))
        finally:
            with self._lock:
                self._undelivered -= 1
                now_idle = self._undelivered == 0
            if now_idle:
                self.busy_changed.emit(False)

    # ------------------------------------------------------------------ worker side

    def _work_loop(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                return
            result: object = None
            error: BaseException | None = None
            try:
                result = task.work()
            except BaseException as exc:  # reported to the UI thread, never swallowed
                error = exc
                if not isinstance(exc, ParleyError):
                    log.error("background task failed: %s", type(exc).__name__)
            with self._lock:
                self._unrun -= 1
                if self._unrun == 0:
                    self._idle.set()
            self._finished.emit(task, result, error)
