"""The type scale and colours of every document: DejaVu Sans, generous leading, one accent.

Sizes follow a gentle ratio (about 1.2) from the body size, and leading is about 1.5 times the
size so that dense clinical text and the couple's plan both read without strain. The only
colour is a calm teal accent; everything else is ink and greys.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from reports.fonts import BOLD, ITALIC, REGULAR, register_bundled_fonts

#: The single accent: headings, rules, table heads, the letterhead.
ACCENT: Color = HexColor("#2E6B68")
#: A pale tint of the accent for table heads and callouts.
ACCENT_TINT: Color = HexColor("#E8F1F0")
INK: Color = HexColor("#1F2421")
MUTED: Color = HexColor("#5B625F")
RULE: Color = HexColor("#C3D3D1")
#: The "DEMO, fictional" watermark: visible, never competing with the text.
WATERMARK: Color = HexColor("#E4E8E7")


@dataclass(frozen=True, slots=True)
class Styles:
    """Paragraph styles of one document, all derived from one body size.

    Attributes:
        body_size: the body text size in points; headings and notes scale from it.
    """

    body_size: float
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    body_bold: ParagraphStyle
    bullet: ParagraphStyle
    small: ParagraphStyle
    small_muted: ParagraphStyle
    table_head: ParagraphStyle
    table_cell: ParagraphStyle
    callout: ParagraphStyle
    letterhead_name: ParagraphStyle
    letterhead_detail: ParagraphStyle
    running_header: ParagraphStyle
    footer: ParagraphStyle


def build_styles(body_size: float = 10.0) -> Styles:
    """The full style set for a body size (the couple's plan uses a larger one).

    Args:
        body_size: body text size in points.

    Returns:
        Styles whose leading is about 1.5 times each size.
    """
    register_bundled_fonts()
    size = body_size

    def style(name: str, font: str, points: float, **extra: object) -> ParagraphStyle:
        values: dict[str, object] = {
            "fontName": font,
            "bulletFontName": REGULAR,
            "fontSize": points,
            "leading": round(points * 1.5, 1),
            "textColor": INK,
            "alignment": TA_LEFT,
        }
        values.update(extra)
        return ParagraphStyle(name, **values)

    small_size = max(size * 0.82, 7.5)
    return Styles(
        body_size=size,
        title=style(
            "title", BOLD, size * 2.0, leading=size * 2.5, textColor=ACCENT, spaceAfter=size * 0.3
        ),
        subtitle=style("subtitle", REGULAR, size * 1.15, textColor=MUTED, spaceAfter=size * 1.2),
        heading=style(
            "heading",
            BOLD,
            size * 1.4,
            leading=size * 1.9,
            textColor=ACCENT,
            spaceBefore=size * 1.5,
            spaceAfter=size * 0.5,
            keepWithNext=1,
        ),
        subheading=style(
            "subheading",
            BOLD,
            size * 1.1,
            spaceBefore=size * 0.9,
            spaceAfter=size * 0.3,
            keepWithNext=1,
        ),
        body=style("body", REGULAR, size, spaceAfter=size * 0.55),
        body_bold=style("body_bold", BOLD, size, spaceAfter=size * 0.55),
        bullet=style(
            "bullet",
            REGULAR,
            size,
            leftIndent=size * 1.6,
            bulletIndent=size * 0.4,
            spaceAfter=size * 0.3,
        ),
        small=style("small", REGULAR, small_size, spaceAfter=small_size * 0.4),
        small_muted=style(
            "small_muted", ITALIC, small_size, textColor=MUTED, spaceAfter=small_size * 0.4
        ),
        table_head=style("table_head", BOLD, small_size * 1.05, textColor=ACCENT),
        table_cell=style("table_cell", REGULAR, small_size * 1.05, leading=small_size * 1.5),
        callout=style("callout", REGULAR, size, leading=size * 1.5),
        letterhead_name=style("letterhead_name", BOLD, size * 1.25, textColor=ACCENT),
        letterhead_detail=style("letterhead_detail", REGULAR, small_size, textColor=MUTED),
        running_header=style("running_header", REGULAR, 8, leading=11, textColor=MUTED),
        footer=style("footer", REGULAR, 7.5, leading=10.5, textColor=MUTED),
    )
