"""`parley screenshots`: every main screen of a (demo) vault rendered offscreen to PNG files.

Used to look at the app as a therapist would, at the sizes that matter (1440x900, 1280x720),
in the light and the dark palette; the README shows some of them.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinical.errors import ParleyError

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class ScreenshotError(ParleyError):
    """The vault has no case to show a screen with."""


def _oldest_note(page: Any) -> None:
    # The demo's first note is signed and has an addendum: the locked view at its fullest.
    if page.model.items:
        page.select_note(page.model.items[-1].id)


def _phq9_of_partner_a(page: Any) -> None:
    page.show_series("A", "phq9")


#: (file stem, workspace page key, which demo case label to prefer, what to do on the page
#: before the picture) for each case screen.
CASE_SCREENS: tuple[tuple[str, str, str, Callable[[Any], None] | None], ...] = (
    ("intake", "intake:A", "Ready to explore", None),
    ("indicators", "indicators", "Safety concern disclosed alone", None),
    ("negotiation", "negotiation", "Ready to explore", None),
    ("pacing-plan", "pacing", "Trauma history and role reversal", None),
    ("safety-plan", "safety-plan", "Ready to explore", None),
    ("notes", "notes", "Ready to explore", None),
    ("note-signed", "notes", "Ready to explore", _oldest_note),
    ("measures-trend", "measures", "Trauma history and role reversal", _phq9_of_partner_a),
)
#: Words searched for in search.png: they occur in the demo notes.
SEARCH_WORDS = "blindfold"


def _settle(until: Callable[[], bool] | None = None, timeout: float = 10.0) -> None:
    """Run the event loop until `until()` holds (or briefly), so async loads have painted."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if until is None or until():
            break
        time.sleep(0.01)
    for _ in range(5):
        QApplication.processEvents()
        time.sleep(0.02)


def _case_list_loaded(window: MainWindow) -> Callable[[], bool]:
    return lambda: window.case_list.model.row_at(0) is not None


def _case_open(window: MainWindow, case_id: int) -> Callable[[], bool]:
    return lambda: window.workspace is not None and window.workspace.case.case_id == case_id


def take_screenshots(
    vault_path: Path,
    passphrase: str,
    out: Path,
    sizes: Sequence[tuple[int, int]] = ((1440, 900),),
    dark: bool = False,
) -> list[Path]:
    """Render the unlock dialog, the case list and every case page; returns the files written.

    With one size the files are `<screen>.png`; with several, `<screen>-<W>x<H>.png`.
    """
    if dark:
        os.environ["PARLEY_THEME"] = "dark"
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import QPainter, QPalette
    from PySide6.QtWidgets import QApplication, QWidget

    from db.services import cases as case_service
    from db.vault import Vault
    from desktop.app import policy_wordings
    from desktop.settings import AppSettings
    from ui.main_window import MainWindow
    from ui.search_dialog import show_search
    from ui.tasks import TaskRunner
    from ui.theme import apply_theme
    from ui.vault_dialogs import UnlockDialog

    app = QApplication.instance() or QApplication(["parley-screenshots"])
    assert isinstance(app, QApplication)
    apply_theme(app)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def name(stem: str, size: tuple[int, int]) -> Path:
        suffix = "" if len(sizes) == 1 else f"-{size[0]}x{size[1]}"
        return out / f"{stem}{suffix}.png"

    def save(widget: QWidget, stem: str, size: tuple[int, int]) -> None:
        path = name(stem, size)
        widget.grab().save(str(path))
        written.append(path)

    def save_over(window: QWidget, dialog: QWidget, stem: str, size: tuple[int, int]) -> None:
        # Offscreen, a dialog is its own surface: paint it over the window where it would sit.
        picture = window.grab()
        painter = QPainter(picture)
        x = max(0, (window.width() - dialog.width()) // 2)
        y = max(0, (window.height() - dialog.height()) // 3)
        painter.drawPixmap(x, y, dialog.grab())
        painter.setPen(window.palette().color(QPalette.ColorRole.Mid))
        painter.drawRect(x, y, dialog.width() - 1, dialog.height() - 1)
        painter.end()
        path = name(stem, size)
        picture.save(str(path))
        written.append(path)

    # The unlock screen, before anything is decrypted.
    for size in sizes:
        backdrop = QWidget()
        backdrop.resize(*size)
        dialog = UnlockDialog(vault_path, backdrop)
        dialog.setWindowFlags(Qt.WindowType.Widget)
        dialog.adjustSize()
        dialog.move((size[0] - dialog.width()) // 2, (size[1] - dialog.height()) // 3)
        backdrop.show()
        _settle()
        save(backdrop, "unlock", size)
        backdrop.close()
        backdrop.deleteLater()

    vault = Vault.unlock(vault_path, passphrase)
    runner = TaskRunner()
    with tempfile.TemporaryDirectory() as settings_dir:
        settings = AppSettings(
            QSettings(str(Path(settings_dir) / "screens.ini"), QSettings.Format.IniFormat)
        )
        try:
            with vault.session() as session:
                rows = case_service.case_rows(session, case_service.list_case_ids(session))
            if not rows:
                raise ScreenshotError("the vault has no case to show; make one with parley demo")
            by_label = {row.label: row.id for row in rows}
            for size in sizes:
                window = MainWindow(vault, runner, settings, policy_wordings())
                window.resize(*size)
                window.show()
                _settle(_case_list_loaded(window))
                save(window, "case-list", size)
                for stem, page_key, label, prepare in CASE_SCREENS:
                    case_id = by_label.get(label, rows[0].id)
                    if window.workspace is None or window.workspace.case.case_id != case_id:
                        window.open_case(case_id)
                        _settle(_case_open(window, case_id))
                    workspace = window.workspace
                    if workspace is None:
                        continue
                    page = workspace.show_page_by_key(page_key)
                    _settle(lambda: not runner.is_busy, timeout=5)
                    if prepare is not None:
                        prepare(page)
                    time.sleep(0.3)  # previews render on the worker; give them a moment
                    _settle(lambda: not runner.is_busy, timeout=5)
                    save(window, stem, size)
                window.show_case_list()
                _settle(lambda: not runner.is_busy, timeout=5)
                search = show_search(window)
                search.field.setText(SEARCH_WORDS)
                search.search_now()
                _settle(lambda: not runner.is_busy, timeout=5)
                save_over(window, search, "search", size)
                search.close()
                runner.wait_until_idle()
                window.prepare_to_lock()
                window.close()
                window.deleteLater()
                _settle()
        finally:
            runner.wait_until_idle()
            runner.shutdown()
            vault.lock()
    return written
