"""Per-document text layer: escapes text for paragraphs and routes each character to a font.

Every string that reaches a page passes through one `DocumentText`, which knows which font
draws which character (reports.fonts) and remembers, for this document only, the characters
no font could show, so the builder can report them and print a note instead of boxes.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reports.fonts import PLACEHOLDER, FallbackFont, FontBook, default_font_book


class DocumentText:
    """Turns plain text into reportlab paragraph markup with per-character font fallback.

    Attributes:
        unshown: characters of this document that no available font can draw.
    """

    def __init__(self, book: FontBook | None = None) -> None:
        """Start a document with nothing unshown yet.

        Args:
            book: the font book to consult; the process-wide fontconfig one by default.
        """
        self._book = book if book is not None else default_font_book()
        self.unshown: set[str] = set()

    def markup(self, text: str) -> str:
        """Paragraph markup for `text`: escaped, fallback runs in <font>, line breaks kept.

        Args:
            text: plain text (never markup); may hold any Unicode.

        Returns:
            Markup safe to hand to a reportlab Paragraph.
        """
        parts: list[str] = []
        run_font: str | None = None
        run: list[str] = []

        def flush() -> None:
            if not run:
                return
            chunk = escape("".join(run)).replace("\n", "<br/>")
            parts.append(chunk if run_font is None else f'<font face="{run_font}">{chunk}</font>')
            run.clear()

        for char in text:
            kind = self._book.classify(char)
            if kind == "ignore":
                continue
            font: str | None
            if kind == "primary":
                font = None
            elif isinstance(kind, FallbackFont):
                font = kind.name
            else:
                self.unshown.add(char)
                font, char = None, PLACEHOLDER
            if font != run_font:
                flush()
                run_font = font
            run.append(char)
        flush()
        return "".join(parts)

    def unshown_characters(self) -> tuple[str, ...]:
        """The characters no font could draw, in code-point order."""
        return tuple(sorted(self.unshown))

    def unshown_description(self) -> str:
        """The unshown characters as code points ("U+5C71, U+7530"): readable in any font."""
        return ", ".join(f"U+{ord(char):04X}" for char in self.unshown_characters())
