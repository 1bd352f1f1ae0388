"""Page templates: letterhead on the first page, running header after, footer on every page.

One `ReportDocTemplate` per document. It holds all of its state (the decoration, the markup it
prepared, the page total learnt in the previous pass) on itself, never in module globals, so
documents can be built side by side on worker threads. "Page X of Y" needs the total before
the last page exists: `build_story` runs reportlab's multiBuild with a zero-size indexing
flowable that learns the total in the first pass and is satisfied once it stops changing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from clinical.model import PracticeInfo
from reports.fonts import BOLD, REGULAR
from reports.styles import ACCENT, RULE, WATERMARK, Styles
from reports.text import DocumentText

PAGE_WIDTH, PAGE_HEIGHT = A4
SIDE_MARGIN = 22 * mm
TOP_MARGIN = 20 * mm
BOTTOM_MARGIN = 22 * mm
#: Height of the letterhead block on the first page, below the top margin.
LETTERHEAD_HEIGHT = 30 * mm
#: Height of the running header on later pages, below the top margin.
RUNNING_HEADER_HEIGHT = 12 * mm

DEMO_MARK = "DEMO, fictional"
CONFIDENTIAL_MARK = "CONFIDENTIAL"


def format_date(day: dt.date) -> str:
    """A date as people read it on paper ("4 March 2025"), independent of the locale."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


@dataclass(frozen=True, slots=True)
class PageDecor:
    """What every page of one document shows besides the story.

    Attributes:
        document_title: the kind of document ("Couple safety plan"); never a client name.
        practice: letterhead details from the practice settings.
        date: the document date (the snapshot's date, so rebuilding gives the same page).
        confidentiality_line: the footer's line on who may read this document.
        confidential: print CONFIDENTIAL in the header of every page.
        demo: print the "DEMO, fictional" mark on every page.
    """

    document_title: str
    practice: PracticeInfo
    date: dt.date
    confidentiality_line: str
    confidential: bool = False
    demo: bool = False


