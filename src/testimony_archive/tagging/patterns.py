"""Phrase patterns over words: the matcher behind the lexicon and the scope cues.

A pattern is a line of words. Each word also matches its inflections ("beat" matches
"beats", "beating"; "torturado" matches "torturados"), found with the Snowball stemmer
and checked so that a derivation does not slip through ("executive" is not "execution").
A little syntax covers what word lists cannot:

    forced|made|pressured to sign      alternatives, each a word or phrase: "pressured to sign"
    forced|made + to sign              "+" joins slots: "forced to sign", "made to sign"
    obligaron * firmar                 "*" a gap of up to three words ("obligaron a firmar")
    re:pat+[aeiy]?r+[ou]l+(er)?e?s     a regular expression on the folded word
    =arrest                            this exact word, no inflections
    ICE agents                         an all-capital word matches capitals only
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .tokens import Token, fold_word, inflects, stem

MAX_GAP = 3
MIN_INFLECTED_LENGTH = 4  # shorter words ("no", "bag", "tie") match only as written
CANDIDATE_CACHE_SIZE = 200_000
SLOT_CACHE_SIZE = 20_000
_SEPARATORS = re.compile(r" ([*+]) ")


@dataclass(frozen=True)
class Word:
    """One word of a pattern: as written, its inflections, or a regular expression."""

    exact: str = ""
    root: str = ""
    regex: re.Pattern[str] | None = None
    capitals_only: bool = False

    def matches(self, token: Token, language: str) -> bool:
        if self.capitals_only and not token.text.isupper():
            return False
        return self.matches_folded(token.folded, language)

    def matches_folded(self, word: str, language: str) -> bool:
        """Whether the folded word matches, however it is written."""
        if self.regex is not None:
            return self.regex.fullmatch(word) is not None
        if word == self.exact:
            return True
        if self.root and len(word) >= MIN_INFLECTED_LENGTH:
            root = stem(word, language)
            return root == self.root and inflects(word, root, language)
        return False


@dataclass(frozen=True)
class Slot:
    alternatives: tuple[tuple[Word, ...], ...]  # each a word or a phrase
    gap_before: bool = False  # up to MAX_GAP words may come between this slot and the last
    _starting: dict[tuple[str, str], tuple[tuple[Word, ...], ...]] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )

    def ends(self, words: Sequence[Token], position: int, language: str) -> list[int]:
        """The index after each alternative that matches at `position`."""
        first = words[position]
        if self._single_words:  # most slots: a word matches or it does not
            return [position + 1] if self._phrases_starting(first.folded, language) else []
        found = []
        for phrase in self._phrases_starting(first.folded, language):
            if phrase[0].capitals_only and not first.text.isupper():
                continue
            end = position + len(phrase)
            if end > len(words):
                continue
            for offset in range(1, len(phrase)):  # the first word matched already
                token = words[position + offset]
                # a phrase does not run across punctuation ("detention, authorities")
                if not token.joined or not phrase[offset].matches(token, language):
                    break
            else:
                found.append(end)
        return found

    def may_start(self, word: str, language: str) -> bool:
        """Whether some alternative may start on this (folded) word."""
        return bool(self._phrases_starting(word, language))

    def _phrases_starting(self, word: str, language: str) -> tuple[tuple[Word, ...], ...]:
        """The alternatives whose first word matches this one, however it is written
        (capitals are checked at the token); kept per word, as texts repeat their words."""
        key = (word, language)
        found = self._starting.get(key)
        if found is None:
            phrases = self._by_first_word.get(word, ())
            if len(word) >= MIN_INFLECTED_LENGTH:
                phrases += self._by_first_root.get(stem(word, language), ())
            if len(self._starting) > SLOT_CACHE_SIZE:
                self._starting.clear()
            found = self._starting[key] = tuple(
                phrase
                for phrase in dict.fromkeys(phrases + self._unindexed)
                if phrase[0].matches_folded(word, language)
            )
        return found

    @cached_property
    def _by_first_word(self) -> dict[str, tuple[tuple[Word, ...], ...]]:
        return _group(self.alternatives, lambda first: first.exact)

    @cached_property
    def _by_first_root(self) -> dict[str, tuple[tuple[Word, ...], ...]]:
        return _group(self.alternatives, lambda first: first.root)

    @cached_property
    def _single_words(self) -> bool:
        """Whether every alternative is one word that needs no check of capitals."""
        return all(len(phrase) == 1 and not phrase[0].capitals_only for phrase in self.alternatives)

    @cached_property
    def _unindexed(self) -> tuple[tuple[Word, ...], ...]:
        return tuple(phrase for phrase in self.alternatives if phrase[0].regex is not None)


def _group(
    phrases: Sequence[tuple[Word, ...]], key: Callable[[Word], str]
) -> dict[str, tuple[tuple[Word, ...], ...]]:
    """Phrases by a key of their first word (an exact word or a stem); a phrase found
    under both is looked up twice, and `Slot._phrases_starting` keeps it once."""
    grouped: dict[str, list[tuple[Word, ...]]] = {}
    for phrase in phrases:
        if phrase[0].regex is None and key(phrase[0]):
            grouped.setdefault(key(phrase[0]), []).append(phrase)
    return {name: tuple(group) for name, group in grouped.items()}


@dataclass(frozen=True)
class Pattern:
    value: str  # the id it suggests (or a cue name)
    language: str  # "en" | "es"
    source: str  # the line it was compiled from
    slots: tuple[Slot, ...]
    group: str = ""  # which of the kinds of pattern sharing a set it is (PatternSet.scan)

    @property
    def loose(self) -> bool:
        """A pattern with gaps: what it covers may be another thing said in passing."""
        return any(slot.gap_before for slot in self.slots)

    @cached_property
    def last_words(self) -> tuple[frozenset[str], frozenset[str]] | None:
        """The words (as written, and stems) one of which the paragraph must hold for the
        last slot to match: a pattern whose last slot no word of the paragraph can start
        is ruled out before any matching. None for one slot, or a regular expression."""
        if len(self.slots) < 2:
            return None
        firsts = [phrase[0] for phrase in self.slots[-1].alternatives]
        if any(word.regex is not None for word in firsts):
            return None
        exact = frozenset(word.exact for word in firsts)
        return exact, frozenset(word.root for word in firsts if word.root)

    @cached_property
    def adjacent_second_slot(self) -> Slot | None:
        """The second slot, where it must start on the word after the first (the first
        slot's alternatives all single words, then "+"): a word that cannot start it rules
        the pattern out before any matching ("the open fire" at every "the")."""
        if len(self.slots) < 2 or self.slots[1].gap_before:
            return None
        if any(len(phrase) != 1 for phrase in self.slots[0].alternatives):
            return None
        return self.slots[1]


def compile_pattern(line: str, value: str, language: str, group: str = "") -> Pattern | None:
    parts = _SEPARATORS.split(line.strip())
    slots: list[Slot] = []
    gap = False
    for index, part in enumerate(parts):
        if index % 2:  # a separator
            gap = part == "*"
            continue
        if part.startswith("re:"):
            alternatives: list[tuple[Word, ...]] = [(Word(regex=re.compile(part[3:])),)]
        else:
            alternatives = [_phrase(text, language) for text in part.split("|")]
        alternatives = [phrase for phrase in alternatives if phrase]
        if not alternatives:
            return None
        slots.append(Slot(tuple(alternatives), gap_before=gap and bool(slots)))
        gap = False
    return Pattern(value, language, line, tuple(slots), group) if slots else None


def _phrase(text: str, language: str) -> tuple[Word, ...]:
    phrase = []
    for written in text.split():
        exact_only = written.startswith("=")
        written = written.lstrip("=")
        capitals = len(written) > 1 and written.isupper() and written.isalpha()
        for word in _words(written):
            root = ""
            if not exact_only and len(word) >= MIN_INFLECTED_LENGTH:
                candidate = stem(word, language)
                root = candidate if inflects(word, candidate, language) else ""
            phrase.append(Word(word, root, capitals_only=capitals))
    return tuple(phrase)


def _words(text: str) -> list[str]:
    """Folded words of a phrase; "D.F." gives "d" "f", "killin'" gives "killin"."""
    return [fold_word(word) for word in re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text)]


def phrase_lines(phrase: str) -> list[str]:
    """A vocabulary label or synonym as a pattern line: its words, with no syntax."""
    words = _words(phrase)
    return [" ".join(f"={word}" if len(word) < MIN_INFLECTED_LENGTH else word for word in words)]


@dataclass(frozen=True)
class Match:
    pattern: Pattern
    first: int  # index of the first word in the word list
    last: int  # index of the last word (inclusive)

    @property
    def value(self) -> str:
        return self.pattern.value

    def span(self, words: Sequence[Token]) -> tuple[int, int]:
        return words[self.first].start, words[self.last].end


@dataclass
class PatternSet:
    """Patterns indexed by the first words they accept."""

    by_word: dict[str, list[Pattern]] = field(default_factory=dict)
    by_root: dict[tuple[str, str], list[Pattern]] = field(default_factory=dict)
    unindexed: list[Pattern] = field(default_factory=list)
    _cache: dict[tuple[str, ...], dict[str, tuple[Pattern, ...]]] = field(
        default_factory=dict, repr=False
    )

    def add(self, pattern: Pattern) -> None:
        self._cache.clear()
        for phrase in pattern.slots[0].alternatives:
            first = phrase[0]
            if first.regex is not None:
                self.unindexed.append(pattern)
                continue
            self.by_word.setdefault(first.exact, []).append(pattern)
            if first.root:
                self.by_root.setdefault((first.root, pattern.language), []).append(pattern)

    def extend(self, patterns: Iterable[Pattern | None]) -> None:
        for pattern in patterns:
            if pattern is not None:
                self.add(pattern)

    def find(self, words: Sequence[Token], languages: Sequence[str]) -> list[Match]:
        """Every match; where one match covers a shorter one, only the longer is kept
        ("death threats" hides "threats")."""
        return drop_covered(self._matches(words, languages))

    def find_by_value(
        self, words: Sequence[Token], languages: Sequence[str]
    ) -> dict[str, list[Match]]:
        """The matches of each value apart, a longer one hiding a shorter one of the same
        value only: several sets of cues found in one pass over the words."""
        grouped: dict[str, list[Match]] = {}
        for match in self._matches(words, languages):
            grouped.setdefault(match.value, []).append(match)
        return {value: drop_covered(matches) for value, matches in grouped.items()}

    def scan(self, words: Sequence[Token], languages: Sequence[str]) -> dict[str, list[Match]]:
        """Every match, by the group of its pattern, none hidden yet: the kinds of
        pattern a set holds are found in one pass over the words, and the caller decides
        which apply (`drop_covered` then hides the shorter)."""
        grouped: dict[str, list[Match]] = {}
        for match in self._matches(words, languages):
            grouped.setdefault(match.pattern.group, []).append(match)
        return grouped

    def _matches(self, words: Sequence[Token], languages: Sequence[str]) -> list[Match]:
        found: list[Match] = []
        languages = tuple(languages)
        # The patterns whose first word may be this one, kept per word: a paragraph
        # repeats its words and a corpus repeats them far more.
        cache = self._cache.get(languages)
        if cache is None:
            cache = self._cache[languages] = {}
        held: dict[str, tuple[frozenset[str], frozenset[str]]] = {}  # per language
        for position, token in enumerate(words):
            candidates = cache.get(token.folded)
            if candidates is None:
                if len(cache) > CANDIDATE_CACHE_SIZE:
                    cache.clear()
                candidates = cache[token.folded] = self._lookup(token.folded, languages)
            following = words[position + 1].folded if position + 1 < len(words) else ""
            for pattern in candidates:
                slots = pattern.slots
                if len(slots) == 1:  # most patterns: a word or a phrase, no more
                    ends = slots[0].ends(words, position, pattern.language)
                    end = ends[0] if ends else None
                else:
                    second = pattern.adjacent_second_slot
                    if second is not None and not (
                        following and second.may_start(following, pattern.language)
                    ):
                        continue
                    last = pattern.last_words
                    if last is not None:
                        language = pattern.language
                        if language not in held:
                            held[language] = _held_words(words, language)
                        written, roots = held[language]
                        if written.isdisjoint(last[0]) and roots.isdisjoint(last[1]):
                            continue  # no word of the paragraph can end it
                    end = _match_from(slots, 0, words, position, pattern.language)
                if end is not None:
                    found.append(Match(pattern, position, end - 1))
        return found

    def _lookup(self, word: str, languages: tuple[str, ...]) -> tuple[Pattern, ...]:
        candidates: dict[int, Pattern] = {}
        for pattern in self.by_word.get(word, ()):
            candidates[id(pattern)] = pattern
        if len(word) >= MIN_INFLECTED_LENGTH:
            for language in languages:
                for pattern in self.by_root.get((stem(word, language), language), ()):
                    candidates[id(pattern)] = pattern
        for pattern in self.unindexed:
            if any(
                phrase[0].regex is not None and phrase[0].regex.fullmatch(word)
                for phrase in pattern.slots[0].alternatives
            ):
                candidates[id(pattern)] = pattern
        return tuple(pattern for pattern in candidates.values() if pattern.language in languages)


def _held_words(words: Sequence[Token], language: str) -> tuple[frozenset[str], frozenset[str]]:
    """A paragraph's words as written, and their stems (for the longer ones)."""
    written = frozenset(token.folded for token in words)
    roots = frozenset(stem(word, language) for word in written if len(word) >= MIN_INFLECTED_LENGTH)
    return written, roots


def _match_from(
    slots: Sequence[Slot], index: int, words: Sequence[Token], position: int, language: str
) -> int | None:
    """The end (exclusive) of the first way the slots from `index` match at `position`,
    nearest words first; None if they do not. A phrase never runs across a sentence."""
    if index == len(slots):
        return position
    slot = slots[index]
    skips = range(MAX_GAP + 1) if slot.gap_before else range(1)
    for skip in skips:
        start = position + skip
        if start >= len(words) or (index and words[start].sentence != words[position - 1].sentence):
            return None
        if index and not skip and not words[start].joined and not slot.gap_before:
            return None  # "+" joins words that follow each other; "*" may cross a comma
        for end in slot.ends(words, start, language):
            found = _match_from(slots, index + 1, words, end, language)
            if found is not None:
                return found
    return None


def drop_covered(matches: list[Match]) -> list[Match]:
    matches.sort(key=lambda match: (match.first, -(match.last - match.first)))
    kept: list[Match] = []
    for match in matches:
        covered = any(
            other.first <= match.first
            and match.last <= other.last
            and (other.last - other.first) > (match.last - match.first)
            and (other.value == match.value or not other.pattern.loose)
            for other in kept
            if other.last >= match.first
        )
        if not covered:
            kept.append(match)
    return kept
