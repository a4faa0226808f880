"""The straightforward search path, for tests to hold the fast one to.

Each piece does what the optimised code does the plain way, through Whoosh's own
interfaces: postings read one at a time from Whoosh's matchers (which leave out deleted
entries), positions found by stepping a matcher to each entry, phrases matched by
Whoosh's `Phrase` query, plans scored on arrays as long as the index, every word of a
paragraph looked up for highlighting, facets counted value by value, filters by Whoosh's
own queries, every result sorted.
`straightforward(monkeypatch)` puts them in place of the fast ones.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from testimony_archive.fields import FACETS
from testimony_archive.index import archive_backend, arrange, highlight, ranking
from testimony_archive.index.analysis import analyze
from testimony_archive.index.highlight import _WORD, Span
from testimony_archive.index.schema import CONFIRMED_SUFFIX, text_field
from testimony_archive.index.scoring import (
    All,
    AndMaybe,
    Best,
    Evaluator,
    Node,
    Phrase,
    Sum,
    Term,
)
from testimony_archive.index.snapshot import FloatArray, IntArray, Snapshot, TermScores


class FullArrayEvaluator(Evaluator):
    """Scores on arrays as long as the index, phrases by Whoosh's `Phrase` query."""

    def scores(self, node: Node) -> FloatArray:
        if isinstance(node, Term):
            result = np.zeros(self.snapshot.size, np.float32)
            ids, scores = self.term_scores(node.field, node.text)
            result[ids] = scores * node.boost
            return result
        if isinstance(node, Phrase):
            return self._whoosh_phrase(node)
        if isinstance(node, Best):
            children = [self.scores(child) for child in node.children]
            if len(children) == 1:
                return children[0]
            best = children[0].copy()
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

    def _whoosh_phrase(self, node: Phrase) -> FloatArray:
        result = np.zeros(self.snapshot.size, np.float32)
        parts = [self.term_scores(node.field, term) for term in node.terms]
        if any(not ids.size for ids, _ in parts):
            return result
        total = np.zeros(self.snapshot.size, np.float32)
        for ids, scores in parts:
            total[ids] += scores
        matched = whoosh_phrase(self.searcher, node.field, node.terms, node.slop)
        result[matched] = total[matched] * node.boost
        return result


def whoosh_phrase(searcher: object, field: str, terms: tuple[str, ...], slop: int) -> IntArray:
    """The entries Whoosh's own `Phrase` query matches (never a deleted one)."""
    query = wq.Phrase(field, list(terms), slop=slop)
    return np.fromiter(searcher.docs_for_query(query), dtype=np.int32)  # type: ignore[attr-defined]


def _sum(parts: list[FloatArray]) -> FloatArray:
    total = parts[0].copy()
    for part in parts[1:]:
        total += part
    return total


def matcher_postings(
    reader: IndexReader, field_name: str, term: str
) -> tuple[IntArray, FloatArray]:
    """A term's postings as Whoosh's matcher gives them, one at a time (deleted entries
    left out), of a segment or of the whole index."""
    if (field_name, term) not in reader:
        return np.empty(0, np.int32), np.empty(0, np.float32)
    matcher = reader.postings(field_name, term)
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, np.int32), np.array(weights, np.float32)


def whoosh_postings(
    self: Snapshot, sid: str, leaf: IndexReader, field_name: str, term: str
) -> tuple[IntArray, FloatArray]:
    """`Snapshot._segment_postings`, by Whoosh's matcher."""
    return matcher_postings(leaf, field_name, term)


def whoosh_positions(
    self: Snapshot, reader: IndexReader, field: str, term: str, docnums: IntArray
) -> dict[int, list[int]]:
    """Positions found by stepping Whoosh's matcher to each entry."""
    found: dict[int, list[int]] = {}
    if (field, term) not in reader:
        return found
    matcher = reader.postings(field, term)
    for docnum in docnums.tolist():
        if not matcher.is_active():
            break
        matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            found[docnum] = list(matcher.value_as("positions"))
    return found


