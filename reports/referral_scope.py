"""What each kind of referral letter may share: reports/content/referrals.toml, validated."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeAlias, cast

from clinical.content import Content, load_content
from clinical.errors import ContentError
from clinical.model import Indicator

Recipient: TypeAlias = Literal["physician", "trauma-therapist", "psychiatrist"]
RECIPIENTS: tuple[Recipient, ...] = ("physician", "trauma-therapist", "psychiatrist")
ActivityDetail: TypeAlias = Literal["class", "label", "none"]

REFERRALS_FILE = Path(__file__).with_name("content") / "referrals.toml"
_SOURCE = re.compile(r"^clinical-research\.md §\d+(\.\d+)*( \(.+\))?$")


@dataclass(frozen=True, slots=True)
class RecipientScope:
    """The minimum necessary for one kind of recipient.

    Attributes:
        recipient: the recipient id ("physician" ...).
        title: how the letter names the recipient's role.
        indicators: indicator ids the letter may quote.
        instruments: instrument ids whose scores the letter may quote.
        activity_detail: how much of an activity answer to show.
        include_rationale: quote each indicator's rationale.
        purpose: why the clinician writes.
        request: what the clinician asks for.
        sources: where the choice of content comes from.
    """

    recipient: Recipient
    title: str
    indicators: tuple[str, ...]
    instruments: tuple[str, ...]
    activity_detail: ActivityDetail
    include_rationale: bool
    purpose: str
    request: str
    sources: tuple[str, ...]

    def relevant(self, indicators: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
        """The indicators of a case this recipient may hear about, in the case's order."""
        return tuple(i for i in indicators if i.id in self.indicators)


def _fail(key: str, problem: str) -> ContentError:
    return ContentError(f"referrals.toml: {key}: {problem}")


def _text(raw: dict[str, Any], key: str, field: str) -> str:
    value = raw.get(field)
    if not isinstance(value, str) or not value.strip():
        raise _fail(f"{key}.{field}", "must be a non-empty string")
    return " ".join(value.split())


def _strings(raw: dict[str, Any], key: str, field: str) -> tuple[str, ...]:
    value = raw.get(field)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(f"{key}.{field}", "must be a list of strings")
    return tuple(value)


def parse_scopes(data: dict[str, Any], content: Content) -> dict[Recipient, RecipientScope]:
    """Validate the referral content against the clinical content.

    Raises:
        ContentError: naming the key and the problem (unknown recipient, unknown indicator or
            instrument id, an unknown activity_detail, a source that does not trace to
            clinical-research.md).
    """
    recipients = data.get("recipients")
    if not isinstance(recipients, dict):
        raise _fail("recipients", "missing")
    if set(recipients) != set(RECIPIENTS):
        raise _fail("recipients", "describe exactly: " + ", ".join(RECIPIENTS))
    allowed_fields = {
        "title",
        "indicators",
        "instruments",
        "activity_detail",
        "include_rationale",
        "purpose",
        "request",
        "sources",
    }
    rule_ids = {rule.id for rule in content.rules}
    scopes: dict[Recipient, RecipientScope] = {}
    for recipient in RECIPIENTS:
        raw = recipients[recipient]
        key = f"recipients.{recipient}"
        if not isinstance(raw, dict):
            raise _fail(key, "must be a table")
        unknown = set(raw) - allowed_fields
        if unknown:
            raise _fail(key, f"unknown key(s) {sorted(unknown)}")
        indicators = _strings(raw, key, "indicators")
        for index, indicator in enumerate(indicators):
            if indicator not in rule_ids:
                raise _fail(f"{key}.indicators[{index}]", f"unknown indicator id '{indicator}'")
        instruments = _strings(raw, key, "instruments")
        for index, instrument in enumerate(instruments):
            if instrument not in content.instruments:
                raise _fail(f"{key}.instruments[{index}]", f"unknown instrument id '{instrument}'")
        detail = raw.get("activity_detail")
        if detail not in ("class", "label", "none"):
            raise _fail(f"{key}.activity_detail", "must be class, label or none")
        include_rationale = raw.get("include_rationale")
        if not isinstance(include_rationale, bool):
            raise _fail(f"{key}.include_rationale", "must be true or false")
        sources = _strings(raw, key, "sources")
        if not sources:
            raise _fail(f"{key}.sources", "name at least one source")
        for index, source in enumerate(sources):
            if not _SOURCE.match(source):
                raise _fail(
                    f"{key}.sources[{index}]",
                    "a source must read 'clinical-research.md §<section>' with an optional "
                    "note in brackets",
                )
        scopes[recipient] = RecipientScope(
            recipient=recipient,
            title=_text(raw, key, "title"),
            indicators=indicators,
            instruments=instruments,
            activity_detail=cast(ActivityDetail, detail),
            include_rationale=include_rationale,
            purpose=_text(raw, key, "purpose"),
            request=_text(raw, key, "request"),
            sources=sources,
        )
    return scopes


@cache
def referral_scopes() -> dict[Recipient, RecipientScope]:
    """The shipped referral scopes, loaded and validated once."""
    try:
        with REFERRALS_FILE.open("rb") as stream:
            data = tomllib.load(stream)
    except FileNotFoundError:
        raise ContentError("referrals.toml: the file is missing") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"referrals.toml: not valid TOML: {error}") from None
    return parse_scopes(data, load_content())
