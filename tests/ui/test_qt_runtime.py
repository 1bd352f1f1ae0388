"""The Qt runtime itself: guards against known-bad PySide6 builds, and the PDF preview."""

from __future__ import annotations

import subprocess
import sys

from reports.safety_plan import render_safety_plan
from tests.reports.helpers import vignette_snapshot
from ui.pdf_preview import PdfPreview

# PySide6 6.12.0 drops a reference to None on every Qt call that returns nothing; on Python
# 3.11 the interpreter aborts ("deallocating None") after some tens of thousands of calls,
# i.e. within an hour of real use. Run enough calls in a separate process to catch it.
MANY_VOID_CALLS = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for _ in range(150_000):
    label.setText("Kim Example")
    label.setEnabled(True)
print("alive")
"""


def test_a_long_session_of_qt_calls_does_not_crash_the_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-c", MANY_VOID_CALLS], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "alive"


def test_the_pdf_preview_draws_every_page_off_the_ui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    data = render_safety_plan(vignette_snapshot("ready-couple")).data
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.resize(800, 600)
    preview.show()
    with qtbot.waitSignal(preview.rendered, timeout=20_000) as shown:
        preview.load(data)
    assert shown.args[0] >= 2
    assert preview.is_ready
    first_width = preview._labels[0].pixmap().width()
    with qtbot.waitSignal(preview.rendered, timeout=20_000):
        preview.zoom(1.5)
    assert preview._labels[0].pixmap().width() > first_width


def test_the_pdf_preview_reports_a_document_it_cannot_open(qtbot) -> None:  # type: ignore[no-untyped-def]
    preview = PdfPreview()
    qtbot.addWidget(preview)
    with qtbot.waitSignal(preview.failed, timeout=20_000) as failed:
        preview.load(b"%PDF-1.4 not really a pdf")
    assert "could not be drawn" in failed.args[0]
    assert preview.page_count == 0
