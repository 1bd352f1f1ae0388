"""The negotiation matrix: the engine's cells as rows, statuses in words, filters, live updates.

Real vault, real CaseSession and Workspace (tests/ui/conftest.py `workspace_on`); the rows are
compared with the clinical engine's own comparison of the same intake.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QStyle, QWidget
from pytestqt.qtbot import QtBot

from clinical.content import load_content
from clinical.interchange import load_intake
from clinical.model import ActivityAnswer, NegotiationCell
from clinical.negotiation import compare_activities
from tests.clinical.helpers import SHARED_VIGNETTES
from ui.theme import severity_colour
from ui.workspace.negotiation_model import (
    ACTIVITY_GROUP_ROLE,
    CELL_ROLE,
    NO_BREAK,
    STATUS_GROUP,
    STATUS_GROUPS,
    Column,
    NegotiationFilter,
    NegotiationTableModel,
    status_text,
)
from ui.workspace.negotiation_page import NegotiationPage, fit_widths
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
NAMES = {"A": "Kim Example", "B": "Lee Example", "C": "Ash Example"}


def open_page(
    workspace_on: WorkspaceFactory, vignette: str | None = "ready-couple", **options: Any
) -> tuple[Any, NegotiationPage]:
    workspace = workspace_on(vignette=vignette, start_page="negotiation", **options)
    page = workspace.pages["negotiation"]
    assert isinstance(page, NegotiationPage)
    return workspace, page


def shown_cells(page: NegotiationPage) -> list[NegotiationCell]:
    proxy = page.proxy
    return [read(proxy.index(row, 0), CELL_ROLE) for row in range(proxy.rowCount())]


def row_texts(model: Any, row: int) -> list[str]:
    """A row's texts, with the no-break spaces that keep names whole read as spaces."""
    return [read(model.index(row, column)).replace(NO_BREAK, " ") for column in Column]


# --------------------------------------------------------------------------- rows


def test_ready_couple_rows_and_statuses_match_the_engine(
    workspace_on: WorkspaceFactory, qtmodeltester: ModelTester
) -> None:
    workspace, page = open_page(workspace_on)
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)
    engine = compare_activities(CONTENT, workspace.case.intake)
    assert page.model.cells() == list(engine)
    assert shown_cells(page) == list(engine)
    # Every activity in both directions between the two partners.
    assert len(engine) == 2 * len(CONTENT.activities)

    by_key = {(c.activity, c.giver): c for c in engine}
    # Robin/Sam's answers in the vignette, here Kim (A) and Lee (B).
    expected = {
        ("blindfold", "A"): ("Yes", "Yes", "✓ Mutual yes"),
        ("light_restraint", "A"): ("Yes", "Yes", "✓ Mutual yes"),
        ("light_restraint", "B"): ("Maybe", "Maybe", "◆ Discuss: both maybe"),
        ("role_reversal_power", "A"): ("Maybe", "Maybe", "◆ Discuss: both maybe"),
        ("role_reversal_power", "B"): ("Yes", "Yes", "✓ Mutual yes"),
        ("gag", "A"): ("not yet", "not yet", "○ Not answered"),
    }
    for (activity, giver), (gives, receives, status) in expected.items():
        row = page.model.row_of(activity, giver, "B" if giver == "A" else "A")
        texts = row_texts(page.model, row)
        assert texts[Column.ACTIVITY] == CONTENT.activities[activity].label
        assert texts[Column.DIRECTION] == f"{NAMES[giver]} → {NAMES['B' if giver == 'A' else 'A']}"
        assert texts[Column.GIVER_ANSWER] == gives
        assert texts[Column.RECEIVER_ANSWER] == receives
        assert texts[Column.STATUS] == status
        assert STATUS_GROUP[by_key[(activity, giver)].status] in STATUS_GROUPS
    for row, cell in enumerate(engine):
        texts = row_texts(page.model, row)
        assert texts[Column.CLASS] == CONTENT.classes[cell.activity_class].label
        assert texts[Column.STATUS] == status_text(cell)
    summary = page.summary_label.text()
    mutual = sum(1 for c in engine if c.status == "mutual-yes")
    assert f"<b>{mutual}</b> mutual yes" in summary
    assert page.shown_label.text() == f"Showing all {len(engine)} directions"


