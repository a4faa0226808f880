"""A seeded stream of distinct queries per size: what researchers type, none of it twice.

The query mix of queries.py has about 140 queries, and a load run cycles through them, so
after one pass our server answers from its result cache. The distinct stream draws at
least 10,000 queries for each size with the mix's generator, seeded by the size, and keeps
only the first of any repeated request (the same text, filters and unit for us, or the
same URL for Datasette), so that no request of a run is ever answered from a cache:

- words: 2-6 content words of one paragraph, in order (queries.Generator's way);
- phrase, filtered (location, year and/or abuse type): as queries.Generator draws them;
- paragraph: like words, with unit=paragraph;
- spanish: the corpora are English (every record says `language: en`) and hold no Spanish
  paragraph; their Spanish words are the names of the Latin American reports' people,
  places and organisations (`López`, `Michoacán`, `Fundación`, `Periódico`). So a Spanish
  query is one of a paragraph's accented Spanish words with one to three of the content
  words around it (Haiti's paragraphs left out: their accents are French);
- spanish_sample: 2-4 content words of a paragraph of the app's Spanish sample archive
  (archive/), as a Spanish-speaking researcher types them. The benchmark's archives are
  built from the English corpora, so these find few paragraphs or none, in both systems.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import cache
from typing import Any

from whoosh.lang import stopwords_for_language

from testimony_archive.archive import Archive

from .common import ROOT
from .queries import SEED, STOPWORDS, Generator, Passage, Query, passages

DISTINCT_COUNT = 12_000
SHARES = {"words": 40, "phrase": 15, "filtered": 15, "paragraph": 15, "spanish": 10,
          "spanish_sample": 5}  # fmt: skip
SAMPLE_ARCHIVE = ROOT / "archive"
_ANY_WORD = re.compile(r"(?<![\w'’-])[^\W\d_]+(?![\w'’-])")
_SPANISH = re.compile("[áéíóúñü]")
_SPANISH_STOPWORDS = frozenset(stopwords_for_language("es"))


def words_of(text: str, stopwords: frozenset[str]) -> list[str]:
    """Content words of any alphabet, lower-cased, in order."""
    found = (word.lower() for word in _ANY_WORD.findall(text))
    return [word for word in found if len(word) >= 3 and word not in stopwords]


def spanish_positions(words: list[str]) -> list[int]:
    return [at for at, word in enumerate(words) if len(word) >= 4 and _SPANISH.search(word)]


@cache
def corpus_pool() -> list[Passage]:
    return passages()


@cache
def sample_paragraphs() -> tuple[tuple[str, ...], ...]:
    """The content words of each long paragraph of the Spanish sample archive (none if
    there is no such archive)."""
    if not (SAMPLE_ARCHIVE / "documents").is_dir():
        return ()
    found = []
    for document in Archive(SAMPLE_ARCHIVE):
        if document.language.split("-")[0] != "es":
            continue
        for paragraph in document.paragraphs:
            words = words_of(paragraph.text, _SPANISH_STOPWORDS)
            if len(words) >= 8:
                found.append(tuple(words))
    return tuple(found)


class DistinctGenerator(Generator):
    def __init__(self, pool: list[Passage], sample: tuple[tuple[str, ...], ...], seed: int):
        super().__init__(pool, seed)
        self.spanish_pool = [
            passage
            for passage in pool
            if passage.country != "Haiti"
            and spanish_positions(words_of(passage.text, STOPWORDS))
            and len(passage.content_words()) >= 16
        ]
        self.sample = sample

    def in_order(self, words: list[str] | tuple[str, ...], count: int, around: int) -> str:
        """`count` words of a window of `words` around position `around`, in order; the
        word at `around` always among them."""
        low = max(0, around - 2 * count)
        window = [at for at in range(low, min(len(words), around + 2 * count + 1))]
        others = [at for at in window if at != around]
        picked = sorted([around, *self.rng.sample(others, min(len(others), count - 1))])
        return " ".join(dict.fromkeys(words[at] for at in picked))

    def make(self, category: str) -> Query:
        if category in ("words", "paragraph"):
            q = ""
            while len(q.split()) < 2:
                q = self.words(self.passage(), 2, 6)
            unit = "paragraph" if category == "paragraph" else "document"
            return Query(category, q, "distinct", unit=unit)
        if category == "spanish":
            words = words_of(self.rng.choice(self.spanish_pool).text, STOPWORDS)
            around = self.rng.choice(spanish_positions(words))
            return Query(category, self.in_order(words, self.rng.randint(2, 4), around), "distinct")
        if category == "spanish_sample":
            words_ = self.rng.choice(self.sample)
            around = self.rng.randrange(len(words_))
            return Query(
                category, self.in_order(words_, self.rng.randint(2, 4), around), "distinct"
            )
        return super().make(category)


def request_key(query: Query) -> tuple[Any, ...]:
    """What makes two of our requests the same: the text, the filters and the unit."""
    return (query.q, tuple(sorted(query.filters.items())), query.unit)


def size_seed(size_label: str, seed: int) -> int:
    digest = hashlib.sha256(f"{seed}:{size_label}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def distinct_stream(size_label: str, count: int = DISTINCT_COUNT, seed: int = SEED) -> list[Query]:
    """`count` distinct queries for one size ("x10"), always the same for the same size,
    count and seed; the categories interleaved at random in the SHARES proportions."""
    sample = sample_paragraphs()
    shares = {name: share for name, share in SHARES.items() if sample or name != "spanish_sample"}
    generator = DistinctGenerator(corpus_pool(), sample, size_seed(size_label, seed))
    names, weights = list(shares), list(shares.values())
    ours: set[tuple[Any, ...]] = set()
    theirs: set[str] = set()
    stream: list[Query] = []
    for _attempt in range(20 * count):
        if len(stream) == count:
            return stream
        query = generator.make(generator.rng.choices(names, weights)[0])
        datasette = query.datasette_path("datasette", json_format=False)
        if request_key(query) in ours or datasette in theirs:
            continue
        ours.add(request_key(query))
        theirs.add(datasette)
        stream.append(query)
    if len(stream) == count:
        return stream
    raise RuntimeError(f"only {len(stream)} distinct queries in {20 * count} draws")


def summary(stream: list[Query]) -> dict[str, Any]:
    """What a stream holds, for the report."""
    return {
        "total": len(stream),
        "categories": dict(Counter(query.category for query in stream)),
        "filtered_by": dict(Counter(name for query in stream for name in query.filters)),
        "words_median": sorted(len(query.q.split()) for query in stream)[len(stream) // 2]
        if stream
        else None,
        "distinct_ours": len({request_key(query) for query in stream}),
        "distinct_datasette": len(
            {query.datasette_path("datasette", json_format=False) for query in stream}
        ),
        "spanish_sample_paragraphs": len(sample_paragraphs()),
    }
