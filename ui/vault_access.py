"""How screens reach the vault: a db service call, in its own unit of work, on the runner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from db.vault import Vault
from ui.tasks import TaskRunner

T = TypeVar("T")


class VaultGateway:
    """Runs `service(session, *args)` on the task runner inside `vault.session()`.

    The session exists only on the worker thread, for the length of one call, and commits when
    the service returns; screens get the service's frozen dataclasses back on the UI thread.
    """

    def __init__(self, vault: Vault, runner: TaskRunner) -> None:
        self.vault = vault
        self.runner = runner

    def call(
        self,
        service: Callable[..., T],
        *args: Any,
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        vault = self.vault

        def unit_of_work() -> T:
            with vault.session() as session:
                return service(session, *args)

        return self.runner.submit(unit_of_work, on_done, on_error)

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        """Run vault work that manages its own sessions (backups, exports)."""
        return self.runner.submit(work, on_done, on_error)
