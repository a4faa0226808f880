"""The search schema, declared once.

One entry per paragraph, carrying its document's facet fields (kind, language, dates,
tags rolled up to their ancestors), and one entry per document holding the metadata the
search needs (no text: the archive holds the text, so it is never stored twice).
"""

from __future__ import annotations

from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from ..fields import TAG_FIELDS
from .analysis import FIELD_LANGUAGES, make_analyzer

PARAGRAPH = "para"
DOCUMENT = "doc"
# A paragraph with redacted passages has two entries: its whole text, searched only for
# those who may see redacted passages, and its text without them, for everyone else.
UNREDACTED_PARAGRAPH = "para-unredacted"
REDACTED_PARAGRAPH = "para-redacted"
TITLE_BOOST = 0.35

CONFIRMED_SUFFIX = "_confirmed"


def text_field(field_lang: str) -> str:
    return f"text_{field_lang}"


def build_schema() -> Schema:
    fields = {
        "key": ID(unique=True, stored=True),
        "entry": ID,
        "doc": ID(sortable=True),
        "para": NUMERIC(int, bits=32, sortable=True),
        "title": TEXT(analyzer=make_analyzer("en"), field_boost=TITLE_BOOST),
        "kind": ID,
        "language": ID,
        "access": ID,
        "year": NUMERIC(int, bits=32),
        "date": NUMERIC(int, bits=32, sortable=True),
        "date_end": NUMERIC(int, bits=32),
        "meta": STORED,
        # "path\tmtime_ns\tsize" of the file (UTF-8), for incremental updates: a column,
        # read without decompressing each document's stored fields.
        "state": COLUMN(VarBytesColumn()),
    }
    for language in FIELD_LANGUAGES:
        fields[text_field(language)] = TEXT(analyzer=make_analyzer(language), phrase=True)
    for name in TAG_FIELDS:
        fields[name] = KEYWORD(lowercase=False, commas=False)
        fields[name + CONFIRMED_SUFFIX] = KEYWORD(lowercase=False, commas=False)
    return Schema(**fields)