def test_statuses_fall_in_three_plain_groups_with_icon_word_and_colour() -> None:
    def cell(giving: str | None, receiving: str | None, status: str) -> NegotiationCell:
        return NegotiationCell(
            "gag",
            "Gag",
            "restraint",
            "moderate",
            "A",
            "B",
            giving,
            receiving,
            status,  # type: ignore[arg-type]
        )

    assert status_text(cell("yes", "yes", "mutual-yes")) == "✓ Mutual yes"
    assert status_text(cell("yes", "maybe", "one-sided")) == "◆ Discuss: one-sided"
    assert status_text(cell("maybe", "maybe", "both-maybe")) == "◆ Discuss: both maybe"
    assert status_text(cell("yes", "no", "closed")) == "✕ Closed: a no"
    assert status_text(cell("limit", None, "closed")) == "✕ Closed: hard limit"
    assert status_text(cell(None, "yes", "unanswered")) == "○ Not answered"
    colours = {style.colour().name() for style in STATUS_GROUPS.values()}
    assert len(colours) == len(STATUS_GROUPS)  # each group its own colour, beside its word


def test_risk_tiers_are_marked_and_high_tiers_stand_out(workspace_on: WorkspaceFactory) -> None:
    _, page = open_page(workspace_on)
    model = page.model
    for row, cell in enumerate(model.cells()):
        index = model.index(row, Column.TIER)
        label = CONTENT.tiers[cell.tier].label
        font = read(index, Qt.ItemDataRole.FontRole)
        if cell.tier == "high":
            assert read(index) == f"▲ {label}"
            assert read(index, Qt.ItemDataRole.ForegroundRole) == severity_colour("essential")
            assert isinstance(font, QFont)
            assert font.bold()
        elif cell.tier == "no-safe-practice":
            assert read(index) == "✖ No safe practice exists"
            assert read(index, Qt.ItemDataRole.ForegroundRole) == severity_colour("critical")
            assert isinstance(font, QFont)
            assert font.bold()
        else:
            assert read(index) == label
            assert font is None


def test_both_directions_and_role_reversal_pairs_are_adjacent(
    workspace_on: WorkspaceFactory,
) -> None:
    _, page = open_page(workspace_on)
    model = page.model
    activities = [cell.activity for cell in model.cells()]
    # Both directions of every activity on consecutive rows.
    for row in range(0, len(activities), 2):
        assert activities[row] == activities[row + 1]
        first, second = model.cell(row), model.cell(row + 1)
        assert first is not None
        assert second is not None
        assert (first.giver, first.receiver) == (second.receiver, second.giver)
    # The role-reversal pair forms one block of four rows with one shade.
    for activity in CONTENT.activities.values():
        for other in activity.paired_with:
            rows = [r for r, a in enumerate(activities) if a in (activity.id, other)]
            assert rows == list(range(rows[0], rows[0] + 4))
            shades = {read(model.index(r, 0), ACTIVITY_GROUP_ROLE) for r in rows}
            assert len(shades) == 1
            backgrounds = {read(model.index(r, 0), Qt.ItemDataRole.BackgroundRole) for r in rows}
            assert len(backgrounds) == 1
    # Neighbouring activity groups alternate their shade, so blocks read apart.
    groups = [read(model.index(r, 0), ACTIVITY_GROUP_ROLE) for r in range(model.rowCount())]
    assert groups == sorted(groups)
    assert groups[0] % 2 != groups[2] % 2
    assert read(model.index(2, 0), Qt.ItemDataRole.ToolTipRole)


# --------------------------------------------------------------------------- filters


def test_filters_by_class_status_hide_closed_and_text(
    qtbot: QtBot, workspace_on: WorkspaceFactory, qtmodeltester: ModelTester
) -> None:
    workspace, page = open_page(workspace_on)
    qtmodeltester.check(page.proxy)
    case = workspace.case
    # Close one direction so "closed" has something in it: Lee says no to receiving a blindfold.
    case.set_answer("B", "activity.blindfold", ActivityAnswer("yes", "no", "some"))
    total = page.model.rowCount()

    page.class_filter.setCurrentIndex(page.class_filter.findData("sensory"))
    assert {c.activity_class for c in shown_cells(page)} == {"sensory"}
    assert len(shown_cells(page)) == 4  # blindfold, sensation play; two directions each
    assert page.shown_label.text() == f"Showing 4 of {total}"

    page.class_filter.setCurrentIndex(0)
    page.status_filter.setCurrentIndex(page.status_filter.findData("mutual-yes"))
    assert {c.status for c in shown_cells(page)} == {"mutual-yes"}
    page.status_filter.setCurrentIndex(page.status_filter.findData("discuss"))
    assert {c.status for c in shown_cells(page)} == {"both-maybe"}
    page.status_filter.setCurrentIndex(page.status_filter.findData("closed"))
    closed = shown_cells(page)
    assert [(c.activity, c.giver) for c in closed] == [("blindfold", "A")]
    page.status_filter.setCurrentIndex(0)

    page.hide_closed.setChecked(True)
    assert all(c.status != "closed" for c in shown_cells(page))
    assert len(shown_cells(page)) == total - 1
    assert page.hide_closed_action.isChecked()

    qtbot.keyClicks(page.find_field, "role rev")
    assert {c.activity for c in shown_cells(page)} == {
        "role_reversal_power",
        "role_reversal_gender",
    }
    page.find_field.clear()
    qtbot.keyClicks(page.find_field, "HIGH risk")  # case-insensitive, any column
    assert {c.tier for c in shown_cells(page)} == {"high"}
    page.find_field.clear()
    qtbot.keyClicks(page.find_field, "nothing matches this")
    assert shown_cells(page) == []
    assert page.shown_label.text() == f"Showing 0 of {total}"

    page.clear_button.click()
    assert len(shown_cells(page)) == total
    assert not page.hide_closed.isChecked()
    assert page.find_field.text() == ""
    assert page.class_filter.currentIndex() == 0
    assert page.status_filter.currentIndex() == 0


