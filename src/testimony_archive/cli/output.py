"""Search results for people, in the terminal."""

from __future__ import annotations

import textwrap

import click

from ..fields import BY_NAME
from ..i18n import translator
from ..index import DocumentHit, ParagraphHit, SearchResult, mark, snippet
from ..vocabulary import Vocabulary

SNIPPET_CHARS = 320
FACETS_SHOWN = ("locations", "abuse_types", "perpetrators", "year")


def _paragraph_line(hit: ParagraphHit, color: bool) -> str:
    text, spans = snippet(hit.text.replace("\n", " "), hit.highlights, SNIPPET_CHARS)
    before, after = ("\x1b[1;33m", "\x1b[0m") if color else ("[", "]")
    wrapped = textwrap.fill(
        mark(text, spans, "\0", "\1"), width=96, initial_indent="    ", subsequent_indent="    "
    )
    return f"  ¶{hit.para}\n" + wrapped.replace("\0", before).replace("\1", after)


def format_result(result: SearchResult, vocabulary: Vocabulary, color: bool = False) -> str:
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
        translate = translator("en")
        for name in FACETS_SHOWN:
            facet = BY_NAME[name]
            values = result.facets.get(name, [])[:6]
            if values:
                listed = ", ".join(
                    f"{facet.label(value.value, vocabulary, translate)} ({value.count})"
                    for value in values
                )
                lines.append(f"{name.replace('_', ' ').capitalize()}: {listed}")
    return "\n".join(lines)
