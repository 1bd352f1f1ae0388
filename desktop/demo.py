"""A demo practice of fictional couples that exercises every screen; it says so everywhere.

Every name here is invented and marked "(fictional)"; every case is flagged `is_demo`, which
the case list and the workspace show as "DEMO, fictional". Nothing here is a real client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinical.content import load_content
from clinical.interchange import parse_intake
from clinical.model import CrisisContact, Signals
from clinical.pacing import plan_from_template
from db.services import answers as answer_service
from db.services import cases as case_service
from db.services import plans as plan_service
from db.services import practice as practice_service
from db.services.notes_demo import add_demo_history
from db.services.types import NewCase, NewPartner, PracticeSettingsChanges
from db.vault import Vault

DEMO_CLINICIAN = "Dr Robin Demo (fictional)"

#: Answers every demo partner gives unless a couple says otherwise: calm, able to talk.
_CALM_FACTS: Mapping[str, Any] = {
    "communication.can_discuss_fantasies": 3,
    "communication.agrees_on_what_is_consensual": True,
    "communication.limit_or_safeword_ignored_before": False,
    "safety.afraid_of_partner": False,
    "safety.humiliated_or_controlled": False,
    "safety.forced_sexual_activity": False,
    "safety.physically_hurt_by_partner": False,
    "safety.strangled_by_partner": False,
    "safety.can_say_no_freely": True,
    "safety.pressured_to_try_kink": False,
    "suicide.thoughts_past_month": False,
    "sexual.anxiety": 2,
    "sexual.desire": 6,
    "sexual.pain": False,
    "knowledge.knows_safeword_practice": True,
    "trauma.sexual_abuse_history": False,
    "trauma.other_abuse_history": False,
    "substance.use_during_sex": False,
    "substance.drug_use_problem": False,
}
_CALM_INSTRUMENTS: Mapping[str, Any] = {
    "phq9": [0, 1, 0, 1, 0, 0, 0, 0, 0],
    "gad7": [1, 0, 0, 1, 0, 0, 0],
    "pc_ptsd5": {"exposed": False, "items": [0, 0, 0, 0, 0]},
    "audit_c": [1, 0, 0],
}


@dataclass(frozen=True)
class DemoPartner:
    name: str
    pronouns: str
    facts: Mapping[str, Any] = field(default_factory=dict)
    instruments: Mapping[str, Any] = field(default_factory=dict)
    activities: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    audit_c_threshold: int = 3


@dataclass(frozen=True)
class DemoCouple:
    label: str
    policy: str
    partners: tuple[DemoPartner, ...]
    joint: Mapping[str, Any] = field(default_factory=dict)
    template: str | None = None
    acknowledge: tuple[tuple[str, str], ...] = ()
    non_verbal: str = ""
    aftercare: Mapping[str, str] = field(default_factory=dict)
    goals: str = ""


def _act(giving: str, receiving: str, experience: str = "some") -> tuple[str, str, str]:
    return (giving, receiving, experience)


DEMO_COUPLES: tuple[DemoCouple, ...] = (
    DemoCouple(
        label="Ready to explore",
        policy="limited-secrets",
        partners=(
            DemoPartner(
                "Alex Sample (fictional)",
                "she/her",
                activities={
                    "blindfold": _act("yes", "yes"),
                    "sensation_play": _act("yes", "yes"),
                    "light_restraint": _act("yes", "maybe"),
                    "verbal_roleplay": _act("yes", "yes"),
                    "role_reversal_power": _act("maybe", "yes"),
                    "power_exchange_scene": _act("yes", "maybe"),
                    "gag": _act("no", "maybe", "none"),
                },
            ),
            DemoPartner(
                "Sam Sample (fictional)",
                "he/him",
                activities={
                    "blindfold": _act("yes", "yes"),
                    "sensation_play": _act("yes", "maybe"),
                    "light_restraint": _act("maybe", "yes"),
                    "verbal_roleplay": _act("yes", "yes"),
                    "role_reversal_power": _act("yes", "maybe"),
                    "power_exchange_scene": _act("maybe", "yes"),
                    "gag": _act("maybe", "no", "none"),
                },
            ),
        ),
        joint={"goals.hopes": "Try gentle power exchange and swap roles now and then."},
        template="graduated-kink-exploration",
        non_verbal="Drop the soft ball held in the hand",
        aftercare={"A": "A blanket, water and a quiet cuddle", "B": "Talking it through over tea"},
        goals="Explore gentle power exchange safely, at a pace both enjoy.",
    ),
    DemoCouple(
        label="Trauma history and role reversal",
        policy="limited-secrets",
        partners=(
            DemoPartner(
                "Jordan Example (fictional)",
                "they/them",
                facts={"trauma.sexual_abuse_history": True, "trauma.in_treatment": False},
                instruments={"pc_ptsd5": {"exposed": True, "items": [1, 1, 0, 1, 0]}},
                activities={
                    "role_reversal_power": _act("no", "yes"),
                    "humiliation_light": _act("no", "maybe"),
                    "blindfold": _act("yes", "maybe"),
                },
            ),
            DemoPartner(
                "Casey Example (fictional)",
                "she/her",
                activities={
                    "role_reversal_power": _act("yes", "no"),
                    "humiliation_light": _act("maybe", "no"),
                    "blindfold": _act("yes", "yes"),
                },
            ),
        ),
        template="trauma-informed-slow-track",
        acknowledge=(("trauma-history@A", "Discussed individually; trauma therapist contact."),),
        goals="Understand whether role reversal can feel safe for Jordan.",
    ),
    DemoCouple(
        label="Breath play newcomers",
        policy="no-secrets",
        partners=(
            DemoPartner(
                "Kim Placeholder (fictional)",
                "he/him",
                facts={"knowledge.learned_only_online": True},
                activities={
                    "breath_play": _act("yes", "no", "none"),
                    "impact_light": _act("yes", "maybe", "none"),
                },
            ),
            DemoPartner(
                "Lee Placeholder (fictional)",
                "she/her",
                facts={"knowledge.learned_only_online": True},
                activities={
                    "breath_play": _act("no", "maybe", "none"),
                    "impact_light": _act("maybe", "yes", "none"),
                },
            ),
        ),
        template="communication-first",
    ),
    DemoCouple(
        label="Heart condition and impact play",
        policy="limited-secrets",
        partners=(
            DemoPartner(
                "Pat Specimen (fictional)",
                "he/him",
                facts={
                    "medical.cardiovascular": True,
                    "medical.pde5_inhibitors": True,
                    "medical.nitrates_or_poppers": True,
                },
                activities={"impact_heavy": _act("no", "yes", "none")},
                audit_c_threshold=4,
            ),
            DemoPartner(
                "Chris Specimen (fictional)",
                "he/him",
                activities={"impact_heavy": _act("yes", "no", "none")},
                audit_c_threshold=4,
            ),
        ),
    ),
    DemoCouple(
        label="Safety concern disclosed alone",
        policy="limited-secrets",
        partners=(
            DemoPartner(
                "Morgan Testcase (fictional)",
                "she/her",
                facts={
                    "safety.afraid_of_partner": True,
                    "safety.pressured_to_try_kink": True,
                    "safety.can_say_no_freely": False,
                    "sexual.anxiety": 8,
                },
                instruments={"phq9": [2, 2, 1, 2, 1, 2, 1, 1, 0]},
                activities={"consensual_non_consent": _act("no", "maybe", "none")},
            ),
            DemoPartner(
                "Drew Testcase (fictional)",
                "he/him",
                activities={"consensual_non_consent": _act("yes", "no", "none")},
            ),
        ),
    ),
    DemoCouple(
        label="Three partners, mixed interests",
        policy="no-secrets",
        partners=(
            DemoPartner(
                "Riley Mock (fictional)",
                "she/her",
                facts={"sexual.desire": 8},
                activities={
                    "impact_light": _act("yes", "yes"),
                    "sensation_play": _act("yes", "yes"),
                    "significant_restraint": _act("maybe", "no", "none"),
                },
            ),
            DemoPartner(
                "Avery Mock (fictional)",
                "they/them",
                facts={"sexual.desire": 3, "medical.ssri_snri": True},
                activities={
                    "impact_light": _act("maybe", "yes"),
                    "sensation_play": _act("yes", "maybe"),
                    "significant_restraint": _act("no", "maybe", "none"),
                },
            ),
            DemoPartner(
                "Quinn Mock (fictional)",
                "he/him",
                instruments={"gad7": [2, 2, 1, 2, 1, 1, 2]},
                activities={
                    "impact_light": _act("yes", "no"),
                    "sensation_play": _act("maybe", "yes"),
                },
            ),
        ),
        template="sensate-focus-foundation",
    ),
)


def _intake_json(couple: DemoCouple) -> dict[str, Any]:
    partners = []
    for index, partner in enumerate(couple.partners):
        partners.append(
            {
                "key": chr(ord("A") + index),
                "name": partner.name,
                "audit_c_threshold": partner.audit_c_threshold,
                "facts": {**_CALM_FACTS, **partner.facts},
                "instruments": {**_CALM_INSTRUMENTS, **partner.instruments},
                "activities": {
                    activity: {"giving": g, "receiving": r, "experience": e}
                    for activity, (g, r, e) in partner.activities.items()
                },
            }
        )
    return {
        "format": "parley.intake/1",
        "case": {"label": couple.label, "confidentiality_policy": couple.policy},
        "partners": partners,
        "joint": {"facts": dict(couple.joint)},
    }


def fill_demo_practice(vault: Vault) -> list[int]:
    """Add the demo couples, their plans and acknowledgements; returns the new case ids."""
    content = load_content()
    with vault.session() as session:
        practice_service.update_practice_settings(
            session,
            PracticeSettingsChanges(
                clinician_name=DEMO_CLINICIAN,
                credentials="PhD, AASECT Certified Sex Therapist (fictional)",
                practice_name="Demo Practice for Relationship Therapy (fictional)",
                practice_contact="1 Example Street, Sampletown · 000 0000 (fictional)",
                crisis_contacts=(
                    CrisisContact("Crisis line (fictional demo number)", "000 111 000", "24 h"),
                    CrisisContact("Emergency services", "112 / 911", "Immediate danger"),
                ),
            ),
        )
    case_ids = []
    for couple in DEMO_COUPLES:
        intake = parse_intake(_intake_json(couple), content)
        with vault.session() as session:
            summary = case_service.create_case(
                session,
                NewCase(
                    label=couple.label,
                    partners=tuple(
                        NewPartner(
                            name=p.name,
                            pronouns=p.pronouns,
                            date_of_birth=dt.date(1985 + i * 3, 3 + i, 10 + i),
                            audit_c_threshold=p.audit_c_threshold,
                        )
                        for i, p in enumerate(couple.partners)
                    ),
                    confidentiality_policy=couple.policy,  # type: ignore[arg-type]
                    consent_wording_version="2025.1",
                    status="active",
                    is_demo=True,
                ),
            )
            answer_service.import_intake(session, summary.id, intake)
            if couple.template:
                plan = plan_from_template(couple.template, content)
                plan_service.save_pacing_plan(session, summary.id, plan)
            for key, note in couple.acknowledge:
                plan_service.acknowledge_indicator(session, summary.id, key, note, DEMO_CLINICIAN)
            if couple.non_verbal or couple.aftercare:
                choices = plan_service.get_case_plans(session, summary.id).safety_choices
                plan_service.save_safety_choices(
                    session,
                    summary.id,
                    type(choices)(
                        agreed=choices.agreed,
                        signals=Signals(non_verbal=couple.non_verbal),
                        aftercare=dict(couple.aftercare),
                    ),
                )
            if couple.goals:
                plan_service.save_case_texts(session, summary.id, goals=couple.goals)
            if couple.template:
                # Couples already on a plan have been seen since: notes, measures, an addendum.
                add_demo_history(session, summary.id, DEMO_CLINICIAN, content)
            case_ids.append(summary.id)
    return case_ids


def create_demo_vault(path: Path, passphrase: str, *, replace: bool = False) -> list[int]:
    """Create a vault at `path` filled with the demo practice; returns the case ids."""
    if replace:
        for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
    vault = Vault.create(path, passphrase)
    try:
        return fill_demo_practice(vault)
    finally:
        vault.lock()
