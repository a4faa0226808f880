"""Interchange records (JSONL) ↔ documents, and on to archive files, without loss."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from testimony_archive.dates import PartialDate
from testimony_archive.document_file import parse_document, serialize_document
from testimony_archive.errors import ArchiveError
from testimony_archive.interchange import (
    RECORD_KEYS,
    document_to_record,
    record_to_document,
)
from testimony_archive.models import Incident, Segment, TagSet, body_sha256
from testimony_archive.places import Places
from testimony_archive.vocabulary import load_vocabulary

PLACES = Places()
VOCABULARY = load_vocabulary()
TAPACHULA = "geonames:3516266"

BASE: dict[str, Any] = {
    "id": "t-en-001",
    "kind": "testimony",
    "title": "Stopped at a checkpoint near Huixtla",
    "text": "I left Honduras in March.\n\nAt a checkpoint two agents took us off the bus.\n",
}


def record(**changes: Any) -> dict[str, Any]:
    return {**BASE, **changes}


def through_jsonl(data: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(data, ensure_ascii=False))
    return loaded


def test_a_minimal_record() -> None:
    document = record_to_document(record())
    assert document.id == "t-en-001"
    assert document.kind == "testimony"
    assert document.title == BASE["title"]
    assert document.body == BASE["text"]
    assert document.sha256 == body_sha256(BASE["text"])
    assert document.language == "und"
    assert document.access == "public"
    assert document.date is None
    assert document.source is None
    assert document.extra == {}
    assert document_to_record(document) == BASE


def test_a_full_record() -> None:
    full = record(
        language="es",
        date="2016-03-12",
        access="restricted",
        locations=["MX-CHP", "MX-CHP"],
        abuse_types=["torture.electric-shock"],
        perpetrators=["immigration"],
        translation={"from": "tzh", "by": "Interpreter B"},
        incident={"from": "2016-02-20", "to": "2016-02"},
        witness={"pseudonym": "Witness A", "age": 18},
        suggested={"abuse_types": ["property.extortion"]},
        segments={"2": {"perpetrators": ["immigration"]}},
    )
    document = record_to_document(full)
    assert document.language == "es"
    assert document.date == PartialDate(2016, 3, 12)
    assert document.access == "restricted"
    assert document.tags == TagSet(
        locations=("MX-CHP",),
        abuse_types=("torture.electric-shock",),
        perpetrators=("immigration",),
    )
    assert document.translation == {"from": "tzh", "by": "Interpreter B"}
    assert document.incident == Incident(PartialDate(2016, 2, 20), PartialDate(2016, 2))
    assert document.witness == {"pseudonym": "Witness A", "age": 18}
    assert document.suggested == TagSet(abuse_types=("property.extortion",))
    assert document.segments == {2: Segment(tags=TagSet(perpetrators=("immigration",)))}
    back = document_to_record(document)
    assert back == {**full, "locations": ["MX-CHP"]}
    assert record_to_document(through_jsonl(back)) == document


@pytest.mark.parametrize(
    ("changes", "source", "extra"),
    [
        ({"source": "Test testimonies, p. 4"}, {"citation": "Test testimonies, p. 4"}, {}),
        (
            {"source": "A report", "source_url": "https://example.org/r", "license": "CC0"},
            {"citation": "A report", "url": "https://example.org/r", "license": "CC0"},
            {},
        ),
        ({"source_url": "https://example.org/r"}, {"url": "https://example.org/r"}, {}),
        ({"license": "CC-BY-4.0"}, {"license": "CC-BY-4.0"}, {}),
        (
            {"source": {"organization": "Org", "title": "Report"}, "license": "CC0"},
            {"organization": "Org", "title": "Report", "license": "CC0"},
            {},
        ),
        (
            {"source": {"url": "https://a"}, "source_url": "https://a"},
            {"url": "https://a"},
            {},
        ),
        ({"license": None}, None, {}),
    ],
)
def test_source_keys(
    changes: dict[str, Any], source: dict[str, Any] | None, extra: dict[str, Any]
) -> None:
    document = record_to_document(record(**changes))
    assert document.source == source
    assert document.extra == extra
    back = document_to_record(document)
    assert record_to_document(through_jsonl(back)) == document


def test_source_of_another_type_is_an_error() -> None:
    with pytest.raises(ArchiveError) as caught:
        record_to_document(record(source=["a", "b"]))
    assert caught.value.field == "source"


def test_place_goes_to_extra_and_suggests_locations() -> None:
    document = record_to_document(record(place="Tapachula, Chiapas, México"), places=PLACES)
    assert document.extra == {"place": "Tapachula, Chiapas, México"}
    assert document.suggested == TagSet(locations=(TAPACHULA,))
    assert document.tags == TagSet()
    back = document_to_record(document)
    assert back["place"] == "Tapachula, Chiapas, México"
    assert "extra" not in back
    assert record_to_document(through_jsonl(back), places=PLACES) == document


@pytest.mark.parametrize(
    ("changes", "suggested"),
    [
        ({"place": "Texas, USA"}, ("US-TX",)),
        ({"place": "Nowhere-at-all"}, ()),
        ({"place": "Texas, USA", "locations": ["US"]}, ()),  # confirmed tags win
        ({"place": "Texas, USA", "suggested": {"locations": ["US"]}}, ("US", "US-TX")),
        ({"place": "Texas, USA", "suggested": {"locations": ["US-TX"]}}, ("US-TX",)),
        ({"place": ["Texas", "USA"]}, ()),  # not text: kept, not read
    ],
)
def test_place_suggestions(changes: dict[str, Any], suggested: tuple[str, ...]) -> None:
    document = record_to_document(record(**changes), places=PLACES)
    assert document.suggested.locations == suggested
    assert document.extra["place"] == changes["place"]


def test_place_without_a_place_registry_suggests_nothing() -> None:
    document = record_to_document(record(place="Tapachula, Chiapas, México"))
    assert document.suggested == TagSet()
    assert document.extra == {"place": "Tapachula, Chiapas, México"}


def test_unknown_keys_go_to_extra() -> None:
    data = record(witness_note="kept", report_year=2016, nested={"a": [1, None, True]})
    document = record_to_document(data)
    assert document.extra == {
        "witness_note": "kept",
        "report_year": 2016,
        "nested": {"a": [1, None, True]},
    }
    back = document_to_record(document)
    assert back == data  # unknown keys come back at the top level


def test_record_extra_with_clashing_keys() -> None:
    data = record(
        witness_note="top level",
        extra={"id": "an id of the source", "text": "its own text", "other": 1},
    )
    document = record_to_document(data)
    assert document.id == "t-en-001"
    assert document.body == BASE["text"]
    assert document.extra == {
        "witness_note": "top level",
        "id": "an id of the source",
        "text": "its own text",
        "other": 1,
    }
    back = document_to_record(document)
    assert back["id"] == "t-en-001"
    assert back["extra"] == {"id": "an id of the source", "text": "its own text"}
    assert back["other"] == 1
    assert record_to_document(through_jsonl(back)) == document


def test_record_extra_that_is_not_an_object_is_kept() -> None:
    document = record_to_document(record(extra="a note"))
    assert document.extra == {"extra": "a note"}
    assert record_to_document(document_to_record(document)) == document


@pytest.mark.parametrize(
    "changes",
    [
        {"place": "Top level", "extra": {"place": "In extra"}},
        {"source_url": 5, "extra": {"source_url": "In extra"}},
        {"license": ["not text"], "extra": {"license": "In extra"}},
    ],
)
def test_clashing_or_non_text_keys_are_rejected_not_lost(changes: dict[str, Any]) -> None:
    with pytest.raises(ArchiveError) as error:
        record_to_document(record(**changes))
    assert error.value.field in ("extra", "source_url", "license")


@pytest.mark.parametrize(
    "changes",
    [
        {"source": {"title": "Report", "url": "https://a"}, "source_url": "https://b"},
        {"source_url": 5},
        {"source": {"license": "CC0"}, "license": "CC-BY"},
    ],
)
def test_conflicting_or_non_text_source_keys_are_rejected(changes: dict[str, Any]) -> None:
    with pytest.raises(ArchiveError) as error:
        record_to_document(record(**changes))
    assert error.value.field in ("source_url", "license")


@pytest.mark.parametrize(
    "extra", [{"place": "Texas, USA"}, {"source_url": "https://example.org"}, {"license": "CC0"}]
)
def test_extra_object_keys_named_like_record_keys_round_trip(extra: dict[str, Any]) -> None:
    document = record_to_document(record(extra=extra), places=PLACES)
    assert document.extra == extra
    exported = through_jsonl(document_to_record(document))
    assert record_to_document(exported, places=PLACES) == document


def test_extra_key_named_extra_round_trips() -> None:
    document = record_to_document(record(extra={"extra": {"a": 1}}))
    assert document.extra == {"extra": {"a": 1}}
    assert record_to_document(document_to_record(document)) == document


def test_extra_key_named_extra_before_a_clashing_key() -> None:
    document = record_to_document(record(extra={"extra": 1, "id": "x"}))
    assert record_to_document(document_to_record(document)) == document


@pytest.mark.parametrize(
    "source",
    [
        {"citation": None},
        {"citation": ["a", "b"]},
        {"citation": {"page": 4}},
        {"url": 5},
        {"license": None, "citation": "c"},
    ],
)
def test_source_with_non_text_citation_url_or_license_round_trips(
    source: dict[str, Any],
) -> None:
    document = record_to_document(record(source=source))
    assert document.source == source
    assert record_to_document(through_jsonl(document_to_record(document))) == document


@pytest.mark.parametrize(
    "changes",
    [
        {"source": {"license": "CC0"}, "source_url": "https://b.example"},
        {"source": {"url": "https://a.example"}, "license": "CC0"},
        {"source": {"citation": "c", "url": "https://a.example"}, "license": "CC0"},
    ],
)
def test_source_object_beside_other_source_keys_round_trips(changes: dict[str, Any]) -> None:
    document = record_to_document(record(**changes))
    assert record_to_document(through_jsonl(document_to_record(document))) == document


@pytest.mark.parametrize("key", ["witness", "translation"])
def test_empty_witness_or_translation_round_trips(key: str) -> None:
    document = record_to_document(record(**{key: {}}))
    assert record_to_document(through_jsonl(document_to_record(document))) == document
    assert parse_document(serialize_document(document)) == document


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("One.\r\n\r\nTwo.\r\n", "One.\n\nTwo.\n"),
        ("One.\rTwo.\r\rThree.", "One.\nTwo.\n\nThree."),
        ("Mixed\r\nline\rendings\n", "Mixed\nline\nendings\n"),
        ("One.\u2028Two.\x85Three.", "One.\u2028Two.\x85Three."),  # not line endings here
    ],
)
def test_line_endings_are_normalised(text: str, body: str) -> None:
    document = record_to_document(record(text=text))
    assert document.body == body
    assert document.sha256 == body_sha256(body)
    assert "\r" not in serialize_document(document).split("\n---\n", 1)[1]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": " \n\t "}, "text"),
        ({"text": None}, "text"),
        ({"text": 5}, "text"),
        ({"text": "bad \ud800 surrogate"}, "text"),
        ({"id": "Bad Id"}, "id"),
        ({"id": None}, "id"),
        ({"kind": "novel"}, "kind"),
        ({"title": ""}, "title"),
        ({"title": 5}, "title"),
        ({"date": "March 2016"}, "date"),
        ({"date": "2015-02-29"}, "date"),
        ({"language": "Spanish"}, "language"),
        ({"access": "secret"}, "access"),
        ({"incident": {"from": "2016", "to": "2015"}}, "incident"),
        ({"segments": {"3": {"locations": ["MX"]}}}, "segments"),
        ({"locations": "MX, GT"}, None),  # one text value is read as one id
    ],
)
def test_bad_records(changes: dict[str, Any], field: str | None) -> None:
    if field is None:
        assert record_to_document(record(**changes)).tags.locations == ("MX, GT",)
        return
    with pytest.raises(ArchiveError) as caught:
        record_to_document(record(**changes), where="input.jsonl:3")
    assert caught.value.field == field
    assert caught.value.path == "input.jsonl:3"


def test_a_record_that_is_not_an_object() -> None:
    with pytest.raises(ArchiveError, match="JSON object"):
        record_to_document(["not", "an", "object"], where="input.jsonl:1")  # type: ignore[arg-type]


def test_a_timestamp_date_is_kept_as_its_day() -> None:
    document = record_to_document(record(date="2016-03-12T10:00:00Z"))
    assert document.date == PartialDate(2016, 3, 12)
    assert document_to_record(document)["date"] == "2016-03-12"


def test_the_undetermined_language_is_not_written_back() -> None:
    document = record_to_document(record(language="und"))
    assert document.language == "und"
    assert "language" not in document_to_record(document)


# -- the lossless round trip, for any Unicode text --------------------------------------

_characters = st.characters(exclude_categories=["Cs"])
# A body holds no C0 control but tab and newline (no export could hold one), a title no
# control but those, DEL or C1: import refuses them (test_import_refusals.py).
_text_characters = st.characters(
    exclude_categories=["Cs"],
    exclude_characters="\r" + "".join(chr(code) for code in range(32) if chr(code) not in "\t\n"),
)
_title_characters = st.characters(exclude_categories=["Cs", "Cc"], include_characters="\n\t")
_titles = st.text(_title_characters, min_size=1, max_size=40).filter(lambda value: value.strip())
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(_characters, max_size=20),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(_characters, max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
_ids = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,30}", fullmatch=True)
_abuse_types = sorted(VOCABULARY.abuse_types.terms)
_perpetrators = sorted(VOCABULARY.perpetrators.terms)
_locations = [
    "MX",
    "MX-CHP",
    "GT",
    "GT-13",
    "US",
    "US-AR",
    TAPACHULA,
    "MX-CHP/tapachula",
    "MX-CHP/ciudad-hidalgo",
]
_place_texts = [
    "Tapachula, Chiapas, México",
    "Helena, Arkansas, USA",
    "Texas, USA",
    "Guatemala",
    "Nowhere-at-all",
]
_reserved = {*RECORD_KEYS, "extra"}
# Keys of a record's own 'extra' object: any text, and the names that clash with the
# record's keys (which is what the record's 'extra' object is for).
_extra_keys = st.one_of(st.text(_characters, max_size=8), st.sampled_from(sorted(_reserved)))


_SOURCE_TEXT_KEYS = ("citation", "url", "license")


_sources = st.dictionaries(
    st.sampled_from(["organization", "title", "publisher", "pages", *_SOURCE_TEXT_KEYS])
    | st.text(_characters, max_size=6),
    _json,
    max_size=3,
)


@st.composite
def partial_dates(draw: st.DrawFn) -> str:
    day = draw(st.dates(min_value=PartialDate(1000).first_day))
    precision = draw(st.sampled_from(["year", "month", "day", "timestamp"]))
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if precision == "day":
        return day.isoformat()
    return f"{day.isoformat()}T{draw(st.times()).isoformat()}Z"


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": draw(_ids),
        "kind": draw(st.sampled_from(["testimony", "report_excerpt"])),
        "title": draw(_titles),
        "text": draw(
            st.text(_text_characters, min_size=1, max_size=300).filter(lambda t: t.strip())
        ),
    }
    optional: dict[str, st.SearchStrategy[Any]] = {
        "language": st.sampled_from(["en", "es", "tzh", "zh-Hant", "und"]),
        "date": partial_dates(),
        "access": st.sampled_from(["public", "restricted"]),
        "source": st.one_of(st.text(_characters, max_size=30), _sources),
        "source_url": st.text(_characters, max_size=30),
        "license": st.text(_characters, max_size=12),
        "place": st.one_of(st.sampled_from(_place_texts), st.text(_characters, max_size=20)),
        "locations": st.lists(st.sampled_from(_locations), max_size=3),
        "abuse_types": st.lists(st.sampled_from(_abuse_types), max_size=3),
        "perpetrators": st.lists(st.sampled_from(_perpetrators), max_size=3),
        "witness": st.dictionaries(st.text(_characters, max_size=8), _json, max_size=3),
        "suggested": st.fixed_dictionaries(
            {},
            optional={
                "abuse_types": st.lists(st.sampled_from(_abuse_types), max_size=2),
                "locations": st.lists(st.sampled_from(_locations), max_size=2),
            },
        ),
        "extra": st.dictionaries(_extra_keys, _json, max_size=4),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            data[key] = draw(strategy)
    unknown = draw(
        st.dictionaries(
            st.text(_characters, min_size=1, max_size=10).filter(lambda k: k not in _reserved),
            _json,
            max_size=3,
        )
    )
    data.update(unknown)
    # What import rejects by design (tested on its own above): a key given both in the
    # record and in its 'extra' object, and a source url/licence given twice differently.
    own_extra = data.get("extra", {})
    for key in list(own_extra):
        if key in data and key not in RECORD_KEYS or key == "place" and "place" in data:
            del own_extra[key]
    source = data.get("source")
    if isinstance(source, dict):
        for record_key, source_key in (("source_url", "url"), ("license", "license")):
            if (
                source_key in source
                and record_key in data
                and source[source_key] != data[record_key]
            ):
                del data[record_key]
    return data


@settings(max_examples=150, deadline=None)
@given(records())
def test_record_document_record_document_is_lossless(data: dict[str, Any]) -> None:
    first = record_to_document(data, places=PLACES)
    assert first.body == data["text"]
    exported = through_jsonl(document_to_record(first))
    second = record_to_document(exported, places=PLACES)
    assert second == first
    assert through_jsonl(document_to_record(second)) == exported


@settings(max_examples=150, deadline=None)
@given(records())
def test_archive_file_of_a_record_parses_back(data: dict[str, Any]) -> None:
    document = record_to_document(data, places=PLACES)
    text = serialize_document(document)
    parsed = parse_document(text, fill_sha256=False)
    assert parsed == document
    assert parsed.body == document.body
    assert serialize_document(parsed) == text
