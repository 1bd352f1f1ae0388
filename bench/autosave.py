"""Autosave stall: the longest event-loop pause while a burst of answers is made and saved.

The probe runs the real app in its own process: the demo practice unlocked, the main window
at 1440x900, a case open on partner A's intake. A 5 ms heartbeat timer records when the event
loop gets to run; a driver clicks 200 answers (yes/no questions, PHQ-9 items, activity cells)
one per millisecond, each saved off the UI thread as it is made, and the burst ends when the
last answer is in the vault. The longest gap between two heartbeats is the stall.

The baseline is the same heartbeat in the same process with nothing else to do: the
scheduler's own jitter. Each run's worst gap is taken; the metric is the median of the runs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from bench.harness import Metric

RUNS = 5
CHANGES = 200
PASSPHRASE = "fictional benchmark passphrase 2"

PROBE = textwrap.dedent(
    """
    import itertools, json, sys, time
    from pathlib import Path
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication
    from db.vault import Vault
    from desktop.app import policy_wordings
    from desktop.settings import AppSettings
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner
    from ui.theme import apply_theme
    from ui.workspace.intake_widgets import ActivityGridEditor, InstrumentEditor, QuestionEditor

    vault_path, passphrase, settings_path = sys.argv[1], sys.argv[2], sys.argv[3]
    runs, changes = int(sys.argv[4]), int(sys.argv[5])
    app = QApplication(sys.argv[:1])
    apply_theme(app)
    vault = Vault.unlock(Path(vault_path), passphrase)
    runner = TaskRunner()
    settings = AppSettings(QSettings(settings_path, QSettings.Format.IniFormat))
    window = MainWindow(vault, runner, settings, policy_wordings())
    window.resize(1440, 900)
    window.show()

    def wait(condition, timeout=30.0):
        deadline = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError("the probe waited too long")
            app.processEvents()
            time.sleep(0.001)

    wait(lambda: window.case_list.model.case_id_at(0) is not None)
    window.open_case(window.case_list.model.case_id_at(0))
    wait(lambda: window.workspace is not None)
    workspace = window.workspace
    case = workspace.case
    page = workspace.show_page_by_key("intake:A")
    page.ensure_built()
    wait(lambda: not runner.is_busy)

    pairs = []
    for editor in page.editors.values():
        if isinstance(editor, QuestionEditor) and editor.question.type == "yes_no":
            pairs.append(editor.choice.buttons[:2])
        elif isinstance(editor, InstrumentEditor) and editor.instrument.id == "phq9":
            pairs += [row.buttons[:2] for row in editor.rows]
    grid = next(e for e in page.editors.values() if isinstance(e, ActivityGridEditor))
    pairs += [choices[0].buttons[:2] for choices in grid.choices.values()]

    def heartbeat_gaps(action):
        ticks = []
        heartbeat = QTimer()
        heartbeat.setInterval(5)
        heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
        heartbeat.start()
        action()
        heartbeat.stop()
        return max(b - a for a, b in itertools.pairwise(ticks)), len(ticks)

    def idle_second():
        end = time.perf_counter() + 1.0
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.0005)

    def burst():
        made = []

        def click_next():
            if len(made) < changes:
                first, second = pairs[len(made) % len(pairs)]
                # Always the option not chosen now, so every click is a real change.
                (second if first.isChecked() else first).click()
                made.append(1)

        driver = QTimer()
        driver.setInterval(1)
        driver.timeout.connect(click_next)
        driver.start()
        wait(lambda: len(made) == changes)
        driver.stop()
        wait(lambda: not case.has_unsaved_changes and not runner.is_busy)

    results = {"burst": [], "idle": [], "ticks": []}
    for _ in range(runs):
        gap, _ticks = heartbeat_gaps(idle_second)
        results["idle"].append(gap)
        gap, ticks = heartbeat_gaps(burst)
        results["burst"].append(gap)
        results["ticks"].append(ticks)
    print(json.dumps(results))
    window.prepare_to_lock()
    runner.wait_until_idle()
    runner.shutdown()
    vault.lock()
    """
)


def run() -> dict[str, Metric]:
    from desktop.demo import create_demo_vault

    with tempfile.TemporaryDirectory() as folder:
        vault = Path(folder) / "demo.parley"
        create_demo_vault(vault, PASSPHRASE)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": folder}
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                PROBE,
                str(vault),
                PASSPHRASE,
                str(Path(folder) / "settings.ini"),
                str(RUNS),
                str(CHANGES),
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"autosave probe failed:\n{done.stderr}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    burst_ms = [gap * 1000 for gap in data["burst"]]
    idle_ms = [gap * 1000 for gap in data["idle"]]
    return {
        "autosave_ui_stall_max_ms": Metric(
            value=statistics.median(burst_ms),
            unit="ms",
            baseline=statistics.median(idle_ms),
            goal=50,
            note=(
                f"longest gap of a 5 ms heartbeat while {CHANGES} answers are clicked and "
                f"autosaved in the app (demo vault, intake page), median of {RUNS} bursts "
                f"(worst {max(burst_ms):.1f} ms); baseline: the heartbeat alone in the same "
                "process, ms"
            ),
        )
    }
