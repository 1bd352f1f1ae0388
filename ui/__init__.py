"""PySide6 windows, dialogs, item models and the background task runner."""
