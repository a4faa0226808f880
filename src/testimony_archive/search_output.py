"""Search results for people (terminal text) and programs (JSON)."""

from __future__ import annotations

import textwrap
from typing import Any

import click

from .index import DocumentHit, ParagraphHit, SearchResult
from .index.highlight import mark, snippet

SNIPPET_CHARS = 320


def _paragraph_line(hit: ParagraphHit, color: bool) -> str:
    text, spans = snippet(hit.text.replace("\n", " "), hit.highlights, SNIPPET_CHARS)
    before, after = ("\x1b[1;33m", "\x1b[0m") if color else ("[", "]")
    wrapped = textwrap.fill(
        mark(text, spans, "\0", "\1"), width=96, initial_indent="    ", subsequent_indent="    "
    )
    return f"  ¶{hit.para}\n" + wrapped.replace("\0", before).replace("\1", after)


def format_result(result: SearchResult, color: bool = False) -> str:
    request = result.request
    lines: list[str] = [*(f"Note: {note}" for note in result.notes)]
    noun = "paragraph" if request.unit == "paragraph" else "document"
    lines.append(
        f"{result.total} {noun}{'s' if result.total != 1 else ''} found"
        f" (page {request.page} of {result.pages}, {result.took_ms:.0f} ms)."
    )
    rank = (request.page - 1) * request.limit
    for hit in result.hits:
        rank += 1
        meta = hit.meta
        assert meta is not None
        heading = f"{rank}. {meta.title}"
        details = ", ".join(
            filter(None, [meta.id, meta.kind.replace("_", " "), meta.date, meta.language])
        )
        lines.append("")
        lines.append(click.style(heading, bold=True) if color else heading)
        lines.append(f"   {details}")
        paragraphs = hit.paragraphs if isinstance(hit, DocumentHit) else [hit]
        lines.extend(
            _paragraph_line(paragraph, color) for paragraph in paragraphs if paragraph.text
        )
    if result.total:
        lines.append("")
        for name in ("locations", "abuse_types", "perpetrators", "year"):
            values = result.facets.get(name, [])[:6]
            if values:
                listed = ", ".join(f"{value.label} ({value.count})" for value in values)
                lines.append(f"{name.replace('_', ' ').capitalize()}: {listed}")
    return "\n".join(lines)


def _paragraph_json(hit: ParagraphHit) -> dict[str, Any]:
    return {
        "doc": hit.doc,
        "para": hit.para,
        "score": round(hit.score, 4),
        "text": hit.text,
        "highlights": [list(span) for span in hit.highlights],
    }


def result_json(result: SearchResult) -> dict[str, Any]:
    request = result.request
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
                {"value": v.value, "label": v.label, "count": v.count, "parent": v.parent}
                for v in values
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
