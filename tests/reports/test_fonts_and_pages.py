"""Fonts (bundled, fallback, could-not-show note), page furniture and reproducible bytes."""

from __future__ import annotations

import dataclasses
import io
import shutil

import pytest
from pypdf import PdfReader

from clinical.model import PartnerInfo
from reports.document import ReportOptions
from reports.fonts import FontBook, fontconfig_finder, no_system_fonts
from reports.safety_plan import render_safety_plan
from reports.summary import render_summary
from reports.text import DocumentText
from tests.reports.helpers import pdf_pages, pdf_text, qpdf_check, vignette_snapshot

CJK_NAME = "山田 花子"
LATIN_NAME = "Łucja Kőszegi-Weiß"
#: Scripts almost no desktop has a font for; the test uses the first one fontconfig cannot
#: draw here, so that "no font at all" is real, not simulated.
RARE_CHARACTERS = ("\U00013000", "\U00010330", "\U0001e900", "\U00011a00", "\U0001d2e0")


def renamed(snapshot, first: str):  # type: ignore[no-untyped-def]
    partners = list(snapshot.partners)
    partners[0] = PartnerInfo(key=partners[0].key, name=first)
    return dataclasses.replace(snapshot, partners=tuple(partners))


def font_names(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    names: set[str] = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def test_markup_escapes_text_and_keeps_line_breaks() -> None:
    text = DocumentText(FontBook(no_system_fonts))
    assert text.markup("a < b & c > d\nnext") == "a &lt; b &amp; c &gt; d<br/>next"
    assert not text.unshown


def test_latin_name_with_rare_letters_uses_the_bundled_font_only() -> None:
    snapshot = renamed(vignette_snapshot("ready-couple"), LATIN_NAME)
    rendered = render_safety_plan(snapshot)
    assert rendered.unshown_characters == ()
    text = pdf_text(rendered.data)
    assert LATIN_NAME in text
    assert "could not be shown" not in text
    assert all("DejaVuSans" in name for name in font_names(rendered.data))


def test_cjk_name_without_any_fallback_font_gets_a_note_not_boxes() -> None:
    snapshot = renamed(vignette_snapshot("ready-couple"), CJK_NAME)
    options = ReportOptions(font_book=FontBook(no_system_fonts))
    rendered = render_safety_plan(snapshot, options=options)
    assert set(rendered.unshown_characters) == set(CJK_NAME) - {" "}
    assert qpdf_check(rendered.data).returncode == 0
    first_page = " ".join(pdf_pages(rendered.data)[0].split())
    assert "Some characters could not be shown" in first_page
    for char in CJK_NAME.replace(" ", ""):
        assert f"U+{ord(char):04X}" in first_page
    text = pdf_text(rendered.data)
    assert "\ufffd" in text  # the visible placeholder, where a box would have been
    assert not any(char in text for char in CJK_NAME.replace(" ", ""))


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig is not installed")
def test_cjk_name_with_the_system_fonts_falls_back_or_says_so() -> None:
    """With fontconfig: drawn in a system font when one has the glyphs, else the note."""
    has_cjk_font = bool(fontconfig_finder("山"))
    snapshot = renamed(vignette_snapshot("ready-couple"), CJK_NAME)
    rendered = render_safety_plan(snapshot)
    text = pdf_text(rendered.data)
    if has_cjk_font:
        assert rendered.unshown_characters == ()
        assert CJK_NAME.replace(" ", "") in text.replace(" ", "")
        assert any("DejaVuSans" not in name for name in font_names(rendered.data))
    else:
        assert set(rendered.unshown_characters) == set(CJK_NAME) - {" "}
        assert "Some characters could not be shown" in text


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig is not installed")
def test_character_no_installed_font_has_is_reported() -> None:
    missing = next((c for c in RARE_CHARACTERS if not fontconfig_finder(c)), None)
    if missing is None:
        pytest.skip("every rare test character has a font on this machine")
    book = FontBook()
    assert book.classify(missing) is None
    snapshot = renamed(vignette_snapshot("ready-couple"), f"Kim {missing} Example")
    rendered = render_summary(snapshot)
    assert rendered.unshown_characters == (missing,)
    assert f"U+{ord(missing):04X}" in pdf_text(rendered.data)


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig is not installed")
def test_a_symbol_dejavu_sans_lacks_is_drawn_in_a_system_font() -> None:
    char = "\u2312"  # an arc: in DejaVu Sans Mono, not in DejaVu Sans
    if not fontconfig_finder(char):
        pytest.skip("no system font with U+2312 here")
    book = FontBook()
    assert not book.primary_covers(char)
    text = DocumentText(book)
    markup = text.markup(f"arc {char} done")
    assert "<font face=" in markup
    assert not text.unshown


def test_page_furniture_letterhead_running_header_footer() -> None:
    rendered = render_summary(vignette_snapshot("cardiac-impact"))
    pages = [" ".join(page.split()) for page in pdf_pages(rendered.data)]
    assert len(pages) >= 2
    assert "1 Example Street, Exampletown" in pages[0]  # letterhead on the first page only
    for page in pages[1:]:
        assert "1 Example Street" not in page
        assert "Consultation summary · Example Couples Practice (fictional)" in page
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in page
        assert "CONFIDENTIAL" in page


def test_demo_cases_are_marked_on_every_page_and_real_ones_not() -> None:
    demo = dataclasses.replace(vignette_snapshot("ready-couple"), is_demo=True)
    for render in (render_safety_plan, render_summary):
        pages = pdf_pages(render(demo).data)
        assert all("DEMO, fictional" in page for page in pages)
        assert not any(
            "DEMO" in page for page in pdf_pages(render(vignette_snapshot("ready-couple")).data)
        )


def test_plan_is_not_marked_confidential_clinical_record() -> None:
    text = pdf_text(render_safety_plan(vignette_snapshot("ready-couple")).data)
    assert "CONFIDENTIAL" not in text
    assert "Private: for you and your therapist." in text


def test_invariant_builds_are_byte_identical() -> None:
    snapshot = vignette_snapshot("trauma-role-reversal")
    options = ReportOptions(invariant=True)
    first = render_summary(snapshot, options=options).data
    second = render_summary(snapshot, options=options).data
    assert first == second
