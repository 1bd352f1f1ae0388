"""The fixed fictional documents behind the golden first-page images.

Built with reproducible bytes (invariant) from fixed snapshots at a fixed moment, using the
bundled fonts only, so the images depend on the code and the content, not on the machine's
fonts or the clock. `python -m tests.reports.regenerate_golden` (or `make golden`) redraws
them after an intended change of layout or wording.
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

from clinical.model import ConsentInfo, SafetyPlanChoices, Signals
from reports.document import ReportOptions
from reports.fonts import FontBook, no_system_fonts
from reports.referral import render_referral
from reports.safety_plan import render_safety_plan
from reports.summary import render_summary
from tests.reports.helpers import vignette_snapshot

GOLDEN_DIR = Path(__file__).with_name("golden")
#: The resolution of the golden images: enough to see layout, small enough to store.
GOLDEN_DPI = 50
#: Mean absolute difference per channel (0-255) still accepted. A page is mostly white, so
#: the mean is small even for real changes; measured here: one changed character 0.002, a
#: changed case label 0.11, a heading moved to the next page 0.13, another document 15.7.
#: Renders on the same machine kind are pixel-identical, so the tolerance only absorbs
#: anti-aliasing noise of another poppler build while still catching a changed word.
TOLERANCE = 0.05


def golden_documents() -> dict[str, bytes]:
    """The PDF bytes of each golden document, by name."""
    options = ReportOptions(invariant=True, font_book=FontBook(no_system_fonts))
    plan_case = vignette_snapshot(
        "ready-couple",
        choices=SafetyPlanChoices(
            signals=Signals(non_verbal="three firm taps"),
            aftercare={"A": "Water, a blanket and a quiet hug", "B": "Talking it through"},
        ),
    )
    summary_case = vignette_snapshot(
        "cardiac-impact",
        goals="Explore impact play with care for the heart condition.",
        recommendations="Medical clearance first, then the graduated plan.",
    )
    referral_case = dataclasses.replace(
        summary_case,
        consent=ConsentInfo("limited-secrets", None, ("A", "B"), share_with_professionals=True),
    )
    return {
        "safety-plan": render_safety_plan(plan_case, options=options).data,
        "summary": render_summary(summary_case, options=options).data,
        "referral": render_referral(referral_case, "physician", options=options).data,
    }


def first_page_image(data: bytes) -> Image.Image:
    """The first page as pdftoppm draws it at the golden resolution (RGB)."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "document.pdf"
        pdf.write_bytes(data)
        stem = Path(folder) / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(GOLDEN_DPI),
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        with Image.open(stem.with_suffix(".png")) as image:
            return image.convert("RGB")


def mean_difference(first: Image.Image, second: Image.Image) -> float:
    """Mean absolute pixel difference over all channels (0 = identical, 255 = inverted)."""
    if first.size != second.size:
        return 255.0
    stat = ImageStat.Stat(ImageChops.difference(first, second))
    return float(sum(stat.mean) / len(stat.mean))
