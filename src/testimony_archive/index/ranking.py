"""From a built query to a page of ranked hits and facet counts, whatever the backend:
it hands over its entries (`Snapshot`: documents, paragraphs, facet memberships), the
term statistics scoring reads, and the mask of entries the viewer's scope and the
filters allow; the arithmetic is the same, so both backends rank alike."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from ..access import Scope
from .arrange import arrange
from .facets import count_facets
from .proximity import proximity_scores
from .query_builder import BuiltQuery
from .request import SearchRequest
from .results import DocumentHit, ParagraphHit
from .scoring import Evaluator, ReaderSource, TermStatistics, text_leaves
from .snapshot import BoolArray, FloatArray, IntArray, Snapshot
from .sparse import Scores

RERANK_CANDIDATES = 100  # the same dev scores as 300, at a third of the cost
PROXIMITY_WEIGHT = 0.3


@dataclass
class Ranked:
    hits: list[DocumentHit] | list[ParagraphHit]
    total: int
    counts: dict[str, dict[str, int]]


def rank(
    request: SearchRequest,
    scope: Scope,
    built: BuiltQuery,
    entries: Snapshot,
    statistics: TermStatistics,
    source: ReaderSource,
    mask: BoolArray,
) -> Ranked:
    """Score the plan over the entries `mask` allows, re-rank the best by proximity,
    and arrange the requested page; facets count the whole result set."""
    evaluator = Evaluator(statistics, source, scope)
    if built.plan is None:
        scores = mask.astype(np.float32) * np.float32(1e-6)
    else:
        scores = evaluator.scores(built.plan)
        scores[~mask] = 0
        if text_leaves(built.plan):
            scores[~evaluator.text_match(built.plan)] = 0
        rerank(scores, built, evaluator)
    matched = scores > 0
    hits, total, matched_docs = arrange(request, scores, matched, entries)
    counts = count_facets(
        entries,
        source.reader(),
        matched,
        matched_docs,
        request.unit == "paragraph",
        request.confirmed_only,
    )
    return Ranked(hits, total, counts)


def rerank(scores: FloatArray, built: BuiltQuery, evaluator: Evaluator) -> None:
    """Add the proximity bonus to the best candidates (in place)."""
    if not built.pairs:
        return
    matched = np.flatnonzero(scores > 0)
    if not matched.size:
        return
    if matched.size > RERANK_CANDIDATES:
        best = np.argpartition(scores[matched], -RERANK_CANDIDATES)[-RERANK_CANDIDATES:]
        matched = matched[best]
    candidates: IntArray = matched.astype(np.int32)
    term_scores: dict[tuple[str, str], FloatArray] = {}
    order = np.argsort(candidates)
    for pair in built.pairs:
        for term in (pair.first, pair.second):
            if (pair.field, term) not in term_scores:
                ids, values = evaluator.term_scores(pair.field, term)
                in_order = np.empty(candidates.size, np.float32)
                in_order[order] = Scores.of(scores.size, ids, values).at(candidates[order])
                term_scores[(pair.field, term)] = in_order
    bonus = proximity_scores(
        partial(evaluator.snapshot.positions, evaluator.searcher.reader()),
        built.pairs,
        candidates,
        term_scores,
    )
    scores[candidates] += PROXIMITY_WEIGHT * bonus
