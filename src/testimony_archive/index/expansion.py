"""Query expansion: vocabulary synonyms, a Spanish–English glossary and place names.

Researchers write queries in English or Spanish, and accounts are in either. A Spanish
query ("descargas eléctricas") gets English alternatives ("electric shocks") so it can
reach an English account, and the reverse for Spanish documents. Place names and
demonyms in a query ("Guatemalan") name a location that ranking may favour.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..config import DATA_DIR
from ..text_folding import fold, stemmer, words
from ..vocabulary import Vocabulary

GLOSSARY_FILE = DATA_DIR / "glossary-es-en.tsv"
DEMONYMS_FILE = DATA_DIR / "demonyms.tsv"
MAX_PHRASE_WORDS = 4

_SPANISH_MARKERS = frozenset(
    "el la los las del al de que en por para con sin un una unos unas se su sus y o es "
    "son fue fueron lo le les como pero más muy este esta estos estas ese esa".split()
)
_ENGLISH_MARKERS = frozenset(
    "the of and to in for with by on at from was were is are a an his her their who "
    "that which this these those into after before".split()
)


def looks_spanish(query_words: list[str]) -> bool:
    spanish = sum(word in _SPANISH_MARKERS for word in query_words)
    english = sum(word in _ENGLISH_MARKERS for word in query_words)
    accents = sum(word != fold(word) for word in query_words)
    return spanish + accents > english


@dataclass(frozen=True)
class Expansion:
    """Alternatives found for a run of query words."""

    start: int  # index of the first query word covered
    length: int  # number of query words covered
    alternatives: tuple[tuple[str, str], ...]  # (phrase, its language: en or es)


@dataclass
class Expander:
    vocabulary: Vocabulary | None = None
    glossary_path: Path = GLOSSARY_FILE
    demonyms_path: Path = DEMONYMS_FILE
    _stem_es: dict[str, str] = field(default_factory=dict, repr=False)

    # -- tables ------------------------------------------------------------------------

    @cached_property
    def glossary(self) -> dict[tuple[str, ...], list[str]]:
        """Spanish word sequence (folded) → English phrases."""
        table: dict[tuple[str, ...], list[str]] = {}
        for spanish, english in _read_pairs(self.glossary_path):
            key = tuple(words(spanish))
            if key:
                known = table.setdefault(key, [])
                known.extend(alt for alt in english.split("|") if alt.strip() and alt not in known)
        return table

    @cached_property
    def glossary_by_stem(self) -> dict[tuple[str, ...], list[str]]:
        table: dict[tuple[str, ...], list[str]] = {}
        for key, english in self.glossary.items():
            known = table.setdefault(self._stems(key), [])
            known.extend(alt for alt in english if alt not in known)
        return table

    @cached_property
    def reverse_glossary(self) -> dict[tuple[str, ...], list[str]]:
        """English word sequence (folded) → Spanish phrases."""
        table: dict[tuple[str, ...], list[str]] = {}
        for spanish_key, english in self.glossary.items():
            for phrase in english:
                key = tuple(words(phrase))
                if key:
                    known = table.setdefault(key, [])
                    spanish = " ".join(spanish_key)
                    if spanish not in known:
                        known.append(spanish)
        return table

    @cached_property
    def vocabulary_phrases(self) -> dict[tuple[str, ...], set[str]]:
        """Folded label or synonym → the ids of the terms it names.

        Matching is on whole words, not stems: measured on the development queries,
        stem matching ('isolated' ~ 'isolation') brought in more noise than answers."""
        table: dict[tuple[str, ...], set[str]] = {}
        if self.vocabulary is None:
            return table
        for thesaurus in (self.vocabulary.abuse_types, self.vocabulary.perpetrators):
            for term in thesaurus:
                for _language, phrase in term.phrases():
                    for part in _label_parts(phrase):
                        key = tuple(words(part))
                        if key:
                            table.setdefault(key, set()).add(term.id)
        return table

    @cached_property
    def demonyms(self) -> dict[str, str]:
        return {fold(word): code for word, code in _read_pairs(self.demonyms_path)}

    def _stems(self, key: Iterable[str]) -> tuple[str, ...]:
        stem = stemmer("spanish")
        result = []
        for word in key:
            cached = self._stem_es.get(word)
            if cached is None:
                cached = self._stem_es[word] = stem(word)
            result.append(cached)
        return tuple(result)

    # -- lookups -----------------------------------------------------------------------

    def translations(self, query_words: list[str]) -> list[Expansion]:
        """English alternatives for the Spanish words of a query, longest match first."""
        found: list[Expansion] = []
        stems = self._stems(query_words)
        position = 0
        while position < len(query_words):
            for length in range(min(MAX_PHRASE_WORDS, len(query_words) - position), 0, -1):
                key = tuple(query_words[position : position + length])
                english = self.glossary.get(key) or self.glossary_by_stem.get(
                    stems[position : position + length]
                )
                if english:
                    found.append(
                        Expansion(position, length, tuple((alt, "en") for alt in english[:4]))
                    )
                    position += length
                    break
            else:
                position += 1
        return found

    def spanish_equivalents(self, query_words: list[str]) -> list[Expansion]:
        found: list[Expansion] = []
        position = 0
        while position < len(query_words):
            for length in range(min(MAX_PHRASE_WORDS, len(query_words) - position), 0, -1):
                key = tuple(query_words[position : position + length])
                spanish = self.reverse_glossary.get(key)
                if spanish:
                    found.append(
                        Expansion(position, length, tuple((alt, "es") for alt in spanish[:3]))
                    )
                    position += length
                    break
            else:
                position += 1
        return found

    def vocabulary_alternatives(self, query_words: list[str]) -> list[Expansion]:
        """Other labels and synonyms of the vocabulary terms that query words name."""
        if self.vocabulary is None:
            return []
        found: list[Expansion] = []
        position = 0
        while position < len(query_words):
            for length in range(min(MAX_PHRASE_WORDS, len(query_words) - position), 0, -1):
                key = tuple(query_words[position : position + length])
                term_ids = self.vocabulary_phrases.get(key)
                if term_ids:
                    alternatives: dict[tuple[str, str], None] = {}
                    for term_id in sorted(term_ids):
                        for phrase, language in self._term_phrases(term_id):
                            if tuple(words(phrase)) != key:
                                alternatives[(phrase, language)] = None
                    found.append(Expansion(position, length, tuple(alternatives)))
                    position += length
                    break
            else:
                position += 1
        return found

    def _term_phrases(self, term_id: str) -> list[tuple[str, str]]:
        assert self.vocabulary is not None
        for thesaurus in (self.vocabulary.abuse_types, self.vocabulary.perpetrators):
            term = thesaurus.terms.get(term_id)
            if term is not None:
                return [
                    (part, language)
                    for language, phrase in term.phrases()
                    for part in _label_parts(phrase)
                ]
        return []

    def places_named(self, query_words: list[str]) -> list[str]:
        """Location codes a query names: by a demonym ('Guatemalan', 'hondureños') or by
        the name of a country, subdivision or large city ('Huehuetenango')."""
        codes = [code for word in query_words if (code := self.demonyms.get(word))]
        if self.vocabulary is not None:
            codes += self.vocabulary.places.codes_named_in(query_words)
        return list(dict.fromkeys(codes))


def _label_parts(label: str) -> list[str]:
    """'Beating, whipping, blows' → ['Beating', 'whipping', 'blows']."""
    for separator in ("(", ")", "/", ",", ";"):
        label = label.replace(separator, "|")
    return [part.strip() for part in label.split("|") if len(part.strip()) > 2]


def _read_pairs(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader, None)
        return [(row[0], row[1]) for row in reader if len(row) >= 2 and not row[0].startswith("#")]
