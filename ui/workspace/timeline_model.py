"""The case timeline as a table: when, what happened, and the details, newest first.

Turns the timeline service's codes into plain words: indicator titles and instrument titles
come from the clinical content, names from the case, never ids on screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from clinical.consent import load_consent_wordings
from clinical.note_formats import load_note_formats
from db.services.timeline import TimelineEntry
from ui.table_model import HeadedTableModel, Index
from ui.workspace.case_session import CaseSession
from ui.workspace.notes_models import ID_ROLE, format_day, format_moment

COLUMNS = ("When", "What", "Details")
#: The entry itself (a TimelineEntry), for opening what it concerns.
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2

DOCUMENTS = {
    "summary": "Consultation summary made",
    "safety-plan": "Couple safety plan made",
    "referral": "Referral letter made",
}
PLANS = {
    "pacing": "Pacing plan changed",
    "safety": "Safety-plan choices changed",
    "texts": "Goals or recommendations changed",
}


def _day(text: object) -> str:
    try:
        return format_day(dt.date.fromisoformat(str(text)))
    except ValueError:
        return ""


class TimelineModel(HeadedTableModel):
    """A case's timeline entries, newest first, in words."""

    columns = COLUMNS

    def __init__(self, case: CaseSession) -> None:
        super().__init__()
        self.case = case
        self.entries: tuple[TimelineEntry, ...] = ()
        self._rows: tuple[tuple[str, str, str], ...] = ()

    def set_entries(self, entries: Sequence[TimelineEntry]) -> None:
        self.beginResetModel()
        self.entries = tuple(entries)
        self._rows = tuple(self.describe(entry) for entry in self.entries)
        self.endResetModel()

    # ------------------------------------------------------------------ words

    def _indicator(self, key: str) -> str:
        rule_id, _, partner = key.partition("@")
        try:
            title = self.case.content.rule(rule_id).title
        except KeyError:
            title = rule_id.replace("-", " ").capitalize()
        return f"{title} ({self.case.partner_name(partner)})" if partner else title

    def _instrument(self, instrument_id: object) -> str:
        spec = self.case.content.instruments.get(str(instrument_id))
        return spec.title if spec is not None else str(instrument_id)

    def describe(self, entry: TimelineEntry) -> tuple[str, str, str]:
        """(when, what, details) of one entry."""
        detail = entry.detail
        when = format_moment(entry.at)
        times = f" ({entry.count} changes)" if entry.count > 1 else ""
        kind = entry.kind
        if kind == "case-created":
            return when, "Case created", "The intake began"
        if kind == "consent-recorded":
            policy = detail.get("policy")
            titles: dict[str, str] = {w.policy: w.title for w in load_consent_wordings()}
            if detail.get("consent_kind") == "confidentiality-policy":
                return when, "Confidentiality policy agreed", titles.get(str(policy), "")
            what = str(detail.get("consent_kind", "consent")).replace("-", " ").capitalize()
            return when, "Consent recorded", what
        if kind == "answers-imported":
            return when, "Intake answers imported", "From an intake file"
        if kind == "answers-changed":
            return when, "Intake answers changed", times.strip(" ()") or "1 change"
        if kind == "indicator-acknowledged":
            by = f", by {detail['by']}" if detail.get("by") else ""
            return when, "Indicator acknowledged", self._indicator(str(detail["indicator"])) + by
        if kind == "plan-changed":
            plan = str(detail.get("plan", ""))
            template = detail.get("template")
            what = ""
            if plan == "pacing" and template:
                found = self.case.content.templates.get(str(template))
                what = found.title if found is not None else ""
            elif plan == "pacing":
                what = "Plan removed"
            return when, PLANS.get(plan, "Plan changed"), (what + times).strip()
        if kind == "case-changed":
            status = detail.get("status")
            return (
                when,
                "Case details changed",
                (f"Status: {status}" if status else times.strip(" ()")),
            )
        if kind == "note-created":
            fmt = load_note_formats().by_id.get(str(detail.get("format")))
            return when, "✎ Session note begun", fmt.title if fmt is not None else ""
        if kind == "note-signed":
            session = _day(detail.get("session_date"))
            return when, "✔ Session note signed", f"Session of {session}, by {detail.get('by')}"
        if kind == "note-addendum":
            return (
                when,
                f"Addendum {detail.get('position')} to a session note",
                (f"By {detail.get('by')}"),
            )
        if kind == "measure-recorded":
            band = detail.get("band")
            band_text = f" ({str(band).replace('-', ' ')})" if band else ""
            return (
                when,
                f"{self._instrument(detail.get('instrument'))} given again",
                f"{self.case.partner_name(str(detail.get('partner')))}: score "
                f"{detail.get('total')}{band_text}, {_day(detail.get('taken_on'))}",
            )
        if kind == "psychotherapy-note-written":
            return (
                when,
                "Psychotherapy note written",
                (f"Session of {_day(detail.get('session_date'))}; kept apart from the record"),
            )
        if kind == "report":
            document = DOCUMENTS.get(str(detail.get("document")), "Document made")
            recipient = detail.get("recipient")
            return when, document, f"For: {recipient}" if recipient else ""
        return when, kind.replace("-", " ").capitalize(), ""

    # ------------------------------------------------------------------ model

    def row_total(self) -> int:
        return len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            if entry.note_id is not None:
                return "Double-click or press Enter to open the note"
            return None
        if role == ID_ROLE:
            return entry.note_id
        if role == ENTRY_ROLE:
            return entry
        return None