def test_filter_shortcuts(qtbot: QtBot, workspace_on: WorkspaceFactory) -> None:
    workspace, page = open_page(workspace_on)
    workspace.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is workspace.window(), timeout=5000)
    page.table.setFocus()
    total = page.model.rowCount()
    for action, keys in (
        (page.find_action, "Ctrl+F"),
        (page.hide_closed_action, "Ctrl+H"),
        (page.clear_filters_action, "Ctrl+Shift+F"),
    ):
        assert action in page.actions()
        assert action.shortcut().toString() == keys
        assert action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.find_field
    qtbot.keyClicks(page.find_field, "gag")
    assert len(shown_cells(page)) == 2
    qtbot.keyClick(page.find_field, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert page.hide_closed.isChecked()
    qtbot.keyClick(
        page.find_field,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(shown_cells(page)) == total
    assert not page.hide_closed.isChecked()


def test_filter_model_alone() -> None:
    content = CONTENT

    intake = load_intake(SHARED_VIGNETTES / "ready-couple.intake.json")
    model = NegotiationTableModel(content, lambda key: NAMES[key])
    model.set_cells(compare_activities(content, intake))
    proxy = NegotiationFilter()
    proxy.setSourceModel(model)
    assert not proxy.is_filtering()
    proxy.set_filters(activity_class="restraint", status_group="discuss")
    assert proxy.is_filtering()
    cells = [read(proxy.index(r, 0), CELL_ROLE) for r in range(proxy.rowCount())]
    assert [(c.activity, c.giver) for c in cells] == [("light_restraint", "B")]
    proxy.set_filters(text="kim lee blindfold")  # every word must match
    assert proxy.rowCount() == 2
    proxy.set_filters()
    assert proxy.rowCount() == model.rowCount()


# --------------------------------------------------------------------------- live updates


def test_answer_changes_update_only_the_changed_rows(
    workspace_on: WorkspaceFactory, qtmodeltester: ModelTester
) -> None:
    workspace, page = open_page(workspace_on)
    case = workspace.case
    qtmodeltester.check(page.model)
    resets: list[bool] = []
    changed: list[tuple[int, int]] = []
    page.model.modelReset.connect(lambda: resets.append(True))
    page.model.dataChanged.connect(
        lambda first, last, roles=(): changed.append((first.row(), last.row()))
    )
    page.status_filter.setCurrentIndex(page.status_filter.findData("mutual-yes"))
    assert ("blindfold", "A") in {(c.activity, c.giver) for c in shown_cells(page)}

    # Lee now says no to receiving a blindfold: one direction closes, in place.
    case.set_answer("B", "activity.blindfold", ActivityAnswer("yes", "no", "some"))
    row = page.model.row_of("blindfold", "A", "B")
    assert changed == [(row, row)]
    assert resets == []
    assert row_texts(page.model, row)[Column.STATUS] == "✕ Closed: a no"
    # The mutual-yes filter drops it at once (the proxy follows dataChanged).
    assert ("blindfold", "A") not in {(c.activity, c.giver) for c in shown_cells(page)}
    assert "<b>5</b> mutual yes" in page.summary_label.text()

    # A change that does not touch any activity answer repaints nothing.
    changed.clear()
    case.set_answer("A", "sexual.desire", 4)
    assert changed == []

    # Undo restores the row.
    case.undo_stack.undo()
    case.undo_stack.undo()
    assert row_texts(page.model, row)[Column.STATUS] == "✓ Mutual yes"
    assert ("blindfold", "A") in {(c.activity, c.giver) for c in shown_cells(page)}
    assert resets == []
    assert page.model.cells() == list(compare_activities(CONTENT, case.intake))


def test_an_answer_change_updates_both_pages(workspace_on: WorkspaceFactory) -> None:
    workspace = workspace_on(vignette="ready-couple", start_page="indicators")
    indicators = workspace.pages["indicators"]
    negotiation = workspace.page("negotiation")
    assert isinstance(negotiation, NegotiationPage)
    workspace.case.set_answer("A", "activity.breath_play", ActivityAnswer("yes", "no", "none"))
    row = negotiation.model.row_of("breath_play", "A", "B")
    assert row_texts(negotiation.model, row)[Column.GIVER_ANSWER] == "Yes"
    assert row_texts(negotiation.model, row)[Column.STATUS] == "○ Not answered"
    reverse = negotiation.model.row_of("breath_play", "B", "A")
    assert row_texts(negotiation.model, reverse)[Column.RECEIVER_ANSWER] == "No"
    assert row_texts(negotiation.model, reverse)[Column.STATUS] == "✕ Closed: a no"
    assert indicators.model.indicator_index("breath-play@A").isValid()


# --------------------------------------------------------------------------- three partners


def test_three_partners_give_every_ordered_pair(
    workspace_on: WorkspaceFactory, qtmodeltester: ModelTester
) -> None:
    workspace, page = open_page(
        workspace_on, None, partner_names=("Kim Example", "Lee Example", "Ash Example")
    )
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)
    case = workspace.case
    assert len(case.intake.partners) == 3
    case.set_answer("A", "activity.blindfold", ActivityAnswer("yes", "no", "some"))
    case.set_answer("C", "activity.blindfold", ActivityAnswer("maybe", "yes", "none"))
    row = page.model.row_of("blindfold", "A", "C")
    assert row_texts(page.model, row)[Column.STATUS] == "✓ Mutual yes"
    row = page.model.row_of("blindfold", "C", "A")
    assert row_texts(page.model, row)[Column.STATUS] == "✕ Closed: a no"
    row = page.model.row_of("blindfold", "A", "B")
    assert row_texts(page.model, row)[Column.STATUS] == "○ Not answered"
    assert page.model.rowCount() == 6 * len(CONTENT.activities)
    pairs = {(c.giver, c.receiver) for c in page.model.cells() if c.activity == "blindfold"}
    assert pairs == {(a, b) for a in "ABC" for b in "ABC" if a != b}
    assert not page.partner_filter.isHidden()
    page.partner_filter.setCurrentIndex(page.partner_filter.findData("C"))
    assert {("C" in (c.giver, c.receiver)) for c in shown_cells(page)} == {True}
    assert len(shown_cells(page)) == 4 * len(CONTENT.activities)
    texts = {
        read(page.proxy.index(r, Column.DIRECTION)).replace(NO_BREAK, " ")
        for r in range(page.proxy.rowCount())
    }
    assert "Ash Example → Kim Example" in texts


def test_two_partners_need_no_partner_filter(workspace_on: WorkspaceFactory) -> None:
    _, page = open_page(workspace_on)
    assert page.partner_filter.isHidden()


# --------------------------------------------------------------------------- navigation


@pytest.fixture
def intake_pages(monkeypatch: pytest.MonkeyPatch) -> bool:
    """True when the real intake page exists; until then a stand-in records focus_answer()."""
    if importlib.util.find_spec("ui.workspace.intake_page") is not None:
        return True
    module = types.ModuleType("ui.workspace.intake_page")

    class IntakePage(QWidget):
        def __init__(self, case: object, navigator: object, owner: str | None) -> None:
            super().__init__()
            self.focused: list[str] = []

        def focus_answer(self, answer_id: str) -> None:
            self.focused.append(answer_id)

    module.IntakePage = IntakePage  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ui.workspace.intake_page", module)
    return False


def test_enter_opens_the_givers_answer_and_the_receivers_column_the_receivers(
    qtbot: QtBot, workspace_on: WorkspaceFactory, intake_pages: bool
) -> None:
    workspace, page = open_page(workspace_on)
    workspace.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is workspace.window(), timeout=5000)
    row = page.model.row_of("light_restraint", "A", "B")
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(row, Column.ACTIVITY))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    key = intake_page_key("A")
    assert workspace.specs[workspace.sidebar.currentRow()].key == key
    if not intake_pages:
        assert workspace.pages[key].focused == ["activity.light_restraint"]

    workspace.show_page_by_key("negotiation")
    index = page.proxy.index(row, Column.RECEIVER_ANSWER)
    page.open_answer(index)
    key = intake_page_key("B")
    assert workspace.specs[workspace.sidebar.currentRow()].key == key
    if not intake_pages:
        assert workspace.pages[key].focused == ["activity.light_restraint"]
    page.open_answer(QModelIndex())  # nothing to open: nothing happens


