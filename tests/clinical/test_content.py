"""The shipped content is complete, and broken content fails loudly, naming file and key."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from clinical.content import CONTENT_DIR, load_content
from clinical.errors import ContentError, ParleyError

# DOMAIN.md, "Canonical ids": every id with its value type.
CANONICAL_FACTS = {
    **dict.fromkeys(
        [
            "trauma.sexual_abuse_history",
            "trauma.other_abuse_history",
            "trauma.in_treatment",
            "trauma.expects_activity_to_touch_trauma",
            "safety.afraid_of_partner",
            "safety.humiliated_or_controlled",
            "safety.forced_sexual_activity",
            "safety.physically_hurt_by_partner",
            "safety.strangled_by_partner",
            "safety.pressured_to_try_kink",
            "safety.can_say_no_freely",
            "suicide.thoughts_past_month",
            "suicide.plan_or_intent",
            "suicide.attempt_past_3_months",
            "sexual.pain",
            "communication.agrees_on_what_is_consensual",
            "communication.limit_or_safeword_ignored_before",
            "medical.cardiovascular",
            "medical.uncontrolled_hypertension",
            "medical.chronic_pain",
            "medical.joint_or_back_problems",
            "medical.diabetes",
            "medical.asthma_or_respiratory",
            "medical.epilepsy",
            "medical.pregnant",
            "medical.anticoagulants",
            "medical.pde5_inhibitors",
            "medical.nitrates_or_poppers",
            "medical.ssri_snri",
            "mental.in_treatment",
            "substance.use_during_sex",
            "substance.drug_use_problem",
            "knowledge.learned_only_online",
            "knowledge.knows_safeword_practice",
        ],
        ("yes_no", None, None),
    ),
    "sexual.anxiety": ("scale", 0, 10),
    "sexual.desire": ("scale", 0, 10),
    "communication.can_discuss_fantasies": ("scale", 0, 4),
}

TIERS = {
    "verbal_roleplay": "low",
    "blindfold": "low",
    "sensation_play": "low",
    "light_restraint": "low",
    "impact_light": "moderate",
    "humiliation_light": "moderate",
    "power_exchange_scene": "moderate",
    "role_reversal_power": "moderate",
    "role_reversal_gender": "moderate",
    "strap_on_penetration": "moderate",
    "gag": "moderate",
    "significant_restraint": "high",
    "impact_heavy": "high",
    "humiliation_intense": "high",
    "consensual_non_consent": "high",
    "breath_play": "no-safe-practice",
}
DEMANDING = {
    "impact_light",
    "impact_heavy",
    "significant_restraint",
    "consensual_non_consent",
    "strap_on_penetration",
    "breath_play",
}


# ------------------------------------------------------------------------- shipped content


def test_content_loads_once_and_has_a_version() -> None:
    content = load_content()
    assert content is load_content()  # cached
    assert content.version


def test_every_canonical_fact_id_exists_with_its_type() -> None:
    questionnaire = load_content().questionnaire
    for fact_id, (kind, low, high) in CANONICAL_FACTS.items():
        question = questionnaire.question(fact_id)
        assert question is not None, fact_id
        assert (question.type, question.min, question.max) == (kind, low, high), fact_id


def test_the_eight_sections_in_order() -> None:
    titles = [section.title for section in load_content().questionnaire.sections]
    assert titles == [
        "Relationship and goals",
        "Communication and consent",
        "Activities and roles",
        "Sexual health",
        "Medical",
        "Mental health and substances",
        "Trauma",
        "Partner safety",
    ]


def test_every_question_has_a_label_and_instruments_are_asked() -> None:
    questionnaire = load_content().questionnaire
    for question in questionnaire.questions():
        assert question.label.strip(), question.id
    asked = [q.instrument for q in questionnaire.questions() if q.type == "instrument"]
    assert sorted(asked) == ["audit_c", "gad7", "pc_ptsd5", "phq9"]


def test_private_items_are_clinician_only_asked_alone_and_labelled_as_ours() -> None:
    for question in load_content().questionnaire.questions():
        prefix = question.id.split(".")[0]
        if prefix in {"safety", "suicide", "substance"}:
            assert question.always_clinician_only, question.id
            assert question.asked_alone, question.id
            assert question.default_visibility == "clinician-only"
            assert question.visibility_under("no-secrets") == "clinician-only"
        if prefix in {"safety", "suicide"}:
            assert question.note == "Parley's own questions, not a validated instrument."


def test_no_own_item_is_labelled_as_a_licensed_instrument() -> None:
    text = (CONTENT_DIR / "questionnaire.toml").read_text()
    for name in ("HITS", "HARK", "WAST", "C-SSRS", "Columbia"):
        assert name not in text


def test_instrument_wording_and_scoring() -> None:
    instruments = load_content().instruments
    phq9 = instruments["phq9"]
    assert phq9.stem == (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert phq9.items[8].text == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert phq9.items[8].critical
    assert next(a.label for a in instruments["gad7"].anchors) == "Not at all"
    assert instruments["pc_ptsd5"].gate is not None
    assert instruments["pc_ptsd5"].gate.question == "Have you ever experienced this kind of event?"
    audit = instruments["audit_c"]
    assert [o.label for o in audit.items[0].options] == [
        "Never",
        "Monthly or less",
        "2–4 times a month",
        "2–3 times a week",
        "4 or more times a week",
    ]
    assert "standard drink" in audit.note
    assert audit.partner_threshold is not None
    assert audit.partner_threshold.allowed == (3, 4)
    assert audit.partner_threshold.default == 3
    for instrument in instruments.values():
        assert instrument.public_domain
        assert instrument.attribution


def test_catalogue_tiers_and_demands_match_the_domain() -> None:
    activities = load_content().activities
    assert {a: activities[a].tier for a in TIERS} == TIERS
    assert {a for a, spec in activities.items() if spec.physically_demanding} == DEMANDING
    assert activities["role_reversal_power"].paired_with == ("power_exchange_scene",)
    assert activities["breath_play"].never_in_plan
    assert all(spec.safety_notes for spec in activities.values())


def test_templates_cover_the_domain_with_stages_and_exclusions() -> None:
    content = load_content()
    assert set(content.templates) >= {
        "communication-first",
        "sensate-focus-foundation",
        "graduated-kink-exploration",
        "trauma-informed-slow-track",
        "role-reversal-introduction",
        "maintenance-and-lapse",
    }
    exclusions = " ".join(content.pacing.exclusions).lower()
    for excluded in ("breath play", "self-bondage", "intoxicated"):
        assert excluded in exclusions
    for template in content.templates.values():
        assert template.stages
        homework = " ".join(h for stage in template.stages for h in stage.homework)
        assert "24–72 hours" in homework, template.id


def test_every_rule_cites_the_research() -> None:
    for rule in load_content().rules:
        assert rule.sources
        for source in rule.sources:
            assert re.match(r"clinical-research\.md §\d", source)


# -------------------------------------------------------------------------- broken content


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    return folder


def edit(folder: Path, name: str, change: Callable[[str], str]) -> None:
    path = folder / name
    before = path.read_text()
    after = change(before)
    assert after != before, "the test's edit did not apply"
    path.write_text(after)


def load_error(folder: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    assert isinstance(caught.value, ParleyError)
    return str(caught.value)


def test_the_copy_loads_unchanged(content_copy: Path) -> None:
    assert load_content(content_copy).version == load_content().version


def test_rule_naming_an_unknown_fact_id(content_copy: Path) -> None:
    edit(
        content_copy,
        "indicators.toml",
        lambda t: t.replace(
            'condition = "trauma.sexual_abuse_history or trauma.other_abuse_history"',
            'condition = "trauma.sexual_abuse or trauma.other_abuse_history"',
        ),
    )
    assert load_error(content_copy) == (
        "indicators.toml: rules[4].condition: unknown fact id 'trauma.sexual_abuse'"
    )


def test_rule_naming_an_unknown_activity(content_copy: Path) -> None:
    edit(
        content_copy,
        "indicators.toml",
        lambda t: t.replace('any_interest("breath_play")', 'any_interest("choking")'),
    )
    message = load_error(content_copy)
    assert message.startswith("indicators.toml: rules[16].condition: unknown activity id 'choking'")


def test_level_threshold_out_of_the_instrument_range(content_copy: Path) -> None:
    edit(
        content_copy,
        "indicators.toml",
        lambda t: t.replace('total("phq9") >= 15', 'total("phq9") >= 30'),
    )
    assert load_error(content_copy) == (
        "indicators.toml: rules[8].levels[0].condition: threshold 30 is outside the range of "
        'total("phq9") (0..27)'
    )


def test_scale_threshold_out_of_range(content_copy: Path) -> None:
    edit(
        content_copy,
        "indicators.toml",
        lambda t: t.replace("sexual.anxiety >= 7", "sexual.anxiety >= 70"),
    )
    assert "rules[6].condition: threshold 70 is outside the range" in load_error(content_copy)


def test_instrument_cutoff_out_of_range(content_copy: Path) -> None:
    edit(content_copy, "instruments.toml", lambda t: t.replace("cutoff = 10", "cutoff = 40", 1))
    assert load_error(content_copy) == (
        "instruments.toml: instruments[0].cutoff: cut-off 40 is outside the total's range 0..27"
    )


def test_band_gap(content_copy: Path) -> None:
    edit(
        content_copy,
        "instruments.toml",
        lambda t: t.replace(
            '{ id = "mild", label = "Mild", min = 5, max = 9 }',
            '{ id = "mild", label = "Mild", min = 6, max = 9 }',
            1,
        ),
    )
    assert load_error(content_copy).startswith("instruments.toml: instruments[0].bands[1]:")


def test_partner_threshold_out_of_range(content_copy: Path) -> None:
    edit(
        content_copy,
        "instruments.toml",
        lambda t: t.replace("allowed = [3, 4]", "allowed = [3, 14]"),
    )
    assert load_error(content_copy).startswith(
        "instruments.toml: instruments[3].partner_threshold.allowed[1]: threshold 14"
    )


def test_template_without_stages(content_copy: Path) -> None:
    extra = """
