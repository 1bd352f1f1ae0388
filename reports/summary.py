"""The consultation summary: the clinician-facing record of a first consultation.

Everything DOMAIN.md lists under "Consultation summary": case, partners, goals, consent and
confidentiality policy; each instrument with score, band and date; every indicator with its
rationale, evidence in readable words, sources and acknowledgement; the disposition and
medical coordination; recommendations and referrals; the pacing plan; sign-off. CONFIDENTIAL
is printed on every page. Issue 6's measures trend chart (reports.charts) is drawn by default;
pass `measures_chart=None` for the table alone.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from clinical.consent import load_consent_wordings
from clinical.content import Content, load_content
from clinical.intake_edit import intake_completeness
from clinical.model import CaseSnapshot, Indicator, NegotiationCell, PacingPlan
from reports.charts import summary_measures_chart
from reports.common import decor_for, metadata_for, one_line, paragraphs
from reports.document import RenderedReport, ReportOptions, render_document
from reports.flowables import MeasuresChart, StoryKit
from reports.referral_scope import referral_scopes
from reports.wording import (
    SEVERITY_WORDS,
    describe_evidence,
    describe_score,
    format_day,
    instrument_title,
    partner_name,
    partner_with_key,
    partners_of,
    snapshot_day,
)

SUMMARY_TITLE = "Consultation summary"
SUMMARY_CONFIDENTIALITY = (
    "Confidential clinical record. For the treating clinician only; not for the clients' "
    "partners or any third party without consent."
)
STATUS_WORDS = {
    "mutual-yes": "Both yes",
    "one-sided": "One-sided",
    "both-maybe": "Both maybe",
    "closed": "Closed (a no or a limit)",
    "unanswered": "Not answered",
}


def render_summary(
    snapshot: CaseSnapshot,
    *,
    options: ReportOptions | None = None,
    measures_chart: MeasuresChart | None = summary_measures_chart,
) -> RenderedReport:
    """The consultation summary as a finished document.

    Args:
        snapshot: the case at one moment.
        options: password, reproducibility and font source.
        measures_chart: issue 6's trend chart; with None the measures appear as a table only.
    """
    content = load_content()
    return render_document(
        lambda kit: _story(kit, snapshot, content, measures_chart),
        decor=decor_for(snapshot, SUMMARY_TITLE, SUMMARY_CONFIDENTIALITY, confidential=True),
        metadata=metadata_for(snapshot, SUMMARY_TITLE, "Clinician-facing consultation summary"),
        body_size=9.5,
        options=options or ReportOptions(),
    )


def build_summary_pdf(
    snapshot: CaseSnapshot,
    *,
    options: ReportOptions | None = None,
    measures_chart: MeasuresChart | None = summary_measures_chart,
) -> bytes:
    """The consultation summary's PDF bytes (see `render_summary`)."""
    return render_summary(snapshot, options=options, measures_chart=measures_chart).data


# ------------------------------------------------------------------------------- story


def _story(
    kit: StoryKit,
    snapshot: CaseSnapshot,
    content: Content,
    measures_chart: MeasuresChart | None,
) -> list[Flowable]:
    story: list[Flowable] = [
        kit.para(SUMMARY_TITLE, "title"),
        kit.para(f"{snapshot.label}  ·  prepared {format_day(snapshot_day(snapshot))}", "subtitle"),
    ]
    story += _case(kit, snapshot, content)
    story += _consent(kit, snapshot)
    story += _triage(kit, snapshot, content)
    story += _scores(kit, snapshot, content)
    story += _indicators(kit, snapshot, content)
    story += _negotiation(kit, snapshot)
    story += _pacing(kit, snapshot)
    story += _recommendations(kit, snapshot)
    story += _measures(kit, snapshot, content, measures_chart)
    story += _sign_off(kit, snapshot)
    return story


