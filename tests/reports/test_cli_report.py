"""`parley report`: the intake path end to end, the vault path's clear refusal, bad usage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from tests.reports.helpers import VIGNETTES, pdf_text, qpdf_check, vignette_intake

PASSWORD_VAR = "PARLEY_TEST_PDF_PASSWORD"
VAULT_PASSPHRASE = "fictional report passphrase 42"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def practice_file(tmp_path: Path) -> Path:
    path = tmp_path / "practice.json"
    path.write_text(
        json.dumps(
            {
                "clinician_name": "Dr Riley Example",
                "credentials": "PhD (fictional)",
                "practice_name": "Example Couples Practice (fictional)",
                "practice_contact": "555-0100",
                "crisis_contacts": [
                    {"name": "Example Crisis Line (fictional)", "phone": "555-0199", "note": ""}
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def intake(name: str) -> str:
    return str(VIGNETTES / f"{name}.intake.json")


def test_safety_plan_from_an_intake_with_practice_details(
    out: Path, practice_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = out / "plan.pdf"
    code = main(
        [
            "report",
            "safety-plan",
            "--intake",
            intake("ready-couple"),
            "--out",
            str(target),
            "--practice",
            str(practice_file),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert f"wrote {target}" in captured.out
    assert "No aftercare is written down for partner A." in captured.err
    data = target.read_bytes()
    assert qpdf_check(data).returncode == 0
    text = pdf_text(data)
    assert "Our safety plan" in text
    assert "Example Crisis Line (fictional)" in text


def test_blocking_rule_and_acknowledgement_on_the_command_line(
    out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(Path(intake("ready-couple")).read_text(encoding="utf-8"))
    data["partners"][0]["facts"]["suicide.thoughts_past_month"] = True
    risky = tmp_path / "risky.intake.json"
    risky.write_text(json.dumps(data), encoding="utf-8")
    target = out / "plan.pdf"
    args = ["report", "safety-plan", "--intake", str(risky), "--out", str(target)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "acknowledges these critical indicators: suicide-risk@A" in err
    assert "Robin" not in err
    assert "Traceback" not in err
    assert not target.exists()
    assert main([*args, "--acknowledged", "suicide-risk@A"]) == 0
    assert target.exists()
    assert main([*args, "--acknowledged", "suicide-risk@B"]) == 1
    assert "'suicide-risk@B' is not an indicator of this intake" in capsys.readouterr().err


def test_referral_needs_consent_or_an_exception(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = out / "letter.pdf"
    base = ["report", "referral", "--intake", intake("cardiac-impact"), "--out", str(target)]
    assert main([*base, "--to", "physician"]) == 1
    assert "no consent to share" in capsys.readouterr().err
    assert not target.exists()
    assert main([*base, "--to", "physician", "--exception-note", "urgent (fictional)"]) == 0
    assert "I recorded an exception" in pdf_text(target.read_bytes())
    assert main([*base, "--to", "physician", "--consent-recorded"]) == 0
    assert "consented to my sharing" in pdf_text(target.read_bytes())
    assert main(base) == 2
    assert "a referral needs --to" in capsys.readouterr().err


def test_password_from_the_environment(
    out: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = out / "summary.pdf"
    args = [
        "report",
        "summary",
        "--intake",
        intake("trauma-role-reversal"),
        "--out",
        str(target),
        "--password-env",
        PASSWORD_VAR,
    ]
    monkeypatch.delenv(PASSWORD_VAR, raising=False)
    assert main(args) == 2
    assert f"{PASSWORD_VAR} is not set or empty" in capsys.readouterr().err
    monkeypatch.setenv(PASSWORD_VAR, "fictional pass phrase")
    assert main(args) == 0
    assert "password-protected" in capsys.readouterr().out
    assert "Consultation summary" in pdf_text(target.read_bytes(), password="fictional pass phrase")


def make_vault_case(path: Path) -> int:
    """A fictional vault holding the cardiac vignette as case answers; returns the case id."""
    from db.services.answers import import_intake
    from db.services.cases import create_case
    from db.services.practice import update_practice_settings
    from db.services.types import NewCase, NewPartner, PracticeSettingsChanges
    from db.vault import Vault

    vault = Vault.create(path, VAULT_PASSPHRASE)
    try:
        with vault.session() as session:
            case = create_case(
                session,
                NewCase(
                    label="Cardiac and impact (fictional)",
                    partners=(
                        NewPartner("Pat Example", key="A"),
                        NewPartner("Chris Example", key="B"),
                    ),
                    confidentiality_policy="limited-secrets",
                ),
            )
            import_intake(session, case.id, vignette_intake("cardiac-impact"))
            update_practice_settings(
                session,
                PracticeSettingsChanges(
                    clinician_name="Dr Riley Example",
                    practice_name="Example Couples Practice (fictional)",
                ),
            )
            return case.id
    finally:
        vault.lock()


def report_events(path: Path) -> list[dict[str, object]]:
    from db.audit import recent_events
    from db.vault import Vault

    vault = Vault.unlock(path, VAULT_PASSPHRASE)
    try:
        with vault.session() as session:
            return [
                {"record_id": event.record_id, **json.loads(event.details)}
                for event in recent_events(session)
                if event.kind == "report"
            ]
    finally:
        vault.lock()


def test_reports_from_a_vault_case_are_written_and_audit_logged(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault_path = tmp_path / "vault" / "practice.parley"
    vault_path.parent.mkdir()
    case_id = make_vault_case(vault_path)
    monkeypatch.setenv("PARLEY_PASSPHRASE", VAULT_PASSPHRASE)
    target = out / "summary.pdf"
    args = ["report", "summary", "--vault", str(vault_path), "--case", str(case_id)]
    assert main([*args, "--out", str(target)]) == 0, capsys.readouterr().err
    text = pdf_text(target.read_bytes())
    assert "Consultation summary" in text
    assert "Pat Example (A)" in text
    assert "Medical clearance before physically demanding play" in text
    assert "Example Couples Practice (fictional)" in text
    events = report_events(vault_path)
    assert events == [
        {
            "record_id": str(case_id),
            "document": "summary",
            "recipient": None,
            "encrypted": False,
            "exception": False,
            "pages": events[0]["pages"],
        }
    ]
    # No client name or answer in the audit trail.
    assert "Pat" not in json.dumps(events)
    # A referral refused for want of consent writes nothing and logs nothing.
    letter = out / "letter.pdf"
    referral = ["report", "referral", "--vault", str(vault_path), "--case", str(case_id)]
    assert main([*referral, "--to", "physician", "--out", str(letter)]) == 1
    assert "no consent to share" in capsys.readouterr().err
    assert not letter.exists()
    assert len(report_events(vault_path)) == 1
    # Vault cases keep their own acknowledgements; the command line cannot add any.
    assert main([*args, "--out", str(target), "--acknowledged", "x"]) == 2
    assert "applies to --intake only" in capsys.readouterr().err
    assert (
        main(
            ["report", "summary", "--vault", str(vault_path), "--case", "abc", "--out", str(target)]
        )
        == 2
    )
    assert (
        main(
            ["report", "summary", "--vault", str(vault_path), "--case", "999", "--out", str(target)]
        )
        != 0
    )
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--to", "physician"], "--to applies to referral letters only"),
        (["--case", "3"], "--case applies to --vault only"),
    ],
)
def test_options_that_do_not_fit_together(
    out: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "summary", "--intake", intake("ready-couple"), "--out", str(out / "x.pdf")]
    assert main([*args, *extra]) == 2
    assert message in capsys.readouterr().err


def test_bad_intake_and_bad_practice_file_fail_without_traceback(out: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "parley.intake/1", "partners": [}', encoding="utf-8")
    bad_practice = tmp_path / "practice.json"
    bad_practice.write_text('{"crisis_contacts": [{"name": "X"}]}', encoding="utf-8")
    for args, expected in (
        (["--intake", str(broken)], "not valid JSON"),
        (["--intake", intake("ready-couple"), "--practice", str(bad_practice)], "name and phone"),
    ):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "desktop",
                "report",
                "summary",
                *args,
                "--out",
                str(out / "x.pdf"),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        assert expected in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not (out / "x.pdf").exists()
