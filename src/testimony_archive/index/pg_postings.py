"""The postings one search needs, fetched from PostgreSQL in one query.

A plan's terms are looked up in the entries' `tsvector`s through their GIN index: every
entry the scope may search that holds any of them, and each term's frequency there, one
row per term. Scoring then reads these as it reads a Whoosh snapshot's postings
(`scoring.TermStatistics`): same entry numbers (the catalog's), same weights (the term's
frequency, times the title's boost), same BM25 statistics (every entry of the scope that
holds a term is fetched, so their count is the term's document frequency). Positions are
read when a phrase or the proximity re-ranking asks, for those entries only.

Where the query asks for more than any of its words (a phrase, words that must match or
must not: `pg_tsquery`), only the entries that satisfy its tsquery are fetched, and the
words' document frequencies are counted in `search_terms` instead; so too where the
filters let through few documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
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
from .snapshot import REDACTED, UNREDACTED, BoolArray, FloatArray, IntArray, TermScores

EMPTY_IDS = np.empty(0, np.int32)
EMPTY_WEIGHTS = np.empty(0, np.float32)

# Each wanted word's entries and frequencies, gathered by PostgreSQL into one row per
# word: the entries holding any of the words, those words marked (weight A) and kept
# (`ts_filter`), then unnested. No positions: the few entries that need them (a
# phrase's, the best candidates' for proximity) are read apart (`_POSITIONS`).
_FETCH = """
    SELECT w.lexeme, array_agg(e.doc), array_agg(e.para), array_agg(e.variant),
           array_agg(cardinality(w.positions))
    FROM search_entries AS e,
         unnest(ts_filter(setweight(e.terms, 'A', %(lexemes)s::text[]), '{a}')) AS w
    WHERE e.terms @@ %(query)s::tsquery
      AND e.access = ANY(%(levels)s) AND e.variant <> %(hidden)s
"""
# The same, of some documents only (those the filters let through, when they are few).
_FETCH_SOME = _FETCH + "  AND e.doc = ANY(%(docs)s)\n"
_BY_WORD = "GROUP BY w.lexeme"
# The wanted words' positions in some entries, by their keys.
_POSITIONS = """
    SELECT e.doc, e.para, e.variant,
           ts_filter(setweight(e.terms, 'A', %(lexemes)s::text[]), '{a}')::text
    FROM unnest(%(docs)s::text[], %(paras)s::integer[], %(variants)s::smallint[])
         AS k(doc, para, variant)
    JOIN search_entries AS e ON e.doc = k.doc AND e.para = k.para AND e.variant = k.variant