[[templates]]
id = "no-stages"
title = "No stages"
summary = "Broken on purpose."
plissit_level = "P"
sources = ["clinical-research.md §3.5"]
suggest_when = [{ always = true, weight = 1, reason = "Test." }]
stages = []
"""
    edit(content_copy, "pacing.toml", lambda t: t + extra)
    message = load_error(content_copy)
    assert message.startswith("pacing.toml: templates[6].stages: ")
    assert "at least 1 item" in message


def test_template_with_stages_missing(content_copy: Path) -> None:
    extra = """
[[templates]]
id = "no-stages"
title = "No stages"
summary = "Broken on purpose."
plissit_level = "P"
sources = ["clinical-research.md §3.5"]
suggest_when = [{ always = true, weight = 1, reason = "Test." }]
"""
    edit(content_copy, "pacing.toml", lambda t: t + extra)
    assert load_error(content_copy) == "pacing.toml: templates[6].stages: Field required"


def test_template_suggested_by_an_unknown_indicator(content_copy: Path) -> None:
    edit(
        content_copy,
        "pacing.toml",
        lambda t: t.replace(
            'indicators = ["communication-breakdown"]', 'indicators = ["talking-trouble"]'
        ),
    )
    assert load_error(content_copy) == (
        "pacing.toml: templates[0].suggest_when[0].indicators: "
        "unknown indicator id 'talking-trouble'"
    )


def test_rule_without_sources(content_copy: Path) -> None:
    edit(
        content_copy,
        "indicators.toml",
        lambda t: t.replace(
            'sources = [\n  "clinical-research.md §2.6 (pain)",\n'
            '  "clinical-research.md §1.5 (sexual dysfunction: medical review)",\n]',
            "sources = []",
        ),
    )
    message = load_error(content_copy)
    assert message.startswith("indicators.toml: rules[21].sources: ")


def test_source_that_does_not_trace_to_the_research(content_copy: Path) -> None:
    edit(
        content_copy,
        "indicators.toml",
        lambda t: t.replace('"clinical-research.md §2.6 (pain)"', '"a blog post"'),
    )
    assert load_error(content_copy).startswith(
        "indicators.toml: rules[21].sources[0]: a source must read"
    )


def test_misspelt_key(content_copy: Path) -> None:
    edit(
        content_copy,
        "indicators.toml",
        lambda t: t.replace('id = "sexual-pain"\nseverity', 'id = "sexual-pain"\nseverty'),
    )
    assert load_error(content_copy).startswith("indicators.toml: rules[21].")


def test_unknown_severity(content_copy: Path) -> None:
    edit(
        content_copy,
        "indicators.toml",
        lambda t: t.replace(
            'severity = "medical"\nscope = "partner"\ntitle = "Pain',
            'severity = "urgent"\nscope = "partner"\ntitle = "Pain',
        ),
    )
    assert load_error(content_copy).startswith("indicators.toml: rules[21].severity: ")


def test_one_way_role_reversal_pair(content_copy: Path) -> None:
    edit(
        content_copy,
        "activities.toml",
        lambda t: t.replace('paired_with = ["role_reversal_power"]\n', "", 1),
    )
    assert "pairs go both ways" in load_error(content_copy)


def test_breath_play_must_never_be_in_a_plan(content_copy: Path) -> None:
    edit(content_copy, "activities.toml", lambda t: t.replace("never_in_plan = true\n", ""))
    assert load_error(content_copy).startswith("activities.toml: activities[15].never_in_plan:")


def test_non_public_domain_instrument_is_refused(content_copy: Path) -> None:
    edit(
        content_copy,
        "instruments.toml",
        lambda t: t.replace("public_domain = true", "public_domain = false", 1),
    )
    assert load_error(content_copy).startswith("instruments.toml: instruments[0].public_domain:")


def test_disposition_table_order(content_copy: Path) -> None:
    edit(
        content_copy,
        "triage.toml",
        lambda t: t.replace('id = "therapy-essential"', 'id = "lower-risk-start"', 1),
    )
    assert load_error(content_copy).startswith("triage.toml: dispositions: list the dispositions")


def test_medical_point_on_a_clinician_only_answer(content_copy: Path) -> None:
    edit(content_copy, "safety.toml", lambda t: t + '"substance.use_during_sex" = "Never."\n')
    assert load_error(content_copy) == (
        "safety.toml: medical_points.substance.use_during_sex: a clinician-only answer can never "
        "appear on the couple's plan"
    )


def test_invalid_toml(content_copy: Path) -> None:
    edit(content_copy, "manifest.toml", lambda t: t + "\nversion = \n")
    assert load_error(content_copy).startswith("manifest.toml: not valid TOML: ")


def test_missing_file(content_copy: Path) -> None:
    (content_copy / "safety.toml").unlink()
    assert load_error(content_copy).startswith("safety.toml: the file is missing")


def test_duplicate_question_id(content_copy: Path) -> None:
    edit(
        content_copy,
        "questionnaire.toml",
        lambda t: t.replace('id = "goals.worries"', 'id = "goals.hopes"'),
    )
    assert "duplicate id 'goals.hopes'" in load_error(content_copy)
