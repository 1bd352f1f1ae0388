"""Plain-JSON forms of the clinician's plans, for storing them with the case and exporting."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clinical.errors import ParleyError
from clinical.model import PacingPlan, PacingStage, SafetyPlanChoices, Signals


class PlanFormatError(ParleyError):
    """A stored plan could not be read back (its JSON is not the expected shape)."""


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PlanFormatError(f"{where}: expected a list of text")
    return tuple(value)


def _text(data: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise PlanFormatError(f"{where}.{key}: expected text")
    return value


def pacing_plan_to_json(plan: PacingPlan) -> dict[str, Any]:
    return {
        "template_id": plan.template_id,
        "title": plan.title,
        "plissit_level": plan.plissit_level,
        "current_stage": plan.current_stage,
        "exclusions": list(plan.exclusions),
        "stages": [
            {
                "title": stage.title,
                "typical_length": stage.typical_length,
                "homework": list(stage.homework),
                "check_ins": list(stage.check_ins),
                "advance_criteria": list(stage.advance_criteria),
                "stop_criteria": list(stage.stop_criteria),
            }
            for stage in plan.stages
        ],
    }


def pacing_plan_from_json(data: Any) -> PacingPlan:
    if not isinstance(data, Mapping):
        raise PlanFormatError("pacing plan: expected an object")
    stages_raw = data.get("stages")
    if not isinstance(stages_raw, list):
        raise PlanFormatError("pacing plan.stages: expected a list")
    stages = []
    for index, raw in enumerate(stages_raw):
        where = f"pacing plan.stages[{index}]"
        if not isinstance(raw, Mapping):
            raise PlanFormatError(f"{where}: expected an object")
        stages.append(
            PacingStage(
                title=_text(raw, "title", where),
                typical_length=_text(raw, "typical_length", where, ""),
                homework=_strings(raw.get("homework", []), f"{where}.homework"),
                check_ins=_strings(raw.get("check_ins", []), f"{where}.check_ins"),
                advance_criteria=_strings(
                    raw.get("advance_criteria", []), f"{where}.advance_criteria"
                ),
                stop_criteria=_strings(raw.get("stop_criteria", []), f"{where}.stop_criteria"),
            )
        )
    current = data.get("current_stage", 0)
    if not isinstance(current, int) or isinstance(current, bool):
        raise PlanFormatError("pacing plan.current_stage: expected a whole number")
    return PacingPlan(
        template_id=_text(data, "template_id", "pacing plan"),
        title=_text(data, "title", "pacing plan"),
        plissit_level=_text(data, "plissit_level", "pacing plan", ""),
        stages=tuple(stages),
        current_stage=max(0, min(current, max(len(stages) - 1, 0))),
        exclusions=_strings(data.get("exclusions", []), "pacing plan.exclusions"),
    )


def safety_choices_to_json(choices: SafetyPlanChoices) -> dict[str, Any]:
    signals = choices.signals
    return {
        "agreed": None if choices.agreed is None else list(choices.agreed),
        "signals": {
            "green": signals.green,
            "yellow": signals.yellow,
            "red": signals.red,
            "non_verbal": signals.non_verbal,
        },
        "aftercare": dict(choices.aftercare),
        "drop_check_hours": list(choices.drop_check_hours),
        "extra_rules": list(choices.extra_rules),
        "notes_for_couple": choices.notes_for_couple,
    }


def safety_choices_from_json(data: Any) -> SafetyPlanChoices:
    if not isinstance(data, Mapping):
        raise PlanFormatError("safety plan: expected an object")
    agreed_raw = data.get("agreed")
    agreed = None if agreed_raw is None else _strings(agreed_raw, "safety plan.agreed")
    signals_raw = data.get("signals", {})
    if not isinstance(signals_raw, Mapping):
        raise PlanFormatError("safety plan.signals: expected an object")
    defaults = Signals()
    signals = Signals(
        green=_text(signals_raw, "green", "safety plan.signals", defaults.green),
        yellow=_text(signals_raw, "yellow", "safety plan.signals", defaults.yellow),
        red=_text(signals_raw, "red", "safety plan.signals", defaults.red),
        non_verbal=_text(signals_raw, "non_verbal", "safety plan.signals", ""),
    )
    aftercare_raw = data.get("aftercare", {})
    if not isinstance(aftercare_raw, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in aftercare_raw.items()
    ):
        raise PlanFormatError("safety plan.aftercare: expected text per partner")
    hours = data.get("drop_check_hours", [24, 72])
    if (
        not isinstance(hours, list)
        or len(hours) != 2
        or not all(isinstance(h, int) and not isinstance(h, bool) for h in hours)
    ):
        raise PlanFormatError("safety plan.drop_check_hours: expected two whole numbers")
    return SafetyPlanChoices(
        agreed=agreed,
        signals=signals,
        aftercare=dict(aftercare_raw),
        drop_check_hours=(hours[0], hours[1]),
        extra_rules=_strings(data.get("extra_rules", []), "safety plan.extra_rules"),
        notes_for_couple=_text(data, "notes_for_couple", "safety plan", ""),
    )
