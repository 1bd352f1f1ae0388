"""Shared helpers for benchmark modules: medians of repeated runs and the metric record."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Metric:
    """One result line of bench/results.json.

    Attributes:
        value: the median measured value (or a ratio of medians).
        unit: "ms", "s", "MB" or "ratio".
        baseline: the bare baseline measured in the same run, in the same unit as its note says.
        goal: the issue's goal; `value` must be at most this.
        note: what was measured, against what, how many repetitions.
    """

    value: float
    unit: str
    baseline: float | None
    goal: float
    note: str

    @property
    def within_goal(self) -> bool:
        return self.value <= self.goal

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def median_seconds(action: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    """Median wall time of `action` over `repeats` runs, after `warmup` unmeasured runs."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)