"""
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
    """The postings of some terms over a catalog's entries, for one scope; the positions
    of its words in an entry are read when first asked for, in the same transaction."""

    def __init__(
        self, catalog: Catalog, scope: Scope, connection: Connection | None = None
    ) -> None:
        self.catalog = catalog
        self.scope = scope
        self._connection = connection
        self._postings: dict[tuple[str, str], tuple[IntArray, FloatArray]] = {}
        # Each word's frequency in the scope, where only some entries were fetched.
        self._frequencies: dict[tuple[str, str], int] = {}
        # The words whose positions are read, and those read: word → entry → positions.
        self._words: set[tuple[str, str]] = set()
        self._positions: dict[tuple[str, str], dict[int, list[int]]] = {}
        self._located: set[int] = set()

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
        filtered: bool = True,
    ) -> FetchedPostings:
        """The postings of `terms` in the entries the scope may search; where the
        filters (`mask`) let through few documents, of theirs only, and where the query
        lets through fewer entries than its words (`match`, a tsquery: `pg_tsquery`), of
        those only. The terms' document frequencies are then counted in `search_terms`
        (BM25 counts every entry the scope may search, whatever the filters).
        `filtered`: whether `mask` holds filters (else it is the scope's entries)."""
        fetched = cls(catalog, scope, connection)
        readable = catalog.readable(scope)
        # Words (a longer one is in no entry: PostgreSQL holds none so long), and tags
        # (a place named in the query).
        words = {(f, t) for f, t in terms if (f == TITLE or f in TEXT_NAMES)
                 and len(lexeme(f, t).encode("utf-8")) <= MAX_LEXEME_BYTES}  # fmt: skip
        fetched._words = words
        for field_name, value in ((f, t) for f, t in terms if f in TAG_COLUMNS):
            ids = catalog.tagged(field_name, value)
            ids = ids[readable[ids]]
            fetched._postings[(field_name, value)] = (ids, np.ones(ids.size, np.float32))
        if not words:
            return fetched
        cache = catalog.postings_cache
        if match is not None:
            # Every word of the matching entries only (the few a phrase or required words
            # let through: their positions are then read for few entries too). A word's
            # whole postings beside another's partial ones could let an entry through
            # that a word it lacks (one excluded) would have kept out.
            missing = words
        else:
            missing = set()
            for word in words:
                known: Postings | None = cache.get((scope, word))
                if known is None:
                    missing.add(word)
                else:
                    fetched._add(word, known)
        if not missing:
            return fetched
        documents = None
        if filtered:
            documents = np.unique(catalog.doc_of_entry[mask])
            if not documents.size:
                return fetched  # (nothing to find: the filters let no entry through)
        some = documents is not None and documents.size < SOME_DOCUMENTS * len(catalog.docs)
        partial_postings = some or match is not None  # (not the words' own: not kept)
        if partial_postings:
            fetched._frequencies = lexicon.frequencies(missing)
        found = _fetched(connection, catalog, scope, missing, documents if some else None,
                         match)  # fmt: skip
        for word, postings in found.items():
            fetched._add(word, postings)
            if not partial_postings:
                cache.fetch((scope, word), partial(_same, postings))
        return fetched

    def _add(self, word: tuple[str, str], postings: Postings) -> None:
        self._postings[word] = (postings.ids, postings.weights)

    def _locate(self, entries: IntArray) -> None:
        """Read the positions of the search's words in these entries (those not read
        yet), in one query."""
        wanted = [entry for entry in entries.tolist() if entry not in self._located]
        if not wanted or not self._words or self._connection is None:
            return
        self._located.update(wanted)
        catalog = self.catalog
        rows: Sequence[tuple[str, int, int, str]] = self._connection.exec_driver_sql(
            _POSITIONS,
            {
                "lexemes": [lexeme(f, t) for f, t in self._words],
                "docs": [catalog.docs[o].id for o in catalog.doc_of_entry[wanted].tolist()],
                "paras": catalog.para_of_entry[wanted].tolist(),
                "variants": catalog.variant[wanted].tolist(),
            },
        ).cursor.fetchall()
        for doc, para, variant, vector in rows:
            entry = catalog.entry(catalog.ordinal_by_id[doc], para, variant)
            for name, places in _LEXEME.findall(vector):
                word = split_lexeme(unquoted(name))
                self._positions.setdefault(word, {})[entry] = _numbers(places)

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

    def scored(
        self, scope: Scope, field_name: str, term: str, score: Callable[[], TermScores]
    ) -> TermScores:
        """Scored afresh: one search's postings (those its filters or its tsquery let
        through) give scores that hold for it alone."""
        return score()

    def lengths(self, reader: Any, field_name: str, scope: Scope) -> tuple[FloatArray, float]:
        return self.catalog.lengths(reader, field_name, scope)

    def phrase(self, reader: Any, field_name: str, terms: tuple[str, ...], slop: int) -> IntArray:
        common: IntArray | None = None
        for term in dict.fromkeys(terms):
            ids = self.postings(reader, field_name, term)[0]
            common = ids if common is None else np.intersect1d(common, ids, assume_unique=True)
        if common is None or not common.size:
            return EMPTY_IDS
        self._locate(common)
        where = [self._positions.get((field_name, term), {}) for term in terms]
        found = [
            entry
            for entry in common.tolist()
            if all(entry in positions for positions in where)
            and phrase_at([positions[entry] for positions in where], slop)
        ]
        return np.array(found, np.int32)

    def positions(
        self, reader: Any, field_name: str, term: str, docnums: IntArray
    ) -> dict[int, list[int]]:
        self._locate(docnums)
        by_entry = self._positions.get((field_name, term), {})
        return {entry: by_entry[entry] for entry in docnums.tolist() if entry in by_entry}


@dataclass(frozen=True)
class Postings:
    """A word's entries in one scope and its frequency in each (times the field's
    boost)."""

    ids: IntArray
    weights: FloatArray

    def weight(self) -> int:
        """What it weighs in the cache, in bytes (about)."""
        return self.ids.nbytes + self.weights.nbytes + 400


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
    # its matches need no second check (a phrase's do), which a scan of the table makes
    # on every row (several times slower, where the planner would choose the scan).
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    result = connection.exec_driver_sql((_FETCH if documents is None else _FETCH_SOME) + _BY_WORD, {
        "query": match if match is not None else tsquery(words),
        "levels": sorted(scope.levels),
        "hidden": REDACTED if scope.unredacted else UNREDACTED,
        "lexemes": [lexeme(f, t) for f, t in words],
        "docs": [] if documents is None else [catalog.docs[o].id for o in documents.tolist()],
    })  # fmt: skip
    # The driver's plain tuples: one a word, its entries' keys and frequencies as lists.
    rows: Sequence[tuple[str, list[str], list[int], list[int], list[int]]]
    rows = result.cursor.fetchall()
    readable = catalog.readable(scope)
    ordinal_by_id = catalog.ordinal_by_id
    found = {word: Postings(EMPTY_IDS, EMPTY_WEIGHTS) for word in words}
    for name, docs, paras, variants, counts in rows:
        word = split_lexeme(name)
        ordinals = np.fromiter((ordinal_by_id.get(doc, -1) for doc in docs), np.int64, len(docs))
        # (-1: written after this catalog was read: found next time)
        entries = catalog.entries_of(
            ordinals, np.array(paras, np.int64), np.array(variants, np.int64)
        )
        order = np.argsort(entries, kind="stable")
        entries, weights = entries[order], np.array(counts, np.float32)[order]
        kept = entries >= 0
        kept[kept] = readable[entries[kept]]
        ids, weights = entries[kept].astype(np.int32), weights[kept]
        boost = BOOSTS.get(word[0], 1.0)
        if boost != 1.0:
            weights *= np.float32(boost)
        found[word] = Postings(ids, weights)
    return found


def _same(postings: Postings) -> Postings:
    return postings


def _numbers(places: str) -> list[int]:
    return [int(place) for place in places.replace("A", "").split(",")]
