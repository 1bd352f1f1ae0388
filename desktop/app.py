"""Starts the Qt application: vault chooser, unlock dialog, main window."""

from __future__ import annotations


def run_app(vault_path: str | None = None) -> int:
    """Run the desktop app until the user quits; returns the process exit code."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication([])
    window = QMainWindow()
    window.setWindowTitle("Parley")
    window.show()
    return int(app.exec())
