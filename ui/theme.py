"""A calm look: Fusion style, a soft palette for light and dark, severity colours with icons."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

#: Severity colours always come with an icon character and a word (never colour alone).
SEVERITY_STYLE: dict[str, tuple[str, str, str]] = {
    # severity: (light colour, dark colour, icon)
    "critical": ("#b3261e", "#f2b8b5", "✖"),
    "essential": ("#b45309", "#fbbf77", "▲"),
    "recommended": ("#1d5fa8", "#9cc7f5", "●"),
    "medical": ("#6b3fa0", "#cfb3f0", "✚"),
}


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def severity_colour(severity: str) -> QColor:
    light, dark, _ = SEVERITY_STYLE.get(severity, ("#444444", "#dddddd", "•"))
    return QColor(dark if is_dark() else light)


def severity_icon(severity: str) -> str:
    return SEVERITY_STYLE.get(severity, ("", "", "•"))[2]


def _light_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#f6f5f2",
        QPalette.ColorRole.WindowText: "#22252a",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f0eee9",
        QPalette.ColorRole.Text: "#22252a",
        QPalette.ColorRole.Button: "#ecebe6",
        QPalette.ColorRole.ButtonText: "#22252a",
        QPalette.ColorRole.Highlight: "#3f6e8c",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: "#22252a",
        QPalette.ColorRole.PlaceholderText: "#7a7d83",
        QPalette.ColorRole.Link: "#2f5f82",
        QPalette.ColorRole.Mid: "#c9c6bd",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#9a9ca0"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#9a9ca0"))
    return palette


def _dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#1f2226",
        QPalette.ColorRole.WindowText: "#e6e4df",
        QPalette.ColorRole.Base: "#17191c",
        QPalette.ColorRole.AlternateBase: "#24272c",
        QPalette.ColorRole.Text: "#e6e4df",
        QPalette.ColorRole.Button: "#2b2f35",
        QPalette.ColorRole.ButtonText: "#e6e4df",
        QPalette.ColorRole.Highlight: "#6f9fc0",
        QPalette.ColorRole.HighlightedText: "#10151a",
        QPalette.ColorRole.ToolTipBase: "#2b2f35",
        QPalette.ColorRole.ToolTipText: "#e6e4df",
        QPalette.ColorRole.PlaceholderText: "#8d9096",
        QPalette.ColorRole.Link: "#9cc7f5",
        QPalette.ColorRole.Mid: "#3a3e45",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    # Disabled text is dimmer than normal text but still readable (about 5:1 on the buttons):
    # a signed note's locked details are shown disabled and must stay legible.
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9a9ea5"))
    return palette


def wants_dark() -> bool:
    """PARLEY_THEME=dark|light forces a palette; otherwise follow the desktop's colour scheme."""
    forced = os.environ.get("PARLEY_THEME", "").lower()
    if forced in {"dark", "light"}:
        return forced == "dark"
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


STYLE_SHEET = """
QLabel#errorMessage { color: palette(bright-text); background: #b3261e; padding: 6px 8px;
                      border-radius: 4px; }
QLabel#demoBanner { background: #7c4a03; color: white; padding: 3px 10px; font-weight: bold; }
QLabel#aloneBanner { background: #5b3d8a; color: white; padding: 6px 10px; border-radius: 4px; }
QFrame#card { border: 1px solid palette(mid); border-radius: 6px; background: palette(base); }
QListWidget#sidebar { border: none; background: palette(alternate-base); }
QListWidget#sidebar::item { padding-left: 12px; }
"""


#: Fusion frames text boxes in a shade of Window that vanishes on the dark cards: draw it.
DARK_EXTRA = """
QPlainTextEdit, QTextEdit { border: 1px solid #5f646c; border-radius: 3px; }
QPlainTextEdit:focus, QTextEdit:focus { border-color: palette(highlight); }
"""


def apply_theme(app: QApplication) -> None:
    """Fusion plus our palette; a readable base font size."""
    # Fusion is already the default on Linux; replacing it with a new instance costs start-up.
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    dark = wants_dark()
    palette = _dark_palette() if dark else _light_palette()
    app.setPalette(palette)
    if dark:
        # Fusion draws the ring of radio buttons and check boxes in the Window colour darkened
        # by half: invisible on the dark palette. Those widgets paint nothing else with
        # Window, so a lighter Window for their class only lightens the ring.
        ring = QPalette(palette)
        ring.setColor(QPalette.ColorRole.Window, QColor("#a9adb4"))
        for widget_class in ("QRadioButton", "QCheckBox"):
            # The stubs say bytes; at run time PySide6 6.11 accepts only str here.
            app.setPalette(ring, widget_class)  # type: ignore[arg-type]
    font = QFont(app.font())
    if font.pointSizeF() > 0 and font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
    app.setStyleSheet(STYLE_SHEET + (DARK_EXTRA if dark else ""))
