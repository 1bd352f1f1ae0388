"""`parley screenshots`: every screen of the demo practice, rendered offscreen as PNG files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from desktop.demo import create_demo_vault

PASSPHRASE = "fictional demo passphrase 9"
SCREENS = (
    "unlock",
    "case-list",
    "intake",
    "indicators",
    "negotiation",
    "pacing-plan",
    "safety-plan",
    "notes",
    "note-signed",
    "measures-trend",
    "search",
)


def distinct_colours(image: QImage) -> int:
    """How many different colours a coarse sample of the image holds (1 for a blank one)."""
    step = 16
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


@pytest.mark.slow
def test_screenshots_of_every_screen_at_the_requested_size(tmp_path: Path) -> None:
    vault = tmp_path / "demo.parley"
    create_demo_vault(vault, PASSPHRASE)
    out = tmp_path / "shots"
    env = {
        **os.environ,
        "PARLEY_PASSPHRASE": PASSPHRASE,
        "QT_QPA_PLATFORM": "offscreen",
    }
    command = [sys.executable, "-m", "desktop", "screenshots", "--vault", str(vault)]
    result = subprocess.run(
        [*command, "--out", str(out), "--size", "1280x720"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.stem for p in out.iterdir()) == sorted(SCREENS)
    for stem in SCREENS:
        image = QImage(str(out / f"{stem}.png"))
        assert (image.width(), image.height()) == (1280, 720), stem
        assert distinct_colours(image) > 8, f"{stem}.png looks blank"
