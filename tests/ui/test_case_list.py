"""The case list: a lazy model that passes Qt's model tester, sorts, filters and opens cases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db.vault import Vault
from desktop.synthetic import generate_practice
from tests.ui.conftest import PASSPHRASE
from ui.case_list import COLUMNS, PAGE_SIZE, CaseListModel, CaseListPage
from ui.tasks import TaskRunner
from ui.vault_access import VaultGateway


@pytest.fixture(scope="module")
def practice_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("practice") / "practice.parley"
    vault = Vault.create(path, PASSPHRASE)
    generate_practice(vault, 60, seed=11)  # with intakes: verdicts to sort by
    generate_practice(vault, 250, seed=12, with_intakes=False)
    vault.lock()
    return path


@pytest.fixture
def gateway(practice_file: Path) -> Iterator[VaultGateway]:
    vault = Vault.unlock(practice_file, PASSPHRASE)
    runner = TaskRunner()
    yield VaultGateway(vault, runner)
    runner.wait_until_idle()
    runner.shutdown()
    vault.lock()


def loaded(qtbot, model: CaseListModel) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()


def test_the_model_passes_qts_model_tester(qtbot, qtmodeltester, gateway) -> None:  # type: ignore[no-untyped-def]
    model = CaseListModel(gateway)
    loaded(qtbot, model)
    assert model.rowCount() == 310
    qtmodeltester.check(model, force_py=True)
    qtbot.waitUntil(lambda: model.row_at(0) is not None, timeout=5000)
    qtmodeltester.check(model, force_py=True)


def test_rows_load_a_page_at_a_time(qtbot, gateway) -> None:  # type: ignore[no-untyped-def]
    model = CaseListModel(gateway)
    loaded(qtbot, model)
    assert model.row_at(0) is None
    assert model.data(model.index(0, 0)) == "…"  # asks for the first page
    qtbot.waitUntil(lambda: model.row_at(0) is not None, timeout=5000)
    assert model.row_at(PAGE_SIZE - 1) is not None
    assert model.row_at(PAGE_SIZE) is None  # the next page is fetched only when shown


def test_sorting_by_severity_puts_the_most_urgent_first(qtbot, gateway) -> None:  # type: ignore[no-untyped-def]
    model = CaseListModel(gateway)
    column = next(i for i, c in enumerate(COLUMNS) if c.sort == "severity")
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.sort(column, Qt.SortOrder.DescendingOrder)
    model.data(model.index(0, 0))
    qtbot.waitUntil(lambda: model.row_at(0) is not None, timeout=5000)
    first = model.row_at(0)
    assert first is not None
    assert first.highest_severity == "critical"


def test_filter_by_partner_name_with_accents(qtbot, gateway) -> None:  # type: ignore[no-untyped-def]
    model = CaseListModel(gateway)
    model.filter_text = "zoë"
    loaded(qtbot, model)
    assert 0 < model.rowCount() < 310
    model.data(model.index(0, 0))
    qtbot.waitUntil(lambda: model.row_at(0) is not None, timeout=5000)
    row = model.row_at(0)
    assert row is not None
    assert any("Zoë" in name for name in row.partner_names)


def test_enter_opens_the_selected_case(qtbot, gateway) -> None:  # type: ignore[no-untyped-def]
    page = CaseListPage(gateway)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        page.reload()
    page.table.setFocus()
    page.table.selectRow(2)
    expected = page.model.case_id_at(2)
    with qtbot.waitSignal(page.open_case, timeout=3000) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [expected]
