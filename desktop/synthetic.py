"""A synthetic practice for benchmarks and scale tests: fictional, seeded, reproducible.

`generate_practice(vault, cases=10_000, seed=7)` writes N fictional couples with complete,
valid intakes (drawn from the content's own questions, instruments and activities), the
engine's stored verdict per case, pacing plans and acknowledgements, in bulk inserts: the
point is realistic volume, fast. Every case is flagged `is_demo` and every name says
"(synthetic)". Nothing here is a real client.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update

from clinical.content import Content, load_content
from clinical.engine import evaluate
from clinical.model import (
    SEVERITY_ORDER,
    ActivityAnswer,
    FactValue,
    InstrumentAnswer,
    Intake,
    PartnerIntake,
    PtsdScreenAnswer,
)
from clinical.pacing import plan_from_template
from clinical.plans_json import pacing_plan_to_json
from db import audit
from db.models import Answer, Case, CasePlans, ConsentRecord, Partner
from db.services.answers import SEVERITY_RANK
from db.vault import Vault

FIRST_NAMES = (
    "Alex", "Sam", "Robin", "Kim", "Lee", "Jordan", "Casey", "Morgan", "Drew", "Riley",
    "Avery", "Quinn", "Pat", "Chris", "Jamie", "Taylor", "Charlie", "Rowan", "Sky", "Noa",
    "Zoë", "Łucja", "Émile", "Søren", "Inés", "Mateo", "Aiko", "Dana", "Eli", "Frankie",
)  # fmt: skip
SURNAMES = (
    "Example", "Sample", "Placeholder", "Specimen", "Testcase", "Mock", "Dummy", "Fixture",
    "Stand-in", "Proxy", "Surrogate", "Model", "Pattern", "Template", "Draft", "Sketch",
)  # fmt: skip

#: Facts that raise indicators are rare in a practice; most answers are calm.
RISKY_FACT_PROBABILITY = 0.04
RESPONSES = ("yes", "maybe", "no", "limit")
RESPONSE_WEIGHTS = (0.35, 0.25, 0.3, 0.1)
EXPERIENCES = ("none", "some", "experienced")


@dataclass(frozen=True)
class GeneratedPractice:
    """What was written: the case ids in creation order."""

    case_ids: tuple[int, ...]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} (synthetic)"


def _facts(rng: random.Random, content: Content) -> dict[str, FactValue]:
    facts: dict[str, FactValue] = {}
    for question in content.questionnaire.questions():
        if question.type == "yes_no":
            # "Good" answers for the safety questions phrased positively.
            positive = question.id in {
                "safety.can_say_no_freely",
                "communication.agrees_on_what_is_consensual",
                "knowledge.knows_safeword_practice",
            }
            risky = rng.random() < RISKY_FACT_PROBABILITY
            facts[question.id] = (not risky) if positive else risky
        elif question.type == "scale" and question.min is not None and question.max is not None:
            facts[question.id] = rng.randint(question.min, question.max)
        elif question.type == "choice":
            facts[question.id] = rng.choice(question.options).value
    return facts


def _instruments(rng: random.Random, content: Content) -> dict[str, InstrumentAnswer]:
    answers: dict[str, InstrumentAnswer] = {}
    for instrument_id, instrument in content.instruments.items():
        if instrument_id == "pc_ptsd5":
            exposed = rng.random() < 0.3
            items = tuple(int(rng.random() < 0.3) for _ in range(5)) if exposed else (0,) * 5
            answers[instrument_id] = PtsdScreenAnswer(exposed, items)
            continue
        # Mostly low item scores, as in a general practice population; now and then high.
        answers[instrument_id] = tuple(
            min(instrument.item_max, instrument.item_min + int(rng.expovariate(2.0)))
            for _ in range(instrument.item_count)
        )
    return answers


def _activities(rng: random.Random, content: Content) -> dict[str, ActivityAnswer]:
    chosen = rng.sample(list(content.activities), k=rng.randint(3, min(9, len(content.activities))))
    return {
        activity: ActivityAnswer(
            giving=rng.choices(RESPONSES, RESPONSE_WEIGHTS)[0],  # type: ignore[arg-type]
            receiving=rng.choices(RESPONSES, RESPONSE_WEIGHTS)[0],  # type: ignore[arg-type]
            experience=rng.choice(EXPERIENCES),  # type: ignore[arg-type]
        )
        for activity in chosen
    }


def synthetic_intake(rng: random.Random, content: Content, names: list[str]) -> Intake:
    """A complete, valid, fictional intake for partners with these names."""
    return Intake(
        label="synthetic",
        confidentiality_policy=rng.choice(("limited-secrets", "no-secrets")),
        partners=tuple(
            PartnerIntake(
                key=chr(ord("A") + index),
                name=name,
                audit_c_threshold=rng.choice((3, 4)),
                facts=_facts(rng, content),
                instruments=_instruments(rng, content),
                activities=_activities(rng, content),
            )
            for index, name in enumerate(names)
        ),
        content_version=content.version,
    )


def _answer_rows(intake: Intake, case_id: int, partner_ids: dict[str, int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    now = dt.datetime.now(dt.UTC)
    for partner in intake.partners:
        owner = partner_ids[partner.key]
        for fact_id, value in partner.facts.items():
            rows.append(_row(case_id, owner, fact_id, value, intake.content_version, now))
        for instrument_id, answer in partner.instruments.items():
            stored: Any = (
                {"exposed": answer.exposed, "items": list(answer.items)}
                if isinstance(answer, PtsdScreenAnswer)
                else list(answer)
            )
            rows.append(_row(case_id, owner, instrument_id, stored, intake.content_version, now))
        for activity_id, activity in partner.activities.items():
            stored = {
                "giving": activity.giving,
                "receiving": activity.receiving,
                "experience": activity.experience,
            }
            rows.append(
                _row(case_id, owner, f"activity.{activity_id}", stored, intake.content_version, now)
            )
    return rows


def _row(
    case_id: int, partner_id: int, answer_id: str, value: Any, version: str, now: dt.datetime
) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "partner_id": partner_id,
        "answer_id": answer_id,
        "value": value,
        "content_version": version,
        "updated_at": now,
    }


def generate_practice(
    vault: Vault,
    cases: int,
    seed: int = 7,
    *,
    with_intakes: bool = True,
    batch: int = 500,
) -> GeneratedPractice:
    """Write `cases` fictional couples into an unlocked vault, in batches of `batch`.

    With `with_intakes`, each case gets a full intake, the engine's verdict, a pacing plan from
    the top suggestion and acknowledgements of its critical indicators.
    """
    with vault.session() as session:
        existing = session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1)) or 0
    # Seeded by the call and by what the vault already holds: reproducible, never colliding.
    rng = random.Random(f"{seed}:{existing}")  # noqa: S311 (fictional data, not security)
    content = load_content()
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    case_ids: list[int] = []
    for first in range(0, cases, batch):
        count = min(batch, cases - first)
        with vault.session() as session:
            next_id = (session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1)) or 0) + 1
            case_rows: list[dict[str, Any]] = []
            partner_rows: list[dict[str, Any]] = []
            consent_rows: list[dict[str, Any]] = []
            plans: dict[int, Intake] = {}
            for offset in range(count):
                case_id = next_id + offset
                partner_count = 3 if rng.random() < 0.08 else 2
                names = [_name(rng) for _ in range(partner_count)]
                created = start + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 6))
                case_rows.append(
                    {
                        "id": case_id,
                        "public_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "label": f"{names[0].split()[0]} & {names[1].split()[0]} (synthetic)",
                        "status": rng.choice(("intake", "active", "active", "paused", "closed")),
                        "confidentiality_policy": "limited-secrets",
                        "created_at": created,
                        "updated_at": created,
                        "last_seen_at": created + dt.timedelta(days=rng.randint(0, 400)),
                        "is_demo": True,
                    }
                )
                for position, name in enumerate(names):
                    partner_rows.append(
                        {
                            "case_id": case_id,
                            "key": chr(ord("A") + position),
                            "name": name,
                            "position": position,
                            "audit_c_threshold": 3,
                        }
                    )
                consent_rows.append(
                    {
                        "case_id": case_id,
                        "kind": "confidentiality-policy",
                        "policy": "limited-secrets",
                        "consented_on": created.date(),
                        "consented_by": [chr(ord("A") + i) for i in range(partner_count)],
                        "wording_version": "2025.1",
                        "recorded_at": created,
                    }
                )
                if with_intakes:
                    plans[case_id] = synthetic_intake(rng, content, names)
            session.execute(insert(Case), case_rows)
            session.execute(insert(Partner), partner_rows)
            session.execute(insert(ConsentRecord), consent_rows)
            if with_intakes:
                _write_intakes(session, plans, case_rows, content)
            audit.append_event(session, "import", details={"synthetic_cases": count})
            case_ids.extend(int(row["id"]) for row in case_rows)
    return GeneratedPractice(tuple(case_ids))


def _write_intakes(
    session: Any, intakes: dict[int, Intake], case_rows: list[dict[str, Any]], content: Content
) -> None:
    ids = session.execute(
        select(Partner.case_id, Partner.key, Partner.id).where(Partner.case_id.in_(intakes))
    )
    partner_ids: dict[int, dict[str, int]] = {}
    for case_id, key, partner_id in ids:
        partner_ids.setdefault(case_id, {})[key] = partner_id
    answers: list[dict[str, Any]] = []
    plan_rows: list[dict[str, Any]] = []
    by_id = {row["id"]: row for row in case_rows}
    for case_id, intake in intakes.items():
        answers.extend(_answer_rows(intake, case_id, partner_ids[case_id]))
        evaluation = evaluate(intake, content)
        severities = {indicator.severity for indicator in evaluation.indicators}
        highest = next((s for s in SEVERITY_ORDER if s in severities), None)
        session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(
                disposition=evaluation.disposition,
                highest_severity=highest,
                severity_rank=SEVERITY_RANK.get(highest, 0) if highest else 0,
            )
        )
        if evaluation.pacing_suggestions:
            plan = plan_from_template(evaluation.pacing_suggestions[0].template_id, content)
            plan_rows.append(
                {
                    "case_id": case_id,
                    "pacing_plan": pacing_plan_to_json(plan),
                    "updated_at": by_id[case_id]["updated_at"],
                }
            )
    session.execute(insert(Answer), answers)
    if plan_rows:
        session.execute(insert(CasePlans), plan_rows)