@dataclass(frozen=True, slots=True)
class PdfMetadata:
    """The PDF's document information: kinds of document and the practice, never clients."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...] = ()
    creator: str = "Parley"


class PageCountIndex(Flowable):  # type: ignore[misc]
    """Zero-size indexing flowable: asks multiBuild for another pass until the total holds."""

    def __init__(self, template: ReportDocTemplate) -> None:
        super().__init__()
        self._template = template
        self.width = self.height = 0

    def isIndexing(self) -> int:  # noqa: N802 - reportlab's protocol
        return 1

    def beforeBuild(self) -> None:  # noqa: N802 - reportlab's protocol
        """Nothing to reset: the template keeps the total between passes."""

    def afterBuild(self) -> None:  # noqa: N802 - reportlab's protocol
        """The total is read in isSatisfied, which multiBuild calls right after."""

    def notify(self, kind: str, stuff: object) -> None:
        """Ignores the table-of-contents notifications of other indexing flowables."""

    def isSatisfied(self) -> int:  # noqa: N802 - reportlab's protocol
        pages = self._template.page
        satisfied = pages == self._template.page_total
        self._template.page_total = pages
        return int(satisfied)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        """Draws nothing; it only counts."""


class ReportDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """A4 document with a letterhead first page, running headers and a counted footer.

    Attributes:
        page_total: the number of pages learnt in the previous pass (None in the first).
    """

    def __init__(
        self,
        output: IO[bytes],
        *,
        decor: PageDecor,
        styles: Styles,
        text: DocumentText,
        metadata: PdfMetadata,
        invariant: bool = False,
    ) -> None:
        """Prepare the page templates; nothing is drawn until `build_story`.

        Args:
            output: where the PDF bytes go.
            decor: letterhead, header and footer content.
            styles: the document's styles.
            text: the document's text layer (collects characters no font can draw).
            metadata: PDF document information (no client names).
            invariant: reproducible bytes (fixed ids and dates), for golden tests.
        """
        super().__init__(
            output,
            pagesize=A4,
            leftMargin=SIDE_MARGIN,
            rightMargin=SIDE_MARGIN,
            topMargin=TOP_MARGIN,
            bottomMargin=BOTTOM_MARGIN,
            title=metadata.title,
            author=metadata.author,
            subject=metadata.subject,
            keywords=list(metadata.keywords),
            creator=metadata.creator,
            producer="Parley (reportlab)",
            invariant=1 if invariant else 0,
            lang="en",
            displayDocTitle=1,
            # Otherwise every page names Helvetica, which cannot draw most of the text anyway.
            initialFontName=REGULAR,
        )
        self.decor = decor
        self.styles = styles
        self.text = text
        self.page_total: int | None = None
        self._prepare_markup()
        body_width = PAGE_WIDTH - 2 * SIDE_MARGIN
        body_bottom = BOTTOM_MARGIN
        first_frame = Frame(
            SIDE_MARGIN,
            body_bottom,
            body_width,
            PAGE_HEIGHT - TOP_MARGIN - LETTERHEAD_HEIGHT - body_bottom,
            id="first-body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        later_frame = Frame(
            SIDE_MARGIN,
            body_bottom,
            body_width,
            PAGE_HEIGHT - TOP_MARGIN - RUNNING_HEADER_HEIGHT - body_bottom,
            id="later-body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate(
                    id="first",
                    frames=[first_frame],
                    onPage=self._draw_first_page,
                    autoNextPageTemplate="later",
                ),
                PageTemplate(id="later", frames=[later_frame], onPage=self._draw_later_page),
            ]
        )

    @property
    def body_width(self) -> float:
        """Width available to flowables."""
        return float(PAGE_WIDTH - 2 * SIDE_MARGIN)

    def build_story(self, story: Sequence[Flowable]) -> int:
        """Lay out `story` with a correct "page X of Y" on every page.

        Returns:
            The number of pages.
        """
        self.page_total = None
        self.multiBuild([PageCountIndex(self), *story])
        return int(self.page)

    # -------------------------------------------------------------------------- drawing

    def _prepare_markup(self) -> None:
        # Marked up once, before the build, so the text layer knows every unshown character
        # before the builder decides whether the page needs a "could not show" note.
        practice = self.decor.practice
        clinician = ", ".join(p for p in (practice.clinician_name, practice.credentials) if p)
        self._practice_name = self.text.markup(practice.practice_name or clinician)
        self._letterhead_lines = [
            self.text.markup(line)
            for line in (
                clinician if practice.practice_name else "",
                practice.practice_contact,
            )
            if line
        ]
        self._date = self.text.markup(format_date(self.decor.date))
        header_bits = [self.decor.document_title]
        if practice.practice_name:
            header_bits.append(practice.practice_name)
        self._running_header = self.text.markup("  ·  ".join(header_bits))
        self._confidentiality = self.text.markup(self.decor.confidentiality_line)

    def _paragraph_at(
        self, canvas: Canvas, markup: str, style: Any, x: float, top: float, width: float
    ) -> float:
        """Draw a paragraph whose top edge is at `top`; returns its height."""
        paragraph = Paragraph(markup, style)
        _, height = paragraph.wrap(width, PAGE_HEIGHT)
        paragraph.drawOn(canvas, x, top - height)
        return float(height)

    def _draw_first_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - TOP_MARGIN
        left_width = self.body_width * 0.68
        y = top
        y -= self._paragraph_at(
            canvas, self._practice_name, self.styles.letterhead_name, SIDE_MARGIN, y, left_width
        )
        for line in self._letterhead_lines:
            y -= self._paragraph_at(
                canvas, line, self.styles.letterhead_detail, SIDE_MARGIN, y, left_width
            )
        right_x = SIDE_MARGIN + left_width
        right_width = self.body_width - left_width
        date_style = self.styles.letterhead_detail.clone("date", alignment=2)
        self._paragraph_at(canvas, self._date, date_style, right_x, top, right_width)
        rule_y = top - LETTERHEAD_HEIGHT + 6 * mm
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1.2)
        canvas.line(SIDE_MARGIN, rule_y, PAGE_WIDTH - SIDE_MARGIN, rule_y)
        canvas.restoreState()
        self._draw_marks(canvas, first=True)
        self._draw_footer(canvas)

    def _draw_later_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - TOP_MARGIN
        self._paragraph_at(
            canvas,
            self._running_header,
            self.styles.running_header,
            SIDE_MARGIN,
            top,
            self.body_width * 0.7,
        )
        date_style = self.styles.running_header.clone("header-date", alignment=2)
        self._paragraph_at(
            canvas,
            self._date,
            date_style,
            SIDE_MARGIN + self.body_width * 0.7,
            top,
            self.body_width * 0.3,
        )
        rule_y = top - RUNNING_HEADER_HEIGHT + 5 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(SIDE_MARGIN, rule_y, PAGE_WIDTH - SIDE_MARGIN, rule_y)
        canvas.restoreState()
        self._draw_marks(canvas, first=False)
        self._draw_footer(canvas)

    def _draw_marks(self, canvas: Canvas, *, first: bool) -> None:
        canvas.saveState()
        if self.decor.demo:
            # Diagonal and pale: impossible to miss, still lets the page be read.
            canvas.setFillColor(WATERMARK)
            canvas.setFont(BOLD, 54)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, -18, DEMO_MARK)
            canvas.restoreState()
            canvas.saveState()
        if self.decor.confidential:
            canvas.setFillColor(ACCENT)
            canvas.setFont(BOLD, 8.5)
            # Above the letterhead on the first page, above the running header later.
            y = PAGE_HEIGHT - TOP_MARGIN + 5 * mm
            canvas.drawRightString(PAGE_WIDTH - SIDE_MARGIN, y, CONFIDENTIAL_MARK)
        if self.decor.demo:
            canvas.setFillColor(ACCENT)
            canvas.setFont(BOLD, 8.5)
            canvas.drawString(SIDE_MARGIN, PAGE_HEIGHT - TOP_MARGIN + 5 * mm, DEMO_MARK)
        canvas.restoreState()

    def _draw_footer(self, canvas: Canvas) -> None:
        canvas.saveState()
        rule_y = BOTTOM_MARGIN - 5 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(SIDE_MARGIN, rule_y, PAGE_WIDTH - SIDE_MARGIN, rule_y)
        text_top = rule_y - 1.5 * mm
        left_width = self.body_width * 0.78
        self._paragraph_at(
            canvas, self._confidentiality, self.styles.footer, SIDE_MARGIN, text_top, left_width
        )
        number = int(canvas.getPageNumber())
        total = self.page_total
        label = f"page {number}" if total is None else f"page {number} of {total}"
        page_style = self.styles.footer.clone("page-number", alignment=2)
        self._paragraph_at(
            canvas,
            label,
            page_style,
            SIDE_MARGIN + left_width,
            text_top,
            self.body_width - left_width,
        )
        canvas.restoreState()
