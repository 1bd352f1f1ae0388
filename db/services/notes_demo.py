"""Fictional session notes, measures and a psychotherapy note for a demo case.

For `parley demo` and the screenshots of the notes, measures, timeline and search screens.
Only demo cases get them (their label says "DEMO, fictional" on screen): the history is made
up, with the case's intake dated ten weeks back so that it reads in order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy.orm import Session

from clinical.content import Content, load_content
from clinical.model import PtsdScreenAnswer
from db.errors import InvalidRecordError
from db.models import Case
from db.services import measures as measure_service
from db.services import notes as note_service
from db.services.answers import load_intake
from db.services.cases import _load_case
from db.services.notes import NoteDraft
from db.services.plans import get_case_plans, save_pacing_plan

#: Every word below is invented for the demo.
_SOAP = {
    "subjective": (
        "Both partners report the weekly talk went well; A found it easier to name a limit "
        "using the traffic-light words. B describes less worry before intimacy."
    ),
    "objective": (
        "Relaxed, took turns speaking, made eye contact when negotiating. PHQ-9 and GAD-7 "
        "re-administered to A (see measures)."
    ),
    "assessment": (
        "Communication skills growing; no new safety concerns on individual check. "
        "Criteria to advance are close to met."
    ),
    "plan": (
        "Continue sensate-focus homework twice this week; rehearse the non-verbal signal. "
        "Next session in two weeks."
    ),
}
_DAP = {
    "data": (
        "Homework done three times; one session stopped with yellow and resumed after a "
        "check-in. Aftercare as agreed. Drop check after 48 hours: both fine."
    ),
    "assessment": "Using the signals as intended; ready for the next step of the plan.",
    "plan": "Introduce the blindfold as the one new element; review in two weeks.",
}
_PHQ9 = (2, 2, 1, 2, 1, 1, 1, 0, 0)
_GAD7 = (2, 1, 2, 1, 1, 1, 0)
_BIRP = {
    "behaviour": "Arrived early, affectionate, keen to talk about the blindfold scene.",
    "intervention": "Debrief with the scene-review questions; rehearsed the lapse plan.",
    "response": "",
    "plan": "",
}


def _lighter(items: tuple[int, ...], step: int) -> tuple[int, ...]:
    """Item scores `step` sessions on: the heavier items ease first, then every item."""
    if step == 1:
        return tuple(value - 1 if value >= 2 else value for value in items)
    return tuple(max(0, value - 1) for value in items)


def add_demo_history(
    session: Session,
    case_id: int,
    signer: str,
    content: Content | None = None,
    today: dt.date | None = None,
) -> None:
    """Give a demo case a made-up history: two signed notes (one with an addendum), a draft,
    PHQ-9 and GAD-7 re-administered to partner A twice, and a psychotherapy note.

    Raises:
        InvalidRecordError: the case is not a demo case.
    """
    content = content or load_content()
    today = today or dt.date.today()
    case = _load_case(session, case_id)
    if not case.is_demo:
        raise InvalidRecordError("made-up history goes into demo cases only")
    row = session.get(Case, case_id)
    assert row is not None
    row.created_at = dt.datetime.combine(today - dt.timedelta(weeks=10), dt.time(10), tzinfo=dt.UTC)
    plan = get_case_plans(session, case_id).pacing_plan
    keys = tuple(partner.key for partner in case.partners)

    def at_stage(draft: NoteDraft, index: int) -> NoteDraft:
        if plan is None or not plan.stages:
            return draft
        index = min(index, len(plan.stages) - 1)
        return dataclasses.replace(
            draft,
            pacing_template_id=plan.template_id,
            pacing_stage=index,
            pacing_stage_title=plan.stages[index].title,
        )

    first_day = today - dt.timedelta(weeks=6)
    first = note_service.create_note(
        session,
        case_id,
        "soap",
        at_stage(NoteDraft(first_day, _SOAP, keys, 50, stage_progress="continuing"), 1),
        signer,
    )
    note_service.sign_note(session, first.id, signer)
    note_service.add_addendum(
        session,
        first.id,
        "Phone call two days later: B confirmed the homework schedule suits them both.",
        signer,
    )
    second_day = today - dt.timedelta(weeks=3)
    second = note_service.create_note(
        session,
        case_id,
        "dap",
        at_stage(NoteDraft(second_day, _DAP, keys, 55, stage_progress="ready-to-advance"), 1),
        signer,
    )
    note_service.sign_note(session, second.id, signer)
    note_service.create_note(
        session,
        case_id,
        "birp",
        at_stage(NoteDraft(today, _BIRP, keys, 50, stage_progress="starting"), 2),
        signer,
    )
    if plan is not None and plan.stages:
        # The plan stands where the newest note says the couple is now (the draft's stage).
        current = min(2, len(plan.stages) - 1)
        save_pacing_plan(session, case_id, dataclasses.replace(plan, current_stage=current))
    partner = keys[0]
    answered = load_intake(session, case_id, content).partner(partner).instruments
    for instrument_id, fallback in (("phq9", _PHQ9), ("gad7", _GAD7)):
        start = answered.get(instrument_id)
        items = (
            tuple(value or 0 for value in start)
            if isinstance(start, tuple) and all(v is not None for v in start)
            else fallback
        )
        # Each later session a little lighter than the one before: a plausible recovery.
        for step, day in enumerate((first_day, second_day), start=1):
            lighter = _lighter(items, step)
            measure_service.record_measure(
                session, case_id, partner, instrument_id, lighter, day, signer, content=content
            )
    measure_service.record_measure(
        session,
        case_id,
        keys[-1],
        "pc_ptsd5",
        PtsdScreenAnswer(exposed=False),
        second_day,
        signer,
        content=content,
    )
    note_service.create_psychotherapy_note(
        session,
        case_id,
        first_day,
        "My impression (fictional): A softens when B slows down; watch for B rushing to reassure.",
        signer,
        first.id,
    )
