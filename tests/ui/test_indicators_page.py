"""The indicators panel: grouped by severity, readable evidence, acknowledgement, live updates.

Every test runs on a real vault with a fictional case filled from a shared vignette, a real
CaseSession and the real Workspace (tests/ui/conftest.py `workspace_on`).
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import json
import sys
import types
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from clinical.content import load_content
from clinical.model import ActivityAnswer, Evaluation, Evidence, Indicator, InstrumentScore
from db.services import plans as plan_service
from tests.clinical.helpers import SHARED_VIGNETTES
from ui.theme import severity_colour, severity_icon
from ui.workspace.indicator_acknowledge import AcknowledgeDialog
from ui.workspace.indicator_models import (
    ACKNOWLEDGED_ROLE,
    EVIDENCE_ROLE,
    INDICATOR_ROLE,
    SEVERITY_ROLE,
)
from ui.workspace.indicator_text import (
    KINK_IS_NOT_A_RISK,
    describe_evidence,
    describe_source,
    name_partners,
)
from ui.workspace.indicators_page import IndicatorsPage
from ui.workspace.pages import intake_page_key

WorkspaceFactory = Callable[..., Any]
ModelTester = Any  # pytest-qt's qtmodeltester fixture


def read(index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    """A cell's data, read through its model's own data() (through a proxy, from its source).

    Not QModelIndex.data(): with PySide6 6.12.0 on Python 3.11 each call that got an invalid
    QVariant back as None dropped a reference to None (the project now pins below 6.12).
    """
    model = index.model()
    if isinstance(model, QSortFilterProxyModel):
        return read(model.mapToSource(index), role)
    return model.data(index, role)


CONTENT = load_content()
NAMES = {"A": "Kim Example", "B": "Lee Example"}
VIGNETTES = ("trauma-role-reversal", "breath-play-newcomers", "cardiac-impact", "ready-couple")


def partner_name(key: str) -> str:
    return NAMES.get(key, key)


def open_page(workspace_on: WorkspaceFactory, vignette: str) -> tuple[Any, IndicatorsPage]:
    workspace = workspace_on(vignette=vignette, start_page="indicators")
    page = workspace.pages["indicators"]
    assert isinstance(page, IndicatorsPage)
    return workspace, page


def groups(page: IndicatorsPage) -> list[tuple[str, str, list[Indicator]]]:
    """(severity, group text, indicators) for every group row of the tree, in order."""
    model = page.model
    found = []
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        members = [
            read(model.index(child, 0, group), INDICATOR_ROLE)
            for child in range(model.rowCount(group))
        ]
        found.append((read(group, SEVERITY_ROLE), read(group), members))
    return found


def evidence_texts(page: IndicatorsPage) -> list[str]:
    model = page.detail.evidence_model
    return [read(model.index(row)) for row in range(model.rowCount())]


def select(page: IndicatorsPage, indicator_id: str, partner: str | None) -> Indicator:
    key = indicator_id if partner is None else f"{indicator_id}@{partner}"
    assert page.select_indicator(key), f"{key} is not listed"
    indicator = page.current_indicator()
    assert indicator is not None
    return indicator


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, non-ASCII included (qtbot.keyClicks aborts on non-ASCII)."""
    for character in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, character)
            )


def activate(qtbot: QtBot, workspace: QWidget) -> None:
    """Shortcuts reach only the active window (after a dialog closes, activate it again)."""
    workspace.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is workspace.window(), timeout=5000)


def answer_dialog_later(qtbot: QtBot, note: str, accept: bool = True) -> list[AcknowledgeDialog]:
    """When the acknowledgement dialog opens, type `note` and press Acknowledge (or cancel)."""
    seen: list[AcknowledgeDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, AcknowledgeDialog):
            QTimer.singleShot(20, answer)  # not open yet
            return
        seen.append(dialog)
        assert not dialog.ok_button.isEnabled(), "a note is required"
        type_text(dialog.note, note)
        if accept:
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        else:
            dialog.reject()

    QTimer.singleShot(0, answer)
    return seen


# --------------------------------------------------------------------------- the vignettes


