"""`parley evaluate FILE [--json]`: a readable report, exact JSON keys, one-line failures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from tests.clinical.helpers import SHARED_VIGNETTES

VIGNETTE = SHARED_VIGNETTES / "cardiac-impact.intake.json"


def test_readable_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(VIGNETTE)]) == 0
    out = capsys.readouterr().out
    assert "Disposition: Consult before high-risk activities (consult-before-high-risk)" in out
    assert "Medical coordination: yes" in out
    assert "[Medical] Medication to review (partner A)" in out
    assert "Evidence: A: medical.pde5_inhibitors = true" in out
    assert "Sources: clinical-research.md §2.6" in out
    assert "Partner A: PHQ-9 0 (Minimal)" in out
    assert "Heavy impact play" in out
    assert "1. Graduated kink exploration" in out
    # Partners appear by key only, never by name.
    assert "Pat Example" not in out
    assert "Chris Example" not in out


def test_json_has_exactly_the_issue_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(VIGNETTE), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert list(payload) == [
        "disposition",
        "medical_coordination",
        "indicators",
        "scores",
        "negotiation",
        "pacing_suggestions",
    ]
    medication = next(i for i in payload["indicators"] if i["id"] == "medication-interaction")
    assert medication == {
        "id": "medication-interaction",
        "severity": "medical",
        "partner": "A",
        "title": "Medication to review",
        "evidence": [
            {"partner": "A", "id": "medical.pde5_inhibitors", "value": True},
            {"partner": "A", "id": "medical.nitrates_or_poppers", "value": True},
        ],
    }
    assert {"partner": "A", "instrument": "phq9", "total": 0, "band": "minimal"}.items() <= (
        payload["scores"][0].items()
    )
    assert payload["pacing_suggestions"][0]["rank"] == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "parley: (top level): not valid JSON at line 1, column 2"),
        ("[]", "parley: (top level): expected a JSON object"),
        ('{"format": "other/1"}', 'parley: format: unsupported format; expected "parley.intake/1"'),
    ],
)
def test_bad_input_is_one_line_and_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert main(["evaluate", str(path)]) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(expected)
    assert captured.err.count("\n") == 1


def test_bad_instrument_in_a_separate_process(tmp_path: Path) -> None:
    data = json.loads(VIGNETTE.read_text())
    data["partners"][0]["instruments"]["phq9"] = [0, 0, 0]
    path = tmp_path / "short.json"
    path.write_text(json.dumps(data))
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "evaluate", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "parley: partners[0].instruments.phq9: expected exactly 9 items\n"
    assert "Traceback" not in result.stderr


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["evaluate", str(tmp_path / "nowhere.json")]) == 1
    assert "no such file" in capsys.readouterr().err
