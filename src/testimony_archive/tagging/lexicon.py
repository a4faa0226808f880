"""The bilingual lexicon: vocabulary labels and synonyms, plus tagging patterns.

The vocabulary's synonyms were written for query expansion, where a loose word costs
little. A suggestion costs a reviewer's time, so `data/tagging/<field>.yaml` lists the
synonyms too ambiguous to suggest a term by themselves ("detained" is not an arbitrary
arrest, "stocks" are often cattle), adds phrase patterns that word lists cannot express
("obligaron a firmar", "tie her to a stob"), patterns that hold only where a paragraph
speaks of slavery (the WPA narratives), and phrases that cancel a cue ("killed a hog").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..config import DATA_DIR
from ..vocabulary import Term, Thesaurus
from .patterns import Match, Pattern, PatternSet, compile_pattern, drop_covered, phrase_lines
from .tokens import Token

TAGGING_DATA = DATA_DIR / "tagging"
LANGUAGES = ("en", "es")
ANY_VALUE = "*"


def read_yaml(name: str) -> Any:
    path = TAGGING_DATA / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def folded_phrase(phrase: str) -> str:
    return " ".join(phrase_lines(phrase)[0].replace("=", "").split())


@dataclass
class FieldLexicon:
    """The cues of one field (abuse types or perpetrators)."""

    patterns: PatternSet
    slavery_patterns: PatternSet
    cancels: PatternSet  # a cancel pattern's value is the id it cancels, or "*"
    ignore: dict[str, frozenset[str]]  # value or "*" -> folded phrases that are no cue

    @classmethod
    def build(cls, thesaurus: Thesaurus, path: Path) -> FieldLexicon:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        data = data or {}
        ignore = {
            str(value): frozenset(folded_phrase(str(phrase)) for phrase in phrases or [])
            for value, phrases in (data.get("ignore") or {}).items()
        }
        lexicon = cls(PatternSet(), PatternSet(), PatternSet(), ignore)
        lexicon.patterns.extend(thesaurus_patterns(thesaurus, ignore))
        lexicon.patterns.extend(_section_patterns(data.get("patterns")))
        lexicon.slavery_patterns.extend(_section_patterns(data.get("slavery")))
        lexicon.cancels.extend(_section_patterns(data.get("cancel")))
        return lexicon

    def find(
        self, words: Sequence[Token], languages: Sequence[str], slavery: bool = False
    ) -> list[Match]:
        matches = self.patterns.find(words, languages)
        if slavery:
            matches = drop_covered(matches + self.slavery_patterns.find(words, languages))
        cancelled = {
            (index, match.value)
            for match in self.cancels.find(words, languages)
            for index in range(match.first, match.last + 1)
        }
        return [
            match
            for match in matches
            if not self._ignored(match, words)
            and not any(
                (index, ANY_VALUE) in cancelled or (index, match.value) in cancelled
                for index in range(match.first, match.last + 1)
            )
        ]

    def _ignored(self, match: Match, words: Sequence[Token]) -> bool:
        text = " ".join(word.folded for word in words[match.first : match.last + 1])
        return text in self.ignore.get(ANY_VALUE, ()) or text in self.ignore.get(match.value, ())


def thesaurus_patterns(
    thesaurus: Thesaurus, ignore: dict[str, frozenset[str]]
) -> Iterator[Pattern | None]:
    """Every label part and synonym of every term, matched with its inflections."""
    for term in thesaurus:
        skip = ignore.get(ANY_VALUE, frozenset()) | ignore.get(term.id, frozenset())
        for language, phrase in _term_phrases(term):
            if language in LANGUAGES and folded_phrase(phrase) not in skip:
                for line in phrase_lines(phrase):
                    yield compile_pattern(line, term.id, language)


def _section_patterns(section: Any) -> Iterator[Pattern | None]:
    for value, by_language in (section or {}).items():
        for language, lines in (by_language or {}).items():
            for line in lines or []:
                yield compile_pattern(str(line), str(value), str(language))


def _term_phrases(term: Term) -> Iterator[tuple[str, str]]:
    for language, label in term.labels.items():
        for part in _label_parts(label):
            yield language, part
    for language, synonyms in term.synonyms.items():
        for synonym in synonyms:
            yield language, synonym


def _label_parts(label: str) -> list[str]:
    """'Beating, whipping, blows' -> its three parts; what a label puts in brackets is an
    example list ('Police (federal, state, municipal)'), not a name of the term."""
    label = re.sub(r"\(.*?\)", "", label)
    return [part.strip() for part in re.split(r"[/,;]", label) if len(part.strip()) > 2]


@dataclass
class Lexicon:
    abuse_types: FieldLexicon
    perpetrators: FieldLexicon
    slavery_words: PatternSet  # "slave", "overseer", "marster": slavery anywhere
    slavery_hints: PatternSet  # "master", "quarters": slavery in a testimony

    @classmethod
    def build(cls, abuse_types: Thesaurus, perpetrators: Thesaurus) -> Lexicon:
        data = read_yaml("abuse-types.yaml") or {}
        words, hints = PatternSet(), PatternSet()
        for pattern_set, section in ((words, "slavery_context"), (hints, "slavery_hints")):
            for language, phrases in (data.get(section) or {}).items():
                pattern_set.extend(compile_pattern(str(p), "slavery", language) for p in phrases)
        return cls(
            FieldLexicon.build(abuse_types, TAGGING_DATA / "abuse-types.yaml"),
            FieldLexicon.build(perpetrators, TAGGING_DATA / "perpetrators.yaml"),
            words,
            hints,
        )

    def speaks_of_slavery(
        self, words: Sequence[Token], languages: Sequence[str], testimony: bool
    ) -> bool:
        if self.slavery_words.find(words, languages):
            return True
        return testimony and bool(self.slavery_hints.find(words, languages))