# --------------------------------------------------------------------------- layout and names


def test_reading_the_matrix_never_drops_references_to_none(
    workspace_on: WorkspaceFactory,
) -> None:
    """The page reads cells from its own model, never through QModelIndex.data() (`read`)."""
    _, page = open_page(workspace_on)
    before = sys.getrefcount(None)
    for _ in range(200):
        assert page.current_cell() is not None
        assert page.model.is_bold(0, Column.TIER) is False
        assert page.model.data(page.model.index(0, Column.CLASS), Qt.ItemDataRole.FontRole) is None
    assert sys.getrefcount(None) - before > -50


def test_accessible_names_and_headers(workspace_on: WorkspaceFactory) -> None:
    _, page = open_page(workspace_on)
    for widget in (
        page.table,
        page.class_filter,
        page.status_filter,
        page.partner_filter,
        page.hide_closed,
        page.find_field,
        page.clear_button,
    ):
        assert widget.accessibleName(), widget
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert headers[0] == "Activity"
    assert "Status" in headers
    row = page.model.row_of("blindfold", "A", "B")
    index = page.model.index(row, Column.GIVER_ANSWER)
    assert read(index, Qt.ItemDataRole.AccessibleTextRole) == "Kim Example, giving: Yes"
    direction = page.model.index(row, Column.DIRECTION)
    assert read(direction, Qt.ItemDataRole.AccessibleTextRole) == (
        "Kim Example gives, Lee Example receives"
    )


