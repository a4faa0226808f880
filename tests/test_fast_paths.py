"""The pieces of the fast search path, each against the plain way of doing the same:
postings tables and block reads against Whoosh's matchers, phrase matching against
Whoosh's `Phrase` query, sparse scores against full arrays; the tables written for
each segment and dropped with it; the caches bounded in bytes. (On the shared corpora,
tests/test_search_equivalence.py compares whole searches.)"""

from __future__ import annotations

import os
import random
import shutil
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from testimony_archive.archive import Archive
from testimony_archive.config import Settings
from testimony_archive.index import (
    SearchRequest,
    WhooshIndex,
    highlight,
    postings_table,
    rebuild_index,
    update_index,
)
from testimony_archive.index import snapshot as snapshot_module
from testimony_archive.index.analysis import analyze, word_terms
from testimony_archive.index.bodies import Bodies, paragraphs_weight
from testimony_archive.index.highlight import _WORD, Highlighter
from testimony_archive.index.phrases import phrase_at
from testimony_archive.index.postings_blocks import read_positions, read_postings
from testimony_archive.index.postings_table import TABLES_DIR, PostingsTable, table_path
from testimony_archive.index.snapshot import _field_lengths
from testimony_archive.index.sparse import Scores, all_of, and_maybe, best, excluding, summed
from testimony_archive.index.whoosh_index import TEXT_FIELDS
from testimony_archive.index.writer import open_index

from . import reference_search
from .conftest import EVERY_LEVEL, PUBLIC, SHARED, copy_sample_archive
from .reference_search import straightforward, whoosh_phrase, word_by_word_spans

CORPORA = sorted((SHARED / "corpus").glob("*.jsonl"))
FIELDS = ("text_en", "text_es", "text_xx", "title", "locations", "abuse_types")


def every_term(reader: object, field: str) -> list[str]:
    return [term.decode() for term in reader.lexicon(field)]  # type: ignore[attr-defined]


def matcher_postings(leaf: object, field: str, term: str) -> tuple[list[int], list[float]]:
    """A segment's postings as Whoosh's matcher gives them (deleted entries left out)."""
    ids, weights = reference_search.matcher_postings(leaf, field, term)  # type: ignore[arg-type]
    return ids.tolist(), weights.tolist()


def matcher_positions(leaf: object, field: str, term: str) -> dict[int, list[int]]:
    matcher = leaf.postings(field, term)  # type: ignore[attr-defined]
    found = {}
    while matcher.is_active():
        found[matcher.id()] = list(matcher.value_as("positions"))
        matcher.next()
    return found


def test_every_segment_gets_a_table_holding_exactly_whoosh_postings(
    backend: WhooshIndex,
) -> None:
    index_dir = backend.index_dir
    with open_index(index_dir).reader() as reader:
        leaves = [leaf for leaf, _offset in reader.leaf_readers()]
        assert leaves
        compared = 0
        for leaf in leaves:
            table = PostingsTable.load(table_path(index_dir, leaf.segment().segment_id()))
            assert table is not None
            for field in FIELDS:
                for term in every_term(leaf, field):
                    ids, weights = matcher_postings(leaf, field, term)
                    block_ids, block_weights = read_postings(leaf, field, term)
                    assert (block_ids.tolist(), block_weights.tolist()) == (ids, weights)
                    number = table.term(field, term)
                    if number is None:  # kept inline by Whoosh: one posting
                        assert len(ids) == 1
                        continue
                    table_ids, table_weights = table.postings(number)
                    assert (table_ids.tolist(), table_weights.tolist()) == (ids, weights)
                    if field.startswith("text_"):
                        positions = matcher_positions(leaf, field, term)
                        docnums = np.array(ids, np.int32)
                        assert table.positions_of(number, docnums) == positions
                        assert read_positions(leaf, field, term, docnums) == positions
                    compared += 1
            assert table.term("text_en", "no-such-term-anywhere") is None
        assert compared > 50


