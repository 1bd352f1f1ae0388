"""Fuzz the `parley.intake/1` importer: whatever arrives, only a clean validation error.

Three sources of input, 2,000+ examples each run: arbitrary JSON, valid intakes with one
part mutated (a value of the wrong type or out of range, a key dropped or invented), and
arbitrary text. The importer must either return an Intake or raise IntakeFormatError whose
one-line message names a JSON path and never quotes the input (it may be client data).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinical.engine import evaluate
from clinical.errors import IntakeFormatError
from clinical.interchange import load_intake, parse_intake
from tests.clinical.strategies import intake_data

pytestmark = pytest.mark.reliability

#: Marks every string value the fuzzer invents, so a message quoting a value is caught.
#: Invented keys carry KEY_MARK instead: a JSON path may name a key (that is how it points at
#: the problem), but never a value.
MARK = "zq-fuzz-"
KEY_MARK = "zq-key-"
FUZZ = settings(
    max_examples=700,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

marked_text = st.text(max_size=12).map(lambda text: MARK + text)
marked_key = st.text(max_size=12).map(lambda text: KEY_MARK + text)
json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    marked_text,
)
json_value = st.recursive(
    json_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.one_of(marked_key, st.sampled_from(["format", "case", "partners",
            "joint", "facts", "key", "name", "instruments", "activities", "phq9"])), children,
            max_size=5),
    ),
    max_leaves=25,
)  # fmt: skip


def check(data: Any) -> None:
    try:
        intake = parse_intake(data)
    except IntakeFormatError as error:
        message = str(error)
        assert "\n" not in message
        assert MARK not in message, "an error message quoted the input"
        assert ":" in message  # "<json path>: <problem>"
    else:
        evaluate(intake)  # what imports must also evaluate


@FUZZ
@given(json_value)
def test_arbitrary_json_gives_only_clean_errors(data: Any) -> None:
    check(data)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def mutated_intakes(draw: st.DrawFn) -> Any:
    data = draw(intake_data())
    paths = [p for p in _paths(data) if p]
    target = draw(st.sampled_from(paths))
    mutated = copy.deepcopy(data)
    parent: Any = mutated
    for step in target[:-1]:
        parent = parent[step]
    last = target[-1]
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "delete" and isinstance(parent, dict):
        del parent[last]
    elif action == "add" and isinstance(parent, dict):
        parent[KEY_MARK + draw(st.text(max_size=6))] = draw(json_leaf)
    else:
        parent[last] = draw(
            st.one_of(json_leaf, st.integers(-5, 30), st.lists(st.integers(-2, 6), max_size=12))
        )
    return mutated


@FUZZ
@given(mutated_intakes())
def test_mutated_intakes_give_only_clean_errors(data: Any) -> None:
    check(data)


@FUZZ
@given(st.one_of(st.text(max_size=200).map(lambda t: MARK + t), st.binary(max_size=200)))
def test_arbitrary_text_gives_only_clean_errors(raw: str | bytes) -> None:
    text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
    # A leading brace makes load_intake read the argument as JSON text rather than a path.
    with pytest.raises(IntakeFormatError) as raised:
        load_intake("{" + text)
    assert MARK not in str(raised.value)
    assert "\n" not in str(raised.value)
