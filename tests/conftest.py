"""Test-wide setup: Qt offscreen, a private HOME and temp folder, fictional data only."""

from __future__ import annotations

import os

# Before any Qt import: no display here, and tests must never need one.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PARLEY_TEST", "1")
