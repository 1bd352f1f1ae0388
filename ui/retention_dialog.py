"""Records past retention: the cases whose retention period has passed, and secure disposal.

The list comes from the vault (last service: the newest signed note's session date, else the
case's last change; the practice's period plus the rule for partners who were minors). Disposal
is deliberate: the clinician reads what it removes and types the case's name to confirm; it then
runs on the vault worker (it compacts the whole file) and leaves a disposal record, by case
number only, in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinical.note_formats import load_note_formats
from db.services.practice import get_practice_settings
from db.services.retention import DisposalReport, RetentionRow, dispose_case, records_past_retention
from ui.table_model import HeadedTableModel, Index
from ui.tasks import describe_error
from ui.vault_access import VaultGateway
from ui.workspace.notes_models import format_day

if TYPE_CHECKING:
    from ui.main_window import MainWindow


COLUMNS = ("Case", "Status", "Last service", "Retention ended")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class RetentionModel(HeadedTableModel):
    """Cases past their retention period, longest past first."""

    columns = COLUMNS

    def __init__(self) -> None:
        super().__init__()
        self.rows: tuple[RetentionRow, ...] = ()

    def set_rows(self, rows: Sequence[RetentionRow]) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.endResetModel()

    def row_total(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            source = "signed note" if row.last_service_source == "signed-note" else "last change"
            label = row.label + ("  (DEMO, fictional)" if row.is_demo else "")
            return (
                label,
                row.status.capitalize(),
                f"{format_day(row.last_service)} ({source})",
                format_day(row.keep_until),
            )[index.column()]
        if role == ROW_ROLE:
            return row
        return None


class ConfirmDisposalDialog(QDialog):
    """Says what disposal removes; the case's name must be typed to go ahead."""

    def __init__(self, row: RetentionRow, warning: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Dispose of a case securely")
        self.row = row
        heading = QLabel(f"<b>Dispose of “{row.label}” for good?</b>")
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setWordWrap(True)
        text = QLabel(warning)
        text.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Type the case's name to confirm")
        self.name_edit.setPlaceholderText(row.label)
        label = QLabel("Type the case's &name to confirm:")
        label.setBuddy(self.name_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.dispose_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.dispose_button.setText("Dispose of the case")
        self.dispose_button.setEnabled(False)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(
            lambda typed: self.dispose_button.setEnabled(typed.strip() == row.label.strip())
        )
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        # Wrapped labels ask for their height at the width they get: give them a real width.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        width = self.fontMetrics().averageCharWidth() * 70
        for wrapped in (heading, text):
            wrapped.setMinimumWidth(width)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addWidget(label)
        layout.addWidget(self.name_edit)
        layout.addWidget(buttons)
        self.name_edit.setFocus()


class RetentionDialog(QDialog):
    """The records past retention, with secure disposal.

    Signals:
        disposing(int): a case is about to be disposed of (close it if it is open).
        disposed(int): a case was disposed of.
    """

    disposing = Signal(int)
    disposed = Signal(int)

    def __init__(self, gateway: VaultGateway, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Records past retention")
        self.gateway = gateway
        self.rule = load_note_formats().retention
        self.confirm: ConfirmDisposalDialog | None = None
        self.busy = False

        explanation = QLabel(self.rule.explanation)
        explanation.setWordWrap(True)
        self.period_label = QLabel()
        self.period_label.setWordWrap(True)
        self.period_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.model = RetentionModel()
        self.table = QTableView()
        self.table.setAccessibleName("Cases past their retention period")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.empty_label = QLabel("No case is past its retention period.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.empty_label.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Disposal status")
        self.dispose_button = QPushButton("&Dispose of securely…")
        self.dispose_button.setEnabled(False)
        self.dispose_button.clicked.connect(self.ask_to_dispose)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.dispose_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(self._chosen)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(explanation)
        layout.addWidget(self.period_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 112, self.fontMetrics().lineSpacing() * 30)
        self.reload()

    # ------------------------------------------------------------------ list

    def reload(self) -> None:
        today = dt.date.today()

        def loaded(result: tuple[int, tuple[RetentionRow, ...]]) -> None:
            years, rows = result
            self.period_label.setText(
                f"This practice keeps records {years} years after the last service (change it "
                "in Practice settings)."
            )
            self.model.set_rows(rows)
            self.empty_label.setVisible(not rows)
            self.table.setVisible(bool(rows))
            self._chosen()

        self.gateway.call(
            lambda session: (
                get_practice_settings(session).retention_years,
                records_past_retention(session, today, self.rule),
            ),
            on_done=loaded,
            on_error=lambda error: self.status.setText(describe_error(error)),
        )

    def chosen_row(self) -> RetentionRow | None:
        row = self.table.currentIndex().data(ROW_ROLE)
        return row if isinstance(row, RetentionRow) else None

    def _chosen(self) -> None:
        self.dispose_button.setEnabled(self.chosen_row() is not None and not self.busy)

    # ------------------------------------------------------------------ disposal

    def ask_to_dispose(self) -> None:
        row = self.chosen_row()
        if row is None:
            return
        self.confirm = ConfirmDisposalDialog(row, self.rule.disposal_warning, self)
        accepted = self.confirm.exec() == QDialog.DialogCode.Accepted
        self.confirm = None
        if accepted:
            self.dispose(row)

    def dispose(self, row: RetentionRow) -> None:
        """Dispose of the case on the vault worker (confirmed already)."""
        self.busy = True
        self.dispose_button.setEnabled(False)
        self.disposing.emit(row.case_id)
        self.status.setText("Disposing of the case and compacting the vault…")
        vault = self.gateway.vault

        def done(report: DisposalReport) -> None:
            self.busy = False
            notes = report.removed.get("notes", 0)
            self.status.setText(
                f"Case {row.case_id} was disposed of securely ({notes} session notes with "
                "every version, and everything else of the case). The audit trail records the "
                "disposal by case number."
            )
            self.disposed.emit(row.case_id)
            self.reload()

        def failed(error: BaseException) -> None:
            self.busy = False
            self._chosen()
            self.status.setText(describe_error(error))

        self.gateway.run(lambda: dispose_case(vault, row.case_id), on_done=done, on_error=failed)


def show_retention(window: MainWindow) -> RetentionDialog:
    """Open the records-past-retention window over the main window."""
    dialog = RetentionDialog(window.gateway, window)

    def disposing(case_id: int) -> None:
        if window.workspace is not None and window.workspace.case.case_id == case_id:
            window.show_case_list()

    dialog.disposing.connect(disposing)
    dialog.disposed.connect(lambda _: window.case_list.reload())
    dialog.show()
    return dialog
