"""Location codes: ISO 3166-1/-2, GeoNames places and slugs; roll-up, labels, free text."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimony_archive.places import Places

TAPACHULA = "geonames:3516266"


@pytest.fixture(scope="module")
def places() -> Places:
    return Places()


@pytest.mark.parametrize(
    "code",
    [
        "MX",
        "GT",
        "US",
        "MX-CHP",
        "MX-CMX",
        "GT-13",  # Huehuetenango, current numeric code
        "US-AR",
        "HN-CR",
        TAPACHULA,
        "MX-CHP/tapachula",
        "MX-CHP/ciudad-hidalgo",
        "GT-13/la-mesilla",
    ],
)
def test_valid_codes(places: Places, code: str) -> None:
    assert places.is_valid(code)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "XX",
        "MEX",  # alpha-3
        "Mexico",
        "MX-XXX",
        "MX-",
        "GT-HU",  # the legacy alphabetic Guatemalan code
        "MX CHP",
        " MX",
        "MX-CHP ",
        "geonames:",
        "geonames:0",
        "geonames:abc",
        "geonames:+3516266",
        "geonames: 3516266",
        "geonames:-3516266",
        "3516266",
        "MX-CHP/Tapachula",  # slugs are lower case
        "MX-CHP/",
        "MX-CHP/-tapachula",
        "MX-CHP/tapa chula",
        "XX-CHP/tapachula",
        "MX/tapachula",
    ],
)
def test_invalid_codes(places: Places, code: str) -> None:
    assert not places.is_valid(code)


@pytest.mark.parametrize("code", ["mx", "Mx", "mx-chp", "mX-Chp", "us-ar"])
def test_codes_in_the_wrong_case_are_invalid(places: Places, code: str) -> None:
    assert not places.is_valid(code)


def test_geonames_id_with_a_leading_zero_is_invalid(places: Places) -> None:
    assert not places.is_valid("geonames:03516266")


@pytest.mark.parametrize(
    ("code", "chain"),
    [
        ("MX", ["MX"]),
        ("MX-CHP", ["MX-CHP", "MX"]),
        ("GT-13", ["GT-13", "GT"]),
        ("US-AR", ["US-AR", "US"]),
        (TAPACHULA, [TAPACHULA, "MX-CHP", "MX"]),
        ("MX-CHP/tapachula", ["MX-CHP/tapachula", "MX-CHP", "MX"]),
        ("XX", ["XX"]),  # unknown: only itself
        ("geonames:0", ["geonames:0"]),
    ],
)
def test_ancestors(places: Places, code: str, chain: list[str]) -> None:
    assert places.ancestors(code) == chain
    assert places.country_of(code) == chain[-1]


@pytest.mark.parametrize(
    ("code", "chain"),
    [
        ("FR-69", ["FR-69", "FR-ARA", "FR"]),  # a department inside its region
        ("ES-M", ["ES-M", "ES-MD", "ES"]),  # a province inside its autonomous community
        ("GB-LND", ["GB-LND", "GB-ENG", "GB"]),
    ],
)
def test_second_level_subdivisions_roll_up_through_their_parent(
    places: Places, code: str, chain: list[str]
) -> None:
    assert places.ancestors(code) == chain


@pytest.mark.parametrize(
    ("code", "language", "label"),
    [
        ("MX", "en", "Mexico"),
        ("MX", "es", "México"),
        ("US", "es", "Estados Unidos"),
        ("DE", "es", "Alemania"),
        ("GT", "es", "Guatemala"),
        ("MX", "xx", "Mexico"),  # no translation: English
        ("MX-CHP", "en", "Chiapas"),
        ("MX-CHP", "es", "Chiapas"),
        ("GT-13", "en", "Huehuetenango"),
        (TAPACHULA, "en", "Tapachula"),
        ("MX-CHP/ciudad-hidalgo", "en", "Ciudad Hidalgo"),
        ("XX", "en", "XX"),  # unknown: the code itself
    ],
)
def test_labels(places: Places, code: str, language: str, label: str) -> None:
    assert places.label(code, language) == label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mexico", ["MX"]),
        ("México", ["MX"]),
        ("MEXICO", ["MX"]),
        ("Guatemala", ["GT"]),
        ("Estados Unidos", ["US"]),
        ("USA", ["US"]),
        ("Texas, USA", ["US-TX"]),
        ("Chiapas", ["MX-CHP"]),
        ("Chiapas, Mexico", ["MX-CHP"]),
        ("Huehuetenango, Guatemala", ["GT-13"]),
        ("Tapachula, Chiapas, México", [TAPACHULA]),
        ("Tapachula, Chiapas, Mexico", [TAPACHULA]),
        ("tapachula,chiapas,mexico", [TAPACHULA]),
        ("Tapachula", [TAPACHULA]),  # a large city alone is enough
        ("Washington DC", ["US-DC"]),
        ("Nowhere-at-all", []),
        ("", []),
        (" , , ", []),
        ("Indian Territory", []),
    ],
)
def test_codes_for_text(places: Places, text: str, expected: list[str]) -> None:
    assert places.codes_for_text(text) == expected


@pytest.mark.parametrize(
    ("text", "implied"),
    [
        ("Helena, Arkansas, USA", ["US-AR", "US"]),
        ("Oak Grove, Alabama, USA", ["US-AL", "US"]),
        ("Huixtla, Chiapas, Mexico", ["MX-CHP", "MX"]),
        ("Tapachula, Chiapas, México", ["MX-CHP", "MX"]),
        ("Texas, USA", ["US"]),
    ],
)
def test_codes_for_text_imply_their_ancestors(
    places: Places, text: str, implied: list[str]
) -> None:
    codes = places.codes_for_text(text)
    assert codes
    assert all(places.is_valid(code) for code in codes)
    rolled = [ancestor for code in codes for ancestor in places.ancestors(code)]
    for code in implied:
        assert code in rolled
    # the most specific code comes first, and no code repeats what another implies
    assert rolled[-1] == implied[-1]
    assert not any(code in places.ancestors(codes[0])[1:] for code in codes[1:])


def test_helena_arkansas_is_a_geonames_place_in_arkansas(places: Places) -> None:
    codes = places.codes_for_text("Helena, Arkansas, USA")
    assert codes[0].startswith("geonames:")
    assert places.ancestors(codes[0])[1:] == ["US-AR", "US"]
    assert places.label(codes[0]).startswith("Helena")


def test_a_city_is_looked_up_inside_the_named_subdivision(places: Places) -> None:
    # There are Helenas in several states: the state given decides which one.
    arkansas = places.codes_for_text("Helena, Arkansas, USA")
    montana = places.codes_for_text("Helena, Montana, USA")
    assert arkansas != montana
    assert places.ancestors(montana[0])[1:] == ["US-MT", "US"]


def test_a_small_town_name_alone_is_not_guessed(places: Places) -> None:
    assert places.codes_for_text("Oak Grove") == []


def test_the_city_table_is_cached_in_the_folder_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from testimony_archive import places

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache = tmp_path / "var" / "cache"
    rows = places._read_cities(cache)
    assert [path.suffix for path in cache.iterdir()] == [".pickle"]
    assert places._read_cities(cache) == rows  # read back from the cache
    assert not (tmp_path / "home").exists() and not (tmp_path / "xdg").exists()
    assert 3516266 in rows  # Tapachula
