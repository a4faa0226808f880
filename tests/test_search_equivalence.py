"""The fast search path gives exactly what the straightforward one gives.

On the shared corpora (skipped, with the reason, where they are not beside the
repository), random queries of every kind (plain words, phrases and proximity phrases,
prefixes, fuzzy words, Spanish words, negations, filters, the paragraph unit) are run
through the real backend twice: as it is, and with every optimised piece replaced by the
straightforward one of `reference_search`. Ids, order, scores, totals, facet counts,
texts and highlights must be equal. The index has a second segment and deleted entries
(documents re-indexed after it was built), and is searched both with its postings tables
and without them (read from Whoosh's blocks).
"""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from testimony_archive.access import Scope
from testimony_archive.archive import Archive
from testimony_archive.importer import import_paths
from testimony_archive.index import SearchRequest, WhooshIndex, rebuild_index, update_index
from testimony_archive.index.analysis import analyze
from testimony_archive.index.postings_table import TABLES_DIR
from testimony_archive.index.results import DocumentHit, SearchResult

from .conftest import EVERY_LEVEL, PUBLIC, SHARED
from .reference_search import (
    matcher_postings,
    straightforward,
    whoosh_phrase,
    whoosh_positions,
)

CORPORA = sorted((SHARED / "corpus").glob("*.jsonl"))
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.slow,
    pytest.mark.skipif(not CORPORA, reason=f"the corpora are not at {SHARED / 'corpus'}"),
]
WORD = re.compile(r"[^\W\d_]{3,}")
SPANISH = re.compile("[áéíóúñ]")
STOP = frozenset("the and that with for was were have this from they their which been".split())
REINDEXED = 40  # documents re-indexed after the build: a second segment, deleted entries


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Archive, Path, Path]]:
    """The corpora archived and indexed, some documents re-indexed since; and a copy of
    the index without its postings tables."""
    root = tmp_path_factory.mktemp("equivalence")
    archive = Archive(root / "archive")
    report = import_paths(archive, CORPORA)
    assert not report.failed, report.failed[:3]
    index_dir = root / "var" / "index"
    rebuild_index(archive, index_dir)
    for path in archive.paths()[::75][:REINDEXED]:
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert update_index(archive, index_dir).updated == REINDEXED
    without_tables = root / "var" / "index-without-tables"
    shutil.copytree(index_dir, without_tables)
    shutil.rmtree(without_tables / TABLES_DIR)
    yield archive, index_dir, without_tables


def random_requests(archive: Archive, count: int, seed: int) -> list[SearchRequest]:
    rng = random.Random(seed)
    documents = list(archive)
    requests: list[SearchRequest] = []
    while len(requests) < count:
        document = rng.choice(documents)
        if not document.paragraphs:
            continue
        text = rng.choice(document.paragraphs).text
        words = [word for word in WORD.findall(text) if word.lower() not in STOP]
        if len(words) < 4:
            continue
        start = rng.randrange(len(words) - 3)
        kind = rng.choice(
            ["words", "phrase", "near", "prefix", "fuzzy", "spanish", "not", "filtered",
             "paragraph", "or"]
        )  # fmt: skip
        q = " ".join(rng.sample(words, rng.randint(2, 4)))
        unit = "document"
        filters: dict[str, Any] = {}
        if kind == "phrase":
            q = '"' + " ".join(words[start : start + rng.randint(2, 3)]) + '"'
        elif kind == "near":
            q = f'"{words[start]} {words[start + 2]}"~{rng.randint(1, 3)}'
        elif kind == "prefix":
            q = f"{words[start][:4]}* {words[start + 1]}"
        elif kind == "fuzzy":
            q = f"{words[start]}~ {words[start + 1]}"
        elif kind == "spanish":
            spanish = [word for word in WORD.findall(text) if SPANISH.search(word)]
            if not spanish:
                continue
            q = " ".join([rng.choice(spanish), *words[start : start + 2]])
        elif kind == "not":
            q = f"{words[start]} -{words[start + 1]}"
        elif kind == "or":
            q = f"{words[start]} OR {words[start + 1]}"
        elif kind == "filtered":
            if document.tags.locations:
                filters["location"] = rng.choice(document.tags.locations)
            elif document.date is not None:
                filters["year"] = document.date.first_day.year
        elif kind == "paragraph":
            unit = "paragraph"
        sort = rng.choice(["relevance"] * 6 + ["date", "-date"])
        page = rng.choice([1, 1, 1, 2, 3])
        requests.append(
            SearchRequest(q=q, unit=unit, sort=sort, page=page, **filters)  # type: ignore[arg-type]
        )
    return requests


