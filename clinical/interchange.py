"""The interchange format `parley.intake/1`: load, validate and dump one intake as JSON.

Validation runs in two steps: the JSON Schema shipped in clinical/content/intake.schema.json
(draft 2020-12, checked with jsonschema) for the shape, then semantic checks against the
clinical content (unknown ids, value types and ranges per question, unique partner keys).
Every problem raises IntakeFormatError naming the JSON path, e.g.
``partners[0].instruments.phq9: expected exactly 9 items``. Messages never quote an input value,
since values may be client data: they give paths and expected types only.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from clinical.content import CONTENT_DIR, Content, load_content
from clinical.errors import IntakeFormatError
from clinical.model import (
    ActivityAnswer,
    FactValue,
    InstrumentAnswer,
    Intake,
    PartnerIntake,
    PtsdScreenAnswer,
    Visibility,
)

FORMAT = "parley.intake/1"
SCHEMA_PATH = CONTENT_DIR / "intake.schema.json"
#: Larger files are refused before parsing: an intake is a few kilobytes.
MAX_BYTES = 5_000_000

_SAFE_KEY = re.compile(r"^[A-Za-z0-9_.\-]{1,120}$")
_TYPE_WORDS = {
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "object": "an object",
    "array": "a list",
    "null": "null",
}

PathPart = str | int


def format_path(parts: Sequence[PathPart]) -> str:
    """A JSON path as people read it: ``partners[0].facts.sexual.desire``.

    Keys that are not plain ids are shown as ``[…]``: a key could be anything, even client data.
    """
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _SAFE_KEY.match(part):
            text += f".{part}" if text else part
        else:
            text += "[…]"
    return text or "(top level)"


def _fail(parts: Sequence[PathPart], problem: str) -> IntakeFormatError:
    return IntakeFormatError(f"{format_path(parts)}: {problem}")


@functools.cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


# ------------------------------------------------------------------------------- JSON parsing


class _DuplicateKeyObject(dict[str, Any]):
    """A JSON object that repeated a key; the first repeated key is kept for the message."""

    duplicate: str = ""


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    duplicate = None
    for key, value in pairs:
        if key in result and duplicate is None:
            duplicate = key
        result[key] = value
    if duplicate is None:
        return result
    marked = _DuplicateKeyObject(result)
    marked.duplicate = duplicate
    return marked


def _find_duplicate(value: Any, parts: list[PathPart]) -> None:
    if isinstance(value, _DuplicateKeyObject):
        raise _fail([*parts, value.duplicate], "this key appears more than once")
    if isinstance(value, dict):
        for key, child in value.items():
            _find_duplicate(child, [*parts, key])
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _find_duplicate(child, [*parts, index])


def _parse_json(text: str) -> Any:
    try:
        data = json.loads(text, object_pairs_hook=_object_without_duplicates)
    except json.JSONDecodeError as error:
        # error.msg describes the syntax only ("Expecting ',' delimiter"), never the content.
        raise IntakeFormatError(
            f"(top level): not valid JSON at line {error.lineno}, column {error.colno} "
            f"({error.msg})"
        ) from None
    except RecursionError:
        raise IntakeFormatError("(top level): the JSON is nested too deeply") from None
    _find_duplicate(data, [])
    return data


# ------------------------------------------------------------------------- schema validation


def _schema_message(error: ValidationError) -> tuple[list[PathPart], str]:
    """Our own wording for a schema error: jsonschema's messages quote the input value."""
    parts: list[PathPart] = list(error.absolute_path)
    kind = error.validator
    expected = error.validator_value
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    instance = error.instance
    if kind == "type":
        types = [expected] if isinstance(expected, str) else list(expected)
        return parts, "expected " + " or ".join(_TYPE_WORDS.get(t, t) for t in types)
    if kind == "const":
        return parts, f"expected {json.dumps(expected)}"
    if kind == "enum":
        return parts, "expected one of " + ", ".join(json.dumps(v) for v in expected)
    if kind == "required":
        missing = [key for key in expected if isinstance(instance, dict) and key not in instance]
        return [*parts, missing[0] if missing else "?"], "this key is required"
    if kind == "additionalProperties":
        allowed = set(schema.get("properties", {}))
        extra = [k for k in instance if k not in allowed] if isinstance(instance, dict) else []
        return [*parts, extra[0] if extra else "?"], "unknown key"
    if kind == "propertyNames" or "propertyNames" in error.absolute_schema_path:
        return [*parts, "…"], "a key here is not a valid id"
    if kind in {"minItems", "maxItems"}:
        low, high = schema.get("minItems"), schema.get("maxItems")
        if low is not None and low == high:
            return parts, f"expected exactly {low} items"
        if kind == "minItems":
            return parts, f"expected at least {low} items"
        return parts, f"expected at most {high} items"
    if kind in {"minimum", "maximum"}:
        return parts, f"out of range: expected {schema.get('minimum')} to {schema.get('maximum')}"
    if kind == "maxLength":
        return parts, f"too long: at most {expected} characters"
    if kind == "pattern":
        return parts, "not in the expected form"
    return parts, "does not match the intake format"


