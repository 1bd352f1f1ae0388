"""The audit record of every document made from a case (ids and kinds, never contents)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db import audit
from db.services.cases import _load_case


def record_report(
    session: Session,
    case_id: int,
    document: str,
    *,
    recipient: str | None = None,
    encrypted: bool = False,
    exception: bool = False,
    pages: int = 0,
) -> None:
    """Log that a document was made from a case.

    Args:
        document: "safety-plan", "summary" or "referral".
        recipient: for a referral, the kind of professional.
        exception: a referral made under a recorded exception instead of a consent.
    """
    _load_case(session, case_id)
    audit.append_event(
        session,
        "report",
        record_type="case",
        record_id=case_id,
        details={
            "document": document,
            "recipient": recipient,
            "encrypted": encrypted,
            "exception": exception,
            "pages": pages,
        },
    )
