"""Ranking, grouping and paging: scores over index entries in, a page of hits out."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .request import SearchRequest, Sort
from .results import DocumentHit, ParagraphHit
from .snapshot import BoolArray, FloatArray, IntArray, Snapshot

PARAGRAPHS_PER_DOCUMENT = 3


def arrange(
    request: SearchRequest, scores: FloatArray, matched: BoolArray, snapshot: Snapshot
) -> tuple[list[DocumentHit] | list[ParagraphHit], int, BoolArray]:
    """The requested page of hits, the total, and which documents matched."""
    entries = np.flatnonzero(matched)
    ordinals = snapshot.doc_of_entry[entries]
    matched_docs = np.zeros(len(snapshot.docs), np.bool_)
    matched_docs[ordinals] = True
    first = (request.page - 1) * request.limit
    last = first + request.limit
    dates = snapshot.dates

    def paragraph(entry: int, score: float) -> ParagraphHit:
        meta = snapshot.docs[snapshot.doc_of_entry[entry]]
        return ParagraphHit(meta.id, int(snapshot.para_of_entry[entry]), score, meta=meta)

    if request.unit == "paragraph":
        ranks = snapshot.entry_rank[entries]
        order = order_of(scores[entries], dates[ordinals], ranks, request.sort, last)
        page = [paragraph(int(entry), float(scores[entry])) for entry in entries[order][first:last]]
        return page, int(entries.size), matched_docs

    best = np.zeros(len(snapshot.docs), np.float32)
    np.maximum.at(best, ordinals, scores[entries])
    documents = np.flatnonzero(matched_docs)
    doc_order = order_of(
        best[documents], dates[documents], snapshot.doc_rank[documents], request.sort, last
    )
    page_docs = documents[doc_order][first:last]
    hits: list[DocumentHit] = []
    for ordinal in page_docs.tolist():
        own = entries[ordinals == ordinal]
        ranked = own[np.lexsort((snapshot.para_of_entry[own], -scores[own]))]
        paragraphs = [
            paragraph(int(entry), float(scores[entry]))
            for entry in ranked[:PARAGRAPHS_PER_DOCUMENT]
        ]
        hits.append(DocumentHit(snapshot.docs[ordinal], document_score(paragraphs), paragraphs))
    if request.sort == "relevance":
        hits.sort(key=lambda hit: -hit.score)
    return hits, int(documents.size), matched_docs


def document_score(hits: list[ParagraphHit]) -> float:
    """The best paragraph decides; other matching paragraphs add a little."""
    best = hits[0].score
    return best + 0.1 * sum(hit.score for hit in hits[1:PARAGRAPHS_PER_DOCUMENT])


def order_of(
    scores: FloatArray,
    dates: npt.NDArray[np.int64],
    ranks: npt.NDArray[np.int64],
    sort: Sort,
    needed: int | None = None,
) -> IntArray:
    """Indices that sort results: by score or by date, ties by document id (and
    paragraph number). With `needed`, only the first that many (and whatever ties with
    the last of them) are sorted and returned: a page needs no more."""
    if sort == "relevance":
        primary: npt.NDArray[np.generic] = -scores
    else:
        primary = (-1 if sort == "-date" else 1) * dates
    if needed is not None and 0 < needed and 4 * needed < primary.size:
        cut = np.partition(primary, needed - 1)[needed - 1]
        head = np.flatnonzero(primary <= cut)
        return head[np.lexsort((ranks[head], primary[head]))].astype(np.int32)
    return np.lexsort((ranks, primary)).astype(np.int32)