@pytest.mark.parametrize("vignette", VIGNETTES)
def test_each_vignette_lists_its_indicators_by_severity_with_evidence(
    workspace_on: WorkspaceFactory, qtmodeltester: ModelTester, vignette: str
) -> None:
    expected = json.loads((SHARED_VIGNETTES / f"{vignette}.expect.json").read_text())
    workspace, page = open_page(workspace_on, vignette)
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.detail.evidence_model)
    evaluation = workspace.case.evaluation

    found = groups(page)
    shown_ids = {indicator.id for _, _, members in found for indicator in members}
    assert set(expected["must_include"]) <= shown_ids
    assert not set(expected["must_not_include"]) & shown_ids
    # Every indicator of the engine, once, in its severity's group, most severe group first.
    assert [i.key for _, _, m in found for i in m] == [i.key for i in evaluation.indicators]
    order = ("critical", "essential", "recommended", "medical")
    assert [severity for severity, _, _ in found] == sorted(
        (severity for severity, _, _ in found), key=order.index
    )
    for severity, text, members in found:
        label = CONTENT.triage.severities[severity].label
        # Icon, word and count; the colour comes with them, never alone.
        assert text == f"{severity_icon(severity)}  {label}  ·  {len(members)}"
        assert all(indicator.severity == severity for indicator in members)

    # Each indicator shows title, whose, rationale, action, sources and readable evidence.
    for _, _, members in found:
        for indicator in members:
            select(page, indicator.id, indicator.partner)
            detail = page.detail
            assert detail.title_label.text() == indicator.title
            assert partner_name(indicator.partner or "") in detail.whose_label.text()
            assert detail.rationale_label.text() == indicator.rationale
            assert detail.action_label.text() == indicator.action
            assert "clinical-research.md" not in detail.sources_label.text()
            assert "§" in detail.sources_label.text()
            lines = evidence_texts(page)
            assert len(lines) == len(indicator.evidence) > 0
            for line in lines:
                assert line.split(":", 1)[0] in {"Kim Example", "Lee Example", "The couple"}
                assert " — " in line
                # No ids on screen: labels from the content, not "activity.x" or "phq9.item9".
                assert "activity." not in line
                assert "_" not in line
                assert ".item" not in line

    disposition = CONTENT.triage.dispositions[
        [d.id for d in CONTENT.triage.dispositions].index(expected["disposition"])
    ]
    assert disposition.title in page.disposition.title_label.text()
    assert page.disposition.advice_label.text() == disposition.advice.strip()
    medical = page.disposition.medical_label.text()
    assert ("Medical coordination needed" in medical) == expected["medical_coordination"]
    for reason in evaluation.disposition_reasons:
        # Reasons name partners by name, not by key.
        shown = name_partners(reason, partner_name, ("A", "B"))
        assert html.escape(shown) in page.disposition.reasons_label.text()
    assert "partner A" not in page.disposition.reasons_label.text()

    if not evaluation.indicators:
        assert page.body.currentWidget() is page.empty_state
        assert page.empty_state.isVisible()
        texts = [
            w.text() for w in page.empty_state.findChildren(type(page.disposition.title_label))
        ]
        assert KINK_IS_NOT_A_RISK in texts
        assert any("No indicators" in text for text in texts)
    else:
        assert page.body.currentWidget() is page.splitter


def test_evidence_lines_read_like_the_questionnaire(workspace_on: WorkspaceFactory) -> None:
    workspace, page = open_page(workspace_on, "trauma-role-reversal")
    select(page, "trauma-adjacent-activity", "A")
    lines = evidence_texts(page)
    abuse = CONTENT.questionnaire.question("trauma.sexual_abuse_history")
    assert abuse is not None
    assert f"Kim Example: {abuse.label} — yes   (private: asked alone)" in lines
    assert "Kim Example: Power role reversal, receiving — yes   (private: asked alone)" in lines
    assert any(line.startswith("Kim Example: PC-PTSD-5 total score — 3") for line in lines)

    workspace.case.set_answer("B", "phq9", (0, 0, 0, 0, 0, 0, 0, 0, 1))
    select(page, "suicide-risk", "B")
    item = CONTENT.instruments["phq9"].items[8].text
    assert evidence_texts(page) == [
        f"Lee Example: PHQ-9 item 9 “{item}” — 1 (Several days)   (private: asked alone)"
    ]


