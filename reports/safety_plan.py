"""The couple's safety plan: couple-facing, plain and warm, two to four pages.

Built from `clinical.safety_plan.build_safety_plan` (joint content only) and checked again by
reports.couple_guard before anything is laid out. Refused while a critical indicator is not
acknowledged. What the clinician still has to settle (the plan's `problems`) is never printed;
it comes back in RenderedReport.warnings, and the page leaves a line to fill in by hand.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from clinical.content import Content, load_content
from clinical.errors import ParleyError
from clinical.model import CaseSnapshot, PlanActivity, SafetyPlan
from clinical.safety_plan import build_safety_plan
from clinical.visibility import couple_visible_facts
from reports.common import decor_for, metadata_for, one_line
from reports.couple_guard import CoupleTextGuard
from reports.document import RenderedReport, ReportOptions, render_document
from reports.flowables import StoryKit
from reports.wording import format_day, partner_name, partners_of, snapshot_day

PLAN_TITLE = "Couple safety plan"
PLAN_CONFIDENTIALITY = "Private: for you and your therapist. Share it only if you all agree."
AGREED_HEAD = ["Activity", "Who gives (leads), who receives"]
#: A line to write on when something is not decided yet.
BLANK = "_______________________________"


class UnacknowledgedIndicatorError(ParleyError):
    """A critical indicator must be acknowledged before the couple's plan can be printed."""


def check_plan_allowed(snapshot: CaseSnapshot) -> None:
    """Refuse the couple-facing plan while a critical indicator is unacknowledged.

    Raises:
        UnacknowledgedIndicatorError: naming the indicator keys to acknowledge (ids and partner
            keys only, never what the partner answered).
    """
    blocking = snapshot.unacknowledged_blocking()
    if blocking:
        keys = ", ".join(indicator.key for indicator in blocking)
        raise UnacknowledgedIndicatorError(
            "the couple's safety plan is withheld until the clinician acknowledges these "
            f"critical indicators: {keys}"
        )


def couple_plan(snapshot: CaseSnapshot, content: Content | None = None) -> SafetyPlan:
    """The joint-content plan of a case (after the blocking rule)."""
    check_plan_allowed(snapshot)
    return build_safety_plan(
        snapshot.intake,
        snapshot.evaluation,
        snapshot.safety_choices,
        snapshot.pacing_plan,
        snapshot.practice,
        acknowledged=tuple(snapshot.acknowledgements),
        content=content,
    )


def render_safety_plan(
    snapshot: CaseSnapshot, *, options: ReportOptions | None = None
) -> RenderedReport:
    """The couple's safety plan as a finished document.

    Raises:
        UnacknowledgedIndicatorError: a critical indicator is not acknowledged.
        CoupleLeakError: the plan would show clinician-only content (defence in depth).
    """
    content = load_content()
    plan = couple_plan(snapshot, content)
    sections = _sections(snapshot, plan, content)
    CoupleTextGuard(snapshot, content).check(
        [(title, texts) for title, texts, _ in sections], allowed=_allowed_texts(snapshot, content)
    )
    rendered = render_document(
        lambda kit: _story(kit, snapshot, sections),
        decor=decor_for(snapshot, PLAN_TITLE, PLAN_CONFIDENTIALITY, confidential=False),
        metadata=metadata_for(snapshot, PLAN_TITLE, "Safety plan agreed in therapy"),
        body_size=10.5,
        options=options or ReportOptions(),
    )
    return RenderedReport(
        data=rendered.data,
        page_count=rendered.page_count,
        unshown_characters=rendered.unshown_characters,
        warnings=tuple(problem for problem in plan.problems if "critical indicator" not in problem),
    )


def build_safety_plan_pdf(snapshot: CaseSnapshot, *, options: ReportOptions | None = None) -> bytes:
    """The couple's safety plan's PDF bytes (see `render_safety_plan`)."""
    return render_safety_plan(snapshot, options=options).data


# ------------------------------------------------------------------- what the plan says


#: A section: its heading, every text it prints (for the guard), and how to lay it out.
Section = tuple[str, list[str], "SectionLayout"]


class SectionLayout:
    """How one section is laid out: an intro, bullets, a two-column table, closing lines."""

    def __init__(
        self,
        *,
        intro: str = "",
        bullets: list[str] | None = None,
        table: tuple[list[str], list[list[str]], list[float]] | None = None,
        after: list[str] | None = None,
        empty: str = "",
        callout: bool = False,
        bold_column: int | None = None,
    ) -> None:
        self.intro = intro
        self.bullets = bullets or []
        self.table = table
        self.after = after or []
        self.empty = empty
        self.callout = callout
        self.bold_column = bold_column

    def texts(self) -> list[str]:
        """Every string this layout prints."""
        found = [self.intro, *self.bullets, *self.after, self.empty]
        if self.table is not None:
            head, rows, _ = self.table
            found += head + [cell for row in rows for cell in row]
        return [text for text in found if text]


