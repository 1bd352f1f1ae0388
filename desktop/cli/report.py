"""`parley report`: make the couple's safety plan, the consultation summary or a referral letter.

    parley report {safety-plan,summary,referral} (--intake FILE | --vault VAULT --case ID)
        --out PDF [--password-env VAR] [--acknowledged ID,...]
        [--to physician|trauma-therapist|psychiatrist] [--partner KEY]
        [--consent-recorded | --exception-note TEXT] [--practice FILE] [--demo]

From an intake file the case is evaluated on the spot; `--acknowledged` takes the indicator ids
or keys ("suicide-risk", "suicide-risk@A") the clinician has acknowledged. From a vault the
case snapshot comes from the vault's snapshot service, and the report is audit-logged there.
The PDF is written atomically; a password (from an environment variable, never the command
line) encrypts it with AES-256. Failures end as one line without a traceback.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinical.errors import ParleyError

if TYPE_CHECKING:  # reportlab and the engine load only when the command runs
    from clinical.model import CaseSnapshot, PracticeInfo
    from reports.document import RenderedReport, ReportOptions

DOCUMENTS = ("safety-plan", "summary", "referral")
RECIPIENTS = ("physician", "trauma-therapist", "psychiatrist")
SNAPSHOT_SERVICE = "db.services.snapshot"


class ReportUsageError(ParleyError):
    """The options given to `parley report` do not fit together."""

    exit_code = 2


def register(subparsers: Any) -> None:
    """Add the `report` sub-command."""
    parser = subparsers.add_parser(
        "report",
        help="make a PDF: the couple's safety plan, the consultation summary or a referral",
        description="Make a PDF report from an intake file or from a case in a vault.",
    )
    parser.add_argument("document", choices=DOCUMENTS, help="which document to make")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--intake", metavar="FILE", help="an intake in parley.intake/1 format")
    source.add_argument(
        "--vault", dest="report_vault", metavar="VAULT", help="a practice vault file"
    )
    parser.add_argument("--case", metavar="ID", help="the case in the vault (with --vault)")
    parser.add_argument("--out", metavar="PDF", required=True, help="the PDF file to write")
    parser.add_argument(
        "--password-env",
        metavar="VAR",
        help="encrypt the PDF (AES-256) with the password held in this environment variable",
    )
    parser.add_argument(
        "--acknowledged",
        metavar="ID,...",
        default="",
        help="indicator ids or keys (suicide-risk@A) the clinician acknowledged (--intake)",
    )
    parser.add_argument("--to", choices=RECIPIENTS, help="the referral's recipient")
    parser.add_argument(
        "--partner", metavar="KEY", help="the partner referred, when several are concerned"
    )
    consent = parser.add_mutually_exclusive_group()
    consent.add_argument(
        "--consent-recorded",
        action="store_true",
        help="the partners consented to sharing with other professionals (--intake)",
    )
    consent.add_argument(
        "--exception-note",
        metavar="TEXT",
        help="refer without recorded consent; the letter says an exception was recorded",
    )
    parser.add_argument(
        "--practice",
        metavar="FILE",
        help="practice details for the letterhead and crisis contacts, as JSON (--intake)",
    )
    parser.add_argument(
        "--demo", action="store_true", help='mark every page "DEMO, fictional" (--intake)'
    )
    parser.set_defaults(handler=run_report)


def _check_usage(args: argparse.Namespace) -> None:
    if args.document == "referral" and args.to is None:
        raise ReportUsageError("a referral needs --to physician, trauma-therapist or psychiatrist")
    if args.document != "referral":
        for flag, value in (
            ("--to", args.to),
            ("--partner", args.partner),
            ("--exception-note", args.exception_note),
        ):
            if value:
                raise ReportUsageError(f"{flag} applies to referral letters only")
    if args.report_vault is not None:
        if not args.case:
            raise ReportUsageError("--vault needs --case ID")
        for flag, value in (
            ("--acknowledged", args.acknowledged),
            ("--consent-recorded", args.consent_recorded),
            ("--practice", args.practice),
            ("--demo", args.demo),
        ):
            if value:
                raise ReportUsageError(
                    f"{flag} applies to --intake only; a vault case keeps its own record"
                )
    elif args.case:
        raise ReportUsageError("--case applies to --vault only")


def _password(args: argparse.Namespace) -> str | None:
    if args.password_env is None:
        return None
    value = os.environ.get(args.password_env)
    if not value:
        raise ReportUsageError(
            f"the environment variable {args.password_env} is not set or empty; it must hold "
            "the PDF password"
        )
    return value


def load_practice_file(path: Path) -> PracticeInfo:
    """Practice details from a JSON file (clinician, practice, contact, crisis contacts).

    Raises:
        ReportUsageError: the file is missing, is not JSON, or has a wrong field.
    """
    from clinical.model import CrisisContact, PracticeInfo

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportUsageError(f"practice file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportUsageError(
            f"practice file {path} is not readable JSON ({type(error).__name__})"
        ) from None
    if not isinstance(data, dict):
        raise ReportUsageError(f"practice file {path}: expected a JSON object")
    fields = ("clinician_name", "credentials", "practice_name", "practice_contact")
    unknown = set(data) - {*fields, "crisis_contacts"}
    if unknown:
        raise ReportUsageError(f"practice file {path}: unknown field(s) {sorted(unknown)}")
    values: dict[str, str] = {}
    for name in fields:
        value = data.get(name, "")
        if not isinstance(value, str):
            raise ReportUsageError(f"practice file {path}: {name}: expected a string")
        values[name] = value
    contacts = []
    raw_contacts = data.get("crisis_contacts", [])
    if not isinstance(raw_contacts, list):
        raise ReportUsageError(f"practice file {path}: crisis_contacts: expected a list")
    for index, raw in enumerate(raw_contacts):
        where = f"practice file {path}: crisis_contacts[{index}]"
        if not isinstance(raw, dict) or set(raw) - {"name", "phone", "note"}:
            raise ReportUsageError(f"{where}: expected an object with name, phone and note")
        if not all(isinstance(raw.get(k, ""), str) for k in ("name", "phone", "note")):
            raise ReportUsageError(f"{where}: name, phone and note must be strings")
        if not raw.get("name") or not raw.get("phone"):
            raise ReportUsageError(f"{where}: name and phone are required")
        contacts.append(CrisisContact(raw["name"], raw["phone"], raw.get("note", "")))
    return PracticeInfo(crisis_contacts=tuple(contacts), **values)


def _snapshot_from_intake(args: argparse.Namespace) -> CaseSnapshot:
    from clinical.interchange import load_intake
    from clinical.model import ConsentInfo, PracticeInfo
    from reports.intake_snapshot import snapshot_from_intake

    intake = load_intake(Path(args.intake))
    practice = load_practice_file(Path(args.practice)) if args.practice else PracticeInfo()
    acknowledged = [item.strip() for item in args.acknowledged.split(",") if item.strip()]
    consent = ConsentInfo(
        policy=intake.confidentiality_policy,
        consented_on=None,
        consented_by=(),
        share_with_professionals=bool(args.consent_recorded),
    )
    return snapshot_from_intake(
        intake,
        practice=practice,
        acknowledged=acknowledged,
        consent=consent,
        is_demo=bool(args.demo),
    )


def _render(
    args: argparse.Namespace, snapshot: CaseSnapshot, options: ReportOptions
) -> RenderedReport:
    from reports.referral import render_referral
    from reports.safety_plan import render_safety_plan
    from reports.summary import render_summary

    if args.document == "safety-plan":
        return render_safety_plan(snapshot, options=options)
    if args.document == "summary":
        return render_summary(snapshot, options=options)
    return render_referral(
        snapshot,
        args.to,
        exception_note=args.exception_note,
        partner=args.partner,
        options=options,
    )


def _report_from_vault(
    args: argparse.Namespace, options: ReportOptions
) -> tuple[RenderedReport, Path]:
    if importlib.util.find_spec(SNAPSHOT_SERVICE) is None:
        raise ParleyError("reports from a vault need issue 4's case snapshot service")
    from db import audit
    from db.vault import Vault
    from desktop.cli.vault_commands import read_passphrase
    from reports.output import write_pdf_atomically

    snapshot_service = importlib.import_module(SNAPSHOT_SERVICE)
    if not str(args.case).isdigit():
        raise ReportUsageError("--case takes the case's number, as the case list shows it")
    case_id = int(args.case)
    vault = Vault.unlock(Path(args.report_vault).expanduser(), read_passphrase())
    try:
        with vault.session() as session:
            snapshot = snapshot_service.load_case_snapshot(session, case_id)
            rendered = _render(args, snapshot, options)
            written = write_pdf_atomically(rendered.data, Path(args.out))
            # Ids, kinds and flags only: the audit trail never holds names or answers.
            audit.append_event(
                session,
                "report",
                record_type="case",
                record_id=case_id,
                details={
                    "document": args.document,
                    "recipient": args.to,
                    "encrypted": options.password is not None,
                    "exception": bool(args.exception_note),
                    "pages": rendered.page_count,
                },
            )
    finally:
        vault.lock()
    return rendered, written


def run_report(args: argparse.Namespace) -> int:
    """Make the document, write it atomically, print where it went and what to check."""
    _check_usage(args)
    from reports.document import ReportOptions
    from reports.output import write_pdf_atomically

    options = ReportOptions(password=_password(args))
    if args.report_vault is not None:
        rendered, written = _report_from_vault(args, options)
    else:
        snapshot = _snapshot_from_intake(args)
        rendered = _render(args, snapshot, options)
        written = write_pdf_atomically(rendered.data, Path(args.out))
    for warning in rendered.warnings:
        print(f"parley: note: {warning}", file=sys.stderr)
    if rendered.unshown_characters:
        codes = ", ".join(f"U+{ord(c):04X}" for c in rendered.unshown_characters)
        print(
            f"parley: note: no installed font can show {codes}; the document says so",
            file=sys.stderr,
        )
    protected = ", password-protected" if options.password else ""
    pages = "1 page" if rendered.page_count == 1 else f"{rendered.page_count} pages"
    print(f"wrote {written} ({pages}{protected})")
    return 0
