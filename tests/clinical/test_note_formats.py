"""Record-keeping content: note formats (clinical-research.md §4.3), stage progress, retention."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from clinical.errors import ContentError
from clinical.note_formats import (
    NOTE_FORMATS_FILE,
    add_years,
    load_note_formats,
    parse_note_formats,
)


def test_the_shipped_formats_follow_the_research() -> None:
    formats = load_note_formats()
    sections = {f.id: [s.title for s in f.sections] for f in formats.formats}
    assert sections == {
        "soap": ["Subjective", "Objective", "Assessment", "Plan"],
        "dap": ["Data", "Assessment", "Plan"],
        "birp": ["Behaviour", "Intervention", "Response", "Plan"],
    }
    assert formats.default_format == "soap"
    assert all(section.prompt for f in formats.formats for section in f.sections)
    assert all(f.sources == ("clinical-research.md §4.3",) for f in formats.formats)
    assert formats.retention.default_years == 7
    assert formats.psychotherapy_notes.sources == ("clinical-research.md §4.2",)
    assert formats.progress_label("ready-to-advance") == "Criteria to advance met"
    assert formats.progress_label(None) == ""
    assert formats.progress_label("gone") == ""
    assert formats.format("dap").section("data") is not None
    with pytest.raises(KeyError):
        formats.format("pirp")


def _data() -> dict:  # type: ignore[type-arg]
    with NOTE_FORMATS_FILE.open("rb") as stream:
        return tomllib.load(stream)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["formats"][0].update(sources=["a blog"]), "formats[0]: a source must read"),
        (
            lambda d: d["formats"][1]["sections"].append(dict(d["formats"][1]["sections"][0])),
            "formats[1]: section ids must be unique",
        ),
        (lambda d: d.update(default_format="pirp"), "default_format 'pirp' is not a format id"),
        (lambda d: d["formats"][2]["sections"][0].update(title=""), "formats[2].sections[0].title"),
        (lambda d: d["formats"][0].update(colour="red"), "formats[0].colour: Extra inputs"),
        (lambda d: d["retention"].update(default_years=0), "retention.default_years"),
        (lambda d: d.pop("psychotherapy_notes"), "psychotherapy_notes: Field required"),
    ],
)
def test_a_broken_file_names_the_key(change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = _data()
    change(data)
    with pytest.raises(ContentError) as raised:
        parse_note_formats(data)
    assert str(raised.value).startswith("note_formats.toml: ")
    assert message in str(raised.value)


def test_a_missing_or_invalid_file_is_a_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="missing"):
        load_note_formats(tmp_path / "note_formats.toml")
    broken = tmp_path / "note_formats.toml"
    broken.write_text("version = [", encoding="utf-8")
    with pytest.raises(ContentError, match="not valid TOML"):
        load_note_formats(broken)


def test_retention_dates() -> None:
    rule = load_note_formats().retention
    assert rule.keep_until(dt.date(2018, 3, 1), 7) == dt.date(2025, 3, 1)
    # Adults only: their birth dates change nothing.
    assert rule.keep_until(dt.date(2018, 3, 1), 7, (dt.date(1980, 1, 1), None)) == dt.date(
        2025, 3, 1
    )
    # A partner of 17 at the last service: 3 years after turning 18, since that is later.
    assert rule.keep_until(dt.date(2018, 3, 1), 2, (dt.date(2001, 1, 1),)) == dt.date(2022, 1, 1)
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
