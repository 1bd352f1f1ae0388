"""`parley evaluate FILE [--json]`: evaluate an intake file and print the verdict.

Without --json, a readable report for the clinician; with --json, exactly the keys
disposition, medical_coordination, indicators, scores, negotiation and pacing_suggestions.
Partners appear by key only (A, B ...), never by name. A malformed intake ends as one line
naming the JSON path and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the engine loads only when the command runs: `parley --version` stays fast
    from clinical.content import Content
    from clinical.model import Evaluation, Indicator

_WIDTH = 96


def register(subparsers: Any) -> None:
    """Add the `evaluate` sub-command."""
    parser = subparsers.add_parser(
        "evaluate",
        help="evaluate an intake file (parley.intake/1) and print the verdict",
        description="Evaluate an intake in the parley.intake/1 format: scores, referral "
        "indicators, disposition, negotiation and pacing suggestions.",
    )
    parser.add_argument("file", metavar="FILE", help="the intake, a parley.intake/1 JSON file")
    parser.add_argument(
        "--json", action="store_true", help="print the evaluation as JSON instead of a report"
    )
    parser.set_defaults(handler=run_evaluate)


def run_evaluate(args: argparse.Namespace) -> int:
    """Load, evaluate, print; IntakeFormatError propagates to the dispatcher as one line."""
    from clinical.content import load_content
    from clinical.engine import evaluate, evaluation_to_json
    from clinical.interchange import load_intake

    content = load_content()
    intake = load_intake(Path(args.file), content)
    evaluation = evaluate(intake, content)
    if args.json:
        print(json.dumps(evaluation_to_json(evaluation), indent=2, ensure_ascii=False))
    else:
        print(format_report(evaluation, content))
    return 0


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(
        " ".join(text.split()), width=_WIDTH, initial_indent=indent, subsequent_indent=indent
    )


def _whose(indicator: Indicator) -> str:
    return "the couple" if indicator.partner is None else f"partner {indicator.partner}"


def _indicator_lines(indicator: Indicator, content: Content) -> list[str]:
    severity = content.triage.severities[indicator.severity].label
    lines = [f"  [{severity}] {indicator.title} ({_whose(indicator)})"]
    lines.append(_wrap(f"Why: {indicator.rationale}", "      "))
    lines.append(_wrap(f"Next step: {indicator.action}", "      "))
    if indicator.requires_individual_follow_up:
        lines.append("      See this partner alone; no couple plan until acknowledged.")
    evidence = ", ".join(
        f"{item.partner or 'joint'}: {item.id} = {json.dumps(item.value)}"
        for item in indicator.evidence
    )
    lines.append(_wrap(f"Evidence: {evidence or '(none recorded)'}", "      "))
    lines.append(_wrap("Sources: " + "; ".join(indicator.sources), "      "))
    return lines


def format_report(evaluation: Evaluation, content: Content) -> str:
    """A readable plain-text report of an evaluation, for a terminal."""
    disposition = next(d for d in content.triage.dispositions if d.id == evaluation.disposition)
    lines = [
        f"Parley evaluation (content {evaluation.content_version})",
        "",
        f"Disposition: {disposition.title} ({disposition.id})",
        _wrap(disposition.advice, "  "),
        "  Because:",
        *(_wrap(f"- {reason}", "    ") for reason in evaluation.disposition_reasons),
        f"Medical coordination: {'yes' if evaluation.medical_coordination else 'no'}",
        "",
        f"Indicators ({len(evaluation.indicators)})",
    ]
    if not evaluation.indicators:
        lines.append("  none")
    for indicator in evaluation.indicators:
        lines.extend(_indicator_lines(indicator, content))
    lines += ["", "Scores"]
    partners = list(dict.fromkeys(score.partner for score in evaluation.scores))
    for partner in partners:
        parts = []
        for score in evaluation.scores:
            if score.partner != partner:
                continue
            title = content.instruments[score.instrument].title
            if score.total is None:
                parts.append(f"{title} incomplete ({score.answered}/{score.item_count})")
            else:
                parts.append(f"{title} {score.total} ({score.band_label})")
        lines.append(_wrap(f"Partner {partner}: " + "; ".join(parts), "  "))
    lines += ["", "Negotiation (answered activities, giver > receiver)"]
    answered = [cell for cell in evaluation.negotiation if cell.status != "unanswered"]
    if not answered:
        lines.append("  none answered")
    for cell in answered:
        direction = f"{cell.giver} > {cell.receiver}"
        answers = f"{cell.giver_answer or '-'} / {cell.receiver_answer or '-'}"
        lines.append(f"  {cell.label:40.40} {direction:9} {answers:15} {cell.status}")
    lines += ["", "Pacing suggestions"]
    for suggestion in evaluation.pacing_suggestions:
        lines.append(f"  {suggestion.rank}. {suggestion.title} ({suggestion.template_id})")
        for reason in suggestion.reasons:
            lines.append(_wrap(f"- {reason}", "     "))
    return "\n".join(lines)
