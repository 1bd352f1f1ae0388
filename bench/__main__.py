"""`make bench`: runs every benchmark module and writes bench/results.json plus a table.

Each module listed in MODULES defines `run() -> dict[str, Metric]`. Ratios are always taken
against a bare baseline measured in the same run, so the machine's speed cancels out.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
from pathlib import Path

from bench.harness import Metric

MODULES: tuple[str, ...] = (
    "bench.evaluate",
    "bench.vault",
    "bench.app",
    "bench.reports",
    "bench.search",
    "bench.autosave",
)

RESULTS = Path(__file__).with_name("results.json")


def machine_description() -> str:
    system = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    return f"{system}, Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    selected = [m for m in MODULES if not argv or any(a in m for a in argv)]
    metrics: dict[str, Metric] = {}
    for module_name in selected:
        print(f"-- {module_name}", flush=True)
        module = importlib.import_module(module_name)
        metrics.update(module.run())
    previous: dict[str, object] = {}
    if argv and RESULTS.exists():  # a partial run keeps the other metrics' last values
        previous = json.loads(RESULTS.read_text())["metrics"]
    merged = {**previous, **{name: metric.as_json() for name, metric in metrics.items()}}
    payload = {"machine": machine_description(), "metrics": dict(sorted(merged.items()))}
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2) + "\n")
    tmp.replace(RESULTS)
    print(f"\n{'metric':32} {'value':>10} {'unit':6} {'goal':>8} {'baseline':>10}  ok")
    failed = 0
    for name, raw in payload["metrics"].items():
        metric = Metric(**raw)  # type: ignore[arg-type]
        ok = metric.within_goal
        failed += not ok
        baseline = "" if metric.baseline is None else f"{metric.baseline:.3f}"
        print(
            f"{name:32} {metric.value:10.3f} {metric.unit:6} {metric.goal:8.3f} {baseline:>10}  "
            f"{'yes' if ok else 'NO'}"
        )
    print(f"\nmachine: {payload['machine']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
