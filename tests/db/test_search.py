"""Full-text search inside the vault: notes, cases, psychotherapy notes only when opted in,
and no typed input ever raising. All data here is fictional."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from db.audit import count_events, recent_events
from db.services import notes as note_service
from db.services.notes import NoteDraft
from db.services.search import MARK_END, MARK_START, build_match_query, search_vault
from db.vault import Vault
from tests.db.conftest import add_example_case

DAY = dt.date(2025, 3, 4)


@pytest.fixture
def filled(vault: Vault) -> dict[str, int]:
    """Two fictional cases with notes, an addendum and a psychotherapy note."""
    first = add_example_case(vault, "Harbour couple").id
    second = add_example_case(vault, "Meadow couple").id
    with vault.session() as session:
        draft = NoteDraft(
            DAY,
            {"subjective": "Zoë Example talked about the blindfold; naïve worries eased."},
            ("A", "B"),
        )
        signed = note_service.create_note(session, first, "soap", draft)
        note_service.sign_note(session, signed.id, "Dr Example")
        note_service.add_addendum(session, signed.id, "Follow-up: the wombatique drill", "Dr X")
        other = note_service.create_note(
            session, second, "dap", NoteDraft(DAY, {"data": "Sensate focus homework completed."})
        )
        note_service.create_psychotherapy_note(
            session, first, DAY, "Private impression: quillfeather dynamics."
        )
    return {"first": first, "second": second, "signed": signed.id, "other": other.id}


def search(vault: Vault, words: str, **options: object):  # type: ignore[no-untyped-def]
    with vault.session() as session:
        return search_vault(session, words, **options)  # type: ignore[arg-type]


def test_note_words_are_found_with_marked_snippets(vault: Vault, filled: dict[str, int]) -> None:
    results = search(vault, "blindfold")
    assert [(h.kind, h.note_id, h.case_id) for h in results.notes] == [
        ("note", filled["signed"], filled["first"])
    ]
    hit = results.notes[0]
    assert f"{MARK_START}blindfold{MARK_END}" in hit.snippet
    assert hit.case_label == "Harbour couple"
    assert hit.session_date == DAY
    assert hit.signed is True


@pytest.mark.parametrize("words", ["Zoë", "zoe", "ZOË", "naive", "naïve", "worry"])
def test_non_ascii_and_folded_forms_find_the_same_note(
    vault: Vault, filled: dict[str, int], words: str
) -> None:
    assert [h.note_id for h in search(vault, words).notes] == [filled["signed"]]


def test_addenda_and_new_versions_are_searchable_and_old_words_drop_out(
    vault: Vault, filled: dict[str, int]
) -> None:
    assert [h.note_id for h in search(vault, "wombatique").notes] == [filled["signed"]]
    with vault.session() as session:
        note_service.save_note_draft(
            session, filled["other"], NoteDraft(DAY, {"data": "Rewritten: lanternfish."})
        )
    assert search(vault, "sensate").notes == ()
    assert [h.note_id for h in search(vault, "lanternfish").notes] == [filled["other"]]
    with vault.session() as session:
        for index in ("notes_fts", "psychotherapy_fts", "cases_fts"):
            session.execute(
                text(f"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")
            )


def test_all_words_must_appear_and_phrases_and_prefixes_work(
    vault: Vault, filled: dict[str, int]
) -> None:
    assert len(search(vault, "blindfold worries").notes) == 1
    assert search(vault, "blindfold lanternfish").notes == ()
    assert len(search(vault, '"sensate focus"').notes) == 1
    assert search(vault, '"focus sensate"').notes == ()
    assert len(search(vault, "sens*").notes) == 1
    assert search(vault, "sens").notes == ()


def test_cases_are_found_by_label_and_partner_name(vault: Vault, filled: dict[str, int]) -> None:
    assert [h.case_id for h in search(vault, "harbour").cases] == [filled["first"]]
    by_name = search(vault, "Kim Example").cases
    assert {h.case_id for h in by_name} == {filled["first"], filled["second"]}
    assert f"{MARK_START}Kim{MARK_END}" in by_name[0].snippet


def test_psychotherapy_notes_are_searched_only_when_opted_in(
    vault: Vault, filled: dict[str, int]
) -> None:
    plain = search(vault, "quillfeather")
    assert plain.hits == ()
    assert not plain.included_psychotherapy
    with vault.session() as session:
        assert count_events(session, "search") == 0

    opted = search(vault, "quillfeather", include_psychotherapy=True)
    assert [h.kind for h in opted.hits] == ["psychotherapy-note"]
    assert opted.hits[0].case_id == filled["first"]
    assert f"{MARK_START}quillfeather{MARK_END}" in opted.hits[0].snippet
    with vault.session() as session:
        assert count_events(session, "search") == 1
        event = next(e for e in recent_events(session, 5) if e.kind == "search")
    assert event.kind == "search"
    assert "quillfeather" not in event.details
    assert json.loads(event.details) == {"psychotherapy": True, "psychotherapy_results": 1}
    # The snippet shows part of the note: that is a view, recorded by note id.
    with vault.session() as session:
        views = [e for e in recent_events(session, 5) if e.kind == "psychotherapy-note-viewed"]
    assert len(views) == 1
    assert views[0].record_type == "psychotherapy_note"
    assert json.loads(views[0].details) == {"case": filled["first"], "via": "search"}
    assert "quillfeather" not in views[0].details
    # The next search without the box ticked is back to the record only.
    assert search(vault, "quillfeather").hits == ()


def test_session_note_words_never_reach_the_psychotherapy_index(
    vault: Vault, filled: dict[str, int]
) -> None:
    results = search(vault, "blindfold", include_psychotherapy=True)
    assert [h.kind for h in results.hits] == ["note"]


@pytest.mark.parametrize(
    "words",
    [
        '"',
        '""',
        '"unterminated phrase',
        "AND",
        "OR NOT",
        "NOT blindfold",
        "blindfold OR",
        "(",
        ")",
        "*",
        "**",
        "a*",
        "body:blindfold",
        "NEAR(blindfold worries)",
        "^blindfold",
        "-blindfold",
        "+",
        "{body}: x",
        "'",
        "\\",
        "\x00",
        "😀",
        "\u0301",
        "   ",
        "",
        "blind\u200bfold",
        "x" * 5000,
    ],
)
def test_malformed_input_gives_a_message_or_plain_results(
    vault: Vault, filled: dict[str, int], words: str
) -> None:
    results = search(vault, words)
    assert results.message or results.hits is not None
    if build_match_query(words) is None:
        assert results.message == "Type a word to search for."
        assert results.hits == ()


def test_operators_are_plain_words(vault: Vault, filled: dict[str, int]) -> None:
    # "NOT blindfold" is the two words "not" and "blindfold": no note has "not", so no hit,
    # and certainly not every note without "blindfold".
    assert search(vault, "NOT blindfold").notes == ()
    assert build_match_query('NOT "x" OR y*') == '"NOT" "x" "OR" "y"'
    assert build_match_query('say "hi"" there"') == '"say" "hi" " there"'
    assert build_match_query("o'brien") == '"o\'brien"'


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.text(max_size=60))
def test_any_typed_text_searches_without_raising(vault: Vault, words: str) -> None:
    with vault.session() as session:
        results = search_vault(session, words, include_psychotherapy=False)
    assert isinstance(results.hits, tuple)
