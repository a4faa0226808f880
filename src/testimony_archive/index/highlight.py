"""Which characters of a paragraph matched the query: spans to highlight.

Highlighting is computed on the archived text with the same analysis as the index, and
returns character offsets; formatting (HTML, terminal, JSON) is left to the caller, so
the quoted text itself is never altered.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from functools import lru_cache

from .analysis import WORD_PATTERN, analyze
from .schema import text_field

Span = tuple[int, int]  # [start, end) character offsets of a highlighted word
_WORD = re.compile(WORD_PATTERN)


def highlight_spans(text: str, field_lang: str, terms: AbstractSet[tuple[str, str]]) -> list[Span]:
    """Offsets of the words of `text` whose index term the query looks for."""
    wanted = {term for name, term in terms if name == text_field(field_lang)}
    if not wanted:
        return []
    # Which of the paragraph's distinct words are wanted first (a paragraph repeats its
    # words), then where they stand.
    hits = {
        word
        for word in set(_WORD.findall(text))
        if not wanted.isdisjoint(word_terms(field_lang, word))
    }
    if not hits:
        return []
    return [match.span() for match in _WORD.finditer(text) if match.group() in hits]


@lru_cache(maxsize=200_000)
def word_terms(field_lang: str, word: str) -> frozenset[str]:
    """The index terms of one word (cached: texts repeat their words)."""
    return frozenset(analyze(field_lang, word))


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
