"""Referral letters to a physician, a trauma therapist or a psychiatrist.

A letter shares the minimum necessary for its recipient (reports/content/referrals.toml):
only the indicators that recipient needs, only the referred partner's evidence and scores,
and activity answers at the detail the recipient needs (a physician reads "Impact play", not
the scene). It is refused unless the partners consented to sharing with other professionals,
or the clinician records an exception; then the letter says that an exception was recorded,
never what it says.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from clinical.content import Content, load_content
from clinical.errors import ParleyError
from clinical.model import CaseSnapshot, Evidence, Indicator
from reports.common import decor_for, metadata_for
from reports.document import RenderedReport, ReportOptions, render_document
from reports.flowables import StoryKit
from reports.referral_scope import RECIPIENTS, Recipient, RecipientScope, referral_scopes
from reports.wording import (
    activity_class_words,
    describe_evidence,
    describe_score,
    format_day,
    instrument_title,
    partner_name,
    partners_of,
    snapshot_day,
)

LETTER_TITLE = "Referral letter"
LETTER_CONFIDENTIALITY = (
    "Confidential: for the addressed clinician only. Shared with the client's consent or "
    "under a recorded exception; do not pass on."
)


class ReferralRefusedError(ParleyError):
    """A referral letter cannot be made: no consent, nothing to refer, or no such partner."""


def _activity_line(content: Content, evidence: Evidence, scope: RecipientScope) -> str | None:
    """An activity answer at the recipient's level of detail, or None to leave it out."""
    parts = evidence.id.split(".")
    if scope.activity_detail == "none":
        return None
    if scope.activity_detail == "class":
        if parts[2] == "experience":
            return None  # experience says nothing about physical demand
        activity = content.activities.get(parts[1])
        demanding = activity is not None and activity.physically_demanding
        kind = activity_class_words(content, parts[1])
        role = "giving" if parts[2] == "giving" else "receiving"
        what = "physically demanding activity" if demanding else "activity"
        return f"Planned {what}: {kind} ({role})"
    return describe_evidence(content, evidence, activity_detail="label")


def _evidence_lines(
    content: Content, indicator: Indicator, partner: str, scope: RecipientScope
) -> list[str]:
    lines: list[str] = []
    for item in indicator.evidence:
        if item.partner not in (partner, None):
            continue  # never another partner's answers
        if item.id.startswith("activity."):
            line = _activity_line(content, item, scope)
        else:
            line = describe_evidence(content, item, activity_detail=scope.activity_detail)
        if line is not None and line not in lines:
            lines.append(line)
    return lines


def _choose_partner(
    snapshot: CaseSnapshot, relevant: tuple[Indicator, ...], partner: str | None
) -> str:
    keys = [p.key for p in partners_of(snapshot)]
    if partner is not None:
        if partner not in keys:
            raise ReferralRefusedError(
                f"no partner '{partner}' in this case (partners: {', '.join(keys)})"
            )
        return partner
    concerned = sorted({i.partner for i in relevant if i.partner is not None})
    if len(concerned) == 1:
        return concerned[0]
    raise ReferralRefusedError(
        "the indicators for this referral concern partners "
        f"{' and '.join(concerned)}; write one letter per partner (choose the partner)"
    )


def render_referral(
    snapshot: CaseSnapshot,
    recipient: Recipient,
    *,
    exception_note: str | None = None,
    partner: str | None = None,
    options: ReportOptions | None = None,
) -> RenderedReport:
    """A referral letter as a finished document.

    Args:
        snapshot: the case.
        recipient: "physician", "trauma-therapist" or "psychiatrist".
        exception_note: the clinician's reason for sharing without recorded consent; its
            presence allows the letter, which says an exception was recorded but never quotes
            it (the caller stores and audit-logs it).
        partner: the partner referred; may be left out when the indicators concern one
            partner only.
        options: password, reproducibility and font source.

    Raises:
        ReferralRefusedError: no consent and no exception, no indicator for this recipient,
            several partners concerned without a choice, or an unknown partner or recipient.
    """
    if recipient not in RECIPIENTS:
        raise ReferralRefusedError(
            f"unknown recipient '{recipient}'; choose one of {', '.join(RECIPIENTS)}"
        )
    exception = bool(exception_note and exception_note.strip())
    if not snapshot.consent.share_with_professionals and not exception:
        raise ReferralRefusedError(
            "no consent to share with other professionals is recorded for this case; record "
            "the partners' consent, or record an exception with a note, before writing a "
            "referral"
        )
    scope = referral_scopes()[recipient]
    relevant = scope.relevant(snapshot.evaluation.indicators)
    if not relevant:
        raise ReferralRefusedError(
            f"no indicator in this case calls for a referral to a {scope.title}"
        )
    key = _choose_partner(snapshot, relevant, partner)
    mine = tuple(i for i in relevant if i.partner in (key, None))
    if not mine:
        raise ReferralRefusedError(
            f"no indicator for partner {key} calls for a referral to a {scope.title}"
        )
    content = load_content()
    title = f"{LETTER_TITLE} to a {scope.title}"
    return render_document(
        lambda kit: _story(kit, snapshot, content, scope, key, mine, exception),
        decor=decor_for(snapshot, LETTER_TITLE, LETTER_CONFIDENTIALITY, confidential=True),
        metadata=metadata_for(snapshot, title, f"Referral to a {scope.title}"),
        body_size=10,
        options=options or ReportOptions(),
    )