def _validate_schema(data: Any) -> None:
    if not isinstance(data, dict):
        raise IntakeFormatError("(top level): expected a JSON object")
    if data.get("format") != FORMAT:
        problem = "this key is required" if "format" not in data else "unsupported format"
        raise IntakeFormatError(f"format: {problem}; expected {json.dumps(FORMAT)}")
    errors = list(_validator().iter_errors(data))
    if errors:
        # The error deepest in the document is the most specific one to report.
        error = best_match(sorted(errors, key=lambda e: -len(e.absolute_path)))
        parts, problem = _schema_message(error)
        raise _fail(parts, problem)


# ------------------------------------------------------------------------- semantic checks


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_fact(
    content: Content, fact_id: str, value: Any, parts: list[PathPart], joint: bool
) -> FactValue:
    question = content.questionnaire.question(fact_id)
    if question is None:
        raise _fail(parts, "unknown fact id")
    if question.type == "instrument":
        raise _fail(parts, "this is an instrument; give its items under instruments")
    if joint and question.asked_alone:
        raise _fail(parts, "asked with each partner alone; it cannot be a joint answer")
    if question.type == "yes_no":
        if not isinstance(value, bool):
            raise _fail(parts, "expected true or false")
        return value
    if question.type == "scale":
        assert question.min is not None  # validated content
        assert question.max is not None
        if not _is_whole(value) or not question.min <= value <= question.max:
            raise _fail(parts, f"expected a whole number from {question.min} to {question.max}")
        return int(value)
    if not isinstance(value, str):
        raise _fail(parts, "expected text")
    if question.type == "choice" and value not in {option.value for option in question.options}:
        raise _fail(
            parts, "expected one of " + ", ".join(json.dumps(o.value) for o in question.options)
        )
    return value


def _items(
    values: Any, count: int, low: int, high: int, parts: list[PathPart]
) -> tuple[int | None, ...]:
    if not isinstance(values, list) or len(values) != count:
        raise _fail(parts, f"expected exactly {count} items")
    items: list[int | None] = []
    for index, value in enumerate(values):
        if value is None:
            items.append(None)
        elif _is_whole(value) and low <= value <= high:
            items.append(int(value))
        else:
            raise _fail([*parts, index], f"expected a whole number from {low} to {high}")
    return tuple(items)


def _check_instruments(
    content: Content, raw: Mapping[str, Any], parts: list[PathPart]
) -> dict[str, InstrumentAnswer]:
    answers: dict[str, InstrumentAnswer] = {}
    for instrument_id, value in raw.items():
        where = [*parts, instrument_id]
        instrument = content.instruments.get(instrument_id)
        if instrument is None:
            raise _fail(where, "unknown instrument id")
        low, high, count = instrument.item_min, instrument.item_max, instrument.item_count
        if instrument.gate is not None:
            if not isinstance(value, dict):
                raise _fail(where, "expected an object with exposed and items")
            exposed = value.get("exposed")
            raw_items = value.get("items", [None] * count)
            items = _items(raw_items, count, low, high, [*where, "items"])
            answers[instrument_id] = PtsdScreenAnswer(exposed=exposed, items=items)
        else:
            answers[instrument_id] = _items(value, count, low, high, where)
    return answers


def _check_activities(
    content: Content, raw: Mapping[str, Any], parts: list[PathPart]
) -> dict[str, ActivityAnswer]:
    answers: dict[str, ActivityAnswer] = {}
    for activity_id, value in raw.items():
        if activity_id not in content.activities:
            raise _fail([*parts, activity_id], "unknown activity id")
        answers[activity_id] = ActivityAnswer(
            giving=value.get("giving"),
            receiving=value.get("receiving"),
            experience=value.get("experience"),
        )
    return answers


def _answer_ids(content: Content) -> set[str]:
    ids = {question.id for question in content.questionnaire.questions()}
    ids.update(f"activity.{activity_id}" for activity_id in content.activities)
    return ids


def _check_visibility(
    known: set[str], raw: Mapping[str, Any], parts: list[PathPart]
) -> dict[str, Visibility]:
    for answer_id in raw:
        if answer_id not in known:
            raise _fail([*parts, answer_id], "unknown answer id")
    return dict(raw)


