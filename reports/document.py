"""The common path of every builder: story in, laid-out PDF bytes (maybe protected) out.

Builders compose their story with a StoryKit; this module sets up the text layer, styles and
page template, adds the "could not show" note when the text layer lost characters, builds,
and applies the optional password.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph

from reports.flowables import StoryKit
from reports.fonts import FontBook
from reports.output import protect_pdf
from reports.styles import build_styles
from reports.templates import PageDecor, PdfMetadata, ReportDocTemplate
from reports.text import DocumentText


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How to render a document, beyond its content.

    Attributes:
        password: encrypt the PDF with AES-256 so that it opens only with this password.
        invariant: reproducible bytes (fixed document id and dates), for golden tests.
        font_book: where fonts come from; None for the process-wide fontconfig font book.
    """

    password: str | None = None
    invariant: bool = False
    font_book: FontBook | None = None


@dataclass(frozen=True, slots=True)
class RenderedReport:
    """A finished document.

    Attributes:
        data: the PDF bytes.
        page_count: the number of pages.
        unshown_characters: characters no available font could draw; the document carries a
            note naming them (as code points) and shows a placeholder in their place.
        warnings: what the clinician should know that the document does not print (e.g. a
            safety plan with no aftercare written yet); never client data.
    """

    data: bytes
    page_count: int
    unshown_characters: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def glue_headings(story: list[Flowable]) -> list[Flowable]:
    """Keep every heading on the page of what follows it.

    The heading styles ask for keepWithNext, but reportlab only honours it between plain
    flowables: before a KeepTogether block or a table it can still leave a heading alone at a
    page foot (seen in the summary's "Screening scores" and "Sign-off"). So each heading is
    wrapped with the flowable after it.
    """
    glued: list[Flowable] = []
    index = 0
    while index < len(story):
        item = story[index]
        following = story[index + 1] if index + 1 < len(story) else None
        if (
            isinstance(item, Paragraph)
            and getattr(item.style, "keepWithNext", False)
            and following is not None
            and not isinstance(following, CondPageBreak | PageBreak)
        ):
            glued.append(KeepTogether([item, following]))
            index += 2
            continue
        glued.append(item)
        index += 1
    return glued


def render_document(
    compose: Callable[[StoryKit], list[Flowable]],
    *,
    decor: PageDecor,
    metadata: PdfMetadata,
    body_size: float,
    options: ReportOptions,
) -> RenderedReport:
    """Lay out a story made by `compose` on the shared page templates.

    Args:
        compose: makes the story from a StoryKit bound to this document.
        decor: letterhead, header, footer and marks.
        metadata: PDF document information (kinds of document, never client names).
        body_size: the body text size in points.
        options: password, reproducibility and font source.
    """
    text = DocumentText(options.font_book)
    styles = build_styles(body_size)
    buffer = io.BytesIO()
    template = ReportDocTemplate(
        buffer,
        decor=decor,
        styles=styles,
        text=text,
        metadata=metadata,
        invariant=options.invariant,
    )
    kit = StoryKit(styles, text, template.body_width)
    story = compose(kit)
    if text.unshown:
        story = [kit.unshown_note(text.unshown_description()), kit.spacer(3), *story]
    page_count = template.build_story(glue_headings(story))
    data = buffer.getvalue()
    if options.password is not None:
        data = protect_pdf(data, options.password)
    return RenderedReport(
        data=data, page_count=page_count, unshown_characters=text.unshown_characters()
    )