def word_by_word_spans(text: str, field_lang: str, terms: object) -> list[Span]:
    """Each word of the paragraph looked up in turn."""
    wanted = {term for name, term in terms if name == text_field(field_lang)}  # type: ignore[attr-defined]
    spans: list[Span] = []
    for match in _WORD.finditer(text):
        terms_of_word = analyze(field_lang, match.group())
        if terms_of_word and not wanted.isdisjoint(terms_of_word):
            spans.append((match.start(), match.end()))
    return spans


class WordByWordHighlighter:
    """`highlight.Highlighter`, looking every word of every paragraph up."""

    def __init__(self, field_lang: str, terms: object) -> None:
        self.field_lang, self.terms = field_lang, terms

    def spans(self, text: str) -> list[Span]:
        return word_by_word_spans(text, self.field_lang, self.terms)


def value_by_value_facets(
    snapshot: Snapshot,
    reader: IndexReader,
    matched_entries: np.ndarray,  # type: ignore[type-arg]
    matched_docs: np.ndarray,  # type: ignore[type-arg]
    paragraphs: bool,
    confirmed_only: bool,
) -> dict[str, dict[str, int]]:
    """Facet counts one value at a time, the members of each found afresh: a tag's
    paragraphs by Whoosh's own query, a document's values from its metadata."""
    counts: dict[str, dict[str, int]] = {}
    ordinals = snapshot.doc_of_entry[matched_entries]
    searcher = Searcher(reader)
    for facet in FACETS:
        found: dict[str, int] = {}
        if paragraphs and facet.is_tag:
            field_name = facet.name + (CONFIRMED_SUFFIX if confirmed_only else "")
            for value in reader.field_terms(field_name):
                text = value.decode() if isinstance(value, bytes) else str(value)
                query = wq.Term(field_name, text)
                ids = np.fromiter(searcher.docs_for_query(query), dtype=np.int64)
                count = int(np.count_nonzero(matched_entries[ids]))
                if count:
                    found[text] = count
        else:
            for ordinal, meta in enumerate(snapshot.docs):
                for value in meta.document_facets(confirmed_only).get(facet.name, ()):
                    weight = (
                        int(np.count_nonzero(ordinals == ordinal))
                        if paragraphs
                        else int(matched_docs[ordinal])
                    )
                    if weight:
                        found[value] = found.get(value, 0) + weight
        counts[facet.name] = found
    return counts


def whoosh_mask(self: Snapshot, query: wq.Query, searcher: object) -> np.ndarray:  # type: ignore[type-arg]
    """A filter's entries by Whoosh's own query."""
    result = np.zeros(self.size, np.bool_)
    result[np.fromiter(searcher.docs_for_query(query), dtype=np.int64)] = True  # type: ignore[attr-defined]
    return result & self.live


def full_order(
    scores: FloatArray,
    dates: np.ndarray,  # type: ignore[type-arg]
    ranks: np.ndarray,  # type: ignore[type-arg]
    sort: str,
    needed: int | None = None,
) -> IntArray:
    """Every result sorted, however few a page shows."""
    if sort == "relevance":
        return np.lexsort((ranks, -scores)).astype(np.int32)
    sign = -1 if sort == "-date" else 1
    return np.lexsort((ranks, sign * dates)).astype(np.int32)


def scored_afresh(
    _snapshot: Snapshot, _scope: object, _field: str, _term: str, score: Callable[[], TermScores]
) -> TermScores:
    """A term's scores computed for each search, none kept."""
    return score()


def straightforward(monkeypatch: pytest.MonkeyPatch) -> None:
    """Search the straightforward way from now on (until the test ends)."""
    monkeypatch.setattr(ranking, "Evaluator", FullArrayEvaluator)
    monkeypatch.setattr(Snapshot, "scored", scored_afresh)
    monkeypatch.setattr(Snapshot, "_segment_postings", whoosh_postings)
    monkeypatch.setattr(Snapshot, "positions", whoosh_positions)
    monkeypatch.setattr(archive_backend, "Highlighter", WordByWordHighlighter)
    monkeypatch.setattr(ranking, "count_facets", value_by_value_facets)
    monkeypatch.setattr(arrange, "order_of", full_order)
    monkeypatch.setattr(Snapshot, "mask", whoosh_mask)
    monkeypatch.setattr(highlight, "highlight_spans", word_by_word_spans)
