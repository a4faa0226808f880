"""The words of a PostgreSQL index, for prefix* and fuzzy~ words to expand to.

`search_terms` counts, for each term of the text and title fields, the entries of each
access level and variant that hold it; a scope sees the sum over what it may search
(`frequencies`: a term's document frequency in BM25), so that what a word
expands to tells nothing of the documents it may not read (as `_visible_frequency` in the
Whoosh backend). Prefixes are a range of the terms' index (in byte order); the terms
within an edit distance that start with the same letters are measured by `fuzzystrmatch`
(`query_builder.within` then counts a swap of two letters as one edit), among those
`pg_trgm`'s trigram index finds (`similarity_bound` says how similar they must be), or
among every term that starts with those letters where a word is too short for its
trigrams to tell.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, TextClause, text

from ..access import Scope
from .pg_catalog import Catalog
from .snapshot import REDACTED, UNREDACTED

MAX_MEASURED = 255  # characters: fuzzystrmatch measures no longer words
_PREFIX = text("""
    SELECT term, sum(entries) FROM search_terms
    WHERE field = :field AND term LIKE :pattern
      AND access = ANY(:levels) AND variant <> :hidden
    GROUP BY term HAVING sum(entries) > 0
""")
# Of every term of the field (those that start with the word's letters: a range).
_WITHIN = text("""
    SELECT term, sum(entries) FROM search_terms
    WHERE field = :field AND term LIKE :pattern
      AND length(term) BETWEEN :shortest AND :longest
      AND levenshtein_less_equal(term, :word, :distance) <= :distance
      AND access = ANY(:levels) AND variant <> :hidden
    GROUP BY term HAVING sum(entries) > 0
""")
# The same, of the terms the trigram index finds similar enough (plain words: letters a-z
# and digits, as pg_trgm reads them) and of the few others (an index of their own). (The
# two are written out whole: SQL joined from pieces is what the security scan refuses.)
_WITHIN_BY_TRIGRAMS = text("""
    SELECT term, sum(entries) FROM (
        SELECT term, entries, access, variant FROM search_terms
        WHERE field = :field AND term % :word AND term ~ '^[a-z0-9]+$'
        UNION ALL
        SELECT term, entries, access, variant FROM search_terms
        WHERE field = :field AND term !~ '^[a-z0-9]+$' AND term LIKE :pattern
    ) AS found
    WHERE term LIKE :pattern AND length(term) BETWEEN :shortest AND :longest
      AND levenshtein_less_equal(term, :word, :distance) <= :distance
      AND access = ANY(:levels) AND variant <> :hidden
    GROUP BY term HAVING sum(entries) > 0
""")
_THRESHOLD = text("SELECT set_config('pg_trgm.similarity_threshold', :threshold, true)")
PLAIN = re.compile(r"[a-z0-9]+")
# Trigrams a term must share with the word for the index to let it through, at the
# least, to ask the index: with fewer, nearly every term that starts with the same letter
# would come through (their first trigrams are shared), and the range of those is quicker.
FEWEST_ADMITTED = 4
_SOME = text("""
    SELECT t.field, t.term, sum(t.entries)
    FROM unnest(CAST(:fields AS text[]), CAST(:terms AS text[])) AS w(field, term)
    JOIN search_terms AS t ON t.field = w.field AND t.term = w.term
    WHERE t.access = ANY(:levels) AND t.variant <> :hidden
    GROUP BY t.field, t.term
""")
_ONE = text("""
    SELECT coalesce(sum(entries), 0) FROM search_terms
    WHERE field = :field AND term = :term AND access = ANY(:levels) AND variant <> :hidden
""")


class PgLexicon:
    """A `query_builder.Lexicon` over one connection, for one scope."""

    def __init__(self, connection: Connection, catalog: Catalog, scope: Scope) -> None:
        self.connection = connection
        self.catalog = catalog
        self.scope_params = {
            "levels": sorted(scope.levels),
            "hidden": REDACTED if scope.unredacted else UNREDACTED,
        }
        self._frequencies: dict[tuple[str, str], int] = {}

    def field_length(self, fieldname: str) -> float:
        return self.catalog.field_length(fieldname)

    def expand_prefix(self, fieldname: str, prefix: str) -> list[str]:
        return self._terms(_PREFIX, fieldname, {"pattern": _like(prefix) + "%"})

    def terms_within(self, fieldname: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
        if len(text) > MAX_MEASURED:
            return []  # (no term of the index is so long)
        params: dict[str, object] = {
            "pattern": _like(text[:prefix]) + "%", "word": text, "distance": maxdist,
            "shortest": len(text) - maxdist, "longest": len(text) + maxdist,
        }  # fmt: skip
        threshold = similarity_bound(text, maxdist)
        if threshold is None:
            return self._terms(_WITHIN, fieldname, params)
        self.connection.execute(_THRESHOLD, {"threshold": f"{threshold:.6f}"})
        return self._terms(_WITHIN_BY_TRIGRAMS, fieldname, params)

    def frequency(self, fieldname: str, term: str) -> int:
        """How many entries the scope may search hold the term."""
        key = (fieldname, term)
        if key not in self._frequencies:
            found = self.connection.execute(
                _ONE, {"field": fieldname, "term": term, **self.scope_params}
            ).scalar()
            self._frequencies[key] = int(found or 0)
        return self._frequencies[key]

    def frequencies(self, terms: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """How many entries the scope may search hold each of these (field, term)."""
        fields = [field_name for field_name, _term in sorted(terms)]
        words = [term for _field, term in sorted(terms)]
        rows = self.connection.execute(
            _SOME, {"fields": fields, "terms": words, **self.scope_params}
        )
        found = {(field_name, term): int(count) for field_name, term, count in rows}
        return {key: found.get(key, 0) for key in terms}

    def _terms(self, query: TextClause, fieldname: str, params: dict[str, object]) -> list[str]:
        rows = self.connection.execute(query, {"field": fieldname, **params, **self.scope_params})
        terms = []
        for term, count in rows:
            self._frequencies[(fieldname, term)] = int(count)
            terms.append(term)
        return sorted(terms)


def trigrams(word: str) -> set[str]:
    """A plain word's trigrams, as pg_trgm counts them (two spaces before, one after)."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity_bound(word: str, distance: int) -> float | None:
    """The least trigram similarity (pg_trgm's) of a plain term within `distance` edits of
    a plain word, a little less for rounding; None where the word is not plain, or too
    short for the bound to leave much out (a long word, in practice: 12 letters or more
    within one edit, counted twice for a swap).

    An edit changes at most three of a word's trigrams, so such a term shares at least
    `s = |T(word)| - 3 × distance` of them, and has at most `len(word) + distance + 1`:
    similarity, shared over all, is at least `s / (len(word) + 4 × distance + 1)`. The
    index lets through the terms that share at least that share of the word's trigrams."""
    if not PLAIN.fullmatch(word):
        return None
    own = len(trigrams(word))
    bound = (own - 3 * distance) / (len(word) + 4 * distance + 1) - 1e-4
    if bound * own < FEWEST_ADMITTED:
        return None
    return bound


def _like(text: str) -> str:
    """A LIKE pattern's literal part."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
