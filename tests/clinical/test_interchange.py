"""The interchange format: clean errors naming the JSON path, never a value; round trips."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from clinical.content import load_content
from clinical.errors import IntakeFormatError, ParleyError
from clinical.interchange import dump_intake, format_path, load_intake
from clinical.model import ActivityAnswer, PtsdScreenAnswer
from tests.clinical.helpers import OWN_CASES, SHARED_VIGNETTES, intake, partner

SECRET = "Kim-Example-private-answer"


def base() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SHARED_VIGNETTES / "ready-couple.intake.json").read_text())
    return data


def error_for(data: object) -> str:
    text = data if isinstance(data, str) else json.dumps(data)
    with pytest.raises(IntakeFormatError) as caught:
        load_intake(text)
    assert isinstance(caught.value, ParleyError)
    message = str(caught.value)
    assert "\n" not in message
    assert SECRET not in message
    return message


def changed(change: Any) -> dict[str, Any]:
    data = base()
    change(data)
    return data


def a(data: dict[str, Any]) -> dict[str, Any]:
    partner_a: dict[str, Any] = data["partners"][0]
    return partner_a


BAD_INPUTS = [
    (
        lambda d: a(d)["instruments"].update(phq9=[0, 1, 2]),
        "partners[0].instruments.phq9: expected exactly 9 items",
    ),
    (
        lambda d: a(d)["instruments"]["phq9"].__setitem__(3, 4),
        "partners[0].instruments.phq9[3]: out of range: expected 0 to 3",
    ),
    (
        lambda d: a(d)["instruments"]["phq9"].__setitem__(3, SECRET),
        "partners[0].instruments.phq9[3]: expected a whole number or null",
    ),
    (
        lambda d: a(d)["instruments"]["phq9"].__setitem__(0, 1.5),
        "partners[0].instruments.phq9[0]: expected a whole number or null",
    ),
    (
        lambda d: a(d)["instruments"]["phq9"].__setitem__(0, 1.0),
        "partners[0].instruments.phq9[0]: expected a whole number from 0 to 3",
    ),
    (
        lambda d: a(d)["instruments"]["phq9"].__setitem__(0, True),
        "partners[0].instruments.phq9[0]: expected a whole number or null",
    ),
    (
        lambda d: a(d)["instruments"].update(gad7=[0] * 8),
        "partners[0].instruments.gad7: expected exactly 7 items",
    ),
    (
        lambda d: a(d)["instruments"].update(audit_c=[0, 5, 0]),
        "partners[0].instruments.audit_c[1]: out of range: expected 0 to 4",
    ),
    (
        lambda d: a(d)["instruments"]["pc_ptsd5"].update(items=[1, 1, 1, 1]),
        "partners[0].instruments.pc_ptsd5.items: expected exactly 5 items",
    ),
    (
        lambda d: a(d)["instruments"]["pc_ptsd5"].update(items=[1, 1, 2, 1, 1]),
        "partners[0].instruments.pc_ptsd5.items[2]: out of range: expected 0 to 1",
    ),
    (
        lambda d: a(d)["instruments"]["pc_ptsd5"].pop("exposed"),
        "partners[0].instruments.pc_ptsd5.exposed: this key is required",
    ),
    (
        lambda d: a(d)["instruments"]["pc_ptsd5"].update(exposed="yes"),
        "partners[0].instruments.pc_ptsd5.exposed: expected true or false or null",
    ),
    (
        lambda d: a(d)["instruments"].update(dast10=[0] * 10),
        "partners[0].instruments.dast10: unknown key",
    ),
    (
        lambda d: a(d).update(audit_c_threshold=5),
        "partners[0].audit_c_threshold: expected one of 3, 4",
    ),
    (
        lambda d: a(d).update(audit_c_threshold=3.0),
        "partners[0].audit_c_threshold: expected 3 or 4",
    ),
    (
        lambda d: a(d)["facts"].update({"trauma.sexual_abuse": True}),
        "partners[0].facts.trauma.sexual_abuse: unknown fact id",
    ),
    (
        lambda d: d["partners"][1]["facts"].update({"sexual.desire": SECRET}),
        "partners[1].facts.sexual.desire: expected a whole number from 0 to 10",
    ),
    (
        lambda d: d["partners"][1]["facts"].update({"sexual.desire": 11}),
        "partners[1].facts.sexual.desire: expected a whole number from 0 to 10",
    ),
    (
        lambda d: a(d)["facts"].update({"sexual.pain": 1}),
        "partners[0].facts.sexual.pain: expected true or false",
    ),
    (
        lambda d: a(d)["facts"].update({"goals.hopes": 3}),
        "partners[0].facts.goals.hopes: expected text",
    ),
    (
        lambda d: a(d)["facts"].update({"goals.whose_idea": SECRET}),
        'partners[0].facts.goals.whose_idea: expected one of "mine", "partner", '
        '"shared", "not_sure"',
    ),
    (
        lambda d: a(d)["facts"].update({"phq9": 3}),
        "partners[0].facts.phq9: this is an instrument; give its items under instruments",
    ),
    (
        lambda d: a(d)["facts"].update({"Kim Example": True}),
        "partners[0].facts[…]: a key here is not a valid id",
    ),
    (
        lambda d: a(d)["facts"].update({"sexual.pain": [SECRET]}),
        "partners[0].facts.sexual.pain: expected true or false or a whole number or text",
    ),
    (
        lambda d: a(d)["activities"].update(choking={"giving": "yes"}),
        "partners[0].activities.choking: unknown activity id",
    ),
    (
        lambda d: a(d)["activities"]["blindfold"].update(giving=SECRET),
        'partners[0].activities.blindfold.giving: expected one of "yes", "maybe", "no", '
        '"limit", null',
    ),
    (
        lambda d: a(d)["activities"]["blindfold"].update(experience="lots"),
        'partners[0].activities.blindfold.experience: expected one of "none", "some", '
        '"experienced", null',
    ),
    (
        lambda d: a(d)["activities"]["blindfold"].update(role="top"),
        "partners[0].activities.blindfold.role: unknown key",
    ),
    (lambda d: d["partners"][1].update(key="A"), "partners[1].key: duplicate partner key"),
    (
        lambda d: d["partners"][1].update(key="B partner"),
        "partners[1].key: not in the expected form",
    ),
    (lambda d: a(d).pop("key"), "partners[0].key: this key is required"),
    (lambda d: a(d).update(nickname=SECRET), "partners[0].nickname: unknown key"),
    (lambda d: d.update(partners=d["partners"][:1]), "partners: expected at least 2 items"),
    (lambda d: d.update(partners={}), "partners: expected a list"),
    (
        lambda d: d["case"].update(confidentiality_policy="open"),
        'case.confidentiality_policy: expected one of "no-secrets", "limited-secrets"',
    ),
    (lambda d: d["case"].pop("label"), "case.label: this key is required"),
    (lambda d: d.pop("case"), "case: this key is required"),
    (
        lambda d: d["joint"]["facts"].update({"safety.afraid_of_partner": True}),
        "joint.facts.safety.afraid_of_partner: asked with each partner alone; "
        "it cannot be a joint answer",
    ),
    (
        lambda d: d["joint"].update(visibility={"nothing.here": "joint"}),
        "joint.visibility.nothing.here: unknown answer id",
    ),
    (
        lambda d: a(d).update(visibility={"sexual.pain": "private"}),
        'partners[0].visibility.sexual.pain: expected one of "joint", "clinician-only"',
    ),
    (
        lambda d: d.update(format="parley.intake/2"),
        'format: unsupported format; expected "parley.intake/1"',
    ),
    (lambda d: d.pop("format"), 'format: this key is required; expected "parley.intake/1"'),
]


@pytest.mark.parametrize(("change", "message"), BAD_INPUTS, ids=[m for _, m in BAD_INPUTS])
def test_bad_input_names_the_json_path(change: Any, message: str) -> None:
    assert error_for(changed(change)) == message


def test_malformed_json() -> None:
    message = error_for('{"format": "parley.intake/1", "case": {')
    assert message.startswith("(top level): not valid JSON at line 1, column ")


def test_not_an_object() -> None:
    assert error_for("[1, 2]") == "(top level): expected a JSON object"


def test_duplicate_keys_in_an_object() -> None:
    text = json.dumps(base()).replace(
        '"sexual.anxiety": 2', '"sexual.anxiety": 2, "sexual.anxiety": 9', 1
    )
    assert error_for(text) == "partners[0].facts.sexual.anxiety: this key appears more than once"


def test_deeply_nested_json_is_a_clean_error() -> None:
    assert "(top level)" in error_for("[" * 100_000 + "]" * 100_000)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(IntakeFormatError, match="no such file"):
        load_intake(tmp_path / "missing.json")
    with pytest.raises(IntakeFormatError, match="a folder"):
        load_intake(tmp_path)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(IntakeFormatError, match="not UTF-8"):
        load_intake(binary)
    empty = tmp_path / "empty.json"
    empty.write_text("")
    with pytest.raises(IntakeFormatError, match="not valid JSON"):
        load_intake(empty)


def test_path_formatting_hides_keys_that_are_not_ids() -> None:
    assert (
        format_path(["partners", 0, "instruments", "phq9", 3]) == "partners[0].instruments.phq9[3]"
    )
    assert format_path(["partners", 0, "facts", "Kim Example's answer"]) == "partners[0].facts[…]"
    assert format_path([]) == "(top level)"


def test_null_means_not_answered_yet() -> None:
    data = base()
    a(data)["instruments"]["phq9"][8] = None
    a(data)["activities"]["blindfold"]["receiving"] = None
    loaded = load_intake(json.dumps(data))
    assert loaded.partners[0].instruments["phq9"][8] is None
    assert loaded.partners[0].activities["blindfold"].receiving is None


def test_content_version_defaults_to_the_current_one_and_is_kept() -> None:
    loaded = load_intake(SHARED_VIGNETTES / "ready-couple.intake.json")
    assert loaded.content_version == load_content().version
    data = base()
    data["content_version"] = "2024.9"
    assert load_intake(json.dumps(data)).content_version == "2024.9"


ALL_FILES = sorted(SHARED_VIGNETTES.glob("*.intake.json")) + sorted(OWN_CASES.glob("*.intake.json"))


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_round_trip_of_every_example(path: Path) -> None:
    loaded = load_intake(path)
    text = dump_intake(loaded)
    assert load_intake(text) == loaded
    assert dump_intake(load_intake(text)) == text


def test_round_trip_of_a_built_intake_with_gaps_and_visibility() -> None:
    built = intake(
        partner(
            "A",
            {"goals.hopes": "Fictional hope, with “quotes” and ünïcode"},
            instruments={"phq9": (1, None, 0, 0, 0, 0, 0, 0, 0)},
            activities={"gag": ActivityAnswer(giving="maybe")},
            visibility={"goals.hopes": "clinician-only", "activity.gag": "joint"},
        ),
        partner("B", instruments={"pc_ptsd5": PtsdScreenAnswer(exposed=None)}),
        partner("C", benign=False),
        policy="no-secrets",
        joint_facts={"relationship.length": "1_to_3_years"},
        joint_visibility={"relationship.length": "joint"},
    )
    loaded = load_intake(dump_intake(built))
    assert loaded.partners == built.partners
    assert loaded.joint_facts == built.joint_facts
    assert loaded.joint_visibility == built.joint_visibility
    assert loaded.confidentiality_policy == "no-secrets"


def test_dump_refuses_what_load_would_refuse() -> None:
    bad = intake(partner("A", {"sexual.desire": 42}), partner("B"))
    with pytest.raises(IntakeFormatError, match=r"partners\[0\]\.facts\.sexual\.desire"):
        dump_intake(bad)


def test_loaded_answers_have_the_model_types() -> None:
    loaded = load_intake(SHARED_VIGNETTES / "trauma-role-reversal.intake.json")
    first = loaded.partners[0]
    assert first.instruments["phq9"] == (0,) * 9
    assert first.instruments["pc_ptsd5"] == PtsdScreenAnswer(exposed=True, items=(1, 1, 0, 1, 0))
    assert first.activities["role_reversal_power"] == ActivityAnswer("no", "yes", "some")
    assert first.facts["trauma.sexual_abuse_history"] is True
    assert copy.deepcopy(loaded) == loaded