@pytest.mark.parametrize("size", [(1440, 900), (1280, 720)])
@pytest.mark.parametrize(
    "names",
    [("Kim Example", "Lee Example"), ("Alexandra Sample-Longname (fictional)", "Sam Sample")],
)
def test_nothing_is_cut_off_at_the_sizes_that_matter(
    qtbot: QtBot, workspace_on: WorkspaceFactory, size: tuple[int, int], names: tuple[str, str]
) -> None:
    workspace, page = open_page(workspace_on, partner_names=names)
    workspace.resize(*size)
    qtbot.waitUntil(lambda: page.table.viewport().width() < size[0] - 200, timeout=2000)
    QApplication.processEvents()
    table = page.table
    assert not table.horizontalScrollBar().isVisible()
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    bold_font = QFont(table.font())
    bold_font.setBold(True)
    bold = QFontMetrics(bold_font)
    # The item delegate draws text this far in from either side of the cell.
    focus_margin = QStyle.PixelMetric.PM_FocusFrameHMargin
    margin = table.style().pixelMetric(focus_margin, None, table) + 1
    for column in Column:
        text_width = header.sectionSize(column) - 2 * margin
        for row in range(page.model.rowCount()):
            text = page.model.text(row, column)
            measure = bold if page.model.is_bold(row, column) else metrics
            # Each word fits its column; a line that is too long wraps onto a taller row.
            longest = max(measure.horizontalAdvance(word) for word in text.split(" "))
            assert longest <= text_width, (column, text)
            if measure.horizontalAdvance(text) > text_width:
                assert table.rowHeight(row) > metrics.height() * 1.6, (column, text)


def test_fit_widths_shares_the_room_adding_the_fewest_lines() -> None:
    rows = [[100, 100, 100, 100], [150, 60, 60, 60]]
    # Room for everything: the first column takes the spare.
    assert fit_widths([100, 150], [40, 40], rows, 300) == [150, 150]
    # 40 px short: wrapping the one long row of the second column adds one line; shrinking
    # the first column would wrap all four rows.
    assert fit_widths([100, 150], [40, 40], rows, 210) == [100, 110]
    # A row already two lines tall wraps in another column for free.
    rows = [[100, 100, 300], [120, 50, 120]]
    widths = fit_widths([300, 120], [60, 60], rows, 320)
    assert sum(widths) <= 320
    assert widths[0] >= 100  # the two short rows of the first column stay on one line
    # Never below the floors (the longest words), even if that does not fit.
    assert fit_widths([200, 150], [150, 140], [[200], [150]], 100) == [150, 140]
