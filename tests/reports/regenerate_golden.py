"""`make golden`: redraw tests/reports/golden/*.png after an intended layout or wording change.

Run it, look at the new images (they are small PNGs), and commit them with the change that
moved them. The test that compares against them is tests/reports/test_golden.py.
"""

from __future__ import annotations

import sys

from PIL import Image

from tests.reports.golden_cases import (
    GOLDEN_DIR,
    first_page_image,
    golden_documents,
    mean_difference,
)


def main() -> int:
    GOLDEN_DIR.mkdir(exist_ok=True)
    for name, data in golden_documents().items():
        path = GOLDEN_DIR / f"{name}.png"
        image = first_page_image(data)
        if path.exists():
            with Image.open(path) as old:
                change = mean_difference(old.convert("RGB"), image)
            note = f"changed by {change:.2f}"
        else:
            note = "new"
        image.save(path, optimize=True)
        sys.stdout.write(f"{path} ({note})\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
