"""Which characters of a paragraph matched the query: spans to highlight.

Highlighting is computed on the archived text with the same analysis as the index, and
returns character offsets; formatting (HTML, terminal, JSON) is left to the caller, so
the quoted text itself is never altered.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Set as AbstractSet

from .analysis import WORD_PATTERN, word_terms
from .schema import text_field

Span = tuple[int, int]  # [start, end) character offsets of a highlighted word
_WORD = re.compile(WORD_PATTERN)
LEXICON_WORDS = 200_000  # words per language before a lexicon starts afresh (about 40 MB)


def highlight_spans(text: str, field_lang: str, terms: AbstractSet[tuple[str, str]]) -> list[Span]:
    """Offsets of the words of `text` whose index term the query looks for."""
    return Highlighter(field_lang, terms).spans(text)


class Highlighter:
    """Highlights paragraphs for one query and language. Each word is analysed once per
    process (`Lexicon`), so a paragraph costs its tokenising and a few set operations:
    only the words whose terms are wanted are then looked for in it, token by token as
    the analyser reads it (`WORD_PATTERN`)."""

    def __init__(self, field_lang: str, terms: AbstractSet[tuple[str, str]]) -> None:
        self.field_lang = field_lang
        self.wanted = {term for name, term in terms if name == text_field(field_lang)}

    def spans(self, text: str) -> list[Span]:
        if not self.wanted:
            return []
        words = set(_WORD.findall(text))
        found = lexicon(self.field_lang).words_with(self.wanted, words)
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


class Lexicon:
    """The words of one language's paragraphs read so far, each with its index terms, and
    for each term the words that have it. Shared by the threads of a process; words are
    only ever added (under a lock), and a term's words replaced, never changed in place."""

    def __init__(self, field_lang: str) -> None:
        self.field_lang = field_lang
        self.known: set[str] = set()
        self.words_of: dict[str, frozenset[str]] = {}
        self.lock = threading.Lock()

    def words_with(self, wanted: AbstractSet[str], words: set[str]) -> set[str]:
        """Those of `words` that have any of the `wanted` terms."""
        if not words <= self.known:
            self.learn(words)
        found: set[str] = set()
        for term in wanted:
            having = self.words_of.get(term)
            if having:
                found |= having & words
        return found

    def learn(self, words: set[str]) -> None:
        with self.lock:
            for word in words - self.known:
                for term in word_terms(self.field_lang, word):
                    self.words_of[term] = self.words_of.get(term, frozenset()) | {word}
                self.known.add(word)  # (after its terms: a reader never finds it half-learnt)


_lexicons: dict[str, Lexicon] = {}
_lexicons_lock = threading.Lock()


def lexicon(field_lang: str) -> Lexicon:
    """The process's lexicon of a language, started afresh once it holds `LEXICON_WORDS`
    (so its memory is bounded, whatever texts are read)."""
    found = _lexicons.get(field_lang)
    if found is None or len(found.known) >= LEXICON_WORDS:
        with _lexicons_lock:
            found = _lexicons.get(field_lang)
            if found is None or len(found.known) >= LEXICON_WORDS:
                found = _lexicons[field_lang] = Lexicon(field_lang)
    return found


def _token_starts(text: str, at: int) -> bool:
    """Whether a token of `WORD_PATTERN` starts at `at` (a word character not continuing
    a word, nor following a word's inner apostrophe)."""
    if at == 0:
        return True
    before = text[at - 1]
    if before.isalnum():  # (`[^\W_]`: what `\w` matches but the underscore)
        return False
    return not (before in "'’" and at >= 2 and text[at - 2].isalnum())


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
