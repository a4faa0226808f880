"""The postings one search needs, fetched from PostgreSQL in one query.

A plan's terms are looked up in the entries' `tsvector`s through their GIN index: every
entry the scope may search that holds any of them, with each term's positions. Scoring
then reads these as it reads a Whoosh snapshot's postings (`scoring.TermStatistics`):
same entry numbers (the catalog's), same weights (the term's frequency, times the
title's boost), same BM25 statistics (every entry of the scope that holds a term is
fetched, so its count is the term's document frequency).

Where the query asks for more than any of its words (a phrase, words that must match or
must not: `pg_tsquery`), only the entries that satisfy its tsquery are fetched, and the
words' document frequencies are counted in `search_terms` instead; so too where the
filters let through few documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from sqlalchemy import Connection

from ..access import Scope
from .pg_catalog import TEXT_NAMES, Catalog
from .pg_lexicon import PgLexicon
from .pg_rows import (
    BOOSTS,
    MAX_LEXEME_BYTES,
    TAG_COLUMNS,
    TITLE,
    lexeme,
    quoted,
    split_lexeme,
    unquoted,
)
from .phrases import phrase_at
from .scoring import Exclude, Node, Phrase, Term, leaves
from .snapshot import REDACTED, UNREDACTED, BoolArray, FloatArray, IntArray

EMPTY_IDS = np.empty(0, np.int32)
EMPTY_WEIGHTS = np.empty(0, np.float32)

# Each entry holding any of the wanted terms, with those terms only: marked (weight A)
# and kept (`ts_filter`), a short tsvector read as text (`_LEXEME`), one row per entry.
_FETCH = """
    SELECT e.doc, e.para, e.variant,
           ts_filter(setweight(e.terms, 'A', %(lexemes)s::text[]), '{a}')::text
    FROM search_entries AS e
    WHERE e.terms @@ %(query)s::tsquery
      AND e.access = ANY(%(levels)s) AND e.variant <> %(hidden)s
