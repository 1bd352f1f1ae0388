"""Every vignette (shared and our own cases) reaches its expected verdict, by API and CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from clinical.engine import evaluate
from clinical.interchange import load_intake
from desktop.cli import main
from tests.clinical.helpers import (
    BESIDE_REPO_VIGNETTES,
    OWN_CASES,
    REPO_VIGNETTES,
    SHARED_VIGNETTES,
)


def _pairs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.intake.json"))


def _expectation(intake_path: Path) -> dict[str, object]:
    name = intake_path.name.replace(".intake.json", ".expect.json")
    result: dict[str, object] = json.loads(intake_path.with_name(name).read_text())
    return result


def _check(result: dict[str, object], expected: dict[str, object]) -> None:
    ids = {indicator["id"] for indicator in result["indicators"]}  # type: ignore[attr-defined]
    assert result["disposition"] == expected["disposition"]
    assert result["medical_coordination"] == expected["medical_coordination"]
    missing = set(expected["must_include"]) - ids  # type: ignore[arg-type]
    assert not missing, f"expected indicators missing: {sorted(missing)}"
    unexpected = set(expected["must_not_include"]) & ids  # type: ignore[arg-type]
    assert not unexpected, f"indicators that must not fire: {sorted(unexpected)}"


def test_shared_vignettes_are_present() -> None:
    # Fail, never skip: without the vignettes the acceptance check would silently pass.
    assert SHARED_VIGNETTES.is_dir(), f"missing {SHARED_VIGNETTES}"
    assert _pairs(SHARED_VIGNETTES), "no vignettes found"


def test_the_repository_copy_matches_the_shared_vignettes() -> None:
    """The copy in tests/fixtures is what a clone without ../shared checks; keep it current."""
    if not BESIDE_REPO_VIGNETTES.is_dir():
        pytest.skip("no ../shared beside this clone: the repository copy is the reference")
    shared = {p.name: p.read_bytes() for p in BESIDE_REPO_VIGNETTES.glob("*.json")}
    copied = {p.name: p.read_bytes() for p in REPO_VIGNETTES.glob("*.json")}
    assert copied == shared, "update tests/fixtures/vignettes from ../shared/vignettes"


def test_own_cases_are_present() -> None:
    assert len(_pairs(OWN_CASES)) >= 40


ALL_CASES = [
    pytest.param(path, id=f"{path.parent.name}/{path.name.removesuffix('.intake.json')}")
    for folder in (SHARED_VIGNETTES, OWN_CASES)
    for path in (_pairs(folder) if folder.is_dir() else [])
]


@pytest.mark.parametrize("intake_path", ALL_CASES)
def test_case_through_the_interchange_loader(intake_path: Path) -> None:
    evaluation = evaluate(load_intake(intake_path))
    result = {
        "disposition": evaluation.disposition,
        "medical_coordination": evaluation.medical_coordination,
        "indicators": [{"id": indicator.id} for indicator in evaluation.indicators],
    }
    _check(result, _expectation(intake_path))


@pytest.mark.parametrize("intake_path", ALL_CASES)
def test_case_through_the_cli_json(intake_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(intake_path), "--json"]) == 0
    _check(json.loads(capsys.readouterr().out), _expectation(intake_path))


@pytest.mark.parametrize("intake_path", _pairs(SHARED_VIGNETTES), ids=lambda p: p.name)
def test_shared_vignette_in_a_separate_process(intake_path: Path) -> None:
    """The installed command path, exit code and JSON keys, as a user runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "evaluate", str(intake_path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {
        "disposition",
        "medical_coordination",
        "indicators",
        "scores",
        "negotiation",
        "pacing_suggestions",
    }
    for indicator in payload["indicators"]:
        assert set(indicator) == {"id", "severity", "partner", "title", "evidence"}
        for item in indicator["evidence"]:
            assert set(item) == {"partner", "id", "value"}
    _check(payload, _expectation(intake_path))
