"""Building blocks of every document: headings, lists, tables, callouts, signature lines.

A `StoryKit` binds one document's styles and text layer, so every string a builder puts on
a page goes through the same escaping and font fallback (and is remembered if unshowable).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from clinical.model import MeasurePoint
from reports.fonts import REGULAR
from reports.styles import ACCENT, ACCENT_TINT, RULE, Styles
from reports.text import DocumentText

#: Issue 6's measures trend chart: given the case's measures and the width available, a
#: flowable to place in the summary (or None to leave the section out).
MeasuresChart = Callable[[tuple[MeasurePoint, ...], float], Flowable | None]


class StoryKit:
    """Makes flowables for one document from plain text.

    Attributes:
        styles: the document's styles.
        text: the document's text layer.
        width: the width of the body frame, in points.
    """

    def __init__(self, styles: Styles, text: DocumentText, width: float) -> None:
        self.styles = styles
        self.text = text
        self.width = width

    # ------------------------------------------------------------------------ paragraphs

    def para(self, text: str, style: str = "body") -> Paragraph:
        """One paragraph of plain text in the named style."""
        return Paragraph(self.text.markup(text), getattr(self.styles, style))

    def rich(self, parts: Sequence[tuple[str, bool]], style: str = "body") -> Paragraph:
        """A paragraph of plain-text parts, each (text, bold)."""
        markup = "".join(
            f"<b>{self.text.markup(part)}</b>" if bold else self.text.markup(part)
            for part, bold in parts
        )
        return Paragraph(markup, getattr(self.styles, style))

    def heading(self, text: str) -> list[Flowable]:
        """A section heading that never sits alone at the bottom of a page."""
        return [CondPageBreak(self.styles.body_size * 7), self.para(text, "heading")]

    def subheading(self, text: str) -> list[Flowable]:
        """A sub-section heading that keeps a few lines of room below it."""
        return [CondPageBreak(self.styles.body_size * 5), self.para(text, "subheading")]

    def bullets(self, items: Sequence[str], *, empty: str = "") -> list[Flowable]:
        """A bulleted list; `empty` is printed instead when there are no items."""
        if not items:
            return [self.para(empty, "small_muted")] if empty else []
        return [
            Paragraph(self.text.markup(item), self.styles.bullet, bulletText="•") for item in items
        ]

    def numbered(self, items: Sequence[str]) -> list[Flowable]:
        """A numbered list (1., 2. ...)."""
        return [
            Paragraph(self.text.markup(item), self.styles.bullet, bulletText=f"{number}.")
            for number, item in enumerate(items, start=1)
        ]

    def spacer(self, height_mm: float) -> Spacer:
        """Vertical room, in millimetres."""
        return Spacer(1, height_mm * mm)

    def rule(self) -> HRFlowable:
        """A thin separating rule across the body."""
        return HRFlowable(
            width="100%", thickness=0.6, color=RULE, spaceBefore=4, spaceAfter=6, hAlign="LEFT"
        )

    # ---------------------------------------------------------------------------- tables

    def table(
        self,
        head: Sequence[str],
        rows: Sequence[Sequence[str]],
        fractions: Sequence[float],
        *,
        empty: str = "",
        bold_column: int | None = None,
    ) -> list[Flowable]:
        """A wrapped-text table with a tinted head row that repeats on each page.

        Args:
            head: column titles.
            rows: cell texts, one sequence per row.
            fractions: each column's share of the body width (they should sum to 1).
            empty: printed instead of the table when there are no rows.
            bold_column: a column whose cells are set in bold (e.g. the signal words).
        """
        if not rows:
            return [self.para(empty, "small_muted")] if empty else []
        data: list[list[Paragraph]] = [
            [Paragraph(self.text.markup(cell), self.styles.table_head) for cell in head]
        ]
        data += [
            [
                Paragraph(
                    f"<b>{self.text.markup(cell)}</b>"
                    if column == bold_column
                    else self.text.markup(cell),
                    self.styles.table_cell,
                )
                for column, cell in enumerate(row)
            ]
            for row in rows
        ]
        table = Table(
            data,
            colWidths=[self.width * fraction for fraction in fractions],
            repeatRows=1,
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), ACCENT_TINT),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.9, ACCENT),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("LEFTPADDING", (0, 0), (-1, -1), 5),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        return [table, Spacer(1, self.styles.body_size * 0.6)]

    def key_values(self, rows: Sequence[tuple[str, str]], label_fraction: float = 0.3) -> Table:
        """Label and value pairs in two columns, labels bold, no grid."""
        data = [
            [
                Paragraph(f"<b>{self.text.markup(label)}</b>", self.styles.table_cell),
                Paragraph(self.text.markup(value), self.styles.table_cell),
            ]
            for label, value in rows
        ]
        table = Table(
            data,
            colWidths=[self.width * label_fraction, self.width * (1 - label_fraction)],
            hAlign="LEFT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def callout(self, flowables: Sequence[Flowable]) -> Table:
        """A tinted box with an accent bar on the left, for what must not be missed."""
        table = Table([[list(flowables)]], colWidths=[self.width], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), ACCENT_TINT),
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 7),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return table

    def signature_lines(self, signers: Sequence[str], *, caption: str = "") -> KeepTogether:
        """A line to sign and a line for the date above each signer's name, kept on one page.

        Args:
            signers: the printed name (and role) under each signature line.
            caption: an optional sentence above the lines (what signing means).
        """
        rows: list[list[Flowable | str]] = []
        style: list[tuple[object, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]
        for signer in signers:
            row = len(rows)
            rows.append(["", "", ""])  # the room to sign in
            rows.append(
                [
                    Paragraph(self.text.markup(signer), self.styles.small),
                    "",
                    Paragraph("Date", self.styles.small),
                ]
            )
            style += [
                ("LINEBELOW", (0, row), (0, row), 0.7, ACCENT),
                ("LINEBELOW", (2, row), (2, row), 0.7, ACCENT),
            ]
        heights: list[float | None] = []
        for _ in signers:
            heights += [12 * mm, None]
        table = Table(
            rows,
            colWidths=[self.width * 0.58, self.width * 0.07, self.width * 0.35],
            rowHeights=heights,
            hAlign="LEFT",
        )
        table.setStyle(TableStyle(style))
        content: list[Flowable] = [self.para(caption)] if caption else []
        content.append(table)
        return KeepTogether(content)

    def unshown_note(self, description: str) -> Table:
        """The note that some characters could not be shown (code points, never boxes)."""
        return self.callout(
            [
                self.para(
                    "Some characters could not be shown because no installed font can draw "
                    f"them: {description}. They appear as \ufffd. Install a font that covers "
                    "them (for example Noto Sans CJK for Chinese, Japanese or Korean) and "
                    "make the document again.",
                    "small",
                )
            ]
        )
