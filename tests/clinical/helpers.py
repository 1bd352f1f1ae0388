"""Builders of fictional intakes for the clinical tests (names are obviously fictional)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from clinical.model import (
    ActivityAnswer,
    ConfidentialityPolicy,
    FactValue,
    InstrumentAnswer,
    Intake,
    PartnerIntake,
    PtsdScreenAnswer,
    Response,
    Visibility,
)

#: The vignettes shared with the whole team live beside the repository (../shared/vignettes);
#: a copy travels with the repository for clones made elsewhere. When both exist, the tests
#: use the shared folder and a test checks that the copy has not drifted from it.
BESIDE_REPO_VIGNETTES = Path(__file__).resolve().parents[3] / "shared" / "vignettes"
REPO_VIGNETTES = Path(__file__).resolve().parents[1] / "fixtures" / "vignettes"
SHARED_VIGNETTES = BESIDE_REPO_VIGNETTES if BESIDE_REPO_VIGNETTES.is_dir() else REPO_VIGNETTES
OWN_CASES = Path(__file__).resolve().parent / "cases"

BENIGN_FACTS: Mapping[str, FactValue] = {
    "communication.can_discuss_fantasies": 3,
    "communication.agrees_on_what_is_consensual": True,
    "communication.limit_or_safeword_ignored_before": False,
    "safety.can_say_no_freely": True,
    "safety.pressured_to_try_kink": False,
    "sexual.anxiety": 2,
    "sexual.desire": 6,
    "knowledge.knows_safeword_practice": True,
}

BENIGN_INSTRUMENTS: Mapping[str, InstrumentAnswer] = {
    "phq9": (0,) * 9,
    "gad7": (0,) * 7,
    "pc_ptsd5": PtsdScreenAnswer(exposed=False, items=(0,) * 5),
    "audit_c": (1, 0, 0),
}


def answer(
    giving: Response | None = None,
    receiving: Response | None = None,
    experience: str | None = "some",
) -> ActivityAnswer:
    return ActivityAnswer(giving=giving, receiving=receiving, experience=experience)  # type: ignore[arg-type]


def partner(
    key: str = "A",
    facts: Mapping[str, FactValue] | None = None,
    instruments: Mapping[str, InstrumentAnswer] | None = None,
    activities: Mapping[str, ActivityAnswer] | None = None,
    *,
    benign: bool = True,
    audit_c_threshold: int = 3,
    visibility: Mapping[str, Visibility] | None = None,
) -> PartnerIntake:
    """A partner with benign answers (unless benign=False) overlaid with the given ones."""
    base_facts = dict(BENIGN_FACTS) if benign else {}
    base_instruments = dict(BENIGN_INSTRUMENTS) if benign else {}
    return PartnerIntake(
        key=key,
        name=f"{key} Example",
        audit_c_threshold=audit_c_threshold,
        facts={**base_facts, **(facts or {})},
        instruments={**base_instruments, **(instruments or {})},
        activities=dict(activities or {}),
        visibility=dict(visibility or {}),
    )


def intake(
    *partners: PartnerIntake,
    policy: ConfidentialityPolicy = "limited-secrets",
    joint_facts: Mapping[str, FactValue] | None = None,
    joint_visibility: Mapping[str, Visibility] | None = None,
) -> Intake:
    """An intake of these partners (two benign ones, A and B, when none are given)."""
    return Intake(
        label="Test couple (fictional)",
        confidentiality_policy=policy,
        partners=partners or (partner("A"), partner("B")),
        joint_facts=dict(joint_facts or {}),
        joint_visibility=dict(joint_visibility or {}),
    )
