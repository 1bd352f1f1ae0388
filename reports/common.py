"""Small helpers the three builders share: content text, metadata, the page decoration."""

from __future__ import annotations

from clinical.model import CaseSnapshot
from reports.templates import PageDecor, PdfMetadata
from reports.wording import snapshot_day


def paragraphs(text: str) -> list[str]:
    """Content or clinician text split into paragraphs at blank lines, lines re-joined."""
    blocks = [" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def one_line(text: str) -> str:
    """Content text with its line breaks and runs of spaces folded into single spaces."""
    return " ".join(text.split())


def practice_author(snapshot: CaseSnapshot) -> str:
    """The PDF author: the practice (or the clinician), never a client."""
    practice = snapshot.practice
    return practice.practice_name or practice.clinician_name or "Parley"


def metadata_for(snapshot: CaseSnapshot, title: str, subject: str) -> PdfMetadata:
    """Document information naming the kind of document and the practice only."""
    return PdfMetadata(
        title=title,
        author=practice_author(snapshot),
        subject=subject,
        keywords=("Parley", title),
    )


def decor_for(
    snapshot: CaseSnapshot,
    title: str,
    confidentiality_line: str,
    *,
    confidential: bool,
) -> PageDecor:
    """The page decoration of a document made from this snapshot."""
    return PageDecor(
        document_title=title,
        practice=snapshot.practice,
        date=snapshot_day(snapshot),
        confidentiality_line=confidentiality_line,
        confidential=confidential,
        demo=snapshot.is_demo,
    )