"""
# The same, of some documents only (those the filters let through, when they are few).
_FETCH_SOME = _FETCH + "  AND e.doc = ANY(%(docs)s)\n"
SOME_DOCUMENTS = 0.2  # a share of the documents below which only theirs are fetched
_LEXEME = re.compile(r"'((?:[^']|'')*)':([0-9A,]+)")


def plan_terms(plan: Node | None, extra: Iterable[tuple[str, str]] = ()) -> set[tuple[str, str]]:
    """The (field, term) pairs a plan scores, and `extra` (the proximity pairs')."""
    wanted = set(extra)
    if plan is not None:
        for leaf in _all_leaves(plan):
            if isinstance(leaf, Term):
                wanted.add((leaf.field, leaf.text))
            else:
                wanted.update((leaf.field, term) for term in leaf.terms)
    return wanted


def _all_leaves(plan: Node) -> list[Term | Phrase]:
    """Every leaf, the excluded words' too (`scoring.leaves` leaves those out)."""
    if isinstance(plan, Exclude):
        return (_all_leaves(plan.positive) if plan.positive is not None else []) + _all_leaves(
            plan.negative
        )
    return leaves(plan)


def tsquery(terms: Iterable[tuple[str, str]]) -> str:
    """Entries holding any of the terms, as a tsquery of quoted lexemes."""
    return " | ".join(quoted(lexeme(f, t)) for f, t in sorted(terms))


class FetchedPostings:
    """The postings of some terms over a catalog's entries, for one scope."""

    def __init__(self, catalog: Catalog, scope: Scope) -> None:
        self.catalog = catalog
        self.scope = scope
        self._postings: dict[tuple[str, str], tuple[IntArray, FloatArray]] = {}
        # Each word's frequency in the scope, where only some documents were fetched.
        self._frequencies: dict[tuple[str, str], int] = {}
        # Each term's positions in each entry, as PostgreSQL writes them ("3A,17A").
        self._positions: dict[tuple[str, str], dict[int, str]] = {}

    @classmethod
    def fetch(
        cls,
        connection: Connection,
        catalog: Catalog,
        scope: Scope,
        terms: set[tuple[str, str]],
        lexicon: PgLexicon,
        mask: BoolArray,
        match: str | None = None,
    ) -> FetchedPostings:
        """The postings of `terms` in the entries the scope may search; where the
        filters (`mask`) let through few documents, of theirs only, and where the query
        lets through fewer entries than its words (`match`, a tsquery: `pg_tsquery`), of
        those only. The terms' document frequencies are then counted in `search_terms`
        (BM25 counts every entry the scope may search, whatever the filters)."""
        fetched = cls(catalog, scope)
        readable = catalog.readable(scope)
        # Words (a longer one is in no entry: PostgreSQL holds none so long), and tags
        # (a place named in the query).
        words = {(f, t) for f, t in terms if (f == TITLE or f in TEXT_NAMES)
                 and len(lexeme(f, t).encode("utf-8")) <= MAX_LEXEME_BYTES}  # fmt: skip
        for field_name, value in ((f, t) for f, t in terms if f in TAG_COLUMNS):
            ids = catalog.tagged(field_name, value)
            ids = ids[readable[ids]]
            fetched._postings[(field_name, value)] = (ids, np.ones(ids.size, np.float32))
        if not words:
            return fetched
        cache = catalog.postings_cache
        missing = set()
        for word in words:
            known: Postings | None = cache.get((scope, word))
            if known is None:
                missing.add(word)
            else:
                fetched._add(word, known)
        if not missing:
            return fetched
        documents = np.unique(catalog.doc_of_entry[mask])
        if not documents.size:
            return fetched  # (nothing to find: the filters let no entry through)
        some = documents.size < SOME_DOCUMENTS * len(catalog.docs)
        if match is not None:
            # Every word of the matching entries only: a word's whole postings beside
            # another's partial ones could let an entry through that a word it lacks
            # (one excluded) would have kept out.
            missing = words
        partial_postings = some or match is not None  # (not the words' own: not kept)
        if partial_postings:
            fetched._frequencies = lexicon.frequencies(missing)
        found = _fetched(connection, catalog, scope, missing, documents if some else None, match)
        for word, postings in found.items():
            fetched._add(word, postings)
            if not partial_postings:
                cache.fetch((scope, word), partial(_same, postings))
        return fetched

    def _add(self, word: tuple[str, str], postings: Postings) -> None:
        self._postings[word] = (postings.ids, postings.weights)
        self._positions[word] = postings.positions

    # -- scoring.TermStatistics --------------------------------------------------------

    @property
    def size(self) -> int:
        return self.catalog.size

    def population(self, scope: Scope) -> int:
        return self.catalog.population(scope)

    def idf(self, frequency: int, population: int) -> float:
        return self.catalog.idf(frequency, population)

    def frequency(
        self, reader: Any, field_name: str, term: str, scope: Scope, ids: IntArray
    ) -> int:
        return self._frequencies.get((field_name, term), int(ids.size))

    def postings(self, reader: Any, field_name: str, term: str) -> tuple[IntArray, FloatArray]:
        return self._postings.get((field_name, term), (EMPTY_IDS, EMPTY_WEIGHTS))

    def visible_postings(
        self, reader: Any, field_name: str, term: str, scope: Scope
    ) -> tuple[IntArray, FloatArray]:
        if scope != self.scope:
            raise ValueError("these postings were fetched for another scope")
        return self.postings(reader, field_name, term)

    def lengths(self, reader: Any, field_name: str, scope: Scope) -> tuple[FloatArray, float]:
        return self.catalog.lengths(reader, field_name, scope)

    def phrase(self, reader: Any, field_name: str, terms: tuple[str, ...], slop: int) -> IntArray:
        common: IntArray | None = None
        for term in dict.fromkeys(terms):
            ids = self.postings(reader, field_name, term)[0]
            common = ids if common is None else np.intersect1d(common, ids, assume_unique=True)
        if common is None or not common.size:
            return EMPTY_IDS
        where = [self._positions[(field_name, term)] for term in terms]
        found = [
            entry
            for entry in common.tolist()
            if phrase_at([_numbers(positions[entry]) for positions in where], slop)
        ]
        return np.array(found, np.int32)

    def positions(
        self, reader: Any, field_name: str, term: str, docnums: IntArray
    ) -> dict[int, list[int]]:
        by_entry = self._positions.get((field_name, term), {})
        return {entry: _numbers(by_entry[entry]) for entry in docnums.tolist() if entry in by_entry}


@dataclass(frozen=True)
class Postings:
    """A word's entries in one scope, its frequency in each and its positions there."""

    ids: IntArray
    weights: FloatArray
    positions: dict[int, str]  # as PostgreSQL writes them ("3A,17A"): read when asked for

    def weight(self) -> int:
        """What it weighs in the cache, in bytes (about)."""
        return self.ids.nbytes + self.weights.nbytes + 120 * len(self.positions) + 800


def _fetched(
    connection: Connection,
    catalog: Catalog,
    scope: Scope,
    words: set[tuple[str, str]],
    documents: IntArray | None,
    match: str | None = None,
) -> dict[tuple[str, str], Postings]:
    """The words' postings in the entries the scope may search (of `documents` only,
    when given; of those that satisfy `match`, when given), in one query."""
    # Through the GIN index always, even for common words: for a query of plain terms
    # its matches need no second check, which a scan of the table makes on every row
    # (several times slower, where the planner would choose the scan).
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    result = connection.exec_driver_sql(_FETCH if documents is None else _FETCH_SOME, {
        "query": match if match is not None else tsquery(words),
        "levels": sorted(scope.levels),
        "hidden": REDACTED if scope.unredacted else UNREDACTED,
        "lexemes": [lexeme(f, t) for f, t in words],
        "docs": [] if documents is None else [catalog.docs[o].id for o in documents.tolist()],
    })  # fmt: skip
    # The driver's plain tuples (thousands of rows: SQLAlchemy's rows cost more than the
    # reading of them); psycopg has every row once the query has answered.
    rows: Sequence[tuple[str, int, int, str]] = result.cursor.fetchall()
    by_name: dict[str, dict[int, str]] = {}
    ordinal_by_id = catalog.ordinal_by_id
    for doc, para, variant, vector in rows:
        ordinal = ordinal_by_id.get(doc)
        if ordinal is None:
            continue  # (written after this catalog was read: found next time)
        entry = catalog.entry(ordinal, para, variant)
        if entry < 0:
            continue
        for name, places in _LEXEME.findall(vector):
            by_name.setdefault(name, {})[entry] = places
    readable = catalog.readable(scope)
    found = {word: Postings(EMPTY_IDS, EMPTY_WEIGHTS, {}) for word in words}
    for name, by_entry in by_name.items():
        word = split_lexeme(unquoted(name))
        ids = np.array(sorted(by_entry), np.int32)
        ids = ids[readable[ids]]
        weights = np.array([by_entry[i].count(",") + 1 for i in ids.tolist()], np.float32)
        boost = BOOSTS.get(word[0], 1.0)
        if boost != 1.0:
            weights *= np.float32(boost)
        found[word] = Postings(ids, weights, by_entry)
    return found


def _same(postings: Postings) -> Postings:
    return postings


def _numbers(places: str) -> list[int]:
    return [int(place) for place in places.replace("A", "").split(",")]
