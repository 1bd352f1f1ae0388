"""App-level metrics: startup to the unlock dialog, the case list at 10,000 cases, autosave
stalls and memory, each against a bare baseline measured in the same run.

Vaults are generated once (fictional, seeded) into bench/.cache and reused by later runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from bench.harness import Metric

CACHE = Path(__file__).with_name(".cache")
PASSPHRASE = "benchmark passphrase, fictional data"

STARTUP_RUNS = 15

BARE_WINDOW_PROBE = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.show()
    QTimer.singleShot(0, app.quit)
    app.exec()
    """
)

# The same path as the `parley` console script: the CLI module, then the app's first window.
APP_PROBE = textwrap.dedent(
    """
    import sys
    from desktop.cli import build_parser
    argv = ["--vault", sys.argv[1]]
    args = build_parser(argv).parse_args(argv)
    from PySide6.QtCore import QTimer
    from desktop.app import start_app
    app, controller = start_app(args.vault)
    assert controller.unlock_dialog is not None and controller.unlock_dialog.isVisible()
    QTimer.singleShot(0, app.quit)
    app.exec()
    """
)


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_STATE_HOME": str(home / ".state"),
            "XDG_DATA_HOME": str(home / ".data"),
        }
    )
    return env


def _vault_with(cases: int, with_intakes: bool) -> Path:
    """A cached vault of `cases` synthetic cases (created on first use)."""
    kind = "full" if with_intakes else "bare"
    path = CACHE / f"practice-{cases}-{kind}.parley"
    if path.exists():
        return path
    from db.vault import Vault
    from desktop.synthetic import generate_practice

    CACHE.mkdir(exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    vault = Vault.create(partial, PASSPHRASE)
    try:
        generate_practice(vault, cases, seed=2026, with_intakes=with_intakes)
    finally:
        vault.lock()
    partial.replace(path)
    for suffix in (".lock", ".failed-unlocks"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    return path


def _timed_process(code: str, *args: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    # stderr kept out of the table (the offscreen plugin's notice), shown if the probe fails
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"start-up probe failed:\n{done.stderr.decode(errors='replace')}")
    return elapsed


def startup_ratio() -> Metric:
    vault = _vault_with(100, with_intakes=False)
    home = CACHE / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = _environment(home)
    # Warm the file cache for both, then interleave so drift affects both alike.
    _timed_process(BARE_WINDOW_PROBE, env=env)
    _timed_process(APP_PROBE, str(vault), env=env)
    bare, app = [], []
    for _ in range(STARTUP_RUNS):
        bare.append(_timed_process(BARE_WINDOW_PROBE, env=env))
        app.append(_timed_process(APP_PROBE, str(vault), env=env))
    bare_median, app_median = statistics.median(bare), statistics.median(app)
    return Metric(
        value=app_median / bare_median,
        unit="ratio",
        baseline=bare_median,
        goal=1.5,
        note=(
            f"process start to unlock dialog shown {app_median:.3f} s vs bare QMainWindow "
            f"shown {bare_median:.3f} s (baseline, s); medians of {STARTUP_RUNS} runs each"
        ),
    )


FIRST_PAGE_PROBE = textwrap.dedent(
    """
    import json, os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    from db.vault import Vault
    from desktop.app import policy_wordings
    from desktop.settings import AppSettings
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    app = QApplication(sys.argv[:1])
    vault = Vault.unlock(Path(sys.argv[1]), sys.argv[2])
    runner = TaskRunner()
    settings = AppSettings(QSettings(sys.argv[4], QSettings.Format.IniFormat))
    window = MainWindow(vault, runner, settings, policy_wordings())
    window.resize(1440, 900)
    window.show()
    page = window.case_list
    app.processEvents()
    samples = []
    for _ in range(int(sys.argv[3])):
        start = time.perf_counter()
        page.reload()
        # First page painted: the id list arrived, the first rows were fetched, and the
        # view repainted with them.
        while page.model.rowCount() == 0 or page.model.row_at(0) is None:
            app.processEvents()
            time.sleep(0.0005)
        page.table.viewport().repaint()
        samples.append(time.perf_counter() - start)
    rss = None
    try:
        import psutil
        rss = psutil.Process().memory_info().rss
    except ImportError:
        pass
    print(json.dumps({"samples": samples, "rss": rss}))
    runner.wait_until_idle()
    window.prepare_to_lock()
    runner.shutdown()
    vault.lock()
    """
)


def _first_page(vault: Path, runs: int) -> tuple[float, int | None]:
    import json

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            FIRST_PAGE_PROBE,
            str(vault),
            PASSPHRASE,
            str(runs),
            str(CACHE / "home" / "bench-settings.ini"),
        ],
        capture_output=True,
        text=True,
        check=True,
        env=_environment(CACHE / "home"),
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return statistics.median(data["samples"]), data["rss"]


def case_list_ratio() -> tuple[Metric, Metric]:
    small = _vault_with(100, with_intakes=True)
    large = _vault_with(10_000, with_intakes=True)
    small_median, _ = _first_page(small, 25)
    large_median, rss = _first_page(large, 25)
    ratio = Metric(
        value=large_median / small_median,
        unit="ratio",
        baseline=small_median * 1000,
        goal=1.3,
        note=(
            f"reload to first page painted: 10,000 cases {large_median * 1000:.1f} ms vs "
            f"100 cases {small_median * 1000:.1f} ms (baseline, ms); medians of 25"
        ),
    )
    memory = Metric(
        value=(rss or 0) / 1_048_576,
        unit="MB",
        baseline=None,
        goal=250,
        note="resident memory with a 10,000-case vault unlocked and its case list shown",
    )
    return ratio, memory


def run() -> dict[str, Metric]:
    ratio, memory = case_list_ratio()
    return {
        "startup_to_unlock_ratio": startup_ratio(),
        "case_list_10k_vs_100_ratio": ratio,
        "rss_10k_cases_mb": memory,
    }
