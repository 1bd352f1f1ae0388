"""Practice settings: who signs the documents, crisis contacts, auto-lock and backups."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinical.model import CrisisContact
from db.services.types import PracticeSettingsChanges, PracticeSettingsInfo


class PracticeSettingsDialog(QDialog):
    """Edits the practice-wide settings (the clinician's details, not any client's)."""

    def __init__(self, info: PracticeSettingsInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Practice settings")
        self.setMinimumSize(640, 560)
        self.clinician_edit = self._line(info.clinician_name, "Clinician name")
        self.credentials_edit = self._line(info.credentials, "Credentials")
        self.practice_edit = self._line(info.practice_name, "Practice name")
        self.contact_edit = QPlainTextEdit(info.practice_contact)
        self.contact_edit.setAccessibleName("Practice contact details")
        self.contact_edit.setMaximumHeight(80)

        self.contacts_table = QTableWidget(0, 3)
        self.contacts_table.setAccessibleName("Crisis contacts")
        self.contacts_table.setHorizontalHeaderLabels(["Service", "Phone", "Note"])
        header = self.contacts_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for contact in info.crisis_contacts:
            self._add_contact(contact)
        add = QPushButton("Add contact")
        add.clicked.connect(lambda: self._add_contact(CrisisContact("", "")))
        remove = QPushButton("Remove selected")
        remove.clicked.connect(self._remove_contact)
        contact_buttons = QHBoxLayout()
        contact_buttons.addWidget(add)
        contact_buttons.addWidget(remove)
        contact_buttons.addStretch(1)

        self.auto_lock = QSpinBox()
        self.auto_lock.setRange(0, 240)
        self.auto_lock.setSuffix(" min")
        self.auto_lock.setSpecialValueText("never (not advised)")
        self.auto_lock.setValue(info.auto_lock_minutes)
        self.auto_lock.setAccessibleName("Lock after idle minutes")
        self.backups_kept = QSpinBox()
        self.backups_kept.setRange(1, 365)
        self.backups_kept.setValue(info.backups_kept)
        self.backups_kept.setAccessibleName("Automatic backups kept")
        self.retention = QSpinBox()
        self.retention.setRange(1, 50)
        self.retention.setSuffix(" years")
        self.retention.setValue(info.retention_years)
        self.retention.setAccessibleName("Retention after last service")

        form = QFormLayout()
        form.addRow("Clinician", self.clinician_edit)
        form.addRow("Credentials", self.credentials_edit)
        form.addRow("Practice", self.practice_edit)
        form.addRow("Contact", self.contact_edit)
        form.addRow("Lock after idle", self.auto_lock)
        form.addRow("Daily backups kept", self.backups_kept)
        form.addRow("Keep records for", self.retention)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Crisis contacts printed on every safety plan"))
        layout.addWidget(self.contacts_table, 1)
        layout.addLayout(contact_buttons)
        layout.addWidget(buttons)

    def _line(self, text: str, name: str) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setAccessibleName(name)
        return edit

    def _add_contact(self, contact: CrisisContact) -> None:
        row = self.contacts_table.rowCount()
        self.contacts_table.insertRow(row)
        for column, text in enumerate((contact.name, contact.phone, contact.note)):
            self.contacts_table.setItem(row, column, QTableWidgetItem(text))

    def _remove_contact(self) -> None:
        row = self.contacts_table.currentRow()
        if row >= 0:
            self.contacts_table.removeRow(row)

    def _contacts(self) -> tuple[CrisisContact, ...]:
        contacts = []
        for row in range(self.contacts_table.rowCount()):
            cells = []
            for column in range(3):
                item = self.contacts_table.item(row, column)
                cells.append(item.text().strip() if item is not None else "")
            if cells[0] or cells[1]:
                contacts.append(CrisisContact(name=cells[0], phone=cells[1], note=cells[2]))
        return tuple(contacts)

    def changes(self) -> PracticeSettingsChanges:
        return PracticeSettingsChanges(
            clinician_name=self.clinician_edit.text().strip(),
            credentials=self.credentials_edit.text().strip(),
            practice_name=self.practice_edit.text().strip(),
            practice_contact=self.contact_edit.toPlainText().strip(),
            crisis_contacts=self._contacts(),
            auto_lock_minutes=self.auto_lock.value(),
            backups_kept=self.backups_kept.value(),
            retention_years=self.retention.value(),
        )
