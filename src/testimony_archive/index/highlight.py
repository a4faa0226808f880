"""Which characters of a paragraph matched the query: spans to highlight.

Highlighting is computed on the archived text with the same analysis as the index, and
returns character offsets; formatting (HTML, terminal, JSON) is left to the caller, so
the quoted text itself is never altered.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Set as AbstractSet

from .analysis import WORD_PATTERN, word_terms
from .schema import text_field

Span = tuple[int, int]  # [start, end) character offsets of a highlighted word
_WORD = re.compile(WORD_PATTERN)
LEXICON_WORDS = 200_000  # words per language before a lexicon starts afresh (about 40 MB)
LEXICON_TEXT_BYTES = 32 * 2**20  # texts read whole, per lexicon, before they are all dropped


def highlight_spans(text: str, field_lang: str, terms: AbstractSet[tuple[str, str]]) -> list[Span]:
    """Offsets of the words of `text` whose index term the query looks for."""
    return Highlighter(field_lang, terms).spans(text)


class Highlighter:
    """Highlights paragraphs for one query and language. Each word is analysed once per
    process (`Lexicon`), so a paragraph costs its tokenising and a few set operations:
    only the words whose terms are wanted are then looked for in it, token by token as
    the analyser reads it (`WORD_PATTERN`). A text read whole before is not tokenised
    again: every word it holds is known, so each known word of a wanted term is looked
    for in it (a handful of `str.find`s). A highlighter serves one thread."""

    def __init__(self, field_lang: str, terms: AbstractSet[tuple[str, str]]) -> None:
        self.field_lang = field_lang
        self.wanted = {term for name, term in terms if name == text_field(field_lang)}
        self._forms: tuple[Lexicon, int, set[str]] | None = None  # lexicon, its size, forms

    def spans(self, text: str) -> list[Span]:
        if not self.wanted:
            return []
        known = lexicon(self.field_lang)
        if known.has_read_whole(text):
            found = self._wanted_forms(known)
        else:
            found = known.words_with(self.wanted, set(_WORD.findall(text)))
            known.remember(text)
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

    def _wanted_forms(self, known: Lexicon) -> set[str]:
        """Every known word of a wanted term, read again whenever the lexicon has learnt
        words since (a text read whole may hold them)."""
        size = len(known.known)
        if self._forms is None or self._forms[:2] != (known, size):
            self._forms = (known, size, known.words_with(self.wanted, None))
        return self._forms[2]


class Lexicon:
    """The words of one language's paragraphs read so far, each with its index terms, and
    for each term the words that have it; and the texts whose every word it knows (kept
    by their content, so none can be out of date, and bounded in bytes). Shared by the
    threads of a process; words are only ever added (under a lock), a term's words
    replaced, never changed in place; a text is added after its words, and the texts are
    all dropped at once when they reach `LEXICON_TEXT_BYTES`."""

    def __init__(self, field_lang: str) -> None:
        self.field_lang = field_lang
        self.known: set[str] = set()
        self.words_of: dict[str, frozenset[str]] = {}
        self.texts: dict[str, None] = {}
        self.text_bytes = 0
        self.lock = threading.Lock()

    def words_with(self, wanted: AbstractSet[str], words: set[str] | None) -> set[str]:
        """Those of `words` (or of every known word, for `None`) that have any of the
        `wanted` terms."""
        if words is not None and not words <= self.known:
            self.learn(words)
        found: set[str] = set()
        for term in wanted:
            having = self.words_of.get(term)
            if having:
                found |= having if words is None else having & words
        return found

    def has_read_whole(self, text: str) -> bool:
        """Whether `text` was read whole before (so every word of it is known)."""
        return text in self.texts

    def remember(self, text: str) -> None:
        """`text`, whose words this lexicon has learnt, as read whole (not a text that
        would take more than an eighth of the bound)."""
        size = sys.getsizeof(text) + 64  # (and its place in the dictionary)
        if size > LEXICON_TEXT_BYTES // 8:
            return
        with self.lock:
            if text in self.texts:
                return
            if self.text_bytes + size > LEXICON_TEXT_BYTES:
                self.texts, self.text_bytes = {}, 0
            self.texts[text] = None
            self.text_bytes += size

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
