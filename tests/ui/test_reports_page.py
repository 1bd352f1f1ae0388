"""The reports page: make, preview and save each document; the rules that guard them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pypdf

from db.audit import recent_events
from db.services.measures import record_measure
from reports.wording import format_day
from ui.workspace.reports_page import DOCUMENTS, ReportsPage


def reports_page(workspace) -> ReportsPage:  # type: ignore[no-untyped-def]
    page = workspace.show_page_by_key("reports")
    assert isinstance(page, ReportsPage)
    return page


def choose(page: ReportsPage, document: str) -> None:
    index = next(i for i, (d, _, _) in enumerate(DOCUMENTS) if d == document)
    page.document_group.button(index).setChecked(True)


def make(qtbot, page: ReportsPage) -> None:  # type: ignore[no-untyped-def]
    page.make()
    qtbot.waitUntil(lambda: page.rendered is not None, timeout=30_000)
    qtbot.waitUntil(lambda: page.preview.is_ready, timeout=10_000)


def text_of(path: Path, password: str | None = None) -> str:
    reader = pypdf.PdfReader(path)
    if password is not None:
        assert reader.is_encrypted
        reader.decrypt(password)
    return "\n".join(page.extract_text() for page in reader.pages)


def test_summary_previews_saves_and_is_audited(qtbot, workspace_on, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("trauma-role-reversal", start_page="reports")
    page = reports_page(workspace)
    choose(page, "summary")
    make(qtbot, page)
    assert page.preview.page_count >= 2
    assert page.save_button.isEnabled()
    target = tmp_path / "out" / "summary.pdf"
    target.parent.mkdir()
    page.save_to(target)
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert "CONFIDENTIAL" in text_of(target)
    assert [p.name for p in target.parent.iterdir()] == ["summary.pdf"], "no temp file left"
    gateway = workspace.case.gateway
    gateway.runner.wait_until_idle()
    with gateway.vault.session() as session:
        kinds = [event.kind for event in recent_events(session, 5)]
    assert "report" in kinds


def test_the_couple_plan_waits_for_critical_indicators(qtbot, workspace_on) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="reports")
    case = workspace.case
    case.set_answer("A", "safety.afraid_of_partner", True)
    page = reports_page(workspace)
    choose(page, "safety-plan")
    page.make()
    assert page.rendered is None
    assert "acknowledge" in page.status_label.text()
    assert "Intimate-partner violence" in page.status_label.text()
    assert page.go_to_indicators.isVisibleTo(page)
    indicator = next(i for i in case.evaluation.indicators if i.id == "ipv-risk")
    with qtbot.waitSignal(case.acknowledgements_changed, timeout=10_000):
        case.acknowledge(indicator, "Seen alone; safety planning begun", "Dr Example")
    make(qtbot, page)
    assert 2 <= page.rendered.page_count <= 4  # type: ignore[union-attr]


def test_a_referral_needs_consent_or_an_exception(qtbot, workspace_on, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("cardiac-impact", start_page="reports")
    page = reports_page(workspace)
    choose(page, "referral")
    assert page.referral_box.isVisibleTo(page)
    page.make()
    assert page.rendered is None
    assert "consent" in page.status_label.text()
    with qtbot.waitSignal(workspace.case.detail_changed, timeout=10_000):
        page.record_consent_button.click()
    assert "consented" in page.consent_label.text()
    make(qtbot, page)
    target = tmp_path / "referral.pdf"
    page.save_to(target)
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert "Physician" in text_of(target) or "physician" in text_of(target)


def test_a_password_protected_document(qtbot, workspace_on, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = workspace_on("ready-couple", start_page="reports")
    page = reports_page(workspace)
    choose(page, "summary")
    page.protect_check.setChecked(True)
    page.password_edit.setText("fictional pdf password")
    make(qtbot, page)
    assert page.preview.page_count >= 1  # the preview opened it with the password
    target = tmp_path / "protected.pdf"
    page.save_to(target)
    qtbot.waitUntil(target.exists, timeout=10_000)
    reader = pypdf.PdfReader(target)
    assert reader.is_encrypted
    assert "CONFIDENTIAL" in text_of(target, "fictional pdf password")


def test_the_summary_made_in_the_app_carries_the_measures_history(  # type: ignore[no-untyped-def]
    qtbot, workspace_on, tmp_path: Path
) -> None:
    """The workspace keeps no measures in memory: the page reads them from the vault."""
    workspace = workspace_on("trauma-role-reversal", start_page="reports")
    gateway = workspace.case.gateway
    later = dt.date.today() - dt.timedelta(days=3)
    gateway.runner.wait_until_idle()
    with gateway.vault.session() as session:
        record_measure(session, workspace.case.case_id, "A", "gad7", (0,) * 7, later)
    page = reports_page(workspace)
    choose(page, "summary")
    make(qtbot, page)
    target = tmp_path / "summary.pdf"
    page.save_to(target)
    qtbot.waitUntil(target.exists, timeout=10_000)
    text = text_of(target)
    assert "Measures over time" in text
    assert format_day(later) in text