def test_critical_indicator_says_see_alone_and_blocks_the_plan(
    workspace_on: WorkspaceFactory,
) -> None:
    workspace, page = open_page(workspace_on, "ready-couple")
    assert page.body.currentWidget() is page.empty_state
    workspace.case.set_answer("A", "safety.afraid_of_partner", True)
    assert page.body.currentWidget() is page.splitter
    indicator = page.current_indicator()
    assert indicator is not None
    assert indicator.key == "ipv-risk@A"
    notice = page.detail.critical_notice
    assert notice.isVisible()
    assert "See Kim Example alone" in notice.text()
    assert "Blocks the couple's safety plan until acknowledged" in notice.text()
    row = page.model.indicator_index("ipv-risk@A")
    assert "to acknowledge" in read(row)
    assert "1 to acknowledge" in workspace.verdict.counts_label.text()
    afraid = CONTENT.questionnaire.question("safety.afraid_of_partner")
    assert afraid is not None
    assert evidence_texts(page) == [f"Kim Example: {afraid.label} — yes   (private: asked alone)"]


# --------------------------------------------------------------------------- acknowledging


def test_acknowledging_with_a_note_persists_and_updates_the_panel_and_verdict_bar(
    qtbot: QtBot, workspace_on: WorkspaceFactory, qtmodeltester: ModelTester
) -> None:
    workspace, page = open_page(workspace_on, "trauma-role-reversal")
    case = workspace.case
    qtmodeltester.check(page.model)
    case.set_answer("B", "safety.strangled_by_partner", True)
    indicator = select(page, "strangulation-history", "B")
    assert indicator.blocks_couple_plan
    assert "1 to acknowledge" in workspace.verdict.counts_label.text()

    note = "Seen Lee alone on Tuesday — no current danger; plan with a DV service. Zoë"
    seen = answer_dialog_later(qtbot, note)
    with qtbot.waitSignal(case.acknowledgements_changed, timeout=10_000):
        page.detail.acknowledge_button.click()
    assert seen
    assert seen[0].windowTitle() == "Acknowledge indicator"

    # The panel: still listed (dimmed, marked), who/when/note shown, no longer blocking.
    row = page.model.indicator_index("strangulation-history@B")
    assert row.isValid()
    assert read(row, ACKNOWLEDGED_ROLE) is True
    assert "✓ acknowledged" in read(row)
    dimmed = QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
    assert read(row, Qt.ItemDataRole.ForegroundRole) == dimmed
    status = page.detail.acknowledgement_label.text()
    assert "Acknowledged by" in status
    assert "Zoë" in status
    assert "no current danger" in status
    assert "no longer blocks" in page.detail.critical_notice.text()
    assert page.detail.acknowledge_button.text() == "&Acknowledge again…"
    assert "to acknowledge" not in workspace.verdict.counts_label.text()

    # The vault: reopened through the service, the newest acknowledgement with its note.
    case.gateway.runner.wait_until_idle()
    with case.gateway.vault.session() as session:
        stored = plan_service.list_acknowledgements(session, case.case_id)
    assert stored["strangulation-history@B"].note == note
    assert stored["strangulation-history@B"].by == case.practice.clinician_name
    assert abs(stored["strangulation-history@B"].at - dt.datetime.now(dt.UTC)) < dt.timedelta(
        minutes=5
    )


