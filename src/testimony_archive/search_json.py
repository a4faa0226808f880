"""Search results for programs: the JSON of `testimony search --json`, of /api/search and
of `testimony search --batch` (whose shape is a contract)."""

from __future__ import annotations

from typing import Any

from .fields import BY_NAME
from .i18n import translator
from .index import DocumentHit, ParagraphHit, SearchResult
from .vocabulary import Vocabulary

LABEL_LANGUAGE = "en"  # facet labels in JSON (programs read the values)


def _paragraph_json(hit: ParagraphHit) -> dict[str, Any]:
    return {
        "doc": hit.doc,
        "para": hit.para,
        "score": round(hit.score, 4),
        "text": hit.text,
        "highlights": [list(span) for span in hit.highlights],
    }


def result_json(result: SearchResult, vocabulary: Vocabulary) -> dict[str, Any]:
    request = result.request
    translate = translator(LABEL_LANGUAGE)
    hits: list[dict[str, Any]] = []
    for hit in result.hits:
        if isinstance(hit, DocumentHit):
            meta = hit.meta
            hits.append(
                {
                    "doc": meta.id,
                    "title": meta.title,
                    "kind": meta.kind,
                    "language": meta.language,
                    "date": meta.date,
                    "access": meta.access,
                    "score": round(hit.score, 4),
                    "tags": meta.tags,
                    "suggested": meta.suggested,
                    "paras": [paragraph.para for paragraph in hit.paragraphs],
                    "paragraphs": [_paragraph_json(paragraph) for paragraph in hit.paragraphs],
                }
            )
        else:
            hits.append(_paragraph_json(hit))
    return {
        "query": request.q,
        "unit": request.unit,
        "sort": request.sort,
        "page": request.page,
        "limit": request.limit,
        "total": result.total,
        "pages": result.pages,
        "notes": result.notes,
        "took_ms": round(result.took_ms, 1),
        "results": hits,
        "facets": {
            name: [
                {
                    "value": value.value,
                    "label": BY_NAME[name].label(value.value, vocabulary, translate),
                    "count": value.count,
                    "parent": value.parent,
                }
                for value in values
            ]
            for name, values in result.facets.items()
        },
    }


def batch_line(qid: Any, result: SearchResult) -> dict[str, Any]:
    """One output line of `testimony search --batch`, exactly as the contract says."""
    results: list[dict[str, Any]] = []
    for hit in result.hits:
        if isinstance(hit, DocumentHit):
            results.append(
                {
                    "doc": hit.meta.id,
                    "score": round(hit.score, 4),
                    "paras": [paragraph.para for paragraph in hit.paragraphs],
                }
            )
        else:
            results.append({"doc": hit.doc, "para": hit.para, "score": round(hit.score, 4)})
    return {"qid": qid, "total": result.total, "results": results}
