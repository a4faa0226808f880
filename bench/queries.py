"""The fixed, seeded query mix, the same for our library, our web pages and Datasette.

The mix is the development known-item queries (../shared/eval/known-items.dev.jsonl) plus
queries drawn with a seeded generator from the ×1 corpus paragraphs, so that each one
matches something at every size:

- words: 2-8 content words taken in order from a window of one paragraph;
- phrase: 2-4 consecutive words of a paragraph in quotes (sometimes with one more word);
- filtered: 2-5 words with location, year and/or abuse-type filters of that paragraph;
- paragraph: like words, with unit=paragraph;
- prefix: `stem*` with a 4-6 letter stem of a word (sometimes with one more word);
- fuzzy: `word~` of a 5+ letter word, half of them with one letter changed.

Datasette gets the same text through `_search=` (its default mode quotes each word, so
it is an AND of the words and a quoted phrase stays a phrase), prefix queries in
`_searchmode=raw` (FTS5's own `stem*`), and fuzzy queries as the plain, correctly spelt
word, because FTS5 has no fuzzy matching. Filters become `country=`, `year=` and
`abuse_types__arraycontains=` on its table.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pycountry

from testimony_archive.interchange import normalise_text
from testimony_archive.models import split_paragraphs

from .common import DEV_QUERIES
from .scale import abuse_types, country_of, load_records, year_of

SEED = 20251128
CATEGORIES = ("words", "phrase", "filtered", "paragraph", "prefix", "fuzzy")
GENERATED = {"words": 30, "phrase": 15, "filtered": 20, "paragraph": 15, "prefix": 15, "fuzzy": 15}
DATASETTE_FACETS = (("_facet", "country"), ("_facet", "year"), ("_facet", "kind"))
PAGE_SIZE = 20
STOPWORDS = frozenset(
    """a about after again all also an and any are as at be because been before being but
    by can could did do does for from had has have he her here him his how i if in into is
    it its may more most no not of on one or other our out over said she should so some
    such than that the their them then there these they this those through to too under
    up upon very was we were what when where which while who will with would you your""".split()
)
_WORD = re.compile(r"(?<![\w'’-])[A-Za-z]+(?![\w'’-])")  # whole words only
_RUN = re.compile(r"(?<![\w'’-])[A-Za-z]+(?: [A-Za-z]+)+(?![\w'’-])")


@dataclass(frozen=True)
class Query:
    category: str
    q: str
    source: str  # "dev" or "generated"
    filters: dict[str, Any] = field(default_factory=dict)  # location, year, abuse_type
    unit: str = "document"
    datasette_q: str = ""
    datasette_raw: bool = False
    country: str | None = None  # the location filter as Datasette's country column

    def our_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"q": self.q, **self.filters}
        if self.unit != "document":
            params["unit"] = self.unit
        return params

    def our_path(self, endpoint: str) -> str:
        return f"{endpoint}?{urlencode(self.our_params())}"

    def datasette_path(self, database: str, json_format: bool) -> str:
        params: list[tuple[str, str]] = [("_search", self.datasette_q or self.q)]
        params += DATASETTE_FACETS
        params.append(("_size", str(PAGE_SIZE)))
        if self.datasette_raw:
            params.append(("_searchmode", "raw"))
        if self.country:
            params.append(("country", self.country))
        if "year" in self.filters:
            params.append(("year", str(self.filters["year"])))
        if "abuse_type" in self.filters:
            params.append(("abuse_types__arraycontains", str(self.filters["abuse_type"])))
        suffix = ".json" if json_format else ""
        return f"/{database}/paragraphs{suffix}?{urlencode(params)}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "q": self.q,
            "filters": self.filters,
            "unit": self.unit,
            "source": self.source,
            "datasette_q": self.datasette_q or self.q,
            "datasette_raw": self.datasette_raw,
        }


@dataclass(frozen=True)
class Passage:
    text: str
    kind: str
    country: str | None
    location: str | None
    year: int | None
    abuse_types: tuple[str, ...]

    def content_words(self) -> list[str]:
        return [
            word.lower()
            for word in _WORD.findall(self.text)
            if len(word) >= 3 and word.lower() not in STOPWORDS
        ]


def location_code(country: str | None) -> str | None:
    """Our location code for a country name (ISO 3166 alpha-2, as the archive uses)."""
    if not country:
        return None
    try:
        found = pycountry.countries.lookup(country)
    except LookupError:
        return None
    return str(found.alpha_2)


def passages() -> list[Passage]:
    found = []
    for record in load_records():
        country = country_of(record)
        for paragraph in split_paragraphs(normalise_text(record["text"])):
            if len(paragraph) < 200:
                continue
            found.append(
                Passage(
                    text=paragraph,
                    kind=record["kind"],
                    country=country,
                    location=location_code(country),
                    year=year_of(record),
                    abuse_types=tuple(abuse_types(paragraph)),
                )
            )
    return found


class Generator:
    def __init__(self, pool: list[Passage], seed: int = SEED) -> None:
        self.pool = pool
        self.rng = random.Random(seed)

    def passage(self, accept: Callable[[Passage], bool] = lambda _: True) -> Passage:
        while True:
            candidate = self.rng.choice(self.pool)
            if len(candidate.content_words()) >= 16 and accept(candidate):
                return candidate

    def words(self, passage: Passage, low: int = 2, high: int = 8) -> str:
        content = passage.content_words()
        count = self.rng.randint(low, high)
        width = min(len(content), count * 3)
        start = self.rng.randrange(len(content) - width + 1)
        picked = sorted(self.rng.sample(range(start, start + width), count))
        return " ".join(dict.fromkeys(content[at] for at in picked))

    def long_word(self, passage: Passage) -> str:
        longer = [word for word in passage.content_words() if len(word) >= 5]
        return self.rng.choice(longer or passage.content_words())

    def maybe_another(self, passage: Passage, query: str) -> str:
        if self.rng.random() < 0.5:
            return f"{query} {self.rng.choice(passage.content_words())}"
        return query

    def make(self, category: str) -> Query:
        if category in ("words", "paragraph"):
            q = self.words(self.passage())
            unit = "paragraph" if category == "paragraph" else "document"
            return Query(category, q, "generated", unit=unit)
        if category == "phrase":
            passage = self.passage(lambda p: bool(_RUN.search(p.text)))
            runs = [run.split() for run in _RUN.findall(passage.text) if len(run.split()) >= 2]
            run = self.rng.choice(runs)
            length = self.rng.randint(2, min(4, len(run)))
            start = self.rng.randrange(len(run) - length + 1)
            q = self.maybe_another(passage, '"' + " ".join(run[start : start + length]) + '"')
            return Query(category, q, "generated")
        if category == "filtered":
            passage = self.passage(lambda p: p.year is not None and p.location is not None)
            q = self.words(passage, 2, 5)
            options: dict[str, Any] = {"location": passage.location, "year": passage.year}
            if passage.abuse_types:
                options["abuse_type"] = self.rng.choice(passage.abuse_types)
            names = self.rng.sample(sorted(options), self.rng.randint(1, len(options)))
            filters = {name: options[name] for name in sorted(names)}
            country = passage.country if "location" in filters else None
            return Query(category, q, "generated", filters=filters, country=country)
        if category == "prefix":
            passage = self.passage()
            word = self.long_word(passage)
            stem = word[: self.rng.randint(4, max(4, min(len(word), 6)))]
            q = self.maybe_another(passage, f"{stem}*")
            return Query(category, q, "generated", datasette_raw=True)
        if category == "fuzzy":
            passage = self.passage()
            word = self.long_word(passage)
            typed = word
            if self.rng.random() < 0.5:
                at = self.rng.randrange(1, len(word) - 1)
                letter = self.rng.choice([c for c in "aeiourstln" if c != word[at]])
                typed = word[:at] + letter + word[at + 1 :]
            q = self.maybe_another(passage, f"{typed}~")
            return Query(category, q, "generated", datasette_q=q.replace(f"{typed}~", word))
        raise ValueError(category)


def dev_queries() -> list[Query]:
    countries = {}
    for record in load_records():
        country = country_of(record)
        code = location_code(country)
        if code:
            countries[code] = country
    found = []
    with DEV_QUERIES.open(encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            filters = dict(item.get("filters") or {})
            if filters:
                category = "filtered"
            elif '"' in item["query"]:
                category = "phrase"
            else:
                category = "words"
            found.append(
                Query(
                    category,
                    item["query"],
                    "dev",
                    filters=filters,
                    country=countries.get(str(filters.get("location", "")).upper()),
                )
            )
    return found


def query_mix() -> list[Query]:
    """The whole mix, in a fixed order (categories interleaved for the load runs)."""
    generator = Generator(passages())
    generated = {
        category: [generator.make(category) for _ in range(GENERATED[category])]
        for category in CATEGORIES
    }
    mix = dev_queries()
    longest = max(GENERATED.values())
    for at in range(longest):
        for category in CATEGORIES:
            if at < len(generated[category]):
                mix.append(generated[category][at])
    return mix
