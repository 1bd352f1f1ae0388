"""Help > Keyboard shortcuts: every action with a shortcut, read from the actions themselves."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def shortcut_rows(actions: Sequence[QAction]) -> list[tuple[str, str]]:
    """(what it does, keys) for every action that has a shortcut, menu accelerators removed."""
    rows = []
    for action in actions:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            rows.append((action.text().replace("&", "").rstrip("…"), keys))
    return rows


class ShortcutsDialog(QDialog):
    """Lists the keyboard shortcuts: the window's first, then each open page's, under its name."""

    def __init__(
        self,
        groups: Sequence[tuple[str, Sequence[QAction]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(520, 600)
        self.table = QTableWidget(0, 2)
        table = self.table
        table.setAccessibleName("Keyboard shortcuts")
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        heading_font = QFont(self.font())
        heading_font.setBold(True)
        for title, actions in groups:
            rows = shortcut_rows(actions)
            if not rows:
                continue
            heading = table.rowCount()
            table.insertRow(heading)
            item = QTableWidgetItem(title)
            item.setFont(heading_font)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            table.setItem(heading, 0, item)
            table.setSpan(heading, 0, 1, 2)
            for text, keys in rows:
                row = table.rowCount()
                table.insertRow(row)
                table.setItem(row, 0, QTableWidgetItem(text))
                table.setItem(row, 1, QTableWidgetItem(keys))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
