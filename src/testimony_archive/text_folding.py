"""Text normalisation shared by place matching, expansion and analysis."""

from __future__ import annotations

import re
import unicodedata

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
