"""The case timeline page: what happened, in words, newest first; Enter opens the note."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from clinical.model import PtsdScreenAnswer
from db.services import measures as measure_service
from db.services import notes as note_service
from db.services import plans as plan_service
from db.services.notes import NoteDraft
from tests.ui.conftest import visible_texts
from ui.workspace.notes_page import NotesPage
from ui.workspace.timeline_page import TimelinePage

SIGNER = "Dr Robin Example (fictional)"


def test_the_timeline_reads_as_words_and_opens_notes(qtbot, workspace_on, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(vignette="trauma-role-reversal", start_page="indicators")
    case = workspace.case
    indicator = case.evaluation.indicators[0]
    today = dt.date.today()
    with case.gateway.vault.session() as session:
        plan_service.acknowledge_indicator(session, case.case_id, indicator.key, "seen", SIGNER)
        note = note_service.create_note(
            session, case.case_id, "soap", NoteDraft(today, {"plan": "x"})
        )
        note_service.sign_note(session, note.id, SIGNER)
        measure_service.record_measure(
            session, case.case_id, "A", "pc_ptsd5", PtsdScreenAnswer(False), today
        )
        note_service.create_psychotherapy_note(session, case.case_id, today, "private Quillword")
    page = workspace.show_page_by_key("timeline")
    assert isinstance(page, TimelinePage)
    qtbot.waitUntil(lambda: page.loads >= 1, timeout=5000)
    qtmodeltester.check(page.model)
    rows = [
        tuple(page.model.index(row, column).data() for column in range(3))
        for row in range(page.model.rowCount())
    ]
    whats = [what for _, what, _ in rows]
    assert whats[-1] == "Case created"
    for expected in (
        "Confidentiality policy agreed",
        "Intake answers imported",
        "Indicator acknowledged",
        "✎ Session note begun",
        "✔ Session note signed",
        "PC-PTSD-5 given again",
        "Psychotherapy note written",
    ):
        assert expected in whats, expected
    acknowledged = next(details for _, what, details in rows if what == "Indicator acknowledged")
    assert indicator.title in acknowledged
    if indicator.partner is not None:
        assert case.partner_name(indicator.partner) in acknowledged
    # Content words on screen, never ids or private text.
    joined = " ".join(" ".join(row) for row in rows)
    assert indicator.key not in joined
    assert "pc_ptsd5" not in joined
    assert "Quillword" not in joined
    assert not any("Quillword" in text for text in visible_texts())

    signed_row = whats.index("✔ Session note signed")
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(signed_row, 1))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    notes = workspace.pages.get("notes")
    assert isinstance(notes, NotesPage)
    qtbot.waitUntil(lambda: notes.current_id == note.id, timeout=5000)
    assert notes.isVisible()
    assert notes.editor.locked


def test_the_timeline_follows_changes_while_in_view(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on(start_page="timeline")
    page = workspace.show_page_by_key("timeline")
    assert isinstance(page, TimelinePage)
    qtbot.waitUntil(lambda: page.loads >= 1, timeout=5000)
    before = page.model.rowCount()
    records = page.records
    records.record_measure(
        "B", "pc_ptsd5", PtsdScreenAnswer(False), dt.date.today(), lambda _: None
    )
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1, timeout=5000)
    assert page.model.index(0, 1).data() == "PC-PTSD-5 given again"
