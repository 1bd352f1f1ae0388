"""The couple-facing safety plan, built from an evaluation and the clinician's choices.

The plan holds joint content only: no clinician-only answer, no screening score, nothing from
the partner-safety, suicide or substance questions. Agreed and maybe activities come from the
negotiation comparison (a mutual yes per role direction reveals no more than the agreement
itself); a hard limit whose answer is clinician-only is shown without saying whose; medical
points come only from answers the couple shares. `problems` lists what the clinician must
settle before printing; it is for the clinician and never printed for the couple.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable

from clinical.content import Content, load_content
from clinical.model import (
    Evaluation,
    Intake,
    NegotiationCell,
    PacingPlan,
    PacingStage,
    PlanActivity,
    PracticeInfo,
    SafetyPlan,
    SafetyPlanChoices,
    Signals,
)
from clinical.visibility import couple_visible_facts, is_couple_visible

_OPEN = frozenset({"mutual-yes", "one-sided", "both-maybe"})


def cell_key(cell: NegotiationCell) -> str:
    """The key of one activity in one direction, as SafetyPlanChoices.agreed uses it."""
    return f"{cell.activity}:{cell.giver}>{cell.receiver}"


def _plan_activity(cell: NegotiationCell) -> PlanActivity:
    return PlanActivity(cell.activity, cell.label, cell.tier, cell.giver, cell.receiver)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _limits(intake: Intake, content: Content) -> tuple[PlanActivity, ...]:
    """Every hard limit; whose it is only when that answer is visible to the couple."""
    keys = [partner.key for partner in intake.partners]
    found: list[PlanActivity] = []
    for activity in content.activities.values():
        for partner in intake.partners:
            answer = partner.activities.get(activity.id)
            if answer is None:
                continue
            visible = is_couple_visible(intake, partner.key, f"activity.{activity.id}", content)
            others = [key for key in keys if key != partner.key]
            other = others[0] if len(others) == 1 else ""  # "" means anyone, or not said
            for role, response in (("giving", answer.giving), ("receiving", answer.receiving)):
                if response != "limit":
                    continue
                if not visible:
                    giver, receiver = "", ""
                elif role == "giving":
                    giver, receiver = partner.key, other
                else:
                    giver, receiver = other, partner.key
                entry = PlanActivity(activity.id, activity.label, activity.tier, giver, receiver)
                if entry not in found:
                    found.append(entry)
    return tuple(found)


def _aftercare(
    intake: Intake, choices: SafetyPlanChoices, content: Content, problems: list[str]
) -> dict[str, str]:
    fact_id = content.safety.aftercare_fact
    aftercare: dict[str, str] = {}
    for partner in intake.partners:
        wish = choices.aftercare.get(partner.key, "").strip()
        if not wish:
            shared = couple_visible_facts(intake, partner.key, content).get(fact_id)
            wish = shared.strip() if isinstance(shared, str) else ""
        if wish:
            aftercare[partner.key] = wish
        else:
            problems.append(f"No aftercare is written down for partner {partner.key}.")
    return aftercare


def _non_verbal_signal(intake: Intake, choices: SafetyPlanChoices, content: Content) -> str:
    chosen = choices.signals.non_verbal.strip()
    if chosen:
        return chosen
    fact_id = content.safety.non_verbal_fact
    for owner in (None, *(partner.key for partner in intake.partners)):
        shared = couple_visible_facts(intake, owner, content).get(fact_id)
        if isinstance(shared, str) and shared.strip():
            return shared.strip()
    return ""


def _medical_points(intake: Intake, content: Content) -> tuple[str, ...]:
    points: list[str] = []
    for owner in (*(partner.key for partner in intake.partners), None):
        shared = couple_visible_facts(intake, owner, content)
        for fact_id, point in content.safety.medical_points.items():
            if shared.get(fact_id) is True and point not in points:
                points.append(point)
    return tuple(points)


def _unique(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_one_line(text) for text in texts if text.strip()))


def build_safety_plan(
    intake: Intake,
    evaluation: Evaluation,
    choices: SafetyPlanChoices,
    pacing_plan: PacingPlan | None,
    practice: PracticeInfo,
    *,
    acknowledged: Collection[str] = (),
    content: Content | None = None,
) -> SafetyPlan:
    """Build the couple-facing safety plan.

    Args:
        intake: the answers (visibility decides what may show).
        evaluation: the engine's evaluation of that intake (its negotiation comparison).
        choices: the clinician's decisions: agreed subset, signals, aftercare, extra rules.
        pacing_plan: the case's plan; its current stage and stop criteria go on the plan.
        practice: practice settings, for the crisis contacts.
        acknowledged: keys (Indicator.key) of the critical indicators the clinician has
            acknowledged; an unacknowledged one is reported in `problems`.
        content: the clinical content; None for the shipped content.
    """
    content = content or load_content()
    problems: list[str] = []
    never = {a.id for a in content.activities.values() if a.never_in_plan}
    cells = evaluation.negotiation

    mutual = [cell for cell in cells if cell.status == "mutual-yes"]
    if choices.agreed is None:
        agreed_cells = [cell for cell in mutual if cell.activity not in never]
    else:
        chosen = set(choices.agreed)
        agreed_cells = [
            cell for cell in mutual if cell_key(cell) in chosen and cell.activity not in never
        ]
        mutual_keys = {cell_key(cell) for cell in mutual}
        for cell in cells:
            key = cell_key(cell)
            if key not in chosen:
                continue
            if cell.activity in never:
                problems.append(f"{cell.label} can never be an agreed activity; it was left out.")
            elif key not in mutual_keys:
                problems.append(
                    f"{cell.label} ({cell.giver} to {cell.receiver}) is not a mutual yes; "
                    "it was left out of the agreed list."
                )
    agreed_keys = {cell_key(cell) for cell in agreed_cells}
    # What the couple has not (yet) agreed but not closed either: for later talk.
    maybe_cells = [
        cell
        for cell in cells
        if cell.status in _OPEN and cell.activity not in never and cell_key(cell) not in agreed_keys
    ]

    needs_signal = {a.id for a in content.activities.values() if a.requires_non_verbal_signal}
    in_view = {cell.activity for cell in agreed_cells} | {
        cell.activity for cell in cells if cell.status in _OPEN
    }
    non_verbal_required = choices.signals.non_verbal_required or bool(needs_signal & in_view)
    non_verbal = _non_verbal_signal(intake, choices, content)
    if non_verbal_required and not non_verbal:
        problems.append(
            "A non-verbal stop signal is required (a gag or breath restriction is agreed or "
            "under discussion), but none is set."
        )
    signals = Signals(
        green=choices.signals.green,
        yellow=choices.signals.yellow,
        red=choices.signals.red,
        non_verbal=non_verbal,
        non_verbal_required=non_verbal_required,
    )

    start, end = choices.drop_check_hours
    agreed_activities = {cell.activity for cell in agreed_cells}
    activity_notes = [
        note
        for activity in content.activities.values()
        if activity.id in agreed_activities
        for note in activity.safety_notes
    ]
    if not practice.crisis_contacts:
        problems.append("No crisis contacts are set in the practice settings.")
    if any(
        indicator.blocks_couple_plan and indicator.key not in acknowledged
        for indicator in evaluation.indicators
    ):
        problems.append(
            "A critical indicator has not been acknowledged: do not give this plan to the "
            "couple yet."
        )
    aftercare = _aftercare(intake, choices, content, problems)
    return SafetyPlan(
        agreed=tuple(_plan_activity(cell) for cell in agreed_cells),
        maybe=tuple(_plan_activity(cell) for cell in maybe_cells),
        limits=_limits(intake, content),
        signals=signals,
        aftercare=aftercare,
        drop_check=_one_line(content.safety.drop_check.format(start=start, end=end)),
        safety_rules=_unique(
            (*content.safety.general_rules, *activity_notes, *choices.extra_rules)
        ),
        medical_points=_medical_points(intake, content),
        pacing_stage=_couple_stage(pacing_plan, content),
        pacing_title=_couple_plan_title(pacing_plan, content),
        # The stage's own stop criteria are the clinician's words for the clinician; the
        # couple's reasons to stop and call come from the content, written for them.
        stop_and_call=_unique(content.safety.stop_and_call),
        crisis_contacts=practice.crisis_contacts,
        notes_for_couple=choices.notes_for_couple.strip(),
        problems=tuple(problems),
        not_in_plan=_unique(content.safety.not_in_plan),
    )


def _couple_plan_title(plan: PacingPlan | None, content: Content) -> str:
    """The plan's name as the couple reads it: the template's couple title where it has one
    (a name such as "Trauma-informed slow track" would tell one partner's history)."""
    if plan is None:
        return ""
    template = content.templates.get(plan.template_id)
    if template is not None and template.couple_title:
        return template.couple_title
    return plan.title


def _couple_stage(plan: PacingPlan | None, content: Content) -> PacingStage | None:
    """The current stage as the couple reads it: its title (the template's couple title while
    the clinician has not renamed it), length and homework; check-ins and the criteria to
    advance or stop are the clinician's and stay out of the couple's plan."""
    stage = plan.stage if plan is not None else None
    if plan is None or stage is None:
        return None
    title = stage.title
    template = content.templates.get(plan.template_id)
    if template is not None and plan.current_stage < len(template.stages):
        spec = template.stages[plan.current_stage]
        if spec.couple_title and spec.title == stage.title:
            title = spec.couple_title
    return dataclasses.replace(
        stage, title=title, check_ins=(), advance_criteria=(), stop_criteria=()
    )
