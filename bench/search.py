"""Search benchmark: the practice-wide search on a vault holding 200,000 session notes.

`search_200k_notes_p50_ms` is the median wall time of `db.services.search.search_vault` (query
building, the case-name search, the notes search with snippets, joining each hit's case and
session date, building the results) over 50 queries of one or two words, common and rare,
each run several times. `search_vs_raw_fts_ratio` divides that median by the median of the
bare FTS5 query for the same words on the same connection in the same run: the same MATCH,
the same order and limit and the same snippet() call, with nothing around it.

The vault is generated once (fictional text from a seeded vocabulary, all rows in one
transaction with executemany; the search index fills through migration 0004's triggers) and
cached under bench/.cache/; delete it to regenerate.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from pathlib import Path

from bench.harness import Metric
from db.services.search import (
    ELLIPSIS,
    MARK_END,
    MARK_START,
    SNIPPET_TOKENS,
    build_match_query,
    search_vault,
)
from db.vault import Vault

PASSPHRASE = "fictional benchmark passphrase 1"
NOTES = 200_000
CASES = 2_000
CACHE = Path(__file__).with_name(".cache") / f"search-{NOTES}-notes-v1.parley"
QUERIES = 50
ROUNDS = 6
SEED = 6

#: Words a session note is mostly made of (a plausible, fictional clinical vocabulary).
_VOCABULARY = (
    "partner partners talked about week homework session touch talk slowly feelings limits "
    "comfortable anxious calm agreed plan next step signal yellow green red aftercare check "
    "evening morning together alone listened described noticed reported wanted worried "
    "relaxed hesitant curious trust safety pace stage sensate focus exercise practice scene "
    "blindfold restraint roleplay negotiation boundaries consent pressure relief sleep work "
    "stress family friends weekend conflict repair apology laughter warmth distance closeness "
    "desire arousal pain tension breathing grounding pause stopped continued resumed felt "
    "easier harder better worse unchanged progress setback lapse review goal goals reading "
    "handout questions answered clarified explored validated reflected summarised encouraged"
)
COMMON_WORDS = tuple(_VOCABULARY.split())
_SYLLABLE_TEXT = "qua zel mor tiv bran oxi lum pex sor vin dak rue fen gop hix jun kal nep wub yor"
SYLLABLES = tuple(_SYLLABLE_TEXT.split())
#: Rare words: each appears in about 80 of the notes.
RARE_WORDS = 5_000


def _rare_words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(3)))
    return sorted(words)


def _note_text(rng: random.Random, rare: list[str]) -> str:
    # Zipf-like: a few words are very common, most are rarer; two rare words per note.
    words = [
        COMMON_WORDS[min(int(rng.paretovariate(1.1)) - 1, len(COMMON_WORDS) - 1)]
        if rng.random() < 0.5
        else rng.choice(COMMON_WORDS)
        for _ in range(60)
    ]
    for _ in range(2):
        words.insert(rng.randrange(len(words)), rng.choice(rare))
    return " ".join(words).capitalize() + "."


def _generate(path: Path) -> None:
    """Create the vault and fill it in one transaction (a few minutes; cached afterwards)."""
    rng = random.Random(SEED)
    rare = _rare_words(rng, RARE_WORDS)
    partial = path.with_name(path.name + ".partial")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    vault = Vault.create(partial, PASSPHRASE)
    try:
        with vault.session() as session:
            raw = session.connection().connection.driver_connection
            assert raw is not None
            stamp = "2025-01-01T09:00:00.000000Z"
            raw.executemany(
                "INSERT INTO cases (id, public_id, label, status, confidentiality_policy, "
                "created_at, updated_at, is_demo, severity_rank) "
                "VALUES (?, ?, ?, 'active', 'limited-secrets', ?, ?, 0, 0)",
                [
                    (
                        n,
                        f"00000000-0000-4000-8000-{n:012d}",
                        f"Fictional couple {n:05d}",
                        stamp,
                        stamp,
                    )
                    for n in range(1, CASES + 1)
                ],
            )
            raw.executemany(
                "INSERT INTO partners (case_id, key, name, position) VALUES (?, ?, ?, ?)",
                [
                    (n, key, f"{name} Example{n}", position)
                    for n in range(1, CASES + 1)
                    for position, (key, name) in enumerate((("A", "Kim"), ("B", "Lee")))
                ],
            )
            start = dt.date(2019, 1, 7)
            raw.executemany(
                "INSERT INTO notes (id, case_id, note_format, created_at, created_by) "
                "VALUES (?, ?, 'soap', ?, 'Dr Bench (fictional)')",
                [(n, (n - 1) % CASES + 1, stamp) for n in range(1, NOTES + 1)],
            )

            def versions():  # type: ignore[no-untyped-def]
                for n in range(1, NOTES + 1):
                    body = _note_text(rng, rare)
                    day = (start + dt.timedelta(days=n % 2000)).isoformat()
                    sections = f'[{{"id": "subjective", "text": "{body}"}}]'
                    yield (n, (n - 1) % CASES + 1, day, sections, body, stamp)

            raw.executemany(
                "INSERT INTO note_versions (note_id, version, case_id, session_date, attended, "
                "sections, body, saved_at, signed, signed_at, signed_by) "
                "VALUES (?, 1, ?, ?, '[\"A\", \"B\"]', ?, ?, ?, 1, ?, 'Dr Bench (fictional)')",
                (
                    (n, case, day, sections, body, stamp, stamp)
                    for n, case, day, sections, body, stamp in versions()
                ),
            )
        with vault.session() as session:
            raw = session.connection().connection.driver_connection
            assert raw is not None
            raw.execute("INSERT INTO notes_fts (notes_fts) VALUES ('optimize')")
    finally:
        vault.lock()
    for suffix in ("-wal", "-shm"):
        partial.with_name(partial.name + suffix).unlink(missing_ok=True)
    lock = partial.with_name(partial.name + ".lock")
    lock.unlink(missing_ok=True)
    partial.rename(path)


def _queries(rng: random.Random) -> list[str]:
    rare = _rare_words(random.Random(SEED), RARE_WORDS)
    common = COMMON_WORDS[:40]
    shapes = [
        lambda: rng.choice(common),
        lambda: f"{rng.choice(common)} {rng.choice(common)}",
        lambda: rng.choice(rare),
        lambda: f"{rng.choice(common)} {rng.choice(rare)}",
        lambda: f"{rng.choice(rare)} {rng.choice(rare)}",
    ]
    return [shapes[index % len(shapes)]() for index in range(QUERIES)]


RAW_SQL = (
    "SELECT rowid, snippet(notes_fts, 0, ?, ?, ?, ?) FROM notes_fts "
    "WHERE notes_fts MATCH ? ORDER BY rowid DESC LIMIT ?"
)


def run() -> dict[str, Metric]:
    if not CACHE.exists():
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        print(f"   generating {NOTES:,} fictional notes (cached in {CACHE.parent})", flush=True)
        started = time.perf_counter()
        _generate(CACHE)
        print(f"   generated in {time.perf_counter() - started:.0f} s", flush=True)
    queries = _queries(random.Random(SEED + 1))
    vault = Vault.unlock(CACHE, PASSPHRASE)
    service: list[float] = []
    raw_times: list[float] = []
    hits_seen = 0
    try:
        with vault.session() as session:
            # The baseline runs on the driver's own connection: no SQLAlchemy around it.
            driver = session.connection().connection.driver_connection

            def ours(words: str) -> int:
                return len(search_vault(session, words).hits)

            matches = {words: build_match_query(words) for words in queries}

            def bare(words: str) -> int:
                match = matches[words]  # the same terms, quoted once outside the timing
                rows = driver.execute(
                    RAW_SQL, (MARK_START, MARK_END, ELLIPSIS, SNIPPET_TOKENS, match, 51)
                ).fetchall()
                return len(rows)

            for words in queries:  # warm the page cache for both
                ours(words)
                bare(words)
            for round_number in range(ROUNDS):
                for index, words in enumerate(queries):
                    # Whichever runs first reads (and decrypts) the pages both need; take
                    # turns so neither side always pays for that.
                    pair = [(ours, service), (bare, raw_times)]
                    if (round_number + index) % 2:
                        pair.reverse()
                    for action, samples in pair:
                        began = time.perf_counter()
                        found = action(words)
                        samples.append(time.perf_counter() - began)
                        if action is ours:
                            hits_seen += found
    finally:
        vault.lock()
    ours_ms = statistics.median(service) * 1000
    raw_ms = statistics.median(raw_times) * 1000
    size_mb = CACHE.stat().st_size / 1e6
    return {
        "search_200k_notes_p50_ms": Metric(
            value=ours_ms,
            unit="ms",
            baseline=raw_ms,
            goal=30.0,
            note=(
                f"search_vault on {NOTES:,} notes in {CASES:,} cases ({size_mb:.0f} MB vault), "
                f"{QUERIES} queries of 1-2 common/rare words x {ROUNDS} rounds, median; "
                f"{hits_seen / (QUERIES * ROUNDS):.0f} hits per search on average. Baseline: "
                "the bare FTS5 MATCH with the same order, limit and snippet (ms)."
            ),
        ),
        "search_vs_raw_fts_ratio": Metric(
            value=ours_ms / raw_ms,
            unit="ratio",
            baseline=raw_ms,
            goal=2.0,
            note=(
                "median search_vault time / median bare FTS5 query time for the same words, "
                "same connection, same run (baseline in ms)."
            ),
        ),
    }
