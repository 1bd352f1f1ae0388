"""Fonts for every document: bundled DejaVu Sans first, system fallbacks for what it lacks.

reportlab never falls back to another font by itself: a character missing from the current
font prints as an empty box. So every text run is checked against DejaVu Sans (all four
styles, so that bold or italic never shows a box either); characters it lacks are looked up in
the system's fonts through fontconfig (`fc-list :charset=...`) and drawn in the first TrueType
font whose own character map really has them. When no font can draw a character the text
layer replaces it with a visible placeholder and the document says which ones were lost.

reportlab keeps registered fonts in a process-wide registry, so the font book is one shared,
lock-protected cache; what one document could not show is kept per document (see
reports.text), never here.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

FONT_DIR = Path(__file__).with_name("fonts")

#: Registered names of the bundled family; styles refer to these only.
REGULAR = "ParleySans"
BOLD = "ParleySans-Bold"
ITALIC = "ParleySans-Oblique"
BOLD_ITALIC = "ParleySans-BoldOblique"

_BUNDLED_FILES: dict[str, str] = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

#: Characters drawn in place of one no font can show: U+FFFD is in DejaVu Sans and reads
#: as "something is missing here", unlike reportlab's silent empty box.
PLACEHOLDER = "\ufffd"

#: How long one fontconfig query may take before we treat fontconfig as unavailable.
_FC_TIMEOUT_S = 10.0

#: Looks up font files that may hold a character: (path, face index) pairs, best first.
FontFinder = Callable[[str], list[tuple[Path, int]]]


@dataclass(frozen=True, slots=True)
class FallbackFont:
    """A system font registered with reportlab to draw characters DejaVu Sans lacks.

    Attributes:
        name: the name registered with reportlab (used in paragraph markup).
        path: the font file.
        index: the face inside a collection file (0 for a plain .ttf).
    """

    name: str
    path: Path
    index: int


def fontconfig_finder(char: str) -> list[tuple[Path, int]]:
    """Font files fontconfig says cover `char`, as (path, face index); [] without fontconfig.

    Args:
        char: one character.

    Returns:
        Candidates in fontconfig's order; each is still verified against its own cmap.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        result = subprocess.run(
            [fc_list, "--format", "%{file}\t%{index}\n", f":charset={ord(char):x}"],
            capture_output=True,
            text=True,
            check=False,
            timeout=_FC_TIMEOUT_S,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    if result.returncode != 0:
        return []
    candidates: list[tuple[Path, int]] = []
    for line in sorted(set(result.stdout.splitlines())):
        path_text, _, index_text = line.partition("\t")
        if not path_text:
            continue
        try:
            index = int(index_text or "0")
        except ValueError:
            index = 0
        candidates.append((Path(path_text), index))
    return candidates


def _is_ignorable(char: str) -> bool:
    """Format controls (zero-width joiners, variation selectors) draw nothing anyway."""
    return unicodedata.category(char) == "Cf" or 0xFE00 <= ord(char) <= 0xFE0F


class FontBook:
    """Which font draws which character: bundled DejaVu Sans first, then system fallbacks.

    Thread-safe; lookups are cached for the life of the process because fonts on disk and
    reportlab's registry both outlive any one document.
    """

    def __init__(self, finder: FontFinder = fontconfig_finder) -> None:
        """Register the bundled family and prepare an empty fallback cache.

        Args:
            finder: where to look for fallback font files (fontconfig by default; tests pass
                a finder that knows no fonts to prove the "could not show" path).
        """
        self._finder = finder
        self._lock = threading.Lock()
        self._primary: frozenset[int] = register_bundled_fonts()
        self._fallback_by_char: dict[str, FallbackFont | None] = {}
        self._fallback_by_file: dict[tuple[Path, int], tuple[FallbackFont, frozenset[int]]] = {}
        self._unloadable: set[tuple[Path, int]] = set()

    def primary_covers(self, char: str) -> bool:
        """Whether every style of the bundled family can draw `char`."""
        return ord(char) in self._primary

    def fallback_for(self, char: str) -> FallbackFont | None:
        """A registered system font that can draw `char`, or None when there is none."""
        with self._lock:
            if char in self._fallback_by_char:
                return self._fallback_by_char[char]
            found = self._find_fallback(char)
            self._fallback_by_char[char] = found
            return found

    def classify(self, char: str) -> str | FallbackFont | None:
        """How to draw `char`: "primary", "ignore" (a zero-width control), a fallback, or None.

        None means no available font can draw it.
        """
        if char in "\n\t " or self.primary_covers(char):
            return "primary"
        if _is_ignorable(char):
            return "ignore"
        return self.fallback_for(char)

    def _find_fallback(self, char: str) -> FallbackFont | None:
        code = ord(char)
        # A font already loaded for another character is the cheapest and keeps runs together.
        for font, cmap in self._fallback_by_file.values():
            if code in cmap:
                return font
        for path, index in self._finder(char):
            key = (path, index)
            if key in self._unloadable or key in self._fallback_by_file:
                continue
            loaded = _load_fallback(path, index, len(self._fallback_by_file))
            if loaded is None:
                self._unloadable.add(key)
                continue
            self._fallback_by_file[key] = loaded
            if code in loaded[1]:
                return loaded[0]
        return None


def _load_fallback(
    path: Path, index: int, serial: int
) -> tuple[FallbackFont, frozenset[int]] | None:
    """Register one system font with reportlab; None if reportlab cannot embed it.

    reportlab embeds TrueType outlines only: CFF-flavoured OpenType and bitmap fonts fail
    to load and are skipped.
    """
    name = f"ParleyFallback{serial}"
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except (TTFError, OSError, ValueError, KeyError, IndexError, AssertionError):
        return None
    cmap = frozenset(int(code) for code in font.face.charToGlyph)
    pdfmetrics.registerFont(font)
    # A fallback run inside <b> or <i> must still resolve to this face, not fail to map.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)
    return FallbackFont(name=name, path=path, index=index), cmap


_REGISTER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _bundled_coverage() -> frozenset[int]:
    coverage: frozenset[int] | None = None
    for name, file_name in _BUNDLED_FILES.items():
        font = TTFont(name, str(FONT_DIR / file_name))
        pdfmetrics.registerFont(font)
        codes = frozenset(int(code) for code in font.face.charToGlyph)
        coverage = codes if coverage is None else coverage & codes
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )
    assert coverage is not None
    return coverage


def register_bundled_fonts() -> frozenset[int]:
    """Register DejaVu Sans (four styles) with reportlab once; returns the shared coverage.

    Returns:
        Code points every one of the four styles can draw.
    """
    with _REGISTER_LOCK:
        return _bundled_coverage()


@lru_cache(maxsize=1)
def default_font_book() -> FontBook:
    """The process-wide font book that looks for fallbacks through fontconfig."""
    return FontBook()


def no_system_fonts(_char: str) -> list[tuple[Path, int]]:
    """A finder that knows no system fonts: only the bundled family draws anything."""
    return []
