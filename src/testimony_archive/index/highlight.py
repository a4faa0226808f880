"""Which characters of a paragraph matched the query: spans to highlight.

Highlighting is computed on the archived text with the same analysis as the index, and
returns character offsets; formatting (HTML, terminal, JSON) is left to the caller, so
the quoted text itself is never altered.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh import query as wq

from .analysis import analyze_with_offsets
from .schema import text_field

Span = tuple[int, int]


MIN_HIGHLIGHT_BOOST = 0.5


def query_terms(query: wq.Query | None) -> set[tuple[str, str]]:
    """(field, term) pairs worth highlighting: what the query looks for, without what it
    excludes and without weak expansions (vocabulary synonyms), which would light up
    words the user never asked about."""
    terms: set[tuple[str, str]] = set()
    if query is None:
        return terms
    for leaf in _wanted_leaves(query):
        if leaf.boost >= MIN_HIGHLIGHT_BOOST:
            for name, text in leaf.iter_all_terms(phrases=True):
                terms.add((name, text.decode("utf-8") if isinstance(text, bytes) else str(text)))
    return terms


def _wanted_leaves(query: wq.Query) -> Iterable[wq.Query]:
    if isinstance(query, wq.AndNot):
        yield from _wanted_leaves(query.a)
    elif isinstance(query, wq.Not):
        return
    elif query.is_leaf():
        yield query
    else:
        for child in query.children():
            yield from _wanted_leaves(child)


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
