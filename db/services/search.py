"""Practice-wide search: cases by label and partner names, session notes by their text.

SQLite FTS5 inside the encrypted vault (migration 0004): nothing is indexed outside it. The
text a person types is never handed to FTS5 as syntax: every word becomes a quoted string (a
double quote inside is doubled), so quotes, operators (AND, OR, NOT, NEAR), brackets, column
filters and any other character are matched as text, and no input raises. A "quoted phrase"
stays a phrase and a word ending in * matches as a prefix. All words must appear.

Psychotherapy notes have their own index and are searched only when the clinician opts in for
that one search; such a search is recorded in the audit trail (that it happened and how many
psychotherapy notes matched; never the words searched for), and each psychotherapy note whose
snippet it shows is recorded as viewed.

Results list the newest notes first; snippets mark each match between MARK_START and
MARK_END, which a screen turns into emphasis after escaping the text around them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from db import audit
from db.cipher import OperationalError as DriverOperationalError

#: Around each match in a snippet; control characters never typed into a note.
MARK_START = "\x02"
MARK_END = "\x03"
ELLIPSIS = "…"
#: Words beyond this many are ignored (a pasted paragraph should not become a huge query).
MAX_TERMS = 12
#: A prefix search needs at least this many letters (shorter ones would match most words).
MIN_PREFIX_LENGTH = 2
#: Tokens of context a snippet shows.
SNIPPET_TOKENS = 14

HitKind = Literal["case", "note", "psychotherapy-note"]

_SNIPPET = (MARK_START, MARK_END, ELLIPSIS, SNIPPET_TOKENS)
_TOKEN = re.compile(r'"([^"]*)"?|([^\s"]+)')

_NOTES_SQL = """
SELECT hit.note_id, n.case_id, c.label, c.is_demo, v.session_date, v.signed, hit.snip
FROM (SELECT rowid AS note_id,
             snippet(notes_fts, 0, ?, ?, ?, ?) AS snip
      FROM notes_fts WHERE notes_fts MATCH ? ORDER BY rowid DESC LIMIT ?) AS hit
JOIN notes AS n ON n.id = hit.note_id
JOIN cases AS c ON c.id = n.case_id
JOIN note_versions AS v ON v.note_id = hit.note_id
 AND v.version = (SELECT max(version) FROM note_versions WHERE note_id = hit.note_id)
ORDER BY hit.note_id DESC
"""

_PSYCHOTHERAPY_SQL = """
SELECT hit.note_id, p.case_id, c.label, c.is_demo, p.session_date, hit.snip
FROM (SELECT rowid AS note_id,
             snippet(psychotherapy_fts, 0, ?, ?, ?, ?) AS snip
      FROM psychotherapy_fts WHERE psychotherapy_fts MATCH ? ORDER BY rowid DESC LIMIT ?) AS hit
JOIN psychotherapy_notes AS p ON p.id = hit.note_id
JOIN cases AS c ON c.id = p.case_id
ORDER BY hit.note_id DESC
"""

_CASES_SQL = """
SELECT hit.case_id, c.label, c.is_demo, hit.label_marked, hit.partners_marked
FROM (SELECT rowid AS case_id,
             highlight(cases_fts, 0, ?, ?) AS label_marked,
             highlight(cases_fts, 1, ?, ?) AS partners_marked,
             rank
      FROM cases_fts WHERE cases_fts MATCH ? ORDER BY rank LIMIT ?) AS hit
JOIN cases AS c ON c.id = hit.case_id
ORDER BY hit.rank
"""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result.

    Attributes:
        kind: a case (label or partner name matched), a session note or a psychotherapy note.
        note_id: the note to open; None for a case.
        session_date: the note's session date; None for a case.
        signed: whether the session note is signed; None otherwise.
        snippet: text around the matches, each match between MARK_START and MARK_END.
    """

    kind: HitKind
    case_id: int
    case_label: str
    is_demo: bool
    snippet: str
    note_id: int | None = None
    session_date: dt.date | None = None
    signed: bool | None = None


@dataclass(frozen=True, slots=True)
class SearchResults:
    """What one search found.

    Attributes:
        message: a short explanation when nothing could be searched for ("" otherwise).
        more: more matches exist than were returned (narrow the search).
        included_psychotherapy: psychotherapy notes were searched (and the search audited).
    """

    hits: tuple[SearchHit, ...] = ()
    message: str = ""
    more: bool = False
    included_psychotherapy: bool = False

    @property
    def cases(self) -> tuple[SearchHit, ...]:
        return tuple(hit for hit in self.hits if hit.kind == "case")

    @property
    def notes(self) -> tuple[SearchHit, ...]:
        return tuple(hit for hit in self.hits if hit.kind == "note")

    @property
    def psychotherapy_notes(self) -> tuple[SearchHit, ...]:
        return tuple(hit for hit in self.hits if hit.kind == "psychotherapy-note")


