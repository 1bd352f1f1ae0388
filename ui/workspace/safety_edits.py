"""Edits of the clinician's safety-plan choices as pure functions: each returns new choices."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from clinical.model import SafetyPlanChoices, Signals
from ui.workspace.pacing_edits import clean_items

SIGNAL_FIELDS = ("green", "yellow", "red", "non_verbal")

#: The hours a drop check may be set to: from an hour up to a week after a scene.
DROP_CHECK_RANGE = (1, 168)


def with_agreed(
    choices: SafetyPlanChoices, mutual_keys: Sequence[str], key: str, agreed: bool
) -> SafetyPlanChoices:
    """Tick or untick one mutual-yes activity (a `cell_key`).

    While nothing was chosen (`agreed` None: every mutual yes), the first change writes the
    whole list out, so an activity that becomes a mutual yes later is not agreed by itself.
    Keys no longer a mutual yes are kept: the engine reports them, and they come back if the
    answers do.
    """
    current = list(mutual_keys) if choices.agreed is None else list(choices.agreed)
    if agreed and key not in current:
        current.append(key)
    elif not agreed:
        current = [existing for existing in current if existing != key]
    return dataclasses.replace(choices, agreed=tuple(current))


def with_signal(choices: SafetyPlanChoices, field: str, value: str) -> SafetyPlanChoices:
    """Change one signal word (green, yellow, red) or the non-verbal signal."""
    signals = choices.signals
    if field == "green":
        signals = dataclasses.replace(signals, green=value)
    elif field == "yellow":
        signals = dataclasses.replace(signals, yellow=value)
    elif field == "red":
        signals = dataclasses.replace(signals, red=value)
    elif field == "non_verbal":
        signals = dataclasses.replace(signals, non_verbal=value)
    else:
        raise ValueError(f"not a signal: {field}")
    return dataclasses.replace(choices, signals=signals)


def with_non_verbal_required(choices: SafetyPlanChoices, required: bool) -> SafetyPlanChoices:
    """Ask for a non-verbal signal even when no gag or breath restriction is in view."""
    signals: Signals = dataclasses.replace(choices.signals, non_verbal_required=required)
    return dataclasses.replace(choices, signals=signals)


def with_aftercare(choices: SafetyPlanChoices, partner: str, text: str) -> SafetyPlanChoices:
    """What `partner` wants after a scene ("" leaves it to the intake's shared answer)."""
    aftercare = dict(choices.aftercare)
    if text:
        aftercare[partner] = text
    else:
        aftercare.pop(partner, None)
    return dataclasses.replace(choices, aftercare=aftercare)


def with_drop_check(choices: SafetyPlanChoices, start: int, end: int) -> SafetyPlanChoices:
    """The drop check, `start` to `end` hours after a scene (kept in range and in order)."""
    low, high = DROP_CHECK_RANGE
    start = max(low, min(start, high))
    end = max(start, min(end, high))
    return dataclasses.replace(choices, drop_check_hours=(start, end))


def with_extra_rules(choices: SafetyPlanChoices, rules: Iterable[str]) -> SafetyPlanChoices:
    return dataclasses.replace(choices, extra_rules=clean_items(rules))


def with_note(choices: SafetyPlanChoices, note: str) -> SafetyPlanChoices:
    return dataclasses.replace(choices, notes_for_couple=note)
