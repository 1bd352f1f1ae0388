"""Confidentiality-policy wording read to the partners at intake, from content/consent.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from clinical.errors import ParleyError

Policy = Literal["no-secrets", "limited-secrets"]


class ConsentContentError(ParleyError):
    """consent.toml is missing a policy or a field."""


@dataclass(frozen=True, slots=True)
class ConsentWording:
    """One policy as the partners hear it, with the version recorded beside their consent."""

    policy: Policy
    title: str
    wording: str
    version: str
    source: str


@cache
def load_consent_wordings() -> tuple[ConsentWording, ...]:
    """Both policies, limited-secrets first (the default: it keeps the safety exception)."""
    text = resources.files("clinical").joinpath("content", "consent.toml").read_text("utf-8")
    data = tomllib.loads(text)
    wordings = []
    for index, raw in enumerate(data.get("policies", [])):
        try:
            policy = raw["policy"]
            if policy not in ("no-secrets", "limited-secrets"):
                raise ConsentContentError(
                    f"consent.toml: policies[{index}].policy: must be no-secrets or limited-secrets"
                )
            wordings.append(
                ConsentWording(
                    policy=policy,
                    title=str(raw["title"]),
                    wording=str(raw["wording"]).strip(),
                    version=str(data["version"]),
                    source=str(raw["source"]),
                )
            )
        except KeyError as missing:
            raise ConsentContentError(
                f"consent.toml: policies[{index}]: missing key {missing}"
            ) from None
    if {w.policy for w in wordings} != {"no-secrets", "limited-secrets"}:
        raise ConsentContentError("consent.toml: policies: both policies must be worded")
    return tuple(sorted(wordings, key=lambda w: w.policy != "limited-secrets"))
