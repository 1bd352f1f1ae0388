"""Reports: make the couple's safety plan, the consultation summary or a referral letter,
preview it, and save it (optionally password-protected). Every document made is audit-logged.

Documents are built off the UI thread from a frozen snapshot of what is on screen. Nothing is
written to disk until the clinician saves, and then atomically to the place they chose: no
temporary copy with client data is ever left behind.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinical.model import CaseSnapshot
from db.services import cases as case_service
from db.services.reports import record_report
from db.services.snapshot import with_case_measures
from db.services.types import NewConsent
from reports.document import RenderedReport, ReportOptions
from reports.output import write_pdf_atomically
from ui.pdf_preview import PdfPreview
from ui.tasks import describe_error
from ui.workspace.case_session import CaseSession
from ui.workspace.pages import Navigator

DOCUMENTS: tuple[tuple[str, str, str], ...] = (
    # (id, title, what it is)
    ("safety-plan", "Couple safety plan", "For the couple: joint content only, to take home."),
    (
        "summary",
        "Consultation summary",
        "For the clinical record: scores, indicators with evidence, disposition, plan.",
    ),
    (
        "referral",
        "Referral letter",
        "To a physician, trauma therapist or psychiatrist: the minimum they need.",
    ),
)
RECIPIENTS: tuple[tuple[str, str], ...] = (
    ("physician", "Physician"),
    ("trauma-therapist", "Trauma therapist"),
    ("psychiatrist", "Psychiatrist"),
)
#: File names offered when saving: the kind of document, never a client's name.
DEFAULT_FILE_NAMES = {
    "safety-plan": "Couple safety plan.pdf",
    "summary": "Consultation summary.pdf",
    "referral": "Referral letter.pdf",
}


@dataclass(frozen=True)
class ReportRequest:
    """Everything needed to make one document, fixed when the clinician presses Make."""

    document: str
    snapshot: CaseSnapshot
    recipient: str | None
    partner: str | None
    exception_note: str | None
    password: str | None


def render_report(request: ReportRequest) -> RenderedReport:
    """Build the requested document (runs on the worker thread)."""
    from reports.referral import render_referral
    from reports.safety_plan import render_safety_plan
    from reports.summary import render_summary

    options = ReportOptions(password=request.password)
    if request.document == "safety-plan":
        return render_safety_plan(request.snapshot, options=options)
    if request.document == "summary":
        return render_summary(request.snapshot, options=options)
    assert request.recipient is not None
    return render_referral(
        request.snapshot,
        request.recipient,  # type: ignore[arg-type]
        exception_note=request.exception_note,
        partner=request.partner,
        options=options,
    )


class ReportsPage(QWidget):
    """Choose a document, make it, look at it, save it."""

    def __init__(self, case: CaseSession, navigator: Navigator) -> None:
        super().__init__()
        self.case = case
        self.navigator = navigator
        self.rendered: RenderedReport | None = None
        self.request: ReportRequest | None = None

        # ---- what to make
        self.document_group = QButtonGroup(self)
        documents = QVBoxLayout()
        for index, (_, title, explanation) in enumerate(DOCUMENTS):
            radio = QRadioButton(title)
            radio.setAccessibleName(title)
            radio.setToolTip(explanation)
            self.document_group.addButton(radio, index)
            documents.addWidget(radio)
            hint = QLabel(explanation)
            hint.setWordWrap(True)
            hint.setIndent(24)
            documents.addWidget(hint)
        self.document_group.button(0).setChecked(True)
        self.document_group.idToggled.connect(self._document_changed)

        # ---- referral options
        self.referral_box = QFrame()
        self.referral_box.setObjectName("card")
        self.recipient_combo = QComboBox()
        self.recipient_combo.setAccessibleName("Referral to")
        for value, label in RECIPIENTS:
            self.recipient_combo.addItem(label, value)
        self.partner_combo = QComboBox()
        self.partner_combo.setAccessibleName("Partner referred")
        self.partner_combo.addItem("Whoever the indicators concern", None)
        for partner in case.detail.partners:
            self.partner_combo.addItem(partner.name, partner.key)
        self.consent_label = QLabel()
        self.consent_label.setWordWrap(True)
        self.consent_label.setAccessibleName("Consent to share")
        self.record_consent_button = QPushButton("Record the partners' consent to share…")
        self.record_consent_button.clicked.connect(self._record_consent)
        self.exception_edit = QLineEdit()
        self.exception_edit.setAccessibleName("Exception note when there is no consent")
        self.exception_edit.setPlaceholderText(
            "Without consent: why this referral cannot wait (kept in the record)"
        )
        referral_form = QFormLayout(self.referral_box)
        referral_form.addRow("To", self.recipient_combo)
        referral_form.addRow("About", self.partner_combo)
        referral_form.addRow(self.consent_label)
        referral_form.addRow(self.record_consent_button)
        referral_form.addRow("Exception", self.exception_edit)

        # ---- protection
        self.protect_check = QCheckBox("Protect the PDF with a password (AES-256)")
        self.protect_check.setAccessibleName("Protect with a password")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName("PDF password")
        self.password_edit.setPlaceholderText("Password to open the PDF")
        self.password_edit.setEnabled(False)
        self.protect_check.toggled.connect(self.password_edit.setEnabled)

        # ---- actions and status
        self.make_button = QPushButton("Make and preview")
        self.make_button.setDefault(True)
        self.make_button.setToolTip("Make the document and show it (Ctrl+G)")
        self.make_button.clicked.connect(self.make)
        self.save_button = QPushButton("Save as…")
        self.save_button.setToolTip("Save the document (Ctrl+Shift+S)")
        self.save_button.clicked.connect(self.save_as)
        self.save_open_button = QPushButton("Save and open")
        self.save_open_button.clicked.connect(lambda: self.save_as(open_after=True))
        for button in (self.save_button, self.save_open_button):
            button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Report status")
        self.go_to_indicators = QPushButton("Go to the indicators")
        self.go_to_indicators.clicked.connect(lambda: navigator.show_page_by_key("indicators"))
        self.go_to_indicators.hide()

        controls = QVBoxLayout()
        controls.addWidget(_heading("Document"))
        controls.addLayout(documents)
        controls.addWidget(self.referral_box)
        controls.addSpacing(8)
        controls.addWidget(self.protect_check)
        controls.addWidget(self.password_edit)
        controls.addSpacing(8)
        controls.addWidget(self.make_button)
        controls.addWidget(self.progress)
        controls.addWidget(self.status_label)
        controls.addWidget(self.go_to_indicators)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.save_open_button)
        controls.addLayout(save_row)
        controls.addStretch(1)
        control_panel = QWidget()
        control_panel.setLayout(controls)
        control_panel.setMaximumWidth(420)
        control_panel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        self.preview = PdfPreview()
        self.preview.setAccessibleName("Preview of the document")
        self.preview.failed.connect(self._show_problem)
        self.placeholder = QLabel("Choose a document and press “Make and preview”.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)

        preview_column = QVBoxLayout()
        preview_column.addWidget(self.placeholder)
        preview_column.addWidget(self.preview, 1)
        self.preview.hide()
        layout = QHBoxLayout(self)
        layout.addWidget(control_panel)
        layout.addLayout(preview_column, 1)

        make_action = QAction("Make and preview the document", self)
        make_action.setShortcut(QKeySequence("Ctrl+G"))
        make_action.triggered.connect(self.make)
        save_action = QAction("Save the document as…", self)
        save_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        save_action.triggered.connect(self.save_as)
        for action in (make_action, save_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

        # Anything that changes the case makes a shown document stale.
        case.evaluation_changed.connect(self._mark_stale)
        case.plans_changed.connect(self._mark_stale)
        case.acknowledgements_changed.connect(self._mark_stale)
        case.detail_changed.connect(self._refresh_consent)
        self._document_changed()
        self._refresh_consent()

    # ------------------------------------------------------------------ state

    @property
    def document_id(self) -> str:
        return DOCUMENTS[max(0, self.document_group.checkedId())][0]

    def _document_changed(self, *_: object) -> None:
        self.referral_box.setVisible(self.document_id == "referral")
        self._mark_stale()

    def _has_share_consent(self) -> bool:
        return any(c.kind == "share-with-professionals" for c in self.case.detail.consents)

    def _refresh_consent(self) -> None:
        consented = self._has_share_consent()
        self.consent_label.setText(
            "✓ The partners consented to sharing with other professionals."
            if consented
            else "No consent to share is recorded: record it, or write an exception."
        )
        self.record_consent_button.setVisible(not consented)
        self.exception_edit.setEnabled(not consented)
        self._mark_stale()

    def _mark_stale(self) -> None:
        if self.rendered is not None:
            self.status_label.setText("The case changed: make the document again to see it.")
        self.rendered = None
        self.save_button.setEnabled(False)
        self.save_open_button.setEnabled(False)

    # ------------------------------------------------------------------ actions

    def _record_consent(self) -> None:
        keys = tuple(partner.key for partner in self.case.detail.partners)
        consent = NewConsent(kind="share-with-professionals", consented_by=keys)

        def recorded(_: object) -> None:
            self.case.gateway.call(
                case_service.get_case, self.case.case_id, on_done=self.case.set_detail
            )

        self.case.gateway.call(
            case_service.record_consent,
            self.case.case_id,
            consent,
            on_done=recorded,
            on_error=lambda error: self._show_problem(describe_error(error)),
        )

    def current_request(self) -> ReportRequest | None:
        """The request for the current choices, or None with the problem shown."""
        password = None
        if self.protect_check.isChecked():
            password = self.password_edit.text()
            if len(password) < 6:
                self._show_problem("Choose a PDF password of at least 6 characters.")
                return None
        recipient = partner = exception = None
        if self.document_id == "referral":
            recipient = str(self.recipient_combo.currentData())
            partner = self.partner_combo.currentData()
            if not self._has_share_consent():
                exception = self.exception_edit.text().strip()
                if not exception:
                    self._show_problem(
                        "A referral needs the partners' consent to share, or an exception "
                        "note saying why it cannot wait."
                    )
                    return None
        return ReportRequest(
            document=self.document_id,
            snapshot=self.case.snapshot(),
            recipient=recipient,
            partner=partner,
            exception_note=exception,
            password=password,
        )

    def make(self) -> None:
        """Build the chosen document off the UI thread, then show it."""
        request = self.current_request()
        if request is None:
            return
        if request.document == "safety-plan":
            blocking = request.snapshot.unacknowledged_blocking()
            if blocking:
                names = "; ".join(
                    f"{i.title} ({self.case.partner_name(i.partner)})" for i in blocking
                )
                self._show_problem(
                    "The couple's plan waits until you acknowledge the critical indicators: "
                    f"{names}."
                )
                self.go_to_indicators.show()
                return
        self.go_to_indicators.hide()
        self._set_busy(True, "Making the document…")
        case_id = self.case.case_id
        # The measures history lives in the vault, not in the workspace: read it as the
        # document is made, on the worker thread.
        self.case.gateway.call(
            lambda session: render_report(
                dataclasses.replace(
                    request, snapshot=with_case_measures(session, case_id, request.snapshot)
                )
            ),
            on_done=lambda rendered: self._show(request, rendered),
            on_error=self._failed,
        )

    def _show(self, request: ReportRequest, rendered: RenderedReport) -> None:
        self._set_busy(False)
        self.request = request
        self.rendered = rendered
        self.preview.load(rendered.data, request.password)
        self.placeholder.hide()
        self.preview.show()
        notes = [f"{rendered.page_count} page{'s' if rendered.page_count != 1 else ''}"]
        notes += list(rendered.warnings)
        if rendered.unshown_characters:
            codes = ", ".join(f"U+{ord(c):04X}" for c in rendered.unshown_characters)
            notes.append(f"no installed font can show {codes}; the document says so")
        self.status_label.setText("Ready to save: " + "; ".join(notes) + ".")
        self.save_button.setEnabled(True)
        self.save_open_button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show_problem(describe_error(error))

    def save_as(self, open_after: bool = False) -> None:
        rendered, request = self.rendered, self.request
        if rendered is None or request is None:
            return
        target, _ = QFileDialog.getSaveFileName(
            self,
            "Save the document",
            str(Path.home() / DEFAULT_FILE_NAMES[request.document]),
            "PDF documents (*.pdf)",
        )
        if not target:
            return
        path = Path(target if target.lower().endswith(".pdf") else f"{target}.pdf")
        self.save_to(path, open_after=open_after)

    def save_to(self, path: Path, open_after: bool = False) -> None:
        """Write the shown document atomically to `path` and log it in the audit trail."""
        rendered, request = self.rendered, self.request
        if rendered is None or request is None:
            return
        vault = self.case.gateway.vault
        case_id = self.case.case_id

        def write() -> Path:
            written = write_pdf_atomically(rendered.data, path)
            with vault.session() as session:
                record_report(
                    session,
                    case_id,
                    request.document,
                    recipient=request.recipient,
                    encrypted=request.password is not None,
                    exception=bool(request.exception_note),
                    pages=rendered.page_count,
                )
            return written

        def written(saved: Path) -> None:
            self._set_busy(False, f"Saved to {saved}.")
            if open_after:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(saved)))

        self._set_busy(True, "Saving…")
        self.case.gateway.run(write, on_done=written, on_error=self._failed)

    # ------------------------------------------------------------------ display

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self.progress.setVisible(busy)
        self.make_button.setEnabled(not busy)
        if message:
            self.status_label.setText(message)

    def _show_problem(self, message: str) -> None:
        self.status_label.setText(f"⚠ {message}")


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label