def _agreed_rows(snapshot: CaseSnapshot, agreed: tuple[PlanActivity, ...]) -> list[list[str]]:
    """One row per activity; both directions of a two-person couple read "either of you"."""
    by_activity: dict[str, list[PlanActivity]] = {}
    for item in agreed:
        by_activity.setdefault(item.activity, []).append(item)
    two = len(partners_of(snapshot)) == 2
    rows = []
    for items in by_activity.values():
        directions = {(item.giver, item.receiver) for item in items}
        if two and len(directions) == 2:
            who = "Both ways: either of you may give or receive"
        else:
            who = "; ".join(
                f"{partner_name(snapshot, item.giver)} gives, "
                f"{partner_name(snapshot, item.receiver)} receives"
                for item in items
            )
        rows.append([items[0].label, who])
    return rows


def _direction(snapshot: CaseSnapshot, item: PlanActivity) -> str:
    if not item.giver and not item.receiver:
        return "a hard limit for one of you"
    giver = partner_name(snapshot, item.giver) if item.giver else "anyone"
    receiver = partner_name(snapshot, item.receiver) if item.receiver else "anyone"
    return f"{giver} giving, {receiver} receiving"


def _section(title: str, layout: SectionLayout) -> Section:
    return (title, [title, *layout.texts()], layout)


def _sections(snapshot: CaseSnapshot, plan: SafetyPlan, content: Content) -> list[Section]:
    wording = content.safety.signals
    sections: list[Section] = []

    agreed_rows = _agreed_rows(snapshot, plan.agreed)
    sections.append(
        _section(
            "What we agreed to try",
            SectionLayout(
                intro="Each of these is a yes from both of you, in the direction shown. "
                "When you begin each one follows the stage of your plan"
                + (" (below)" if plan.pacing_stage is not None else "")
                + ", one step at a time. Anything not on this list waits until you have "
                "talked about it together."
                if agreed_rows
                else "",
                table=(AGREED_HEAD, agreed_rows, [0.42, 0.58]) if agreed_rows else None,
                empty="Nothing is agreed yet, and that is fine: begin with talking and "
                "touch, and decide together with your therapist.",
            ),
        )
    )
    sections.append(
        _section(
            "Maybe later: talk about these first",
            SectionLayout(
                intro="A maybe is welcome. These wait until you have both talked them through, "
                "calmly and outside a scene."
                if plan.maybe
                else "",
                bullets=[f"{item.label} ({_direction(snapshot, item)})" for item in plan.maybe],
                empty="Nothing here for now.",
            ),
        )
    )
    sections.append(
        _section(
            "Our hard limits",
            SectionLayout(
                intro="A hard limit is a no that is not revisited. It is always respected, "
                "without asking why."
                if plan.limits
                else "",
                bullets=[f"{item.label} ({_direction(snapshot, item)})" for item in plan.limits],
                empty="No hard limits are written down yet; you can add them at any time.",
            ),
        )
    )
    sections.append(
        _section(
            "Never part of this plan",
            SectionLayout(bullets=[one_line(text) for text in plan.not_in_plan], callout=True),
        )
    )
    signals = plan.signals
    signal_rows = [
        [signals.green, one_line(wording.green_meaning)],
        [signals.yellow, one_line(wording.yellow_meaning)],
        [signals.red, one_line(wording.red_meaning)],
    ]
    after = [one_line(wording.using_a_safeword)]
    # Always a row, blank to fill in when none is agreed yet: the plan's rules speak of "the
    # non-verbal signal", so it must say what that is.
    examples = ", ".join(wording.non_verbal_examples)
    signal_rows.append(
        [
            f"Without words: {signals.non_verbal or BLANK}",
            f"{one_line(wording.non_verbal_meaning)} For example: {examples}.",
        ]
    )
    sections.append(
        _section(
            "Our signals",
            SectionLayout(
                intro="Say the word, and the other one listens at once.",
                table=(["Signal", "What it means"], signal_rows, [0.34, 0.66]),
                after=after,
                bold_column=0,
            ),
        )
    )
    aftercare = [
        f"{partner.name}: {one_line(plan.aftercare.get(partner.key, '')) or BLANK}"
        for partner in partners_of(snapshot)
    ]
    sections.append(
        _section(
            "Aftercare",
            SectionLayout(
                intro="What each of you wants after a scene, agreed before it starts.",
                bullets=aftercare,
                after=[one_line(plan.drop_check)],
            ),
        )
    )
    sections.append(
        _section(
            "Keeping each other physically safe",
            SectionLayout(bullets=[one_line(rule) for rule in plan.safety_rules]),
        )
    )
    if plan.medical_points:
        sections.append(
            _section(
                "Health points to clear with a physician first",
                SectionLayout(bullets=[one_line(point) for point in plan.medical_points]),
            )
        )
    stage = plan.pacing_stage
    if stage is not None:
        pacing_bullets = [one_line(item) for item in stage.homework]
        after_pacing = []
        # Check-ins and advance criteria are written for the clinician; the couple hears
        # only that moving on is decided together.
        after_pacing.append(
            "Your therapist will decide with you when you are ready for the next step."
        )
        sections.append(
            _section(
                "Where we are in our plan",
                SectionLayout(
                    intro=f"{plan.pacing_title}: {stage.title} (usually {stage.typical_length}).",
                    bullets=pacing_bullets,
                    after=after_pacing,
                ),
            )
        )
    therapist = _therapist_line(snapshot)
    sections.append(
        _section(
            "When to stop and call your therapist",
            SectionLayout(
                bullets=[one_line(item) for item in plan.stop_and_call],
                after=[therapist] if therapist else [],
                callout=True,
            ),
        )
    )
    contact_rows = [
        [contact.name, contact.phone, one_line(contact.note)] for contact in plan.crisis_contacts
    ]
    sections.append(
        _section(
            "If you need help now",
            SectionLayout(
                table=(["Who", "Number", "When"], contact_rows, [0.38, 0.24, 0.38])
                if contact_rows
                else None,
                empty=f"Ask your therapist for local crisis numbers and write them here: {BLANK}",
                after=["In an emergency, call your local emergency number."],
            ),
        )
    )
    if plan.notes_for_couple:
        sections.append(
            _section("A note from your therapist", SectionLayout(intro=plan.notes_for_couple))
        )
    return sections


