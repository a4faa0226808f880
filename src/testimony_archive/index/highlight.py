"""Which characters of a paragraph matched the query: spans to highlight.

Highlighting is computed on the archived text with the same analysis as the index, and
returns character offsets; formatting (HTML, terminal, JSON) is left to the caller, so
the quoted text itself is never altered.
"""

from __future__ import annotations

from .analysis import analyze_with_offsets
from .schema import text_field

Span = tuple[int, int]


def highlight_spans(text: str, field_lang: str, terms: set[tuple[str, str]]) -> list[Span]:
    wanted = {term for name, term in terms if name == text_field(field_lang)}
    if not wanted:
        return []
    return [
        (start, end)
        for term, start, end in analyze_with_offsets(field_lang, text)
        if term in wanted
    ]


def mark(text: str, spans: list[Span], before: str, after: str) -> str:
    """Wrap each span in markers (for plain-text output; HTML escapes first)."""
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces += [text[position:start], before, text[start:end], after]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def snippet(text: str, spans: list[Span], width: int) -> tuple[str, list[Span]]:
    """A window of the paragraph around its first highlight, with shifted spans."""
    if len(text) <= width:
        return text, spans
    start = max(0, (spans[0][0] if spans else 0) - width // 4)
    end = min(len(text), start + width)
    start = max(0, end - width)
    shifted = [(a - start, b - start) for a, b in spans if a >= start and b <= end]
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return prefix + text[start:end] + suffix, [
        (a + len(prefix), b + len(prefix)) for a, b in shifted
    ]
