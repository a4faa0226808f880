"""Query plans and their scoring with BM25 over cached postings, in numpy.

A plan is a small tree: terms and phrases at the leaves; `Best` (the best of a word's
alternatives), `Sum` (words that may match), `All` (words that must) and `Exclude`
above them. Evaluating a plan gives one score per index entry; an entry matches where
its score is above zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from ..access import Scope
from .snapshot import BoolArray, FloatArray, IntArray, Snapshot

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


class Evaluator:
    """Scores a plan for one scope: the statistics of BM25 (how many entries there are,
    how many hold a term, how long they are on average) count only the entries the scope
    may search, so that no score tells of a document the viewer may not read."""

    def __init__(self, snapshot: Snapshot, searcher: Searcher, scope: Scope) -> None:
        self.snapshot = snapshot
        self.searcher = searcher
        self.scope = scope
        self.population = snapshot.population(scope)

    def scores(self, node: Node) -> FloatArray:
        if isinstance(node, Term):
            return self._term(node)
        if isinstance(node, Phrase):
            return self._phrase(node)
        if isinstance(node, Best):
            children = [self.scores(child) for child in node.children]
            if len(children) == 1:
                return children[0]
            best = children[0].copy()  # (pairwise, in place: stacking them would copy all)
            for child in children[1:]:
                np.maximum(best, child, out=best)
            if node.tiebreak:
                total = _sum(children)
                total -= best
                total *= np.float32(node.tiebreak)
                best += total
            return best
        if isinstance(node, Sum):
            return _sum([self.scores(child) for child in node.children])
        if isinstance(node, All):
            parts = [self.scores(child) for child in node.children]
            total = _sum(parts)
            for part in parts:
                total[part <= 0] = 0
            return total
        if isinstance(node, AndMaybe):
            required = self.scores(node.required)
            return np.where(required > 0, required + self.scores(node.optional), 0).astype(
                np.float32
            )
        positive = (
            self.scores(node.positive)
            if node.positive is not None
            else np.full(self.snapshot.size, 1e-6, np.float32)
        )
        positive = positive.copy()
        positive[self.scores(node.negative) > 0] = 0
        return positive

    def text_match(self, node: Node) -> BoolArray:
        """Entries where at least one of the plan's text terms occurs: a paragraph found
        only through its document's title or tags is not a paragraph hit."""
        found = np.zeros(self.snapshot.size, np.bool_)
        reader = self.searcher.reader()
        for leaf in text_leaves(node):
            terms = (leaf.text,) if isinstance(leaf, Term) else leaf.terms
            for term in terms:
                found[self.snapshot.postings(reader, leaf.field, term)[0]] = True
        return found

    def term_scores(self, field_name: str, text: str) -> tuple[IntArray, FloatArray]:
        """BM25 of one term, on the entries the scope may search that contain it."""
        reader = self.searcher.reader()
        ids, weights = self.snapshot.visible_postings(reader, field_name, text, self.scope)
        if not ids.size:
            return ids, weights
        lengths, average = self.snapshot.lengths(reader, field_name, self.scope)
        idf = self.snapshot.idf(int(ids.size), self.population)
        norm = BM25_K1 * ((1 - BM25_B) + BM25_B * lengths[ids] / average)
        return ids, (idf * weights * (BM25_K1 + 1) / (weights + norm)).astype(np.float32)

    def _term(self, node: Term) -> FloatArray:
        result = np.zeros(self.snapshot.size, np.float32)
        ids, scores = self.term_scores(node.field, node.text)
        result[ids] = scores * node.boost
        return result

    def _phrase(self, node: Phrase) -> FloatArray:
        result = np.zeros(self.snapshot.size, np.float32)
        parts = [self.term_scores(node.field, term) for term in node.terms]
        if any(not ids.size for ids, _ in parts):
            return result
        total = np.zeros(self.snapshot.size, np.float32)
        for ids, scores in parts:
            total[ids] += scores
        query = wq.Phrase(node.field, list(node.terms), slop=node.slop)
        matched = np.fromiter(self.searcher.docs_for_query(query), dtype=np.int64)
        result[matched] = total[matched] * node.boost
        return result


def _sum(parts: list[FloatArray]) -> FloatArray:
    total = parts[0].copy()
    for part in parts[1:]:
        total += part
    return total