def _therapist_line(snapshot: CaseSnapshot) -> str:
    practice = snapshot.practice
    who = practice.clinician_name or practice.practice_name
    if not who:
        return ""
    contact = one_line(practice.practice_contact)
    return f"Your therapist: {who}" + (f", {contact}" if contact else "")


def _allowed_texts(snapshot: CaseSnapshot, content: Content) -> list[str]:
    """What the couple shared, and what may be printed because of it.

    Worked out from the intake's visibility independently of the plan, so a plan that
    wrongly carries a private answer can never excuse itself: the shared free-text answers,
    the medical points of shared yes answers, and the aftercare and signal the clinician set
    down for the couple. The clinician's free notes and extra rules are not excused: a
    private answer pasted there by mistake is what the guard exists to catch.
    """
    intake = snapshot.intake
    allowed: list[str] = []
    for owner in (None, *(partner.key for partner in intake.partners)):
        shared = couple_visible_facts(intake, owner, content)
        allowed += [value for value in shared.values() if isinstance(value, str)]
        allowed += [
            point
            for fact_id, point in content.safety.medical_points.items()
            if shared.get(fact_id) is True
        ]
    choices = snapshot.safety_choices
    return [*allowed, choices.signals.non_verbal, *choices.aftercare.values()]


# ----------------------------------------------------------------------------- layout


def _story(kit: StoryKit, snapshot: CaseSnapshot, sections: list[Section]) -> list[Flowable]:
    names = [partner.name for partner in partners_of(snapshot)]
    together = " and ".join(names) if len(names) <= 2 else ", ".join(names)
    clinician = snapshot.practice.clinician_name
    made = (
        f"Made with {clinician} on {format_day(snapshot_day(snapshot))}"
        if clinician
        else (f"Made on {format_day(snapshot_day(snapshot))}")
    )
    story: list[Flowable] = [
        kit.para("Our safety plan", "title"),
        kit.para(f"For {together}\n{made}", "subtitle"),
        kit.para(
            "This plan is yours. It sets down what you have agreed together, how you look after "
            "each other, and when to pause and call. Change it whenever you like: together, "
            "calmly, and never in the middle of a scene."
        ),
    ]
    for title, _texts, layout in sections:
        story += _layout(kit, title, layout)
    story += kit.heading("Our signatures")
    signers = [*names, _clinician_signer(snapshot)]
    story.append(
        kit.signature_lines(
            signers,
            caption="We agree to this plan, and to change it only together.",
        )
    )
    return story


def _clinician_signer(snapshot: CaseSnapshot) -> str:
    practice = snapshot.practice
    name = ", ".join(p for p in (practice.clinician_name, practice.credentials) if p)
    return f"{name} (therapist)" if name else "Therapist"


def _layout(kit: StoryKit, title: str, layout: SectionLayout) -> list[Flowable]:
    body: list[Flowable] = []
    if layout.intro:
        body.append(kit.para(layout.intro))
    if layout.table is not None:
        head, rows, fractions = layout.table
        body += kit.table(head, rows, fractions, bold_column=layout.bold_column)
    body += kit.bullets(layout.bullets)
    if not layout.bullets and layout.table is None and layout.empty:
        body.append(kit.para(layout.empty, "small_muted"))
    body += [kit.para(text) for text in layout.after]
    if layout.callout:
        body = [kit.callout(body)]
    heading = kit.heading(title)
    # A heading travels with the start of its section, never alone at a page foot.
    return [heading[0], KeepTogether([heading[1], *body[:2]]), *body[2:]]