def _case(kit: StoryKit, snapshot: CaseSnapshot, content: Content) -> list[Flowable]:
    partner_lines = []
    for partner in partners_of(snapshot):
        bits = [f"{partner.name} ({partner.key})"]
        if partner.pronouns:
            bits.append(partner.pronouns)
        if partner.date_of_birth is not None:
            bits.append(f"born {format_day(partner.date_of_birth)}")
        partner_lines.append(", ".join(bits))
    rows = [
        ("Case", snapshot.label),
        ("Case reference", snapshot.case_id),
        ("Status", snapshot.status or "not recorded"),
        ("Intake date", format_day(snapshot.intake_date)),
        ("Partners", "\n".join(partner_lines)),
        (
            "Content version",
            snapshot.evaluation.content_version or snapshot.intake.content_version or "unknown",
        ),
    ]
    story: list[Flowable] = [*kit.heading("Case and partners"), kit.key_values(rows)]
    story += kit.heading("Goals")
    goals = paragraphs(snapshot.goals)
    story += [kit.para(text) for text in goals] or [
        kit.para("No goals recorded yet.", "small_muted")
    ]
    return story


def _consent(kit: StoryKit, snapshot: CaseSnapshot) -> list[Flowable]:
    consent = snapshot.consent
    wording = {w.policy: w for w in load_consent_wordings()}.get(consent.policy)
    policy = wording.title if wording is not None else consent.policy
    if wording is not None:
        policy += f" (wording version {wording.version})"
    by = ", ".join(partner_with_key(snapshot, key) for key in consent.consented_by)
    rows = [
        ("Policy", policy),
        ("Consented on", format_day(consent.consented_on)),
        ("Consented by", by or "not recorded"),
        (
            "Sharing with other professionals",
            "consented" if consent.share_with_professionals else "not consented",
        ),
    ]
    if consent.share_exception_note:
        rows.append(("Exception recorded", consent.share_exception_note))
    return [*kit.heading("Consent and confidentiality"), kit.key_values(rows)]


def _triage(kit: StoryKit, snapshot: CaseSnapshot, content: Content) -> list[Flowable]:
    evaluation = snapshot.evaluation
    spec = next(d for d in content.triage.dispositions if d.id == evaluation.disposition)
    inner: list[Flowable] = [
        kit.para(f"Disposition: {spec.title}", "body_bold"),
        kit.para(one_line(spec.advice)),
        *kit.bullets([one_line(reason) for reason in evaluation.disposition_reasons]),
        kit.para(
            "Medical coordination: needed. Some indicators call for a medical assessment before "
            "physically demanding practices."
            if evaluation.medical_coordination
            else "Medical coordination: not needed on the present answers.",
            "body_bold" if evaluation.medical_coordination else "body",
        ),
    ]
    completeness = intake_completeness(snapshot.intake, content)
    if not completeness.complete:
        gaps = "; ".join(
            f"{title} ({partner_with_key(snapshot, key)})"
            for key, title in completeness.empty_sections
        )
        inner.append(
            kit.para(
                f"Provisional: based on {completeness.answered} of {completeness.total} answers; "
                "questions not asked raise nothing."
                + (f" Nothing answered yet in: {gaps}." if gaps else ""),
                "body_bold",
            )
        )
    blocking = snapshot.unacknowledged_blocking()
    if blocking:
        keys = ", ".join(indicator.key for indicator in blocking)
        inner.append(
            kit.para(
                "The couple's safety plan cannot be printed until these critical indicators "
                f"are acknowledged: {keys}.",
                "body_bold",
            )
        )
    return [*kit.heading("Triage"), kit.callout(inner)]


def _scores(kit: StoryKit, snapshot: CaseSnapshot, content: Content) -> list[Flowable]:
    day = format_day(snapshot.intake_date or snapshot_day(snapshot))
    rows = []
    for score in snapshot.evaluation.scores:
        total, band, cutoff = describe_score(content, score)
        rows.append(
            [
                partner_with_key(snapshot, score.partner),
                instrument_title(content, score.instrument),
                total,
                band,
                cutoff,
                day,
            ]
        )
    # The note travels with the table: a heading and a note alone at a page foot help no one.
    block = KeepTogether(
        [
            kit.para(
                "Screens prompt the clinician's own assessment; they do not diagnose.",
                "small_muted",
            ),
            *kit.table(
                ["Partner", "Instrument", "Score", "Band", "Cut-off", "Date"],
                rows,
                [0.21, 0.14, 0.11, 0.24, 0.15, 0.15],
                empty="No screening instrument was answered.",
            ),
        ]
    )
    return [*kit.heading("Screening scores"), block]


