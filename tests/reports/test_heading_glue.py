"""Headings stay on the page of what follows them, even before a block kept together."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer

from reports.document import glue_headings
from reports.styles import build_styles


def test_a_heading_is_kept_with_the_next_flowable_but_not_with_a_page_break() -> None:
    styles = build_styles(10)
    heading = Paragraph("Screening scores", styles.heading)
    body = Paragraph("Screens prompt the clinician's own assessment.", styles.body)
    block = KeepTogether([body, Spacer(1, 10)])
    last = Paragraph("Sign-off", styles.heading)
    story = [CondPageBreak(70), heading, block, last, CondPageBreak(70)]
    glued = glue_headings(story)
    assert isinstance(glued[0], CondPageBreak)
    assert isinstance(glued[1], KeepTogether)
    assert glued[1]._content[:2] == [heading, block]  # reportlab keeps the list there
    # Before a page break there is nothing to keep it with: it stays as it is.
    assert glued[2] is last
    assert isinstance(glued[3], CondPageBreak)
    assert glue_headings([body]) == [body]