def build_match_query(text: str) -> str | None:
    """An FTS5 query that matches `text` literally; None when it holds no word to look for.

    Each word (or "quoted phrase") becomes an FTS5 string, so no character of the input is
    read as FTS5 syntax. A word ending in * (at least two letters before it) is a prefix.
    """
    terms: list[str] = []
    for match in _TOKEN.finditer(text):
        phrase, word = match.group(1), match.group(2)
        prefix = False
        if phrase is not None:
            raw = phrase
        else:
            raw = word.rstrip("*")
            prefix = word.endswith("*")
        letters = sum(character.isalnum() for character in raw)
        if not letters:
            continue
        quoted = '"' + raw.replace('"', '""') + '"'
        if prefix and letters >= MIN_PREFIX_LENGTH:
            quoted += "*"
        if quoted not in terms:
            terms.append(quoted)
        if len(terms) == MAX_TERMS:
            break
    return " ".join(terms) if terms else None


def _day(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def search_vault(
    session: Session,
    text: str,
    *,
    include_psychotherapy: bool = False,
    limit: int = 50,
    case_limit: int = 20,
) -> SearchResults:
    """Search cases and session notes (and psychotherapy notes when opted in) for `text`.

    Never raises for what a person types: input without a word to look for returns a
    message and no hits.

    Args:
        include_psychotherapy: search psychotherapy notes too, for this search only; the
            search is recorded in the audit trail (kind `search`, without the words).
        limit: at most this many notes of each kind; `more` says whether there were more.
        case_limit: at most this many cases.
    """
    query = build_match_query(text)
    if query is None:
        return SearchResults(message="Type a word to search for.")
    # The driver's own cursor on the session's connection (same transaction): SQLAlchemy's
    # statement machinery would cost as much as the full-text query itself.
    driver = session.connection().connection.driver_connection
    assert driver is not None  # a live session's connection always has one
    cursor = driver.cursor()
    try:
        case_rows = cursor.execute(
            _CASES_SQL, (MARK_START, MARK_END, MARK_START, MARK_END, query, case_limit)
        ).fetchall()
        note_rows = cursor.execute(_NOTES_SQL, (*_SNIPPET, query, limit + 1)).fetchall()
        private_rows = (
            cursor.execute(_PSYCHOTHERAPY_SQL, (*_SNIPPET, query, limit + 1)).fetchall()
            if include_psychotherapy
            else []
        )
    except DriverOperationalError:
        # Quoting makes every input valid FTS5; this guards against the unforeseen, and the
        # error text (which may quote the input) is never shown.
        return SearchResults(message="That search could not be run; try plain words.")
    finally:
        cursor.close()
    hits: list[SearchHit] = []
    for case_id, label, is_demo, label_marked, partners_marked in case_rows:
        names = str(partners_marked or "")
        snippet = str(label_marked or label) + (f"  ·  {names}" if names else "")
        hits.append(
            SearchHit(
                kind="case",
                case_id=int(case_id),
                case_label=str(label),
                is_demo=bool(is_demo),
                snippet=snippet,
            )
        )
    for note_id, case_id, label, is_demo, session_date, signed, snip in note_rows[:limit]:
        hits.append(
            SearchHit(
                kind="note",
                case_id=int(case_id),
                case_label=str(label),
                is_demo=bool(is_demo),
                snippet=str(snip or ""),
                note_id=int(note_id),
                session_date=_day(session_date),
                signed=bool(signed),
            )
        )
    for note_id, case_id, label, is_demo, session_date, snip in private_rows[:limit]:
        hits.append(
            SearchHit(
                kind="psychotherapy-note",
                case_id=int(case_id),
                case_label=str(label),
                is_demo=bool(is_demo),
                snippet=str(snip or ""),
                note_id=int(note_id),
                session_date=_day(session_date),
            )
        )
    if include_psychotherapy:
        audit.append_event(
            session,
            "search",
            details={"psychotherapy": True, "psychotherapy_results": min(len(private_rows), limit)},
        )
        # A snippet shows part of the note's text: each one shown is a view, and audited so.
        for hit in hits:
            if hit.kind == "psychotherapy-note":
                audit.append_event(
                    session,
                    "psychotherapy-note-viewed",
                    record_type="psychotherapy_note",
                    record_id=hit.note_id,
                    details={"case": hit.case_id, "via": "search"},
                )
    return SearchResults(
        hits=tuple(hits),
        more=len(note_rows) > limit or len(private_rows) > limit,
        included_psychotherapy=include_psychotherapy,
    )