def _indicator_block(
    kit: StoryKit, snapshot: CaseSnapshot, content: Content, indicator: Indicator
) -> list[Flowable]:
    facts = [f"Severity: {SEVERITY_WORDS[indicator.severity]}"]
    facts.append(f"Concerns: {partner_with_key(snapshot, indicator.partner)}")
    facts.append(f"Key: {indicator.key}")
    head: list[Flowable] = [
        *kit.subheading(indicator.title),
        kit.para("  ·  ".join(facts), "small"),
    ]
    if indicator.requires_individual_follow_up or indicator.blocks_couple_plan:
        duties = []
        if indicator.requires_individual_follow_up:
            duties.append("see this partner alone")
        if indicator.blocks_couple_plan:
            duties.append("no couple-facing plan until acknowledged")
        head.append(kit.para("Required: " + "; ".join(duties) + ".", "body_bold"))
    body: list[Flowable] = [
        kit.rich([("Why: ", True), (one_line(indicator.rationale), False)]),
        kit.rich([("Recommended action: ", True), (one_line(indicator.action), False)]),
    ]
    evidence = [
        f"{partner_with_key(snapshot, item.partner)}: {describe_evidence(content, item)}"
        for item in indicator.evidence
    ]
    body.append(kit.para("Evidence", "body_bold"))
    body += kit.bullets(evidence, empty="No single answer recorded.")
    body.append(kit.para("Sources: " + "; ".join(indicator.sources), "small_muted"))
    acknowledgement = snapshot.acknowledgements.get(indicator.key)
    if acknowledgement is None:
        body.append(kit.para("Not yet acknowledged.", "body_bold"))
    else:
        when = format_day(acknowledgement.at.date())
        who = f" by {acknowledgement.by}" if acknowledgement.by else ""
        note = one_line(acknowledgement.note) or "no note"
        body.append(kit.rich([(f"Acknowledged{who} on {when}: ", True), (note, False)]))
    # The head stays with the first lines of the body; a long evidence list may still split.
    return [KeepTogether([*head, *body[:2]]), *body[2:]]


def _indicators(kit: StoryKit, snapshot: CaseSnapshot, content: Content) -> list[Flowable]:
    story = kit.heading("Referral indicators")
    indicators = snapshot.evaluation.indicators
    if not indicators:
        return [*story, kit.para("No indicator fired on the present answers.")]
    for indicator in indicators:
        story += _indicator_block(kit, snapshot, content, indicator)
    return story


def _negotiation(kit: StoryKit, snapshot: CaseSnapshot) -> list[Flowable]:
    cells: list[NegotiationCell] = [
        cell for cell in snapshot.evaluation.negotiation if cell.status != "unanswered"
    ]
    rows = [
        [
            cell.label,
            f"{partner_name(snapshot, cell.giver)} to {partner_name(snapshot, cell.receiver)}",
            f"{cell.giver_answer or '—'} / {cell.receiver_answer or '—'}",
            STATUS_WORDS.get(cell.status, cell.status),
        ]
        for cell in cells
    ]
    return [
        *kit.heading("Activity overlap"),
        kit.para(
            "Each row is one direction: the first partner gives, the second receives. Answers "
            "are the giver's, then the receiver's.",
            "small_muted",
        ),
        *kit.table(
            ["Activity", "Direction", "Answers", "Status"],
            rows,
            [0.3, 0.32, 0.16, 0.22],
            empty="No activity answers yet.",
        ),
    ]


