"""Edit case details: the case's label and status, and each partner's own details.

The confidentiality policy is not edited here: it changes only with a recorded consent.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.services.types import CaseChanges, CaseDetail, CaseStatus, PartnerChanges

#: Written out for "not given": an empty date is never guessed.
_NO_DATE = QDate(1900, 1, 1)

STATUSES: tuple[tuple[CaseStatus, str], ...] = (
    ("intake", "Intake"),
    ("active", "Active"),
    ("paused", "Paused"),
    ("closed", "Closed (last service given)"),
)


class _PartnerFields:
    """The inputs for one partner, prefilled from what is stored."""

    def __init__(self, box: QGroupBox, key: str) -> None:
        self.key = key
        form = QFormLayout(box)
        self.name = QLineEdit(box)
        self.pronouns = QLineEdit(box)
        self.pronouns.setPlaceholderText("e.g. she/her")
        self.birth = QDateEdit(box)
        self.birth.setDisplayFormat("yyyy-MM-dd")
        self.birth.setMinimumDate(_NO_DATE)
        self.birth.setSpecialValueText("not given")
        self.birth.setCalendarPopup(True)
        self.contact = QLineEdit(box)
        self.threshold = QComboBox(box)
        self.threshold.addItem("3 (more sensitive)", 3)
        self.threshold.addItem("4", 4)
        for label, widget in (
            ("&Name", self.name),
            ("Pronouns", self.pronouns),
            ("Date of birth", self.birth),
            ("Contact", self.contact),
            ("AUDIT-C threshold", self.threshold),
        ):
            form.addRow(label, widget)
            widget.setAccessibleName(f"Partner {key}: {label.replace('&', '').lower()}")


class CaseDetailsDialog(QDialog):
    """Shows the stored details; `changes()` returns only what the clinician changed."""

    def __init__(self, detail: CaseDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Case details")
        self.detail = detail
        self.label_edit = QLineEdit(detail.summary.label, self)
        self.label_edit.setAccessibleName("Case label")
        self.status_combo = QComboBox(self)
        self.status_combo.setAccessibleName("Case status")
        for status, text in STATUSES:
            self.status_combo.addItem(text, status)
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(detail.summary.status)))
        top = QFormLayout()
        top.addRow("Case &label", self.label_edit)
        top.addRow("&Status", self.status_combo)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        self.partners: list[_PartnerFields] = []
        for partner in detail.partners:
            box = QGroupBox(f"Partner {partner.key}", self)
            fields = _PartnerFields(box, partner.key)
            fields.name.setText(partner.name)
            fields.pronouns.setText(partner.pronouns)
            born = partner.date_of_birth
            fields.birth.setDate(QDate(born.year, born.month, born.day) if born else _NO_DATE)
            fields.contact.setText(partner.contact)
            fields.threshold.setCurrentIndex(
                max(0, fields.threshold.findData(partner.audit_c_threshold))
            )
            self.partners.append(fields)
            layout.addWidget(box)
        note = QLabel(
            "The confidentiality policy the partners consented to is not changed here: a new "
            "policy needs their new consent.",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("errorMessage")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        layout.addWidget(self.problem_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.label_edit.setFocus()

    def _try_accept(self) -> None:
        if not self.label_edit.text().strip():
            self._show_problem("Give the case a label (it is how it appears in your list).")
            return
        if any(not fields.name.text().strip() for fields in self.partners):
            self._show_problem("Give every partner a name (a first name or initials is enough).")
            return
        self.accept()

    def _show_problem(self, text: str) -> None:
        self.problem_label.setText(f"⚠ {text}")
        self.problem_label.show()

    def changes(self) -> CaseChanges | None:
        """What differs from the stored case, or None when nothing does."""
        summary = self.detail.summary
        label = self.label_edit.text().strip()
        status: CaseStatus = self.status_combo.currentData()
        partner_changes = []
        for fields, stored in zip(self.partners, self.detail.partners, strict=True):
            born: dt.date | None = None
            if fields.birth.date() != _NO_DATE:
                born = fields.birth.date().toPython()  # type: ignore[assignment]
            name = fields.name.text().strip()
            pronouns = fields.pronouns.text().strip()
            contact = fields.contact.text().strip()
            threshold = int(fields.threshold.currentData())
            change = PartnerChanges(
                key=stored.key,
                name=name if name != stored.name else None,
                pronouns=pronouns if pronouns != stored.pronouns else None,
                date_of_birth=born if born is not None and born != stored.date_of_birth else None,
                clear_date_of_birth=born is None and stored.date_of_birth is not None,
                contact=contact if contact != stored.contact else None,
                audit_c_threshold=(threshold if threshold != stored.audit_c_threshold else None),
            )
            if change != PartnerChanges(key=stored.key):
                partner_changes.append(change)
        changes = CaseChanges(
            label=label if label != summary.label else None,
            status=status if status != summary.status else None,
            partners=tuple(partner_changes),
        )
        return None if changes == CaseChanges() else changes
