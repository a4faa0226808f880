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
    return Highlighter(field_lang, terms).spans(text)


class Highlighter:
    """Highlights paragraphs for one query and language: each distinct word is looked up
    once for all the paragraphs, and only the words found are then looked for in each
    paragraph, token by token as the analyser reads it (`WORD_PATTERN`)."""

    def __init__(self, field_lang: str, terms: AbstractSet[tuple[str, str]]) -> None:
        self.field_lang = field_lang
        self.wanted = {term for name, term in terms if name == text_field(field_lang)}
        self.hits: set[str] = set()
        self.misses: set[str] = set()

    def spans(self, text: str) -> list[Span]:
        if not self.wanted:
            return []
        words = set(_WORD.findall(text))
        for word in words - self.hits - self.misses:
            wanted = not self.wanted.isdisjoint(word_terms(self.field_lang, word))
            (self.hits if wanted else self.misses).add(word)
        found = words & self.hits
        if not found:
            return []
        spans: list[Span] = []
        for word in found:
            start = text.find(word)
            while start >= 0:
                end = start + len(word)
                if _token_starts(text, start) and _WORD.match(text, start).end() == end:  # type: ignore[union-attr]
                    spans.append((start, end))
                start = text.find(word, end)
        spans.sort()
        return spans


def _token_starts(text: str, at: int) -> bool:
    """Whether a token of `WORD_PATTERN` starts at `at` (a word character not continuing
    a word, nor following a word's inner apostrophe)."""
    if at == 0:
        return True
    before = text[at - 1]
    if before.isalnum():  # (`[^\W_]`: what `\w` matches but the underscore)
        return False
    return not (before in "'’" and at >= 2 and text[at - 2].isalnum())


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
