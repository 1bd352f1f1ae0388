"""`make run` on a real (virtual) display: the app starts, shows its first window, stays up."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("xvfb-run") is None, reason="xvfb-run is not installed (make setup installs it)"
)


def test_the_app_starts_under_xvfb_and_shows_the_first_window(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    env.pop("QT_QPA_PLATFORM", None)  # a real X server this time, not offscreen
    app = subprocess.Popen(
        ["xvfb-run", "-a", sys.executable, "-m", "desktop"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so that xvfb-run, Xvfb and the app stop together
    )
    try:
        time.sleep(6)
        assert app.poll() is None, f"the app exited early: {app.communicate()[1][-2000:]}"
        # First start: the log file appears once the warm-up ran, i.e. the window was shown
        # and the event loop turned.
        assert (tmp_path / "state" / "Parley" / "log" / "parley.log").exists()
    finally:
        os.killpg(app.pid, signal.SIGTERM)
        _, stderr = app.communicate(timeout=30)
    assert "Traceback" not in stderr
