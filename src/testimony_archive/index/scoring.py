"""Query plans and their scoring with BM25 over cached postings, in numpy.

A plan is a small tree: terms and phrases at the leaves; `Best` (the best of a word's
alternatives), `Sum` (words that may match), `All` (words that must) and `Exclude`
above them. Evaluating a plan gives one score per index entry; an entry matches where
its score is above zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

import numpy as np

from ..access import Scope
from . import sparse
from .snapshot import BoolArray, FloatArray, IntArray, TermScores
from .sparse import Scores

BM25_B = 0.75
BM25_K1 = 1.2


@dataclass(frozen=True)
class Term:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    field: str
    terms: tuple[str, ...]
    slop: int = 1  # 1: adjacent, as in Whoosh
    boost: float = 1.0


@dataclass(frozen=True)
class Best:
    """The best of alternatives (a word, its stems in each language, its synonyms)."""

    children: tuple[Node, ...]
    tiebreak: float = 0.1


@dataclass(frozen=True)
class Sum:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class All:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class AndMaybe:
    """What `required` matches, scored higher where `optional` matches too."""

    required: Node
    optional: Node


@dataclass(frozen=True)
class Exclude:
    positive: Node | None  # None: everything
    negative: Node


Node = Term | Phrase | Best | Sum | All | AndMaybe | Exclude


def leaves(node: Node) -> list[Term | Phrase]:
    if isinstance(node, (Term, Phrase)):
        return [node]
    if isinstance(node, Exclude):
        return leaves(node.positive) if node.positive is not None else []
    if isinstance(node, AndMaybe):
        return leaves(node.required) + leaves(node.optional)
    return [leaf for child in node.children for leaf in leaves(child)]


def text_leaves(node: Node) -> list[Term | Phrase]:
    """The leaves that look in a paragraph's own text (not its document's title or tags)."""
    return [leaf for leaf in leaves(node) if leaf.field.startswith("text_")]


class TermStatistics(Protocol):
    """What scoring reads of an index, whatever holds it: a Whoosh generation's
    `Snapshot`, or the postings one PostgreSQL search fetched (`pg_postings`). Entries
    are numbered alike in both; `reader` is the Whoosh reader the snapshot reads through
    (PostgreSQL's postings ignore it)."""

    @property
    def size(self) -> int: ...

    def population(self, scope: Scope) -> int: ...

    def idf(self, frequency: int, population: int) -> float: ...

    def frequency(
        self, reader: Any, field_name: str, term: str, scope: Scope, ids: IntArray
    ) -> int: ...

    def postings(self, reader: Any, field_name: str, term: str) -> tuple[IntArray, FloatArray]: ...

    def visible_postings(
        self, reader: Any, field_name: str, term: str, scope: Scope
    ) -> tuple[IntArray, FloatArray]: ...

    def scored(
        self, scope: Scope, field_name: str, term: str, score: Callable[[], TermScores]
    ) -> TermScores: ...

    def lengths(self, reader: Any, field_name: str, scope: Scope) -> tuple[FloatArray, float]: ...

    def phrase(
        self, reader: Any, field_name: str, terms: tuple[str, ...], slop: int
    ) -> IntArray: ...

    def positions(
        self, reader: Any, field_name: str, term: str, docnums: IntArray
    ) -> dict[int, list[int]]: ...


class ReaderSource(Protocol):
    """A Whoosh searcher, or anything else that hands out the reader statistics use."""

    def reader(self) -> Any: ...


class Evaluator:
    """Scores a plan for one scope: the statistics of BM25 (how many entries there are,
    how many hold a term, how long they are on average) count only the entries the scope
    may search, so that no score tells of a document the viewer may not read."""

    def __init__(self, snapshot: TermStatistics, searcher: ReaderSource, scope: Scope) -> None:
        self.snapshot = snapshot
        self.searcher = searcher
        self.scope = scope
        self.population = snapshot.population(scope)
        # Each leaf once per search: a word's synonyms repeat the same terms.
        self._leaves: dict[Term | Phrase, Scores] = {}
        self._term_scores: dict[tuple[str, str], tuple[IntArray, FloatArray]] = {}

    def scores(self, node: Node) -> FloatArray:
        """Every entry's score (a new array)."""
        return self.vector(node).dense()

    def vector(self, node: Node) -> Scores:
        if isinstance(node, (Term, Phrase)):
            found = self._leaves.get(node)
            if found is None:
                found = self._leaves[node] = (
                    self._term(node) if isinstance(node, Term) else self._phrase(node)
                )
            return found
        if isinstance(node, Best):
            return sparse.best([self.vector(child) for child in node.children], node.tiebreak)
        if isinstance(node, Sum):
            return sparse.summed([self.vector(child) for child in node.children])
        if isinstance(node, All):
            return sparse.all_of([self.vector(child) for child in node.children])
        if isinstance(node, AndMaybe):
            return sparse.and_maybe(self.vector(node.required), self.vector(node.optional))
        positive = (
            self.vector(node.positive)
            if node.positive is not None
            else Scores.dense_of(np.full(self.snapshot.size, 1e-6, np.float32))
        )
        return sparse.excluding(positive, self.vector(node.negative))

    def text_match(self, node: Node) -> BoolArray:
        """Entries where at least one of the plan's text terms occurs: a paragraph found
        only through its document's title or tags is not a paragraph hit."""
        found = np.zeros(self.snapshot.size, np.bool_)
        reader = self.searcher.reader()
        wanted = {
            (leaf.field, term)
            for leaf in text_leaves(node)
            for term in ((leaf.text,) if isinstance(leaf, Term) else leaf.terms)
        }
        for field_name, term in wanted:
            found[self.snapshot.postings(reader, field_name, term)[0]] = True
        return found

    def term_scores(self, field_name: str, text: str) -> tuple[IntArray, FloatArray]:
        """BM25 of one term, on the entries the scope may search that contain it."""
        found = self._term_scores.get((field_name, text))
        if found is None:
            found = self._term_scores[(field_name, text)] = self.snapshot.scored(
                self.scope, field_name, text, partial(self._bm25, field_name, text)
            )
        return found

    def _bm25(self, field_name: str, text: str) -> tuple[IntArray, FloatArray]:
        reader = self.searcher.reader()
        ids, weights = self.snapshot.visible_postings(reader, field_name, text, self.scope)
        if not ids.size:
            return ids, weights
        lengths, average = self.snapshot.lengths(reader, field_name, self.scope)
        frequency = self.snapshot.frequency(reader, field_name, text, self.scope, ids)
        idf = self.snapshot.idf(frequency, self.population)
        norm = BM25_K1 * ((1 - BM25_B) + BM25_B * lengths[ids] / average)
        return ids, (idf * weights * (BM25_K1 + 1) / (weights + norm)).astype(np.float32)

    def _term(self, node: Term) -> Scores:
        ids, scores = self.term_scores(node.field, node.text)
        return Scores.of(self.snapshot.size, ids, scores * np.float32(node.boost))

    def _phrase(self, node: Phrase) -> Scores:
        parts = [self.term_scores(node.field, term) for term in node.terms]
        if any(not ids.size for ids, _ in parts):
            return Scores.of(self.snapshot.size, np.empty(0, np.int32), np.empty(0, np.float32))
        matched = self.snapshot.phrase(self.searcher.reader(), node.field, node.terms, node.slop)
        total = np.zeros(matched.size, np.float32)
        for ids, scores in parts:
            total += Scores.of(self.snapshot.size, ids, scores).at(matched)
        return Scores.of(self.snapshot.size, matched, total * np.float32(node.boost))