def _plan_stages(kit: StoryKit, plan: PacingPlan) -> list[Flowable]:
    story: list[Flowable] = []
    for number, stage in enumerate(plan.stages, start=1):
        current = "  (current stage)" if number - 1 == plan.current_stage else ""
        rows = [("Typical length", stage.typical_length)]
        for label, items in (
            ("Homework", stage.homework),
            ("Check-ins", stage.check_ins),
            ("Advance when", stage.advance_criteria),
            ("Stop or step back", stage.stop_criteria),
        ):
            if items:
                rows.append((label, "\n".join(f"• {one_line(item)}" for item in items)))
        story += [
            kit.para(f"{number}. {stage.title}{current}", "subheading"),
            kit.key_values(rows, label_fraction=0.2),
        ]
    return story


def _pacing(kit: StoryKit, snapshot: CaseSnapshot) -> list[Flowable]:
    story = kit.heading("Pacing plan")
    suggestions = snapshot.evaluation.pacing_suggestions
    if suggestions:
        story.append(kit.para("Templates suggested by the indicators", "body_bold"))
        story += kit.bullets([f"{s.rank}. {s.title}: {' '.join(s.reasons)}" for s in suggestions])
    plan = snapshot.pacing_plan
    if plan is None:
        story.append(kit.para("No pacing plan chosen yet.", "small_muted"))
        return story
    story.append(
        kit.key_values(
            [
                ("Chosen plan", plan.title),
                ("PLISSIT level", plan.plissit_level),
                (
                    "Current stage",
                    f"{plan.current_stage + 1} of {len(plan.stages)}"
                    if plan.stage is not None
                    else "not started",
                ),
            ]
        )
    )
    story.append(kit.spacer(2))
    story += _plan_stages(kit, plan)
    if plan.exclusions:
        story.append(kit.para("Excluded from this plan", "body_bold"))
        story += kit.bullets([one_line(item) for item in plan.exclusions])
    return story


def _recommendations(kit: StoryKit, snapshot: CaseSnapshot) -> list[Flowable]:
    story = kit.heading("Recommendations and referrals")
    written = paragraphs(snapshot.recommendations)
    story += [kit.para(text) for text in written] or [
        kit.para("No recommendations written yet.", "small_muted")
    ]
    referrals = []
    for scope in referral_scopes().values():
        relevant = scope.relevant(snapshot.evaluation.indicators)
        if relevant:
            reasons = ", ".join(
                f"{i.title} ({partner_with_key(snapshot, i.partner)})" for i in relevant
            )
            referrals.append(f"A {scope.title}: {reasons}.")
    story.append(kit.para("Referrals the indicators call for", "body_bold"))
    story += kit.bullets(referrals, empty="None on the present answers.")
    if referrals:
        consent = snapshot.consent.share_with_professionals
        story.append(
            kit.para(
                "Consent to share with other professionals is recorded."
                if consent
                else "No consent to share with other professionals is recorded: a referral "
                "letter needs that consent or a recorded exception.",
                "small_muted",
            )
        )
    return story


def _measures(
    kit: StoryKit,
    snapshot: CaseSnapshot,
    content: Content,
    measures_chart: MeasuresChart | None,
) -> list[Flowable]:
    if not snapshot.measures:
        return []
    story = kit.heading("Measures over time")
    if measures_chart is not None:
        chart = measures_chart(snapshot.measures, kit.width)
        if chart is not None:
            story += [chart, kit.spacer(3)]
    points = sorted(snapshot.measures, key=lambda p: (p.partner, p.instrument, p.taken_on))
    rows = [
        [
            partner_with_key(snapshot, point.partner),
            instrument_title(content, point.instrument),
            format_day(point.taken_on),
            str(point.total),
            point.band or "",
        ]
        for point in points
    ]
    story += kit.table(
        ["Partner", "Instrument", "Date", "Score", "Band"], rows, [0.26, 0.16, 0.22, 0.12, 0.24]
    )
    return story


def _sign_off(kit: StoryKit, snapshot: CaseSnapshot) -> list[Flowable]:
    practice = snapshot.practice
    signer = ", ".join(p for p in (practice.clinician_name, practice.credentials) if p)
    return [
        *kit.heading("Sign-off"),
        kit.signature_lines(
            [signer or "Clinician"],
            caption="I have reviewed the answers, scores and indicators above.",
        ),
    ]
