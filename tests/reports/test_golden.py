"""Golden first pages: each document's first page matches its approved image within tolerance."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.reports.golden_cases import (
    GOLDEN_DIR,
    TOLERANCE,
    first_page_image,
    golden_documents,
    mean_difference,
)

NAMES = ("safety-plan", "summary", "referral")


@pytest.fixture(scope="module")
def documents() -> dict[str, bytes]:
    return golden_documents()


@pytest.mark.parametrize("name", NAMES)
def test_first_page_matches_the_golden_image(
    name: str, documents: dict[str, bytes], tmp_path: Path
) -> None:
    golden = GOLDEN_DIR / f"{name}.png"
    assert golden.exists(), f"{golden} is missing: run `make golden` and look at the result"
    actual = first_page_image(documents[name])
    with Image.open(golden) as expected:
        difference = mean_difference(expected.convert("RGB"), actual)
    if difference > TOLERANCE:
        saved = tmp_path / f"{name}.actual.png"
        actual.save(saved)
        pytest.fail(
            f"{name}: first page differs from {golden.name} by {difference:.2f} "
            f"(tolerance {TOLERANCE}); this run's page is {saved}. If the change is intended, "
            "run `make golden` and commit the new image."
        )


def test_the_comparison_notices_a_real_change(documents: dict[str, bytes]) -> None:
    """The measure is not blind: the plan's first page is far from the summary's."""
    plan = first_page_image(documents["safety-plan"])
    summary = first_page_image(documents["summary"])
    assert mean_difference(plan, plan) == 0.0
    assert mean_difference(plan, summary) > TOLERANCE
