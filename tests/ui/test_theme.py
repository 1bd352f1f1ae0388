"""The dark palette keeps every control visible: rings of radio buttons and check boxes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# In its own process: a theme changes application-wide state the other tests rely on.
PROBE = """
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QRadioButton, QWidget
from ui.theme import apply_theme, is_dark

app = QApplication([])
apply_theme(app)
host = QWidget()
radio, check, label = QRadioButton(host), QCheckBox(host), QLabel(host)
host.show()
app.processEvents()
window = lambda widget: widget.palette().color(QPalette.ColorRole.Window).lightness()
print(is_dark(), window(radio), window(check), window(label))
"""


def run_theme(theme: str) -> list[str]:
    env = {**os.environ, "PARLEY_THEME": theme, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=REPO, check=True
    )
    return done.stdout.split()


def test_dark_palette_lightens_only_the_rings_of_radio_buttons_and_check_boxes() -> None:
    dark, radio, check, label = run_theme("dark")
    assert dark == "True"
    # Fusion draws the ring in Window darkened by half: it must stay well above the cards.
    assert int(radio) > 128
    assert int(check) > 128
    assert int(label) < 64, "everything else keeps the dark window colour"


def test_light_palette_is_left_as_it_is() -> None:
    dark, radio, check, label = run_theme("light")
    assert dark == "False"
    assert radio == check == label
