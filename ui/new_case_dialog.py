"""New case: the partners, and the confidentiality policy with its consent recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db.services.types import NewCase, NewPartner, Policy

#: Written out for the date column: an empty or partial date is "not given", never guessed.
_NO_DATE = QDate(1900, 1, 1)


@dataclass(frozen=True)
class PolicyWording:
    """A confidentiality policy as the clients will read it before consenting."""

    policy: Policy
    title: str
    wording: str
    version: str


class NewCaseDialog(QDialog):
    """Collects a new case: two or more partners and the consent to a confidentiality policy."""

    def __init__(self, policies: tuple[PolicyWording, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New case")
        self.setMinimumSize(760, 640)
        self._policies = policies

        self.label_edit = QLineEdit()
        self.label_edit.setAccessibleName("Case label")
        self.label_edit.setPlaceholderText("How this case appears in your list")

        self.partner_table = QTableWidget(0, 4)
        self.partner_table.setAccessibleName("Partners")
        self.partner_table.setHorizontalHeaderLabels(
            ["Name", "Pronouns", "Date of birth", "AUDIT-C threshold"]
        )
        self.partner_table.verticalHeader().setVisible(True)
        header = self.partner_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.partner_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.partner_table.setTabKeyNavigation(False)
        add_partner = QPushButton("Add partner")
        add_partner.clicked.connect(self.add_partner_row)
        self.remove_partner_button = QPushButton("Remove selected partner")
        self.remove_partner_button.clicked.connect(self._remove_selected_partner)
        partner_buttons = QHBoxLayout()
        partner_buttons.addWidget(add_partner)
        partner_buttons.addWidget(self.remove_partner_button)
        partner_buttons.addStretch(1)
        threshold_note = QLabel(
            "AUDIT-C threshold: 3 is the more sensitive cut-off (used for women in Bradley et "
            "al.), 4 the one validated for men. Choose per partner; 3 when unsure."
        )
        threshold_note.setWordWrap(True)

        self.policy_group = QButtonGroup(self)
        policy_box = QGroupBox("Confidentiality policy (explain it, then record consent)")
        policy_layout = QVBoxLayout(policy_box)
        radio_row = QHBoxLayout()
        for index, wording in enumerate(policies):
            radio = QRadioButton(wording.title)
            radio.setAccessibleName(f"Policy: {wording.title}")
            self.policy_group.addButton(radio, index)
            radio_row.addWidget(radio)
        radio_row.addStretch(1)
        self.wording_view = QTextBrowser()
        self.wording_view.setAccessibleName("Policy wording read to the clients")
        self.wording_view.setMinimumHeight(130)
        self.consent_row = QHBoxLayout()
        self.consent_checks: list[QCheckBox] = []
        self.consent_date = QDateEdit(QDate.currentDate())
        self.consent_date.setCalendarPopup(True)
        self.consent_date.setAccessibleName("Date consent was given")
        self.consent_date.setDisplayFormat("yyyy-MM-dd")
        policy_layout.addLayout(radio_row)
        policy_layout.addWidget(self.wording_view)
        consent_form = QFormLayout()
        consent_form.addRow("Consent given by", self.consent_row)
        consent_form.addRow("On", self.consent_date)
        policy_layout.addLayout(consent_form)
        self.policy_group.idToggled.connect(self._policy_chosen)

        self.problem_label = QLabel()
        self.problem_label.setObjectName("errorMessage")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create case")
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Case label", self.label_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Partners (two or more)"))
        layout.addWidget(self.partner_table, 1)
        layout.addLayout(partner_buttons)
        layout.addWidget(threshold_note)
        layout.addWidget(policy_box)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)

        self.add_partner_row()
        self.add_partner_row()
        if policies:
            # limited-secrets with its safety exception is the safer default for IPV screening
            default = next((i for i, p in enumerate(policies) if p.policy == "limited-secrets"), 0)
            button = self.policy_group.button(default)
            button.setChecked(True)
        self.label_edit.setFocus()

    # ------------------------------------------------------------------ partners

    def add_partner_row(self) -> None:
        row = self.partner_table.rowCount()
        self.partner_table.insertRow(row)
        name = QLineEdit()
        name.setAccessibleName(f"Partner {row + 1} name")
        name.textChanged.connect(self._rename_consenters)
        pronouns = QLineEdit()
        pronouns.setAccessibleName(f"Partner {row + 1} pronouns")
        pronouns.setPlaceholderText("e.g. she/her")
        birth = QDateEdit()
        birth.setAccessibleName(f"Partner {row + 1} date of birth")
        birth.setDisplayFormat("yyyy-MM-dd")
        birth.setMinimumDate(_NO_DATE)
        birth.setSpecialValueText("not given")
        birth.setDate(_NO_DATE)
        birth.setCalendarPopup(True)
        threshold = QComboBox()
        threshold.setAccessibleName(f"Partner {row + 1} AUDIT-C threshold")
        threshold.addItem("3 (more sensitive)", 3)
        threshold.addItem("4", 4)
        self.partner_table.setCellWidget(row, 0, name)
        self.partner_table.setCellWidget(row, 1, pronouns)
        self.partner_table.setCellWidget(row, 2, birth)
        self.partner_table.setCellWidget(row, 3, threshold)
        self._refresh_consenters()

    def _remove_selected_partner(self) -> None:
        row = self.partner_table.currentRow()
        if self.partner_table.rowCount() <= 2 or row < 0:
            self._show_problem("A case needs at least two partners.")
            return
        self.partner_table.removeRow(row)
        self._refresh_consenters()

    def _partner_names(self) -> list[str]:
        names = []
        for row in range(self.partner_table.rowCount()):
            widget = self.partner_table.cellWidget(row, 0)
            names.append(widget.text().strip() if isinstance(widget, QLineEdit) else "")
        return names

    def _rename_consenters(self) -> None:
        # Typing a name only relabels its box: rebuilding would drop a consent already ticked.
        for index, name in enumerate(self._partner_names()):
            if index < len(self.consent_checks):
                self.consent_checks[index].setText(name or f"Partner {index + 1}")

    def _refresh_consenters(self) -> None:
        names = self._partner_names()
        checked = [check.isChecked() for check in self.consent_checks]
        for check in self.consent_checks:
            self.consent_row.removeWidget(check)
            check.deleteLater()
        self.consent_checks = []
        for index, name in enumerate(names):
            check = QCheckBox(name or f"Partner {index + 1}")
            check.setAccessibleName(f"Consent given by partner {index + 1}")
            check.setChecked(checked[index] if index < len(checked) else False)
            self.consent_checks.append(check)
            self.consent_row.addWidget(check)

    # ------------------------------------------------------------------ policy

    def _policy_chosen(self, index: int, checked: bool) -> None:
        if checked and 0 <= index < len(self._policies):
            self.wording_view.setPlainText(self._policies[index].wording)

    # ------------------------------------------------------------------ result

    def _show_problem(self, text: str) -> None:
        self.problem_label.setText(f"⚠ {text}")
        self.problem_label.show()

    def _try_accept(self) -> None:
        problem = self._problem()
        if problem:
            self._show_problem(problem)
            return
        self.accept()

    def _problem(self) -> str:
        names = self._partner_names()
        if len(names) < 2:
            return "A case needs at least two partners."
        if any(not name for name in names):
            return "Give every partner a name (a first name or initials is enough)."
        if self.policy_group.checkedId() < 0:
            return "Choose the confidentiality policy the partners agreed to."
        if not all(check.isChecked() for check in self.consent_checks):
            return "Record every partner's consent to the policy before creating the case."
        return ""

    def new_case(self) -> NewCase:
        """The case as entered; call after the dialog was accepted."""
        partners = []
        for row in range(self.partner_table.rowCount()):
            name = self.partner_table.cellWidget(row, 0)
            pronouns = self.partner_table.cellWidget(row, 1)
            birth = self.partner_table.cellWidget(row, 2)
            threshold = self.partner_table.cellWidget(row, 3)
            assert isinstance(name, QLineEdit)
            assert isinstance(pronouns, QLineEdit)
            assert isinstance(birth, QDateEdit)
            assert isinstance(threshold, QComboBox)
            born: dt.date | None = None
            if birth.date() != _NO_DATE:
                born = birth.date().toPython()  # type: ignore[assignment]
            partners.append(
                NewPartner(
                    name=name.text().strip(),
                    pronouns=pronouns.text().strip(),
                    date_of_birth=born,
                    audit_c_threshold=int(threshold.currentData()),
                )
            )
        wording = self._policies[self.policy_group.checkedId()]
        names = [p.name for p in partners]
        label = self.label_edit.text().strip() or " & ".join(names)
        consented_on: dt.date = self.consent_date.date().toPython()  # type: ignore[assignment]
        return NewCase(
            label=label,
            partners=tuple(partners),
            confidentiality_policy=wording.policy,
            consented_on=consented_on,
            consent_wording_version=wording.version,
        )
