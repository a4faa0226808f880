"""Text analysis, declared once: what a word is, and how it is normalised per language.

Every language field lower-cases and folds accents (so `comisaria` finds `comisaría`);
English and Spanish fields also drop stop words and stem with Snowball (PyStemmer, in C,
where available; Whoosh's pure-Python stemmers otherwise).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
)
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

from ..text_folding import STEMMED_LANGUAGES, fold, stemmer

# Words, with inner apostrophes ("don't", "mo'") and no underscores.
WORD_PATTERN = r"[^\W_]+(?:['’][^\W_]+)*"
FIELD_LANGUAGES = ("en", "es", "xx")  # "xx": any other language, folded but not stemmed


class SnowballFilter(Filter):  # type: ignore[misc]
    """Stems each token with the Snowball stemmer of one language, caching results."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SnowballFilter) and other.language == self.language

    def __hash__(self) -> int:
        return hash(self.language)

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        stem = stemmer(self.language)
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


def field_language(language: str) -> str:
    """The language field a document in `language` is indexed into."""
    base = language.split("-")[0].lower()
    return base if base in STEMMED_LANGUAGES else "xx"


def make_analyzer(field_lang: str) -> Analyzer:
    analyzer = RegexTokenizer(WORD_PATTERN) | LowercaseFilter()
    analyzer = analyzer | CharsetFilter(accent_map)
    if field_lang in STEMMED_LANGUAGES:
        # Folded before stemming, so that a word typed without its accent ("comisaria")
        # has the same stem as the accented one ("comisaría").
        analyzer = analyzer | StopFilter(_stop_words(field_lang), minsize=1)
        return analyzer | SnowballFilter(STEMMED_LANGUAGES[field_lang])
    return analyzer


def word_terms(field_lang: str, word: str) -> list[str]:
    """`analyze` of one word, without the analyser's pipeline of token objects (a fifth
    of its time, for highlighting's lexicon). Only for one token of `WORD_PATTERN`: of
    other text it says nothing right ("The cats" is no term)."""
    text = word.lower().translate(accent_map)
    if field_lang not in STEMMED_LANGUAGES:
        return [text]
    if not text or text in _stop_words(field_lang):
        return []
    return [stemmer(STEMMED_LANGUAGES[field_lang])(text)]


@lru_cache(maxsize=4)
def _stop_words(field_lang: str) -> frozenset[str]:
    """The stop words `make_analyzer` drops (Spanish folded, as its words are)."""
    if field_lang == "es":
        return frozenset(fold(word) for word in stopwords_for_language("es"))
    return frozenset(stopwords_for_language(field_lang))


def analyze(field_lang: str, text: str) -> list[str]:
    """The index terms of a text in one language field (for building queries)."""
    return [token.text for token in _analyzer(field_lang)(text)]


def term_positions(field_lang: str, text: str) -> dict[str, list[int]]:
    """Each index term of a text and its positions, as the index numbers them (stop
    words leave no gap)."""
    found: dict[str, list[int]] = {}
    for token in _analyzer(field_lang)(text, positions=True):
        found.setdefault(token.text, []).append(token.pos)
    return found


@lru_cache(maxsize=8)
def _analyzer(field_lang: str) -> Analyzer:
    return make_analyzer(field_lang)
