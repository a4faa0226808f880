"""What the PostgreSQL index holds of a document: the rows it is written as.

The words are analysed here, by the same analysers the Whoosh index uses (accents
folded, English and Spanish stemmed with Snowball), so that both backends hold the same
terms, match the same words and score them alike. Each paragraph entry (two for a
paragraph with redacted passages, as in Whoosh: `entries.index_entries`) is one row with
a `tsvector` of its terms, each named with its field (`text_en:tortur`, `title:raid`) and
given its positions; what searches count by (lengths, tags) travels with the document's
row, which every server holds in memory (`pg_catalog`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..fields import TAG_FIELDS
from ..models import Document
from ..vocabulary import Vocabulary
from .analysis import FIELD_LANGUAGES, term_positions
from .entries import DocMeta, index_entries
from .schema import (
    CONFIRMED_SUFFIX,
    PARAGRAPH,
    REDACTED_PARAGRAPH,
    TITLE_BOOST,
    UNREDACTED_PARAGRAPH,
    text_field,
)

# Entry variants, as `snapshot.UNREDACTED` and `snapshot.REDACTED` number them.
VARIANTS = {PARAGRAPH: 0, UNREDACTED_PARAGRAPH: 1, REDACTED_PARAGRAPH: 2}
TITLE = "title"
MAX_POSITION = 16383  # PostgreSQL keeps positions up to this (and 256 of them per word)
MAX_LEXEME_BYTES = 2000  # a longer "word" (a run of letters without spaces) is left out
BOOSTS = {TITLE: TITLE_BOOST}  # a term's weight in an entry: its frequency × this


@dataclass(frozen=True)
class EntryRow:
    para: int
    variant: int
    terms: str  # a tsvector literal


@dataclass(frozen=True)
class DocumentRows:
    meta: DocMeta
    details: str  # JSON: each entry's paragraph, variant, field, lengths and tags
    entries: list[EntryRow]
    # (field, term, variant) → how many of the document's entries hold the term
    lexicon: Counter[tuple[str, str, int]]


def document_rows(document: Document, meta: DocMeta, vocabulary: Vocabulary) -> DocumentRows:
    entries: list[EntryRow] = []
    listed: list[list[Any]] = []  # [para, variant, language index, text length, title length, tags]
    tag_sets: list[dict[str, list[str]]] = []
    lexicon: Counter[tuple[str, str, int]] = Counter()
    for entry in index_entries(document, meta, vocabulary)[1:]:  # (the first: the document)
        variant = VARIANTS[entry["entry"]]
        language = next(lang for lang in FIELD_LANGUAGES if text_field(lang) in entry)
        name = text_field(language)
        body = _indexable(name, term_positions(language, entry[name]))
        title = _indexable(TITLE, term_positions("en", entry["title"]))
        lexicon.update((name, term, variant) for term in body)
        lexicon.update((TITLE, term, variant) for term in title)
        tags = {name: entry[name].split() for name in TAG_COLUMNS if entry[name]}
        if tags not in tag_sets:
            tag_sets.append(tags)
        listed.append([
            entry["para"], variant, FIELD_LANGUAGES.index(language),
            _length(body), _length(title), tag_sets.index(tags),
        ])  # fmt: skip
        literal = " ".join([*_lexemes(name, body), *_lexemes(TITLE, title)])
        entries.append(EntryRow(entry["para"], variant, literal))
    details = json.dumps({"entries": listed, "tags": tag_sets}, separators=(",", ":"))
    return DocumentRows(meta, details, entries, lexicon)


TAG_COLUMNS = tuple(name + suffix for name in TAG_FIELDS for suffix in ("", CONFIRMED_SUFFIX))


def _length(terms: dict[str, list[int]]) -> int:
    """A field's length in an entry, as Whoosh counts it: its tokens."""
    return sum(len(positions) for positions in terms.values())


def _indexable(field_name: str, terms: dict[str, list[int]]) -> dict[str, list[int]]:
    """The terms PostgreSQL can hold (a lexeme of up to 2 KB): longer runs of letters
    are left out, of the entries and of the counts alike."""
    return {term: positions for term, positions in terms.items()
            if len(lexeme(field_name, term).encode("utf-8")) <= MAX_LEXEME_BYTES}  # fmt: skip


def _lexemes(field_name: str, terms: dict[str, list[int]]) -> list[str]:
    """`'field:term':1,2` for each term (positions from 1, as PostgreSQL counts; at most
    256 of them, as it keeps)."""
    lexemes = []
    for term, positions in terms.items():
        places = ",".join(str(min(position + 1, MAX_POSITION)) for position in positions[:256])
        lexemes.append(f"{quoted(lexeme(field_name, term))}:{places}")
    return lexemes


def lexeme(field_name: str, term: str) -> str:
    """How a field's term is named in the entries' tsvectors."""
    return f"{field_name}:{term}"


def quoted(name: str) -> str:
    """A lexeme as a tsvector or tsquery literal writes it: in quotes, its quotes and
    backslashes doubled."""
    return "'" + name.replace("\\", "\\\\").replace("'", "''") + "'"


def unquoted(text: str) -> str:
    """A lexeme as PostgreSQL writes it out in a tsvector's text (quotes doubled,
    backslashes doubled), read back."""
    return text.replace("''", "'").replace("\\\\", "\\")


def split_lexeme(name: str) -> tuple[str, str]:
    field_name, _colon, term = name.partition(":")
    return field_name, term
