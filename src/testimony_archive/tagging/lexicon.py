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


# The groups of pattern a field's set holds (see PatternSet.scan).
CUES = ""  # the cues of the field written for tagging (data/tagging/<field>.yaml)
THESAURUS = "thesaurus"  # the vocabulary's labels and synonyms
SLAVERY = "slavery"  # cues that hold only where the paragraph speaks of slavery
DETENTION = "in_detention"  # cues that hold only where it speaks of prisons or detainees
CANCEL = "cancel"  # phrases in which a cue is none; the value is the id cancelled, or "*"
SLAVERY_CONTEXT = "slavery_context"  # words that make a paragraph speak of slavery
SLAVERY_HINT = "slavery_hint"  # words that do so in a testimony only


@dataclass
class FieldLexicon:
    """The cues of one field (abuse types or perpetrators), with the patterns that apply
    where slavery is spoken of and those that cancel a cue, all in one set: a paragraph's
    words are read once (`scan`) for all of them."""

    patterns: PatternSet
    ignore: dict[str, frozenset[str]]  # value or "*" -> folded phrases that are no cue

    @classmethod
    def build(cls, thesaurus: Thesaurus, path: Path) -> FieldLexicon:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        data = data or {}
        ignore = {
            str(value): frozenset(folded_phrase(str(phrase)) for phrase in phrases or [])
            for value, phrases in (data.get("ignore") or {}).items()
        }
        lexicon = cls(PatternSet(), ignore)
        lists = {str(name): str(words) for name, words in (data.get("lists") or {}).items()}
        lexicon.patterns.extend(thesaurus_patterns(thesaurus, ignore))
        for section, group in (
            ("patterns", CUES),
            ("described", CUES),
            ("slavery", SLAVERY),
            (DETENTION, DETENTION),
            ("cancel", CANCEL),
        ):
            lexicon.patterns.extend(_section_patterns(data.get(section), group, lists))
        return lexicon

    def scan(self, words: Sequence[Token], languages: Sequence[str]) -> dict[str, list[Match]]:
        return self.patterns.scan(words, languages)

    def find(
        self,
        words: Sequence[Token],
        languages: Sequence[str],
        slavery: bool = False,
        scanned: dict[str, list[Match]] | None = None,
        detention: bool = False,
    ) -> list[Match]:
        """The cues found (of `scanned`, if the words were scanned already); those of
        slavery where the paragraph speaks of it, those of detention where it speaks of
        prisons or detainees."""
        groups = self.scan(words, languages) if scanned is None else scanned
        matches = [
            *groups.get(THESAURUS, []),
            *groups.get(CUES, []),
            *(groups.get(SLAVERY, []) if slavery else []),
            *(groups.get(DETENTION, []) if detention else []),
        ]
        if not matches:
            return []  # most paragraphs: no need to look for what cancels a cue
        cancelled = {
            (index, match.value)
            for match in drop_covered(list(groups.get(CANCEL, [])))
            for index in range(match.first, match.last + 1)
        }
        return [
            match
            for match in drop_covered(matches)
            if not self._ignored(match, words)
            and not any(
                (index, ANY_VALUE) in cancelled or (index, match.value) in cancelled
                for index in range(match.first, match.last + 1)
            )
        ]

    def _ignored(self, match: Match, words: Sequence[Token]) -> bool:
        """A vocabulary synonym found in a form the lexicon says is no cue ("detain"
        inflected as "detained"); the patterns written for tagging say what they mean."""
        if match.pattern.group != THESAURUS:
            return False
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
                    yield compile_pattern(line, term.id, language, THESAURUS)


def _section_patterns(
    section: Any, group: str = CUES, lists: dict[str, str] | None = None
) -> Iterator[Pattern | None]:
    for value, by_language in (section or {}).items():
        for language, lines in (by_language or {}).items():
            for line in lines or []:
                text = with_lists(str(line), lists or {})
                yield compile_pattern(text, str(value), str(language), group)


_LIST_NAME = re.compile(r"\{(\w+)\}")


def with_lists(line: str, lists: dict[str, str]) -> str:
    """A pattern line with each "{name}" replaced by the alternatives of the data's
    `lists` section ("{crimes}" for "robbery|rape|..."), so that a long list is written
    once; an unknown name is an error that says which."""

    def alternatives(found: re.Match[str]) -> str:
        name = found.group(1)
        if name not in lists:
            raise ValueError(f"tagging data: no list named {name!r} (used in {line!r})")
        return lists[name]

    return _LIST_NAME.sub(alternatives, line)


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
    """Both fields' lexicons. The abuse types' set also holds the words that make a
    paragraph speak of slavery ("slave", "overseer", "marster": anywhere; "master",
    "quarters": in a testimony), found in the same pass."""

    abuse_types: FieldLexicon
    perpetrators: FieldLexicon

    @classmethod
    def build(cls, abuse_types: Thesaurus, perpetrators: Thesaurus) -> Lexicon:
        data = read_yaml("abuse-types.yaml") or {}
        lexicon = cls(
            FieldLexicon.build(abuse_types, TAGGING_DATA / "abuse-types.yaml"),
            FieldLexicon.build(perpetrators, TAGGING_DATA / "perpetrators.yaml"),
        )
        for group, section in (
            (SLAVERY_CONTEXT, "slavery_context"),
            (SLAVERY_HINT, "slavery_hints"),
        ):
            for language, phrases in (data.get(section) or {}).items():
                lexicon.abuse_types.patterns.extend(
                    compile_pattern(str(phrase), "slavery", language, group) for phrase in phrases
                )
        return lexicon

    @staticmethod
    def speaks_of_slavery(scanned: dict[str, list[Match]], testimony: bool) -> bool:
        """Whether a paragraph, as the abuse types' set scanned it, speaks of slavery."""
        return bool(scanned.get(SLAVERY_CONTEXT)) or (testimony and bool(scanned.get(SLAVERY_HINT)))