def comparable(result: SearchResult) -> dict[str, Any]:
    """Everything a search gives but the time it took."""
    hits: list[Any] = []
    for hit in result.hits:
        if isinstance(hit, DocumentHit):
            paragraphs = [(p.para, p.score, p.text, p.highlights) for p in hit.paragraphs]
            hits.append((hit.meta.id, hit.score, paragraphs))
        else:
            hits.append((hit.doc, hit.para, hit.score, hit.text, hit.highlights))
    return {
        "total": result.total,
        "hits": hits,
        "facets": {name: [(v.value, v.count, v.parent) for v in values]
                   for name, values in result.facets.items()},  # fmt: skip
        "notes": [str(note) for note in result.notes],
    }


def run(backend: WhooshIndex, requests: list[SearchRequest], scope: Scope) -> list[Any]:
    return [comparable(backend.search(request, scope, cache=False)) for request in requests]


@pytest.mark.parametrize("tables", [True, False], ids=["postings tables", "whoosh blocks"])
@pytest.mark.parametrize("scope", [PUBLIC, EVERY_LEVEL], ids=["anonymous", "every level"])
def test_fast_search_equals_the_straightforward_one(
    corpus: tuple[Archive, Path, Path],
    tables: bool,
    scope: Scope,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    archive, index_dir, without_tables = corpus
    backend = WhooshIndex(archive, index_dir if tables else without_tables)
    snapshot_tables = segments = 0
    try:
        requests = random_requests(archive, 120, seed=12 + tables + 2 * (scope == PUBLIC))
        fast = run(backend, requests, scope)
        with backend.handle.searcher() as (_searcher, snapshot):
            snapshot_tables, segments = len(snapshot.tables), len(snapshot.segments)
        backend.close()  # (nothing the fast searches cached is kept for the plain ones)
        with monkeypatch.context() as patched:
            straightforward(patched)
            plain = run(backend, requests, scope)
    finally:
        backend.close()
    assert segments >= 2  # the build's, and the update's
    assert snapshot_tables == (segments if tables else 0)
    kinds_found = sum(1 for result in fast if result["total"])
    assert kinds_found > len(requests) // 2  # the queries do find things
    for request, fast_result, plain_result in zip(requests, fast, plain, strict=True):
        assert fast_result == plain_result, request


@pytest.mark.parametrize("tables", [True, False], ids=["postings tables", "whoosh blocks"])
def test_postings_positions_and_phrases_equal_whoosh_own(
    corpus: tuple[Archive, Path, Path], tables: bool
) -> None:
    archive, index_dir, without_tables = corpus
    backend = WhooshIndex(archive, index_dir if tables else without_tables)
    rng = random.Random(7)
    try:
        with backend.handle.searcher() as (searcher, snapshot):
            reader = searcher.reader()
            fields = ["text_en", "title", "locations", "abuse_types"]
            for field in fields:
                terms = [term.decode() for term in reader.lexicon(field)]
                frequent = sorted(terms, key=lambda t: -reader.doc_frequency(field, t))[:40]
                for term in frequent + rng.sample(terms, min(200, len(terms))):
                    fast = snapshot.postings(reader, field, term)
                    plain = matcher_postings(reader, field, term)
                    assert fast[0].tolist() == plain[0].tolist(), (field, term)
                    assert fast[1].tolist() == plain[1].tolist(), (field, term)
            texts = [p.text for document in list(archive)[::40] for p in document.paragraphs]
            checked = 0
            for text in rng.sample(texts, 150):
                terms = analyze("en", text)
                if len(terms) < 6:
                    continue
                start = rng.randrange(len(terms) - 5)
                first = terms[start]
                candidates = np.sort(
                    rng.sample(range(snapshot.size), 300)
                    + snapshot.postings(reader, "text_en", first)[0][::3].tolist()
                )
                candidates = np.unique(candidates).astype(np.int32)
                assert snapshot.positions(reader, "text_en", first, candidates) == (
                    whoosh_positions(snapshot, reader, "text_en", first, candidates)
                )
                for slop in (1, 2, 3, 4):
                    for length in (2, 3):
                        gap = rng.randint(1, 2)
                        words = tuple(terms[start : start + gap * length : gap])
                        fast_phrase = snapshot.phrase(reader, "text_en", words, slop)
                        plain_phrase = whoosh_phrase(searcher, "text_en", words, slop)
                        assert sorted(fast_phrase.tolist()) == sorted(plain_phrase.tolist()), (
                            words,
                            slop,
                        )
                        checked += bool(plain_phrase.size)
            assert checked > 300  # phrases that match somewhere were among them
    finally:
        backend.close()