def test_phrases_match_as_whoosh_phrase_query_does(backend: WhooshIndex) -> None:
    rng = random.Random(3)
    with backend.handle.searcher() as (searcher, snapshot):
        reader = searcher.reader()
        terms = every_term(reader, "text_en")
        matched = 0
        for _ in range(300):
            words = tuple(rng.sample(terms, rng.randint(2, 3)))
            if rng.random() < 0.7:  # words that stand together somewhere
                docnum = int(rng.choice(snapshot.postings(reader, "text_en", words[0])[0]))
                held = sorted(
                    (position, term)
                    for term in terms[:: max(1, len(terms) // 400)] + list(words)
                    for position in snapshot.positions(
                        reader, "text_en", term, np.array([docnum], np.int32)
                    ).get(docnum, [])
                )
                start = rng.randrange(max(1, len(held) - 3))
                words = tuple(term for _position, term in held[start : start + rng.randint(2, 3)])
            for slop in (1, 2, 3):
                fast = sorted(snapshot.phrase(reader, "text_en", words, slop).tolist())
                plain = sorted(whoosh_phrase(searcher, "text_en", words, slop).tolist())
                assert fast == plain, (words, slop)
                matched += bool(plain)
        assert matched > 50


@pytest.mark.parametrize(
    ("positions", "slop", "found"),
    [
        ([[3], [4]], 1, True),
        ([[3], [5]], 1, False),
        ([[3], [5]], 2, True),
        ([[4], [3]], 3, False),  # in order only
        ([[3], [3]], 2, False),  # the same position is not "after"
        ([[1, 7], [8], [9]], 1, True),
        ([[1, 7], [2], [9]], 1, False),
        ([[1], [3], [4]], 2, True),
        ([[1], [3], [7]], 2, False),
        ([[1], [], [2]], 1, False),
    ],
)
def test_phrase_rule(positions: list[list[int]], slop: int, found: bool) -> None:
    assert phrase_at(positions, slop) is found


def random_scores(rng: np.random.Generator, size: int, dense: bool) -> Scores:
    count = int(rng.integers(0, size // 3))
    ids = np.sort(rng.choice(size, count, replace=False)).astype(np.int32)
    values = rng.random(count).astype(np.float32) * np.float32(5)
    values[rng.random(count) < 0.1] = 0  # (a phrase's entries may score zero)
    scores = Scores.of(size, ids, values)
    return Scores.dense_of(scores.dense()) if dense else scores


def test_sparse_scores_equal_full_array_scores_to_the_bit() -> None:
    rng = np.random.default_rng(5)
    for _ in range(300):
        size = int(rng.integers(1, 400))
        parts = [random_scores(rng, size, rng.random() < 0.3) for _ in range(rng.integers(1, 5))]
        full = [part.dense() for part in parts]
        top = full[0].copy()
        for value in full[1:]:
            np.maximum(top, value, out=top)
        total = full[0].copy()
        for value in full[1:]:
            total += value
        tie = total - top
        tie *= np.float32(0.1)
        expected_best = top + tie if len(parts) > 1 else full[0]
        both = total.copy()
        for value in full:
            both[value <= 0] = 0
        assert best(parts, 0.1).dense().tobytes() == expected_best.tobytes()
        assert summed(parts).dense().tobytes() == total.tobytes()
        assert all_of(parts).dense().tobytes() == both.tobytes()
        first, second = parts[0], parts[-1]
        maybe = np.where(full[0] > 0, full[0] + full[-1], 0).astype(np.float32)
        assert and_maybe(first, second).dense().tobytes() == maybe.tobytes()
        kept = full[0].copy()
        kept[full[-1] > 0] = 0
        assert excluding(first, second).dense().tobytes() == kept.tobytes()


def test_tables_follow_the_segments_and_searches_read_the_new_ones(
    archive: Archive, settings: Settings
) -> None:
    index_dir = settings.index_dir
    rebuild_index(archive, index_dir)
    backend = WhooshIndex(archive, index_dir)
    try:
        before = sorted(path.name for path in (index_dir / TABLES_DIR).glob("*.postings"))
        first = backend.search(SearchRequest(q="agents"), PUBLIC, cache=False)
        path = archive.paths()[0]
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
        update_index(archive, index_dir)
        with open_index(index_dir).reader() as reader:
            segments = {leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()}
        after = sorted(path.name for path in (index_dir / TABLES_DIR).glob("*.postings"))
        assert after == sorted(table_path(index_dir, sid).name for sid in segments)
        assert after != before
        with backend.handle.searcher() as (_searcher, snapshot):
            assert set(snapshot.tables) == segments  # the new generation maps the new tables
        again = backend.search(SearchRequest(q="agents"), PUBLIC, cache=False)
        assert again.total == first.total
        with open_index(index_dir).writer() as writer:  # merged into one segment
            writer.optimize = True
        update_index(archive, index_dir)
        rebuild_index(archive, index_dir)
        with open_index(index_dir).reader() as reader:
            segments = {leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()}
        assert sorted(path.name for path in (index_dir / TABLES_DIR).glob("*.postings")) == sorted(
            table_path(index_dir, sid).name for sid in segments
        )
    finally:
        backend.close()


def test_a_missing_or_damaged_table_is_read_from_whoosh_with_the_same_results(
    backend: WhooshIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    requests = [SearchRequest(q=q) for q in ('"immigration agents"', "detained border", "agen*")]
    expected = [backend.search(request, EVERY_LEVEL, cache=False) for request in requests]
    tables = sorted((backend.index_dir / TABLES_DIR).glob("*.postings"))
    tables[0].write_bytes(b"not a table")
    for extra in tables[1:]:
        extra.unlink()
    backend.handle.forget_version()
    backend.close()
    for request, result in zip(requests, expected, strict=True):
        again = backend.search(request, EVERY_LEVEL, cache=False)
        assert [hit.meta.id for hit in again.hits] == [hit.meta.id for hit in result.hits]  # type: ignore[union-attr]
        assert again.total == result.total
    with backend.handle.searcher() as (_searcher, snapshot):
        assert snapshot.tables == {}
    with monkeypatch.context() as patched:
        straightforward(patched)
        plain = backend.search(requests[0], EVERY_LEVEL, cache=False)
    assert plain.total == expected[0].total


def test_the_body_cache_is_bounded_in_bytes(archive: Archive, backend: WhooshIndex) -> None:
    with backend.handle.searcher() as (_searcher, snapshot):
        metas = snapshot.docs
    assert len(metas) >= 4
    bound = 2 * max(paragraphs_weight(backend.bodies.paragraphs(meta)) for meta in metas)
    bodies = Bodies(archive.root, cache_bytes=bound)
    for meta in metas:
        bodies.paragraphs(meta)
        assert bodies.cache.total <= bound or len(bodies.cache._items) == 1
    assert 1 <= len(bodies.cache._items) < len(metas)


def test_a_table_file_is_whole_or_absent(backend: WhooshIndex, tmp_path: Path) -> None:
    with open_index(backend.index_dir).reader() as reader:
        leaf = next(leaf for leaf, _ in reader.leaf_readers() if leaf.doc_count_all())
        sid = leaf.segment().segment_id()
    table = PostingsTable.load(table_path(backend.index_dir, sid))
    assert table is not None
    copy = tmp_path / "copy.postings"
    table.save(copy)
    assert copy.read_bytes() == table_path(backend.index_dir, sid).read_bytes()
    assert not list(tmp_path.glob(".*"))  # nothing half-written left beside it
    assert PostingsTable.load(tmp_path / "absent.postings") is None


def test_highlights_equal_a_word_by_word_reading_of_random_texts() -> None:
    rng = random.Random(1)
    alphabet = ["a", "b", "é", "ñ", "'", "’", "_", " ", " ", "\n", "1", "-", ".", "A", "Ü",
                "\u0301", "ª", "²"]  # fmt: skip
    words = ["police", "Police's", "policías", "agent", "agents", "don't", "o'neill", "state",
             "aa", "a'a", "niño", "NIÑOS"]  # fmt: skip
    highlighted = 0
    for _ in range(3000):
        pieces = [
            rng.choice(words)
            if rng.random() < 0.5
            else "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5)))
            for _ in range(rng.randint(1, 12))
        ]
        text = "".join(piece + rng.choice(["", " ", "'", "’", "_", ", "]) for piece in pieces)
        lang = rng.choice(["en", "es", "xx"])
        pool = [term for word in words for term in analyze(lang, word)] + analyze(lang, text)[:3]
        terms = {(f"text_{lang}", term) for term in rng.sample(pool, rng.randint(1, 4))}
        highlighter = Highlighter(lang, terms)
        expected = word_by_word_spans(text, lang, terms)
        assert highlighter.spans(text) == expected, (text, terms)
        assert highlighter.spans(text) == expected  # (the second time from what it learnt)
        highlighted += bool(expected)
    assert highlighted > 1000


def test_a_word_term_read_directly_equals_the_analyser_on_odd_words() -> None:
    rng = random.Random(2)
    odd = ["".join(rng.choice("aéñÜ'’1ªß²\u0301İ") for _ in range(rng.randint(1, 6)))
           for _ in range(3000)]  # fmt: skip
    words = {word for text in odd for word in _WORD.findall(text)} | {"The", "LOS", "Él"}
    assert read_otherwise(words) == []
    assert len(words) > 1_000


@pytest.mark.skipif(not CORPORA, reason=f"the corpora are not at {SHARED / 'corpus'}")
def test_a_word_term_read_directly_equals_the_analyser_on_every_word_of_the_corpora() -> None:
    words = {word for path in CORPORA for word in _WORD.findall(path.read_text("utf-8"))}
    assert read_otherwise(words) == []
    assert len(words) > 30_000


def read_otherwise(words: set[str]) -> list[tuple[str, str]]:
    """The words (with their language) whose term read directly is not the analyser's."""
    return [(lang, word) for lang in ("en", "es", "xx") for word in sorted(words)
            if word_terms(lang, word) != analyze(lang, word)]  # fmt: skip


def test_the_words_learnt_for_highlighting_are_bounded_and_shared_by_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each language's lexicon starts afresh at `LEXICON_WORDS`, its texts read whole at
    `LEXICON_TEXT_BYTES`, and threads learning words at once, or reading texts again,
    highlight as a word-by-word reading does."""
    monkeypatch.setattr(highlight, "_lexicons", {})
    monkeypatch.setattr(highlight, "LEXICON_WORDS", 40)
    monkeypatch.setattr(highlight, "LEXICON_TEXT_BYTES", 4_000)
    fast = count_fast_readings(monkeypatch)
    rng = random.Random(2)
    texts = [" ".join(rng.choice(INFLECTED) for _ in range(rng.randint(3, 30)))
             for _ in range(400)]  # fmt: skip
    assert sum(map(bool, [word_by_word_spans(text, "en", WANTED) for text in texts])) > 300
    failures, lexicons = highlight_in_threads(
        texts, [rng.sample(range(400), 400) for _ in range(4)]
    )
    assert failures == []
    assert len(lexicons) > 1  # started afresh, more than once
    assert len(highlight.lexicon("en").known) <= 40 + 30  # (a paragraph's words past it)
    assert highlight.lexicon("en").text_bytes <= 4_000
    assert fast == []  # (texts read once each, by four threads: each taken apart)


def test_threads_reading_texts_again_highlight_as_a_word_by_word_reading_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Few short texts read thousands of times by threads, while the lexicon starts
    afresh and learns words between the readings: most are readings of texts read whole
    before, and each gives the word-by-word reading's spans."""
    monkeypatch.setattr(highlight, "_lexicons", {})
    monkeypatch.setattr(highlight, "LEXICON_WORDS", 60)
    monkeypatch.setattr(highlight, "LEXICON_TEXT_BYTES", 20_000)
    fast = count_fast_readings(monkeypatch)
    rng = random.Random(2)
    vocabulary = INFLECTED + [word.upper() for word in INFLECTED[:40]]
    vocabulary += [word.capitalize() for word in INFLECTED[40:]]
    texts = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 8)))
             for _ in range(40)]  # fmt: skip
    failures, lexicons = highlight_in_threads(
        texts, [[rng.randrange(40) for _ in range(3000)] for _ in range(4)]
    )
    assert failures == []
    assert len(lexicons) > 1  # started afresh, more than once
    assert len(fast) > 1000  # (of 12,000 readings: the resets make the lexicon read again)


INFLECTED = [f"{stem}{ending}" for stem in ("tortur", "detain", "deport", "agent", "polic",
             "migrant", "extort", "kidnap", "guard", "soldier") for ending in
             ("e", "ed", "es", "ing", "er", "ers", "ion", "ions")]  # fmt: skip
WANTED = {("text_en", term) for word in ("torture", "agents", "kidnapping")
          for term in analyze("en", word)}  # fmt: skip


def highlight_in_threads(texts: list[str], orders: list[list[int]]) -> tuple[list[str], set[int]]:
    """One thread per order highlighting `texts` in it, each with its own highlighter:
    the texts whose spans were not the word-by-word reading's, and the lexicons used."""
    expected = [word_by_word_spans(text, "en", WANTED) for text in texts]
    lexicons: set[int] = set()
    failures: list[str] = []

    def highlight_all(order: list[int]) -> None:
        highlighter = Highlighter("en", WANTED)
        for at in order:
            lexicons.add(id(highlight.lexicon("en")))
            if highlighter.spans(texts[at]) != expected[at]:
                failures.append(texts[at])

    threads = [threading.Thread(target=highlight_all, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures, lexicons


def count_fast_readings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts each `Lexicon.has_read_whole` found read before, as they are asked."""
    found: list[str] = []
    asked = highlight.Lexicon.has_read_whole

    def counted(lexicon: highlight.Lexicon, text: str) -> bool:
        read = asked(lexicon, text)
        if read:
            found.append(text)
        return read

    monkeypatch.setattr(highlight.Lexicon, "has_read_whole", counted)
    return found


def test_a_text_read_whole_before_is_highlighted_without_tokenising_it_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second reading of a text looks for the known words of the wanted terms, and
    finds what the first found, even words the lexicon learnt in between from others."""
    monkeypatch.setattr(highlight, "_lexicons", {})
    tokenised: list[str] = []

    class Counting:
        def findall(self, text: str) -> list[str]:
            tokenised.append(text)
            return _WORD.findall(text)

        def match(self, text: str, at: int) -> object:
            return _WORD.match(text, at)

    monkeypatch.setattr(highlight, "_WORD", Counting())
    terms = {("text_en", term) for word in ("tortured", "agents") for term in analyze("en", word)}
    first = "Agents tortured him; the agent's report denied any torture."
    later = "Torturing detainees, AGENTS said, was 'torture’s' old name."
    highlighter = Highlighter("en", terms)
    spans = highlighter.spans(first)
    assert [first[a:b] for a, b in spans] == ["Agents", "tortured", "agent's", "torture"]
    assert highlighter.spans(first) == spans  # from the words it knows: no tokenising
    assert tokenised == [first]
    expected = word_by_word_spans(later, "en", terms)
    assert [later[a:b] for a, b in expected] == ["Torturing", "AGENTS"]
    assert highlighter.spans(later) == expected  # (new words: "Torturing", "AGENTS")
    assert highlighter.spans(later) == expected
    assert Highlighter("en", terms).spans(first) == spans
    assert tokenised == [first, later]


def test_a_parallel_build_writes_each_segment_table_in_a_process_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postings_table, "PARALLEL_FROM_ENTRIES", 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})  # (even on one core)
    pools: list[int] = []

    class Pool(ProcessPoolExecutor):
        def __init__(self, workers: int, **options: object) -> None:
            pools.append(workers)
            super().__init__(workers, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(postings_table, "ProcessPoolExecutor", Pool)
    settings = Settings(archive_dir=copy_sample_archive(tmp_path / "archive"), var_dir=tmp_path)
    rebuild_index(Archive(settings.archive_dir), settings.index_dir, procs=2)
    assert pools == [2]
    tables = sorted((settings.index_dir / TABLES_DIR).glob("*.postings"))
    with open_index(settings.index_dir).reader() as reader:
        leaves = [leaf for leaf, _offset in reader.leaf_readers()]
        assert len(leaves) >= 2
        assert [path.name for path in tables] == sorted(
            table_path(settings.index_dir, leaf.segment().segment_id()).name for leaf in leaves
        )
        for leaf in leaves:  # the same bytes as a table written here
            here = tmp_path / "here.postings"
            postings_table.build_table(leaf).save(here)
            path = table_path(settings.index_dir, leaf.segment().segment_id())
            assert here.read_bytes() == path.read_bytes()


def test_field_lengths_read_in_one_pass_equal_whoosh_own(backend: WhooshIndex) -> None:
    with open_index(backend.index_dir).reader() as reader:
        compared = 0
        for leaf, _offset in reader.leaf_readers():
            size = leaf.doc_count_all()
            for field in TEXT_FIELDS:
                expected = [leaf.doc_field_length(n, field, 0) or 0.0 for n in range(size)]
                assert _field_lengths(leaf, field, size).tolist() == expected, field
                compared += sum(1 for length in expected if length)
        assert compared > 20


def test_an_update_writes_the_tables_an_index_lacks(
    archive: Archive, settings: Settings
) -> None:
    rebuild_index(archive, settings.index_dir)
    shutil.rmtree(settings.index_dir / TABLES_DIR)  # as an earlier version left it
    report = update_index(archive, settings.index_dir)
    assert (report.added, report.updated, report.removed) == (0, 0, 0)
    with open_index(settings.index_dir).reader() as reader:
        for leaf, _offset in reader.leaf_readers():
            path = table_path(settings.index_dir, leaf.segment().segment_id())
            assert PostingsTable.load(path) is not None


# -- the whole search on the sample archive (always run; the corpora test is larger) ----

SAMPLE_QUERIES = [
    "agents", "golpearon migrantes", '"immigration agents"', '"agentes de migración"~3',
    "deport*", "Chiapas", "extorsion~", "police -torture", "detenidos OR deportados",
    "migrant shelter beaten", "policía municipal", "title:testimony", "+agents border",
]  # fmt: skip


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Archive, Path, Path]:
    """The sample archive indexed in two segments, some documents re-indexed since (so
    with deleted entries); and a copy of the index without its tables."""
    root = tmp_path_factory.mktemp("sample-equivalence")
    archive = Archive(copy_sample_archive(root / "archive"))
    index_dir = root / "index"
    rebuild_index(archive, index_dir, procs=2)
    for path in archive.paths()[::3]:
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert update_index(archive, index_dir).updated > 0
    without = root / "index-without-tables"
    shutil.copytree(index_dir, without)
    shutil.rmtree(without / TABLES_DIR)
    return archive, index_dir, without


def sample_requests() -> list[SearchRequest]:
    requests = []
    for number, q in enumerate(SAMPLE_QUERIES):
        for unit in ("document", "paragraph"):
            requests.append(SearchRequest(q=q, unit=unit, limit=5, page=1 + number % 2))
    requests.append(SearchRequest(q="agents", location="MX", sort="-date"))
    requests.append(SearchRequest(q="", abuse_type="torture", unit="paragraph"))
    return requests


@pytest.mark.parametrize("tables", [True, False], ids=["postings tables", "whoosh blocks"])
def test_fast_search_equals_the_straightforward_one_on_the_sample(
    sample_index: tuple[Archive, Path, Path], tables: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .test_search_equivalence import comparable

    archive, index_dir, without = sample_index
    backend = WhooshIndex(archive, index_dir if tables else without)
    requests = sample_requests()
    try:
        with backend.handle.searcher() as (_searcher, snapshot):
            assert len(snapshot.segments) >= 2 and snapshot.deleted
            assert len(snapshot.tables) == (len(snapshot.segments) if tables else 0)
        fast = [comparable(backend.search(r, EVERY_LEVEL, cache=False)) for r in requests]
        backend.close()
        with monkeypatch.context() as patched:
            straightforward(patched)
            plain = [comparable(backend.search(r, EVERY_LEVEL, cache=False)) for r in requests]
    finally:
        backend.close()
    assert sum(1 for result in fast if result["total"]) > len(requests) // 2
    for request, fast_result, plain_result in zip(requests, fast, plain, strict=True):
        assert fast_result == plain_result, request


def test_term_scores_kept_for_a_generation_give_the_scores_computed_afresh(
    sample_index: tuple[Archive, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same searches, from a cold cache, again from a warm one, per scope, and the
    straightforward way (each term scored for each search): the same results. What is
    kept is read-only, per scope, goes with its generation and keeps its bound."""
    from .test_search_equivalence import comparable

    archive, index_dir, _without = sample_index
    requests = sample_requests()
    backend = WhooshIndex(archive, index_dir)
    try:
        results = {}
        for scope in (EVERY_LEVEL, PUBLIC):
            cold = [comparable(backend.search(r, scope, cache=False)) for r in requests]
            warm = [comparable(backend.search(r, scope, cache=False)) for r in requests]
            assert cold == warm
            results[scope] = warm
        with backend.handle.searcher() as (_searcher, kept):
            cache = kept._scored
            assert {key[0] for key in cache._items} == {EVERY_LEVEL, PUBLIC}
            for ids, scores in cache._items.values():
                assert not ids.flags.writeable and not scores.flags.writeable
            every_term = len(cache._items)
        bound = 16 * 1024
        monkeypatch.setattr(snapshot_module, "TERM_SCORES_BYTES", bound)
        backend.close()  # a new generation: a new snapshot, with nothing kept
        with backend.handle.searcher() as (_searcher, fresh):
            assert fresh is not kept and fresh._scored.total == 0
        with monkeypatch.context() as patched:
            straightforward(patched)
            for scope, expected in results.items():
                plain = [comparable(backend.search(r, scope, cache=False)) for r in requests]
                assert plain == expected
        for scope, expected in results.items():  # scores dropped and computed again
            again = [comparable(backend.search(r, scope, cache=False)) for r in requests]
            assert again == expected
        with backend.handle.searcher() as (_searcher, bounded):
            assert 0 < bounded._scored.total <= bound
            assert len(bounded._scored._items) < every_term
    finally:
        backend.close()
    assert results[EVERY_LEVEL] != results[PUBLIC]  # (the scopes do differ)


def test_term_scores_of_a_changed_index_are_scored_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scores kept before documents were removed are not those of the next generation:
    the same searches then give what the straightforward path gives, in both scopes."""
    from .test_search_equivalence import comparable

    archive = Archive(copy_sample_archive(tmp_path / "archive"))
    rebuild_index(archive, tmp_path / "index", procs=1)
    backend = WhooshIndex(archive, tmp_path / "index")
    requests = sample_requests()

    def searched() -> dict[object, list[dict[str, Any]]]:
        return {
            scope: [comparable(backend.search(r, scope, cache=False)) for r in requests]
            for scope in (EVERY_LEVEL, PUBLIC)
        }

    try:
        before = searched()
        for path in archive.paths()[:3]:
            path.unlink()
        backend.update()
        after = searched()
        backend.close()
        with monkeypatch.context() as patched:
            straightforward(patched)
            plain = searched()
    finally:
        backend.close()
    assert after == plain
    assert after != before  # (the removal did change what the searches find)


def test_postings_with_deleted_entries_equal_whoosh_matchers(
    sample_index: tuple[Archive, Path, Path],
) -> None:
    archive, index_dir, _without = sample_index
    backend = WhooshIndex(archive, index_dir)
    try:
        with backend.handle.searcher() as (searcher, snapshot):
            reader = searcher.reader()
            assert any(leaf.has_deletions() for leaf, _ in reader.leaf_readers())
            for field in FIELDS:
                for term in every_term(reader, field):
                    ids, weights = snapshot.postings(reader, field, term)
                    assert (ids.tolist(), weights.tolist()) == matcher_postings(
                        reader, field, term
                    ), (field, term)
    finally:
        backend.close()


# -- tables: damaged, written concurrently, written late ---------------------------------


def damaged(table: Path, how: str) -> None:
    data = bytearray(table.read_bytes())
    if how == "cut short":
        table.write_bytes(bytes(data[: len(data) * 2 // 3]))
    elif how == "huge header":
        start = data.index(b"\n") + 1
        data[start : start + 8] = (2**60).to_bytes(8, "little")
        table.write_bytes(bytes(data))
    elif how == "bad layout":
        start = data.index(b"\n") + 1 + 8
        data[start : start + 1] = b"["
        table.write_bytes(bytes(data))
    elif how == "wrong type":
        table.write_bytes(bytes(data).replace(b'"<i4"', b'"<f8"', 1))
    elif how == "arrays disagree":
        table.write_bytes(bytes(data).replace(b'"ids": ["<i4", ', b'"ids": ["<i4", 8', 1))


@pytest.mark.parametrize(
    "how", ["cut short", "huge header", "bad layout", "wrong type", "arrays disagree"]
)
def test_a_damaged_table_is_not_used_and_the_next_update_writes_it_again(
    backend: WhooshIndex, how: str
) -> None:
    request = SearchRequest(q='"immigration agents" border')
    expected = backend.search(request, EVERY_LEVEL, cache=False)
    backend.close()
    tables = [path for path in (backend.index_dir / TABLES_DIR).glob("*.postings")]
    biggest = max(tables, key=lambda path: path.stat().st_size)
    damaged(biggest, how)
    assert PostingsTable.load(biggest) is None
    again = backend.search(request, EVERY_LEVEL, cache=False)
    assert again.total == expected.total
    assert [hit.meta.id for hit in again.hits] == [hit.meta.id for hit in expected.hits]  # type: ignore[union-attr]
    update_index(backend.archive, backend.index_dir)
    assert PostingsTable.load(biggest) is not None


def test_tables_written_by_several_threads_at_once_are_whole(backend: WhooshIndex) -> None:
    index_dir = backend.index_dir
    shutil.rmtree(index_dir / TABLES_DIR)
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with open_index(index_dir).reader() as reader:
                postings_table.write_tables(index_dir, reader)
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            failures.append(error)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    names = sorted(path.name for path in (index_dir / TABLES_DIR).glob("*.postings"))
    with open_index(index_dir).reader() as reader:
        expected = sorted(
            table_path(index_dir, leaf.segment().segment_id()).name
            for leaf, _ in reader.leaf_readers()
        )
    assert [name for name in names if not name.startswith(".")] == expected
    assert all(PostingsTable.load(index_dir / TABLES_DIR / name) for name in expected)


def test_a_table_written_after_the_snapshot_is_used_soon_after(
    backend: WhooshIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = backend.index_dir
    backend.close()
    shutil.rmtree(index_dir / TABLES_DIR)
    backend.search(SearchRequest(q="agents"), PUBLIC, cache=False)
    with backend.handle.searcher() as (_searcher, snapshot):
        assert snapshot.tables == {}
        with open_index(index_dir).reader() as reader:
            postings_table.write_tables(index_dir, reader)
        monkeypatch.setattr(snapshot_module, "RETRY_S", 0.0)
        backend.search(SearchRequest(q="border agents"), PUBLIC, cache=False)
        assert set(snapshot.tables) == {sid for sid, _offset in snapshot.segments if sid}
