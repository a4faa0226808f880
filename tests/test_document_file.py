"""One archive file: YAML front matter, then the body verbatim (DESIGN.md, archive format)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from testimony_archive.dates import PartialDate
from testimony_archive.document_file import (
    parse_document,
    serialize_document,
    split_front_matter,
)
from testimony_archive.errors import ArchiveError
from testimony_archive.models import Incident, Segment, TagSet, body_sha256

BODY = (
    "Salí de Honduras en marzo con mi primo.\n"
    "\n"
    "En un retén cerca de Comitán dos agentes nos bajaron del autobús.\n"
    "Dijeron que nuestros papeles eran falsos.\n"
    "\n"
    "En un cuarto pequeño uno de ellos me dio toques con una chicharra.\n"
)
SHA = body_sha256(BODY)
PATH = "documents/mx-chis-2016-0007.md"

# key → its YAML value, in file order; the key on index i is on line i + 2
FRONT: dict[str, str] = {
    "id": "mx-chis-2016-0007",
    "kind": "testimony",
    "title": "Detenido en un retén cerca de Comitán y enviado a Guatemala",
    "language": "es",
    "translation": "{from: tzh, by: Interpreter B}",
    "date": "2016-03-12",
    "incident": "{from: 2016-02-20, to: 2016-02-23}",
    "locations": "[MX-CHP, geonames:3530580]",
    "abuse_types": "[torture.electric-shock, expulsion.deportation]",
    "perpetrators": "[immigration]",
    "suggested": "{perpetrators: [police]}",
    "witness": "{pseudonym: Witness A, age: 18, gender: male, community: Tzeltal}",
    "source": (
        '{organization: Org, title: "Report: the border", url: "https://example.org/r", '
        "pages: 3-4, license: CC-BY-4.0}"
    ),
    "access": "restricted",
    "sha256": SHA,
    "segments": "{3: {abuse_types: [torture.electric-shock], suggested: {locations: [MX]}}}",
    "extra": "{sample: true, note: kept verbatim, nested: {list: [1, two, null]}}",
}


def file_text(body: str = BODY, /, **changes: str | None) -> str:
    """The valid file, with keys changed (a value), removed (None) or added (at the end)."""
    front = dict(FRONT)
    for key, value in changes.items():
        if value is None:
            front.pop(key, None)
        else:
            front[key] = value
    lines = "".join(f"{key}: {value}\n" for key, value in front.items())
    return f"---\n{lines}---\n{body}"


def line_of(key: str) -> int:
    return list(FRONT).index(key) + 2


def test_parses_every_field() -> None:
    document = parse_document(file_text(), PATH)
    assert document.id == "mx-chis-2016-0007"
    assert document.kind == "testimony"
    assert document.title == "Detenido en un retén cerca de Comitán y enviado a Guatemala"
    assert document.language == "es"
    assert document.translation == {"from": "tzh", "by": "Interpreter B"}
    assert document.date == PartialDate(2016, 3, 12)
    assert document.incident == Incident(PartialDate(2016, 2, 20), PartialDate(2016, 2, 23))
    assert document.tags == TagSet(
        locations=("MX-CHP", "geonames:3530580"),
        abuse_types=("torture.electric-shock", "expulsion.deportation"),
        perpetrators=("immigration",),
    )
    assert document.suggested == TagSet(perpetrators=("police",))
    assert document.witness == {
        "pseudonym": "Witness A",
        "age": 18,
        "gender": "male",
        "community": "Tzeltal",
    }
    assert document.source == {
        "organization": "Org",
        "title": "Report: the border",
        "url": "https://example.org/r",
        "pages": "3-4",
        "license": "CC-BY-4.0",
    }
    assert document.access == "restricted"
    assert document.sha256 == SHA
    assert document.segments == {
        3: Segment(
            tags=TagSet(abuse_types=("torture.electric-shock",)),
            suggested=TagSet(locations=("MX",)),
        )
    }
    assert document.extra == {
        "sample": True,
        "note": "kept verbatim",
        "nested": {"list": [1, "two", None]},
    }
    assert document.body == BODY
    assert [paragraph.number for paragraph in document.paragraphs] == [1, 2, 3]
    assert str(document.path) == PATH


def test_minimal_file_gets_defaults() -> None:
    text = file_text(
        **{key: None for key in FRONT if key not in ("id", "kind", "title", "language", "sha256")}
    )
    document = parse_document(text)
    assert document.access == "public"
    assert document.date is None
    assert document.incident is None
    assert document.tags == TagSet()
    assert document.segments == {}
    assert document.extra == {}
    assert document.source is None
    assert document.path is None


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {key: None for key in FRONT if key not in ("id", "kind", "title", "language", "sha256")},
        {"date": "2016", "incident": "{from: 2016-02}"},
        {"date": "2016-03", "incident": "{to: 2016}"},
        {"source": "A plain citation, p. 4", "access": "public"},
        {"title": "'yes'", "kind": "report_excerpt", "language": "zh-Hant-TW"},
        {"title": '"2016-03-12"'},
        {"title": '"Título: «comillas» — y #almohadilla"'},
        {"extra": "{'null': ~, 'true': 'false', '1': 1, '<<': x, '': empty}"},
        {"segments": "{1: {locations: [MX]}, 3: {perpetrators: [police]}}"},
    ],
)
def test_round_trip(changes: dict[str, str | None]) -> None:
    document = parse_document(file_text(**changes), PATH)
    serialized = serialize_document(document)
    again = parse_document(serialized, PATH)
    assert again == document
    assert again.body == BODY
    assert serialize_document(again) == serialized  # writing is stable
    assert serialized.endswith("\n---\n" + BODY)


@pytest.mark.parametrize("key", ["witness", "translation"])
def test_round_trip_of_an_empty_mapping(key: str) -> None:
    document = parse_document(file_text(**{key: "{}"}), PATH)
    assert parse_document(serialize_document(document), PATH) == document


def test_serialize_keeps_the_body_verbatim() -> None:
    body = "  Leading spaces, a trailing space \n\n\n\tand a tab.\n\n\n"
    document = parse_document(file_text(body, sha256=body_sha256(body), segments=None))
    serialized = serialize_document(document)
    assert serialized.split("\n---\n", 1)[1] == body
    assert parse_document(serialized).body == body


def test_round_trip_of_a_changed_document() -> None:
    document = parse_document(file_text(), PATH)
    changed = replace(
        document,
        tags=TagSet(abuse_types=("torture",)),
        date=PartialDate(2017),
        incident=Incident(None, PartialDate(2016, 12)),
        extra={"sample": True, "date": dt.date(2016, 1, 2).isoformat()},
    )
    assert parse_document(serialize_document(changed)) == changed


# -- errors ----------------------------------------------------------------------------

ERRORS: list[tuple[str, dict[str, str | None], str, bool, str]] = [
    # name, changes, field, whether the line is known, a fragment of the reason
    ("unknown key", {"colour": "red"}, "colour", True, "unknown key"),
    ("typo of a key", {"abuse_type": "[torture]"}, "abuse_type", True, "put anything else"),
    ("missing id", {"id": None}, "id", False, "missing"),
    ("missing kind", {"kind": None}, "kind", False, "missing"),
    ("missing title", {"title": None}, "title", False, "missing"),
    ("empty title", {"title": "''"}, "title", True, "missing"),
    ("blank title", {"title": "'   '"}, "title", True, "must be text"),
    ("missing language", {"language": None}, "language", False, "missing"),
    ("missing sha256", {"sha256": None}, "sha256", False, "missing"),
    ("id with spaces", {"id": "Bad Id"}, "id", True, "not a valid id"),
    ("id in capitals", {"id": "MX-2016"}, "id", True, "not a valid id"),
    ("id starting with a dash", {"id": "-abc"}, "id", True, "not a valid id"),
    ("id too long", {"id": "a" * 101}, "id", True, "not a valid id"),
    ("id with a slash", {"id": "a/b"}, "id", True, "not a valid id"),
    ("id that is a number", {"id": "2016"}, "id", True, "not a valid id"),
    ("bad kind", {"kind": "novel"}, "kind", True, "not a kind"),
    ("kind in capitals", {"kind": "Testimony"}, "kind", True, "not a kind"),
    ("language name", {"language": "Spanish"}, "language", True, "not a language code"),
    ("language in capitals", {"language": "ES"}, "language", True, "not a language code"),
    ("one-letter language", {"language": "e"}, "language", True, "not a language code"),
    ("bad access", {"access": "secret"}, "access", True, "public"),
    ("date in words", {"date": "March 2016"}, "date", True, "YYYY"),
    ("month 13", {"date": "2016-13"}, "date", True, "month 13"),
    ("date as a list", {"date": "[2016]"}, "date", True, "YYYY"),
    (
        "incident ending before it starts",
        {"incident": "{from: 2016-02-20, to: 2016-01-23}"},
        "incident",
        True,
        "ends (2016-01-23) before it starts (2016-02-20)",
    ),
    (
        "incident ending the year before",
        {"incident": "{from: 2016-02, to: 2015}"},
        "incident",
        True,
        "before it starts",
    ),
    ("incident with another key", {"incident": "{from: 2016, until: 2017}"}, "incident", True, ""),
    ("incident as text", {"incident": "2016"}, "incident", True, "mapping"),
    ("bad incident date", {"incident": "{from: soon}"}, "incident", True, "YYYY"),
    ("sha256 not hex", {"sha256": "z" * 64}, "sha256", True, "hexadecimal"),
    ("sha256 in capitals", {"sha256": SHA.upper()}, "sha256", True, "lower-case"),
    ("sha256 too short", {"sha256": SHA[:-1]}, "sha256", True, "64"),
    (
        "sha256 of another text",
        {"sha256": body_sha256(BODY + " ")},
        "sha256",
        True,
        "does not match",
    ),
    (
        "segment after the last paragraph",
        {"segments": "{4: {locations: [MX]}}"},
        "segments",
        True,
        "paragraph 4 does not exist; the text has 3 paragraphs",
    ),
    ("segment 0", {"segments": "{0: {locations: [MX]}}"}, "segments", True, "paragraph 0"),
    ("segment -1", {"segments": "{-1: {locations: [MX]}}"}, "segments", True, "paragraph -1"),
    ("segment by name", {"segments": "{first: {locations: [MX]}}"}, "segments", True, "first"),
    ("segments as a list", {"segments": "[1, 2]"}, "segments", True, "paragraph numbers"),
    (
        "segment with an unknown key",
        {"segments": "{1: {places: [MX]}}"},
        "segments",
        True,
        "paragraph 1",
    ),
    (
        "segment tags not a list",
        {"segments": "{1: {locations: {MX: 1}}}"},
        "segments",
        True,
        "paragraph 1, locations",
    ),
    ("tags not a list", {"locations": "{MX: 1}"}, "locations", True, "list of ids"),
    ("tags not text", {"abuse_types": "[1, 2]"}, "abuse_types", True, "list of ids"),
    ("witness as text", {"witness": "Witness A"}, "witness", True, "mapping"),
    ("extra as a list", {"extra": "[1, 2]"}, "extra", True, "mapping"),
    ("source as a number", {"source": "12"}, "source", True, "text or a mapping"),
]


@pytest.mark.parametrize(
    ("changes", "field", "line_known", "reason"),
    [case[1:] for case in ERRORS],
    ids=[case[0] for case in ERRORS],
)
def test_errors_name_the_field_and_line(
    changes: dict[str, str | None], field: str, line_known: bool, reason: str
) -> None:
    with pytest.raises(ArchiveError) as caught:
        parse_document(file_text(**changes), PATH)
    error = caught.value
    assert error.field == field
    assert error.path == PATH
    assert reason in error.reason
    if line_known:
        expected_line = line_of(field) if field in FRONT else len(FRONT) + 2
        assert error.line == expected_line
        assert f"{PATH}:{expected_line}: field '{field}'" in str(error)
    else:
        assert error.line is None
        assert str(error).startswith(f"{PATH}: field '{field}'")


def test_a_one_character_change_of_the_body_is_caught() -> None:
    changed = BODY.replace("chicharra", "chicharrá")
    assert len(changed) == len(BODY)
    with pytest.raises(ArchiveError) as caught:
        parse_document(file_text(changed), PATH)
    assert caught.value.field == "sha256"
    assert caught.value.line == line_of("sha256")
    assert SHA[:12] in caught.value.reason
    assert body_sha256(changed)[:12] in caught.value.reason


def test_a_changed_line_ending_of_the_body_is_caught() -> None:
    with pytest.raises(ArchiveError) as caught:
        parse_document(file_text(BODY.rstrip("\n")), PATH)
    assert caught.value.field == "sha256"


@pytest.mark.parametrize("value", ["2016-02-30", "2015-02-29", "2016-04-31"])
def test_impossible_yaml_date_is_an_archive_error(value: str) -> None:
    with pytest.raises(ArchiveError) as caught:
        parse_document(file_text(date=value), PATH)
    assert caught.value.field == "date"
    assert caught.value.line == line_of("date")


@pytest.mark.parametrize(
    "changes",
    [
        {"suggested": "{abuse_type: [torture]}"},
        {"suggested": "{locations: [MX], places: [GT]}"},
        {"segments": "{1: {suggested: {abuse_type: [torture]}}}"},
    ],
)
def test_unknown_key_in_suggested_is_an_error(changes: dict[str, str]) -> None:
    with pytest.raises(ArchiveError) as caught:
        parse_document(file_text(**changes), PATH)
    assert caught.value.field in ("suggested", "segments")


def test_duplicate_key_is_an_error() -> None:
    text = file_text().replace(
        "perpetrators: [immigration]\n", "perpetrators: [immigration]\nperpetrators: [police]\n"
    )
    with pytest.raises(ArchiveError) as caught:
        parse_document(text, PATH)
    assert caught.value.field == "perpetrators"
    assert caught.value.line == line_of("perpetrators") + 1


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("", 1, "must start with a '---' line"),
        ("id: a\n---\nbody\n", 1, "must start with a '---' line"),
        ("\n---\nid: a\n---\nbody\n", 1, "must start with a '---' line"),
        ("--- \nid: a\n---\nbody\n", 1, "must start with a '---' line"),
        ("---\r\nid: a\r\n---\r\nbody\r\n", 1, "must start with a '---' line"),
        ("\ufeff---\nid: a\n---\nbody\n", 1, "must start with a '---' line"),
        ("---\nid: a\nkind: testimony\n", None, "not closed"),
        ("---\nid: a\n----\nbody\n", None, "not closed"),
        ("---\nid: a\n ---\nbody\n", None, "not closed"),
        ("---", 1, "must start with a '---' line"),
        ("---\n", None, "not closed"),
    ],
)
def test_front_matter_structure_errors(text: str, line: int | None, reason: str) -> None:
    with pytest.raises(ArchiveError) as caught:
        parse_document(text, PATH)
    assert caught.value.line == line
    assert caught.value.path == PATH
    assert reason in caught.value.reason


@pytest.mark.parametrize(
    ("front", "line", "problem"),
    [
        ("id: a\nkind: testimony\ntitle: t\nlanguage: es: en\n", 5, "mapping values"),
        ("id: a\nkind: testimony\n\ttitle: t\n", 4, "tab"),
        ("id: a\nkind: [x\ntitle: t\n", 4, "did not find expected"),
        ("id: a\nkind: *nothing\n", 3, "undefined alias"),
        ("id: !!python/object:os.system a\n", 2, "tag !!python/object:os.system is not"),
    ],
)
def test_invalid_yaml_names_its_line(front: str, line: int, problem: str) -> None:
    with pytest.raises(ArchiveError) as caught:
        parse_document(f"---\n{front}---\nbody\n", PATH)
    assert caught.value.line == line
    assert caught.value.reason.startswith("invalid YAML:")
    assert problem in caught.value.reason
    assert str(caught.value).startswith(f"{PATH}:{line}: invalid YAML")


@pytest.mark.parametrize("front", ["- a\n- b\n", "just text\n", "42\n"])
def test_front_matter_must_be_a_mapping(front: str) -> None:
    with pytest.raises(ArchiveError, match="must be a mapping of keys") as caught:
        parse_document(f"---\n{front}---\nbody\n", PATH)
    assert caught.value.line == 2


def test_empty_front_matter_reports_the_first_missing_key() -> None:
    with pytest.raises(ArchiveError) as caught:
        parse_document("---\n---\nbody\n", PATH)
    assert caught.value.field == "id"


@pytest.mark.parametrize("body", ["", "\n", "  \n\n\t\n"])
def test_empty_body_is_an_error(body: str) -> None:
    with pytest.raises(ArchiveError, match="no text after the front matter") as caught:
        parse_document(file_text(body, sha256=body_sha256(body), segments=None), PATH)
    assert caught.value.path == PATH


def test_fill_sha256_fills_a_missing_sha256() -> None:
    document = parse_document(file_text(sha256=None), PATH, fill_sha256=True)
    assert document.sha256 == SHA
    assert parse_document(serialize_document(document)) == document


def test_fill_sha256_does_not_replace_a_wrong_sha256() -> None:
    wrong = body_sha256("another text")
    with pytest.raises(ArchiveError) as caught:
        parse_document(file_text(sha256=wrong), PATH, fill_sha256=True)
    assert caught.value.field == "sha256"


def test_without_fill_sha256_a_missing_sha256_is_an_error() -> None:
    with pytest.raises(ArchiveError) as caught:
        parse_document(file_text(sha256=None), PATH)
    assert caught.value.field == "sha256"


@pytest.mark.parametrize(
    ("text", "front", "body", "first_body_line"),
    [
        ("---\na: 1\n---\nbody\n", "a: 1\n", "body\n", 4),
        ("---\na: 1\nb: 2\n---\nbody", "a: 1\nb: 2\n", "body", 5),
        ("---\n---\nbody\n", "", "body\n", 3),
        ("---\na: 1\n---", "a: 1\n", "", 4),
        ("---\na: 1\n---   \nbody\n", "a: 1\n", "body\n", 4),  # spaces after the closing ---
        ("---\na: 1\n---\n---\nbody\n", "a: 1\n", "---\nbody\n", 4),  # the first --- closes
        ("---\na: 1\n---\n\n  body \n", "a: 1\n", "\n  body \n", 4),
    ],
)
def test_split_front_matter(text: str, front: str, body: str, first_body_line: int) -> None:
    assert split_front_matter(text) == (front, body, first_body_line)


def test_the_body_hash_is_of_the_text_after_the_closing_line() -> None:
    text = file_text()
    _, body, first_line = split_front_matter(text)
    assert body == BODY
    assert body_sha256(body) == SHA
    assert text.split("\n")[first_line - 1] == BODY.split("\n")[0]
