"""Text normalisation shared by place matching, expansion and analysis."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

try:  # PyStemmer: the Snowball stemmers compiled; ~20x faster than pure Python
    import Stemmer as _pystemmer
except ImportError:  # pragma: no cover - exercised only where PyStemmer is missing
    _pystemmer = None

STEMMED_LANGUAGES = {"en": "english", "es": "spanish"}

_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Comitán' -> 'comitan', 'Ñ' -> 'n'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of a text, folded; punctuation dropped."""
    return _WORDS.findall(fold(text))


def folded_key(text: str) -> str:
    """A lookup key for a name: folded words joined by single spaces."""
    return " ".join(words(text))


@lru_cache(maxsize=4)
def stemmer(language: str) -> Any:
    if _pystemmer is not None:
        native = _pystemmer.Stemmer(language)
        native.maxCacheSize = 100_000
        return native.stemWord
    from whoosh.lang.snowball import classes  # pragma: no cover

    code = {name: code for code, name in STEMMED_LANGUAGES.items()}[language]  # pragma: no cover
    return lru_cache(maxsize=100_000)(classes[code]().stem)  # pragma: no cover