def _build_partner(
    content: Content, raw: Mapping[str, Any], index: int, answer_ids: set[str]
) -> PartnerIntake:
    parts: list[PathPart] = ["partners", index]
    threshold = raw.get("audit_c_threshold", 3)
    if not _is_whole(threshold):
        raise _fail([*parts, "audit_c_threshold"], "expected 3 or 4")
    facts = {
        fact_id: _check_fact(content, fact_id, value, [*parts, "facts", fact_id], joint=False)
        for fact_id, value in raw.get("facts", {}).items()
    }
    return PartnerIntake(
        key=raw["key"],
        name=raw.get("name", ""),
        audit_c_threshold=int(threshold),
        facts=facts,
        instruments=_check_instruments(
            content, raw.get("instruments", {}), [*parts, "instruments"]
        ),
        activities=_check_activities(content, raw.get("activities", {}), [*parts, "activities"]),
        visibility=_check_visibility(answer_ids, raw.get("visibility", {}), [*parts, "visibility"]),
    )


def parse_intake(data: Any, content: Content | None = None) -> Intake:
    """Validate already-parsed JSON data and build the Intake.

    Raises:
        IntakeFormatError: naming the JSON path of the first problem.
    """
    content = content or load_content()
    _validate_schema(data)
    answer_ids = _answer_ids(content)
    partners = tuple(
        _build_partner(content, raw, index, answer_ids)
        for index, raw in enumerate(data["partners"])
    )
    seen: set[str] = set()
    for index, partner in enumerate(partners):
        if partner.key in seen:
            raise _fail(["partners", index, "key"], "duplicate partner key")
        seen.add(partner.key)
    joint = data.get("joint", {})
    joint_facts = {
        fact_id: _check_fact(content, fact_id, value, ["joint", "facts", fact_id], joint=True)
        for fact_id, value in joint.get("facts", {}).items()
    }
    return Intake(
        label=data["case"]["label"],
        confidentiality_policy=data["case"]["confidentiality_policy"],
        partners=partners,
        joint_facts=joint_facts,
        joint_visibility=_check_visibility(
            answer_ids, joint.get("visibility", {}), ["joint", "visibility"]
        ),
        content_version=data.get("content_version", content.version),
    )


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise IntakeFormatError(f"cannot read the intake file {path.name}: no such file") from None
    except IsADirectoryError:
        raise IntakeFormatError(f"cannot read the intake file {path.name}: a folder") from None
    except OSError as error:
        raise IntakeFormatError(
            f"cannot read the intake file {path.name}: {error.strerror}"
        ) from None
    if len(raw) > MAX_BYTES:
        raise IntakeFormatError(
            f"the intake file {path.name} is larger than {MAX_BYTES // 1_000_000} MB"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IntakeFormatError(f"the intake file {path.name} is not UTF-8 text") from None


def load_intake(path_or_text: Path | str, content: Content | None = None) -> Intake:
    """Load an intake from a file, or from JSON text.

    Args:
        path_or_text: a Path, or a str: JSON text when it starts with "{" or "[" (after
            whitespace), otherwise a file path.
        content: the clinical content to check ids against; None for the shipped content.

    Raises:
        IntakeFormatError: unreadable file, malformed JSON, a wrong "format", or any schema or
            semantic problem; the message names the JSON path and never quotes a value.
    """
    if isinstance(path_or_text, str) and path_or_text.lstrip()[:1] in {"{", "["}:
        text = path_or_text
    else:
        text = _read_text(Path(path_or_text))
    return parse_intake(_parse_json(text), content)


def _instrument_json(answer: InstrumentAnswer) -> Any:
    if isinstance(answer, PtsdScreenAnswer):
        return {"exposed": answer.exposed, "items": list(answer.items)}
    return list(answer)


def _partner_json(partner: PartnerIntake) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": partner.key,
        "name": partner.name,
        "audit_c_threshold": partner.audit_c_threshold,
        "facts": dict(partner.facts),
        "instruments": {k: _instrument_json(v) for k, v in partner.instruments.items()},
        "activities": {
            activity_id: {
                "giving": answer.giving,
                "receiving": answer.receiving,
                "experience": answer.experience,
            }
            for activity_id, answer in partner.activities.items()
        },
    }
    if partner.visibility:
        data["visibility"] = dict(partner.visibility)
    return data


def intake_to_json(intake: Intake, content: Content | None = None) -> dict[str, Any]:
    """The intake as plain JSON data in `parley.intake/1`."""
    content = content or load_content()
    joint: dict[str, Any] = {"facts": dict(intake.joint_facts)}
    if intake.joint_visibility:
        joint["visibility"] = dict(intake.joint_visibility)
    return {
        "format": FORMAT,
        "content_version": intake.content_version or content.version,
        "case": {
            "label": intake.label,
            "confidentiality_policy": intake.confidentiality_policy,
        },
        "partners": [_partner_json(partner) for partner in intake.partners],
        "joint": joint,
    }


def dump_intake(intake: Intake, content: Content | None = None) -> str:
    """The intake as `parley.intake/1` JSON text; `load_intake` reads it back unchanged.

    The output is validated like any input, so a file Parley writes always loads again.

    Raises:
        IntakeFormatError: the intake holds something the format cannot carry (an unknown id,
            a value out of range ...), named by its JSON path.
    """
    data = intake_to_json(intake, content)
    parse_intake(data, content)
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"
