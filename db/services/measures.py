"""Measures over time: PHQ-9, GAD-7, PC-PTSD-5 and AUDIT-C re-administered at later sessions.

Each administration is scored by `clinical.scoring` exactly as the intake's own answer is, and
stored with its date and its items; a stored measure is never changed (migration 0004's
trigger). Recording a corrected one for the same partner, instrument and day supersedes it in
the series, and both are kept. The intake's own scores are the first point of every series
that has a later administration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinical.content import Content, load_content
from clinical.measures_trend import REPEATABLE_INSTRUMENTS, score_administration
from clinical.model import Evaluation, InstrumentAnswer, MeasurePoint, PtsdScreenAnswer
from db import audit
from db.errors import InvalidRecordError
from db.models import MeasureAdministration, Partner, utc_now
from db.services.cases import _load_case


@dataclass(frozen=True, slots=True)
class MeasureRecord:
    """One stored administration of an instrument to one partner."""

    id: int
    case_id: int
    partner: str
    instrument: str
    taken_on: dt.date
    answer: InstrumentAnswer
    total: int
    band: str | None
    band_label: str | None
    threshold: int | None
    note_id: int | None
    recorded_at: dt.datetime
    recorded_by: str

    def point(self) -> MeasurePoint:
        """This administration as a point of a trend."""
        return MeasurePoint(
            partner=self.partner,
            instrument=self.instrument,
            taken_on=self.taken_on,
            total=self.total,
            band=self.band,
            band_label=self.band_label,
            threshold=self.threshold,
        )


def _answer_to_json(answer: InstrumentAnswer) -> Any:
    if isinstance(answer, PtsdScreenAnswer):
        return {"exposed": answer.exposed, "items": list(answer.items)}
    return list(answer)


def _answer_from_json(instrument: str, raw: Any) -> InstrumentAnswer:
    if instrument == "pc_ptsd5":
        return PtsdScreenAnswer(exposed=raw.get("exposed"), items=tuple(raw.get("items", ())))
    return tuple(raw)


def _band_label(content: Content, instrument: str, band: str | None) -> str | None:
    spec = content.instruments.get(instrument)
    if spec is None or band is None:
        return None
    if spec.threshold_bands is not None:
        for label in (spec.threshold_bands.below, spec.threshold_bands.at_or_above):
            if label.id == band:
                return label.label
    return next((b.label for b in spec.bands if b.id == band), None)


def _record(row: MeasureAdministration, partner_key: str, content: Content) -> MeasureRecord:
    return MeasureRecord(
        id=row.id,
        case_id=row.case_id,
        partner=partner_key,
        instrument=row.instrument,
        taken_on=row.taken_on,
        answer=_answer_from_json(row.instrument, row.answer),
        total=row.total,
        band=row.band,
        band_label=_band_label(content, row.instrument, row.band),
        threshold=row.threshold,
        note_id=row.note_id,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
    )


def record_measure(
    session: Session,
    case_id: int,
    partner_key: str,
    instrument: str,
    answer: InstrumentAnswer,
    taken_on: dt.date,
    by: str = "",
    note_id: int | None = None,
    content: Content | None = None,
) -> MeasureRecord:
    """Score and store one re-administration; log `measure-recorded` (instrument and key only).

    Raises:
        RecordNotFoundError: no such case.
        InvalidRecordError: an instrument that is not repeatable, a partner not in the case,
            an incomplete answer, or a date in the future.
    """
    content = content or load_content()
    _load_case(session, case_id)
    if instrument not in REPEATABLE_INSTRUMENTS or instrument not in content.instruments:
        raise InvalidRecordError("only PHQ-9, GAD-7, PC-PTSD-5 and AUDIT-C are re-administered")
    partner = session.scalar(
        select(Partner).where(Partner.case_id == case_id, Partner.key == partner_key)
    )
    if partner is None:
        raise InvalidRecordError(f"partner {partner_key} is not in this case")
    if taken_on > dt.date.today() + dt.timedelta(days=1):
        raise InvalidRecordError("a measure cannot be dated in the future")
    if instrument == "pc_ptsd5" and not isinstance(answer, PtsdScreenAnswer):
        raise InvalidRecordError("PC-PTSD-5 needs its exposure question and items")
    if instrument != "pc_ptsd5" and not isinstance(answer, tuple):
        raise InvalidRecordError("expected item scores")
    score = score_administration(content, instrument, answer, partner.audit_c_threshold)
    if score.total is None:
        title = content.instruments[instrument].title
        raise InvalidRecordError(
            f"answer every {title} item before recording it "
            f"({score.answered} of {score.item_count} answered)"
        )
    row = MeasureAdministration(
        case_id=case_id,
        partner_id=partner.id,
        instrument=instrument,
        taken_on=taken_on,
        answer=_answer_to_json(answer),
        total=score.total,
        band=score.band,
        threshold=score.threshold,
        note_id=note_id,
        content_version=content.version,
        recorded_at=utc_now(),
        recorded_by=by.strip(),
    )
    session.add(row)
    session.flush()
    audit.append_event(
        session,
        "measure-recorded",
        record_type="case",
        record_id=case_id,
        details={"instrument": instrument, "partner": partner_key, "measure": row.id},
    )
    return _record(row, partner_key, content)


def list_measures(
    session: Session, case_id: int, content: Content | None = None
) -> tuple[MeasureRecord, ...]:
    """Every stored administration of the case, oldest first (superseded ones included)."""
    content = content or load_content()
    _load_case(session, case_id)
    rows = session.execute(
        select(MeasureAdministration, Partner.key)
        .join(Partner, Partner.id == MeasureAdministration.partner_id)
        .where(MeasureAdministration.case_id == case_id)
        .order_by(MeasureAdministration.taken_on, MeasureAdministration.id)
    ).all()
    return tuple(_record(row, key, content) for row, key in rows)


def current_records(records: Iterable[MeasureRecord]) -> tuple[MeasureRecord, ...]:
    """The records that count: for each partner, instrument and day, the last one recorded."""
    newest: dict[tuple[str, str, dt.date], MeasureRecord] = {}
    for record in records:
        key = (record.partner, record.instrument, record.taken_on)
        held = newest.get(key)
        if held is None or (record.recorded_at, record.id) > (held.recorded_at, held.id):
            newest[key] = record
    return tuple(sorted(newest.values(), key=lambda r: (r.taken_on, r.id)))


def measure_points(
    records: Sequence[MeasureRecord],
    evaluation: Evaluation,
    intake_date: dt.date,
) -> tuple[MeasurePoint, ...]:
    """The case's measures over time: the intake's score, then every later administration.

    Only series with at least one later administration are returned (a single intake score
    is not a trend; the summary's screening table already shows it). The intake's point is
    dated `intake_date`.
    """
    later = current_records(records)
    series = {(record.partner, record.instrument) for record in later}
    points: list[MeasurePoint] = []
    for score in evaluation.scores:
        if (score.partner, score.instrument) in series and score.total is not None:
            points.append(
                MeasurePoint(
                    partner=score.partner,
                    instrument=score.instrument,
                    taken_on=intake_date,
                    total=score.total,
                    band=score.band,
                    band_label=score.band_label,
                    threshold=score.threshold,
                    at_intake=True,
                )
            )
    points.extend(record.point() for record in later)
    points.sort(key=lambda p: (p.partner, p.instrument, p.taken_on, not p.at_intake))
    return tuple(points)


def case_measure_points(
    session: Session,
    case_id: int,
    evaluation: Evaluation,
    intake_date: dt.date,
    content: Content | None = None,
) -> tuple[MeasurePoint, ...]:
    """`measure_points` for a case read from the vault."""
    return measure_points(list_measures(session, case_id, content), evaluation, intake_date)
