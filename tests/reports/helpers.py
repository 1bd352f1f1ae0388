"""Fictional cases and PDF inspection helpers for the report tests (all names are made up)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from clinical.engine import evaluate
from clinical.interchange import load_intake
from clinical.model import (
    ActivityAnswer,
    CaseSnapshot,
    ConfidentialityPolicy,
    CrisisContact,
    FactValue,
    InstrumentAnswer,
    Intake,
    PartnerIntake,
    PracticeInfo,
    PtsdScreenAnswer,
    Visibility,
)
from reports.intake_snapshot import snapshot_from_intake
from tests.clinical.helpers import BENIGN_FACTS, BENIGN_INSTRUMENTS, SHARED_VIGNETTES

#: The shared vignettes (fictional intakes with expected verdicts); see tests.clinical.helpers.
VIGNETTES = SHARED_VIGNETTES
VIGNETTE_NAMES = (
    "ready-couple",
    "trauma-role-reversal",
    "cardiac-impact",
    "breath-play-newcomers",
)
FIXED_MOMENT = dt.datetime(2025, 3, 4, 10, 30, tzinfo=dt.UTC)

PRACTICE = PracticeInfo(
    clinician_name="Dr Riley Example",
    credentials="PhD, sex therapist (fictional)",
    practice_name="Example Couples Practice (fictional)",
    practice_contact="1 Example Street, Exampletown · 555-0100",
    crisis_contacts=(
        CrisisContact("Example Crisis Line (fictional)", "555-0199", "any time, day or night"),
        CrisisContact("Example Emergency Service (fictional)", "555-0111", "injury or danger"),
    ),
)


def partner(
    key: str,
    name: str,
    *,
    facts: Mapping[str, FactValue] | None = None,
    instruments: Mapping[str, InstrumentAnswer] | None = None,
    activities: Mapping[str, ActivityAnswer] | None = None,
    visibility: Mapping[str, Visibility] | None = None,
) -> PartnerIntake:
    """A fictional partner with benign answers overlaid with the given ones."""
    return PartnerIntake(
        key=key,
        name=name,
        facts={**BENIGN_FACTS, **(facts or {})},
        instruments={**BENIGN_INSTRUMENTS, **(instruments or {})},
        activities=dict(activities or {}),
        visibility=dict(visibility or {}),
    )


def couple(
    first: PartnerIntake,
    second: PartnerIntake,
    *,
    label: str = "Example couple (fictional)",
    policy: ConfidentialityPolicy = "limited-secrets",
) -> Intake:
    return Intake(label=label, confidentiality_policy=policy, partners=(first, second))


def snapshot_of(
    intake: Intake, *, acknowledge_critical: bool = True, **kwargs: Any
) -> CaseSnapshot:
    """A snapshot at the fixed moment, critical indicators acknowledged unless asked not to."""
    acknowledged: list[str] = list(kwargs.pop("acknowledged", ()))
    if acknowledge_critical:
        acknowledged += [i.key for i in evaluate(intake).indicators if i.blocks_couple_plan]
    kwargs.setdefault("practice", PRACTICE)
    kwargs.setdefault("taken_at", FIXED_MOMENT)
    return snapshot_from_intake(intake, acknowledged=acknowledged, **kwargs)


def vignette_intake(name: str) -> Intake:
    return load_intake(VIGNETTES / f"{name}.intake.json")


def vignette_snapshot(name: str, **kwargs: Any) -> CaseSnapshot:
    return snapshot_of(vignette_intake(name), **kwargs)


def pdf_pages(data: bytes, password: str | None = None) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt(password or "")
    return [page.extract_text() or "" for page in reader.pages]


def pdf_text(data: bytes, password: str | None = None) -> str:
    """All text of a PDF with whitespace folded, for phrase searches across line breaks."""
    return " ".join(" ".join(pdf_pages(data, password)).split())


def has_word(text: str, word: str) -> bool:
    """Case-insensitive search for a word start (so "PHQ" matches "PHQ-9")."""
    return re.search(rf"\b{re.escape(word)}", text, re.IGNORECASE) is not None


def qpdf_check(data: bytes, password: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `qpdf --check` on the bytes; returncode 0 means a structurally sound PDF."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(data)
        command = ["qpdf"]
        if password is not None:
            command.append(f"--password={password}")
        command += ["--check", str(path)]
        return subprocess.run(command, capture_output=True, text=True, check=False)


PRIVATE_AFTERCARE = "Quokka blanket ritual, private to Kim"
PRIVATE_CONDITION = "Narwhal syndrome, told in confidence"
SHARED_AFTERCARE = "Tea, a warm blanket and a quiet talk"


def troubled_intake() -> Intake:
    """Kim discloses suicidal thoughts, fear of Lee and a PTSD screen, all clinician-only."""
    kim = partner(
        "A",
        "Kim Example",
        facts={
            "suicide.thoughts_past_month": True,
            "safety.afraid_of_partner": True,
            "safety.strangled_by_partner": True,
            "substance.use_during_sex": True,
            "communication.aftercare_wishes": PRIVATE_AFTERCARE,
            "medical.other_conditions": PRIVATE_CONDITION,
            "medical.asthma_or_respiratory": True,
        },
        instruments={
            "phq9": (2, 2, 1, 1, 1, 1, 1, 1, 2),
            "gad7": (2, 2, 2, 1, 1, 1, 1),
            "pc_ptsd5": PtsdScreenAnswer(exposed=True, items=(1, 1, 1, 1, 0)),
            "audit_c": (3, 2, 1),
        },
        activities={
            "blindfold": ActivityAnswer("yes", "yes", "some"),
            "light_restraint": ActivityAnswer("no", "yes", "some"),
            "gag": ActivityAnswer("limit", "limit", "none"),
        },
        visibility={
            "communication.aftercare_wishes": "clinician-only",
            "medical.other_conditions": "clinician-only",
            "medical.asthma_or_respiratory": "clinician-only",
        },
    )
    lee = partner(
        "B",
        "Lee Example",
        facts={"communication.aftercare_wishes": SHARED_AFTERCARE},
        activities={
            "blindfold": ActivityAnswer("yes", "yes", "some"),
            "light_restraint": ActivityAnswer("yes", "maybe", "some"),
        },
    )
    return couple(kim, lee)