def test_ctrl_k_acknowledges_and_cancel_records_nothing(
    qtbot: QtBot, workspace_on: WorkspaceFactory
) -> None:
    workspace, page = open_page(workspace_on, "ready-couple")
    case = workspace.case
    case.set_answer("A", "suicide.thoughts_past_month", True)
    activate(qtbot, workspace)
    page.tree.setFocus()
    assert page.acknowledge_action.shortcut().toString() == "Ctrl+K"
    assert page.acknowledge_action in page.actions()
    assert (
        page.acknowledge_action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
    )

    seen = answer_dialog_later(qtbot, "changed my mind", accept=False)
    qtbot.keyClick(page.tree, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 1
    assert case.acknowledgements == {}
    case.gateway.runner.wait_until_idle()
    with case.gateway.vault.session() as session:
        assert plan_service.list_acknowledgements(session, case.case_id) == {}

    activate(qtbot, workspace)
    page.tree.setFocus()
    answer_dialog_later(qtbot, "Risk assessed today with Kim alone.")
    with qtbot.waitSignal(case.acknowledgements_changed, timeout=10_000):
        qtbot.keyClick(page.tree, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert case.is_acknowledged(page.current_indicator())  # type: ignore[arg-type]


def test_a_failed_acknowledgement_says_so_and_marks_nothing(
    qtbot: QtBot, workspace_on: WorkspaceFactory
) -> None:
    workspace, page = open_page(workspace_on, "ready-couple")
    case = workspace.case
    case.set_answer("A", "safety.forced_sexual_activity", True)
    indicator = page.current_indicator()
    assert indicator is not None
    # The vault refuses an over-long note (the dialog would not allow one): a real failure.
    with qtbot.waitSignal(case.save_failed, timeout=10_000):
        page.acknowledge(indicator, "x" * 5000)
    assert page.save_problem.isVisible()
    assert "not saved" in page.save_problem.text()
    assert not case.is_acknowledged(indicator)
    assert page.detail.acknowledge_button.isEnabled()
    assert "Not acknowledged yet" in page.detail.acknowledgement_label.text()
    # And the clinician can try again.
    with qtbot.waitSignal(case.acknowledgements_changed, timeout=10_000):
        page.acknowledge(indicator, "Seen alone; referred to a DV service.")
    assert not page.save_problem.isVisible()
    assert case.is_acknowledged(indicator)


def test_the_dialog_requires_a_short_enough_note(qtbot: QtBot) -> None:
    dialog = AcknowledgeDialog("Suicide risk — Kim Example", "It stays listed.")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    type_text(dialog.note, "   ")
    assert not dialog.ok_button.isEnabled()
    type_text(dialog.note, "Seen alone.")
    assert dialog.ok_button.isEnabled()
    assert dialog.note_text() == "Seen alone."
    dialog.note.setPlainText("y" * (plan_service.MAX_NOTE_LENGTH + 1))
    assert not dialog.ok_button.isEnabled()
    assert not dialog.problem.isHidden()
    assert dialog.note.accessibleName() == "Acknowledgement note"


# --------------------------------------------------------------------------- live updates


def test_an_answer_change_updates_the_panel_in_place(
    qtbot: QtBot, workspace_on: WorkspaceFactory, qtmodeltester: ModelTester
) -> None:
    workspace, page = open_page(workspace_on, "breath-play-newcomers")
    case = workspace.case
    qtmodeltester.check(page.model)
    select(page, "skill-gap", "A")
    resets: list[bool] = []
    page.model.modelReset.connect(lambda: resets.append(True))

    # A change that alters no indicator touches nothing.
    case.set_answer("A", "sexual.desire", 7)
    assert resets == []
    assert page.current_indicator().key == "skill-gap@A"  # type: ignore[union-attr]

    # A new indicator appears in its group; the selection stays on the same indicator.
    case.set_answer("B", "trauma.other_abuse_history", True)
    shown = {i.key for _, _, members in groups(page) for i in members}
    assert "trauma-history@B" in shown
    assert page.current_indicator().key == "skill-gap@A"  # type: ignore[union-attr]

    # Evidence follows the answers: A's breath-play answer changes from yes to maybe.
    select(page, "breath-play", "A")
    case.set_answer("A", "activity.breath_play", ActivityAnswer("maybe", "no", "none"))
    assert evidence_texts(page) == [
        "Kim Example: Breath play, giving — maybe   (private: asked alone)"
    ]
    # Undo brings the old answer back, and the panel with it.
    case.undo_stack.undo()
    assert evidence_texts(page) == [
        "Kim Example: Breath play, giving — yes   (private: asked alone)"
    ]
    # Answering no to breath play for both removes the indicator and the disposition follows.
    case.set_answer("A", "activity.breath_play", ActivityAnswer("no", "no", "none"))
    case.set_answer("B", "activity.breath_play", ActivityAnswer("no", "no", "none"))
    shown = {i.id for _, _, members in groups(page) for i in members}
    assert "breath-play" not in shown
    assert workspace.verdict.disposition_label.text().count("Therapy essential") == 1


# ------------------------------------------------------------------- keyboard and navigation


@pytest.fixture
def intake_pages(monkeypatch: pytest.MonkeyPatch) -> bool:
    """True when the real intake page exists. Until it lands in the tree (another engineer
    writes it), a stand-in page that records focus_answer() takes its place, so navigation
    through the real Workspace is still exercised."""
    if importlib.util.find_spec("ui.workspace.intake_page") is not None:
        return True
    module = types.ModuleType("ui.workspace.intake_page")

    class IntakePage(QWidget):
        def __init__(self, case: object, navigator: object, owner: str | None) -> None:
            super().__init__()
            self.owner = owner
            self.focused: list[str] = []

        def focus_answer(self, answer_id: str) -> None:
            self.focused.append(answer_id)

    module.IntakePage = IntakePage  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ui.workspace.intake_page", module)
    return False


def assert_answer_shown(workspace: Any, owner: str | None, answer_id: str, real: bool) -> None:
    """The owner's intake page is current, with the answer focused."""
    key = intake_page_key(owner)
    assert workspace.specs[workspace.sidebar.currentRow()].key == key
    intake = workspace.pages[key]
    assert workspace.stack.currentWidget() is intake
    if real:
        focus = QApplication.focusWidget()
        assert focus is not None
        assert intake.isAncestorOf(focus)
        editors = getattr(intake, "editors", None)  # the intake page's editors by answer id
        if isinstance(editors, dict) and answer_id in editors:
            editor = editors[answer_id]
            assert focus is editor or editor.isAncestorOf(focus)
    else:
        assert intake.focused[-1] == answer_id


def test_keyboard_moves_through_indicators_and_enter_opens_the_evidence(
    qtbot: QtBot, workspace_on: WorkspaceFactory, intake_pages: bool
) -> None:
    workspace, page = open_page(workspace_on, "breath-play-newcomers")
    activate(qtbot, workspace)
    page.tree.setFocus()
    first = page.current_indicator()
    assert first is not None
    assert first.key == "breath-play@A"
    qtbot.keyClick(page.tree, Qt.Key.Key_Down)
    assert page.current_indicator().key == "breath-play@B"  # type: ignore[union-attr]
    qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    view = page.detail.evidence_view
    assert QApplication.focusWidget() is view
    assert view.currentIndex().row() == 0
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is page.tree
    qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert_answer_shown(workspace, "B", "activity.breath_play", intake_pages)


def test_clicking_an_evidence_line_shows_that_partners_intake(
    qtbot: QtBot, workspace_on: WorkspaceFactory, intake_pages: bool
) -> None:
    workspace, page = open_page(workspace_on, "cardiac-impact")
    activate(qtbot, workspace)
    select(page, "medication-interaction", "A")
    view = page.detail.evidence_view
    rect = view.visualRect(page.detail.evidence_model.index(1))
    line = read(page.detail.evidence_model.index(1), EVIDENCE_ROLE)
    assert (line.owner, line.answer_id) == ("A", "medical.nitrates_or_poppers")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert_answer_shown(workspace, "A", "medical.nitrates_or_poppers", intake_pages)
    # Back to the indicators: the same indicator is still chosen.
    workspace.show_page_by_key("indicators")
    assert page.current_indicator().key == "medication-interaction@A"  # type: ignore[union-attr]


def test_instrument_evidence_opens_the_instrument(
    qtbot: QtBot, workspace_on: WorkspaceFactory, intake_pages: bool
) -> None:
    workspace, page = open_page(workspace_on, "trauma-role-reversal")
    activate(qtbot, workspace)
    select(page, "ptsd-screen-positive", "A")
    line = read(page.detail.evidence_model.index(1), EVIDENCE_ROLE)
    assert line.answer_id == "pc_ptsd5"  # "pc_ptsd5.total" opens the instrument
    page.open_evidence(line)
    assert_answer_shown(workspace, "A", "pc_ptsd5", intake_pages)


# ------------------------------------------------------------------- accessibility and text


def test_reading_the_panel_never_drops_references_to_none(workspace_on: WorkspaceFactory) -> None:
    """The page reads its own models directly, never through QModelIndex.data(), so moving
    over group rows (whose indicator is None) does not hit PySide6 6.12's None bug (`read`)."""
    _, page = open_page(workspace_on, "cardiac-impact")
    page.tree.setCurrentIndex(page.model.index(0, 0))
    before = sys.getrefcount(None)
    for _ in range(500):
        assert page.current_indicator() is None
    assert sys.getrefcount(None) - before > -50


def test_every_input_has_an_accessible_name(workspace_on: WorkspaceFactory) -> None:
    _, page = open_page(workspace_on, "trauma-role-reversal")
    for widget in (
        page.tree,
        page.detail.evidence_view,
        page.detail.acknowledge_button,
        page.disposition.title_label,
        page.disposition.medical_label,
    ):
        assert widget.accessibleName(), widget
    group = page.model.index(0, 0)
    assert read(group, Qt.ItemDataRole.AccessibleTextRole) == "Essential: 3 indicators"
    child = page.model.index(0, 0, group)
    assert read(child, Qt.ItemDataRole.AccessibleTextRole).startswith("Essential: ")
    assert read(group, Qt.ItemDataRole.ForegroundRole) == severity_colour("essential")


def _evidence(partner: str | None, evidence_id: str, value: Any) -> str:
    evaluation = Evaluation(
        content_version="",
        disposition="lower-risk-start",
        disposition_reasons=(),
        medical_coordination=False,
        indicators=(),
        scores=(
            InstrumentScore(
                "phq9", "A", 17, "moderately-severe", "Moderately severe", True, 10, 9, 9
            ),
        ),
        negotiation=(),
        pacing_suggestions=(),
    )
    return describe_evidence(
        Evidence(partner, evidence_id, value), CONTENT, partner_name, evaluation
    ).text


def test_describe_evidence_for_every_kind_of_answer() -> None:
    desire = CONTENT.questionnaire.question("sexual.anxiety")
    assert desire is not None
    assert _evidence("A", "sexual.anxiety", 10) == f"Kim Example: {desire.label} — 10 (Extremely)"
    assert _evidence("A", "sexual.anxiety", 8) == f"Kim Example: {desire.label} — 8"
    talk = CONTENT.questionnaire.question("communication.can_discuss_fantasies")
    assert talk is not None
    assert _evidence(None, "communication.can_discuss_fantasies", 1) == (
        f"The couple: {talk.label} — 1 (With great difficulty)"
    )
    assert (
        _evidence("A", "phq9.total", 17)
        == "Kim Example: PHQ-9 total score — 17 (moderately severe)"
    )
    assert _evidence("B", "gad7.total", 12) == "Lee Example: GAD-7 total score — 12"
    gate = CONTENT.instruments["pc_ptsd5"].gate
    assert gate is not None
    assert (
        _evidence("B", "pc_ptsd5.exposed", True)
        == f"Lee Example: PC-PTSD-5 “{gate.question}” — yes"
    )
    audit_item = CONTENT.instruments["audit_c"].items[0]
    option = audit_item.options[2]
    assert _evidence("A", "audit_c.item1", option.value) == (
        f"Kim Example: AUDIT-C item 1 “{audit_item.text}” — {option.value} ({option.label})"
    )
    assert (
        _evidence("A", "activity.gag.receiving", "limit")
        == "Kim Example: Gag, receiving — hard limit"
    )
    assert _evidence("B", "activity.impact_heavy.experience", "none") == (
        "Lee Example: Heavy impact play, experience — none yet"
    )
    # An id the content no longer knows still reads as words, never as an error.
    assert _evidence("A", "old.retired_question", False) == "Kim Example: Retired question — no"


def test_sources_and_reasons_in_plain_words() -> None:
    assert describe_source("clinical-research.md §2.5 (breath play: Wiseman)") == (
        "§2.5 — breath play: Wiseman"
    )
    assert describe_source("clinical-research.md §1.5") == "§1.5"
    assert describe_source("Some other book") == "Some other book"
    assert name_partners("History of abuse (partner A): essential.", partner_name, ("A", "B")) == (
        "History of abuse (Kim Example): essential."
    )
    assert name_partners("Partner B is interested in Gag.", partner_name, ("A", "B")) == (
        "Lee Example is interested in Gag."
    )
    # Only partner keys are replaced: "partner AB" or "partners" stay as they are.
    assert (
        name_partners("partner AB and partners", partner_name, ("A",)) == "partner AB and partners"
    )