def build_referral_pdf(
    snapshot: CaseSnapshot,
    recipient: Recipient,
    *,
    exception_note: str | None = None,
    partner: str | None = None,
    options: ReportOptions | None = None,
) -> bytes:
    """A referral letter's PDF bytes (see `render_referral`)."""
    return render_referral(
        snapshot, recipient, exception_note=exception_note, partner=partner, options=options
    ).data


def _story(
    kit: StoryKit,
    snapshot: CaseSnapshot,
    content: Content,
    scope: RecipientScope,
    key: str,
    indicators: tuple[Indicator, ...],
    exception: bool,
) -> list[Flowable]:
    name = partner_name(snapshot, key)
    info = next((p for p in partners_of(snapshot) if p.key == key), None)
    regarding = [("Regarding", name)]
    if info is not None and info.date_of_birth is not None:
        regarding.append(("Date of birth", format_day(info.date_of_birth)))
    regarding.append(("Date", format_day(snapshot_day(snapshot))))
    practice = snapshot.practice
    where = f" at {practice.practice_name}" if practice.practice_name else ""
    story: list[Flowable] = [
        kit.para(f"Referral to a {scope.title}", "title"),
        kit.key_values(regarding, label_fraction=0.22),
        kit.spacer(4),
        kit.para("Dear colleague,"),
        kit.para(
            f"I am seeing {name} together with their partner for sex and couple "
            f"therapy{where}. {scope.purpose}"
        ),
        *kit.heading("Reason for referral"),
    ]
    already: set[str] = set()
    for indicator in indicators:
        # An answer behind two indicators is reported once, under the first.
        lines = [
            line for line in _evidence_lines(content, indicator, key, scope) if line not in already
        ]
        already.update(lines)
        story += kit.subheading(indicator.title)
        if scope.include_rationale:
            story.append(kit.para(" ".join(indicator.rationale.split())))
        if lines:
            story.append(kit.para("What was reported", "small_muted"))
            story += kit.bullets(lines)
    scores = [
        score
        for score in snapshot.evaluation.scores
        if score.partner == key
        and score.instrument in scope.instruments
        and score.total is not None
    ]
    if scores:
        day = format_day(snapshot.intake_date or snapshot_day(snapshot))
        rows = []
        for score in scores:
            total, band, cutoff = describe_score(content, score)
            rows.append([instrument_title(content, score.instrument), total, band, cutoff, day])
        story += kit.heading("Screening results")
        story.append(
            kit.para(
                "Screening results prompt an assessment; they are not a diagnosis.", "small_muted"
            )
        )
        story += kit.table(
            ["Instrument", "Score", "Band", "Cut-off", "Date"],
            rows,
            [0.17, 0.15, 0.3, 0.2, 0.18],
        )
    story += kit.heading("What I am asking")
    story.append(kit.para(scope.request))
    if snapshot.consent.share_with_professionals:
        when = snapshot.consent.consented_on
        consent = f"{name} consented to my sharing this information with other professionals" + (
            f" on {format_day(when)}." if when else "."
        )
    else:
        consent = (
            "No consent to share was recorded; I recorded an exception to confidentiality for "
            "this referral in the client's record."
        )
    story.append(kit.para(consent))
    story.append(kit.spacer(3))
    story.append(kit.para("Yours sincerely,"))
    signer = ", ".join(p for p in (practice.clinician_name, practice.credentials) if p)
    story.append(kit.signature_lines([signer or "Referring clinician"]))
    return story
