"""Redaction: passages hidden from readers who may not see them, kept beside the text in
the front matter (never altering the body or its sha256), shown as `[redacted]` and
never found by their words, in pages, API, highlights and citations alike."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from testimony_archive import redaction
from testimony_archive.access import ANONYMOUS, Viewer
from testimony_archive.archive import Archive
from testimony_archive.citation import cite
from testimony_archive.config import Settings
from testimony_archive.document_file import parse_document, serialize_document
from testimony_archive.errors import ArchiveError, UsageError
from testimony_archive.i18n import translator
from testimony_archive.index import DocumentHit, ParagraphHit, SearchRequest, rebuild_index
from testimony_archive.interchange import document_to_record, record_to_document
from testimony_archive.models import Redaction, body_sha256, split_paragraphs
from testimony_archive.service import SearchService
from testimony_archive.web.app import create_app

from .conftest import add_user, sign_in

RESEARCHER = Viewer(role="researcher", name="rita")
EDITOR = Viewer(role="editor", name="ed")
SECRET = "Zacualpa"  # a word only the redacted passage holds


# -- the pure functions ----------------------------------------------------------------


def test_character_ranges_are_counted_from_one_both_ends_included() -> None:
    assert redaction.parse_chars("12-25") == (11, 25)
    assert redaction.parse_chars(" 3 – 3 ") == (2, 3)
    assert Redaction(1, 11, 25).chars == "12-25"
    for bad in ("25-12", "0-4", "x", "3", "-4"):
        with pytest.raises(UsageError, match="12-25|character 1"):
            redaction.parse_chars(bad)


def test_apply_joins_overlaps_and_says_where_the_markers_stand() -> None:
    text, markers = redaction.apply("Juan Pérez met Ana in Comitán.", [(0, 4), (2, 10), (22, 29)])
    assert text == "[redacted] met Ana in [redacted]."
    assert [text[start:end] for start, end in markers] == ["[redacted]", "[redacted]"]


def test_occurrences_find_every_place_ignoring_case() -> None:
    assert redaction.occurrences("Ana saw ANA and ana.", "ana") == [(0, 3), (8, 11), (16, 19)]
    with pytest.raises(UsageError, match="does not occur"):
        redaction.occurrences("Ana", "Juan")


texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80)


@given(texts, st.lists(st.tuples(st.integers(0, 80), st.integers(1, 80)), max_size=5))
def test_no_redacted_character_survives_and_the_rest_stays_in_order(
    text: str, pairs: list[tuple[int, int]]
) -> None:
    ranges = [(min(a, b, len(text) - 1), min(max(a, b), len(text))) for a, b in pairs]
    ranges = [(start, end) for start, end in ranges if start < end]
    shown, markers = redaction.apply(text, ranges)
    kept = "".join(
        char for index, char in enumerate(text)
        if not any(start <= index < end for start, end in ranges)
    )  # fmt: skip
    pieces = [shown[a:b] for a, b in zip([0] + [e for _, e in markers],
                                         [s for s, _ in markers] + [len(shown)], strict=True)]
    assert "".join(pieces) == kept
    assert all(shown[start:end] == redaction.MARKER for start, end in markers)
    assert len(markers) == len(redaction.merged(ranges))


paragraph_text = st.text(
    st.characters(whitelist_categories=("L", "N"), whitelist_characters=" .,"), min_size=3,
    max_size=60,
).map(str.strip).filter(lambda text: len(text) >= 3)  # fmt: skip


@given(st.lists(paragraph_text, min_size=1, max_size=6), st.data())
def test_a_redacted_document_keeps_its_paragraphs_and_its_record(
    paragraphs: list[str], data: st.DataObject
) -> None:
    body = "\n\n".join(paragraphs) + "\n"
    number = data.draw(st.integers(1, len(paragraphs)))
    length = len(paragraphs[number - 1])
    start = data.draw(st.integers(0, length - 1))
    end = data.draw(st.integers(start + 1, length))
    document = record_to_document(
        {"id": "doc", "kind": "testimony", "title": "T", "text": body}
    )
    document = dataclasses.replace(document, redactions=(Redaction(number, start, end, "why"),))
    shown = redaction.redacted(document)
    assert len(shown.paragraphs) == len(document.paragraphs)
    assert document.sha256 == body_sha256(document.body)  # the record is whole
    assert shown.sha256 == body_sha256(shown.body) != document.sha256 and shown.redacted
    assert redaction.MARKER in shown.paragraphs[number - 1].text
    for other, original in zip(shown.paragraphs, document.paragraphs, strict=True):
        if other.number != number:
            assert other.text == original.text
    assert [(item.para, item.reason, item.by) for item in shown.redactions] == [(number, "", "")]


# -- the archive file ------------------------------------------------------------------

BODY = "First paragraph.\n\nWe were taken to Zacualpa at night.\n"


def _file(redactions: str) -> str:
    return (
        "---\nid: doc-1\nkind: testimony\ntitle: T\nlanguage: en\n"
        f"sha256: {body_sha256(BODY)}\n{redactions}---\n{BODY}"
    )


def test_redactions_live_in_the_front_matter_and_round_trip() -> None:
    text = _file(
        "redactions:\n- {para: 2, chars: 18-25, reason: names the village, by: ed, "
        "at: '2026-12-06T10:00:00+00:00'}\n"
    )
    document = parse_document(text, "doc-1.md")
    assert document.redactions == (
        Redaction(2, 17, 25, "names the village", "ed", "2026-12-06T10:00:00+00:00"),
    )
    assert document.paragraphs[1].text[17:25] == SECRET
    assert parse_document(serialize_document(document)) == document
    assert record_to_document(document_to_record(document)) == dataclasses.replace(
        document, path=None
    )


@pytest.mark.parametrize(
    ("redactions", "says"),
    [
        ("redactions: {para: 2}\n", "must be a list"),
        ("redactions:\n- {para: 3, chars: 1-2}\n", "paragraph 3 does not exist"),
        ("redactions:\n- {para: 2, chars: 30-40}\n", "go past the paragraph's 35 characters"),
        ("redactions:\n- {para: 2, chars: nine}\n", "A-B"),
        ("redactions:\n- {para: 2, chars: 1-2, who: me}\n", "use the keys"),
    ],
)
def test_bad_redactions_name_the_field(redactions: str, says: str) -> None:
    with pytest.raises(ArchiveError, match=says) as error:
        parse_document(_file(redactions), "doc-1.md")
    assert error.value.field == "redactions" and error.value.line == 7


# -- the service, the index and the pages ----------------------------------------------


def _redacted_service(service: SearchService, archive: Archive, tmp_path: Path) -> int:
    """Import a document whose paragraph 2 names the village, and redact the name."""
    source = tmp_path / "village.jsonl"
    source.write_text(
        '{"id": "v-1", "kind": "testimony", "title": "Taken at night", "language": "en", '
        '"text": "They stopped the bus.\\n\\nWe were taken to Zacualpa at night and beaten."}\n',
        encoding="utf-8",
    )
    service.import_files(EDITOR, [source], suggest=False)
    service.update_index()
    updated = service.redact(EDITOR, "v-1", 2, "names the village", words="zacualpa")
    return len(updated.redactions)


def test_a_redacted_word_finds_nothing_for_those_who_may_not_see_it(
    service: SearchService, archive: Archive, tmp_path: Path
) -> None:
    assert _redacted_service(service, archive, tmp_path) == 1
    assert archive.get("v-1").body == (
        "They stopped the bus.\n\nWe were taken to Zacualpa at night and beaten."
    )  # the record is whole
    for viewer, found in ((ANONYMOUS, False), (RESEARCHER, False), (EDITOR, True)):
        result = service.search(SearchRequest(q=SECRET, unit="paragraph"), viewer)
        assert ("v-1" in {hit.doc for hit in result.hits if isinstance(hit, ParagraphHit)}) is found
    # the rest of the paragraph is found, shown redacted, and highlighted around the gap
    for viewer in (ANONYMOUS, RESEARCHER):
        result = service.search(SearchRequest(q="taken at night beaten"), viewer)
        hit = next(h for h in result.hits if isinstance(h, DocumentHit) and h.meta.id == "v-1")
        text = hit.paragraphs[0].text
        assert text == "We were taken to [redacted] at night and beaten."
        assert all(SECRET not in text[a:b] and "[" not in text[a:b]
                   for a, b in hit.paragraphs[0].highlights)  # fmt: skip
    editor_hit = next(
        h for h in service.search(SearchRequest(q="taken at night"), EDITOR).hits
        if isinstance(h, DocumentHit) and h.meta.id == "v-1"
    )  # fmt: skip
    assert SECRET in editor_hit.paragraphs[0].text
    # totals and facets are the same for every role: nothing tells a redaction exists
    counts = [service.counts(viewer) for viewer in (RESEARCHER, EDITOR)]
    assert counts[0].paragraphs == counts[1].paragraphs


def test_the_document_and_its_citation_say_the_passage_is_redacted(
    service: SearchService, archive: Archive, tmp_path: Path
) -> None:
    _redacted_service(service, archive, tmp_path)
    reading = service.reading("v-1", RESEARCHER, q=SECRET)
    assert SECRET not in reading.document.body and "[redacted]" in reading.document.body
    assert reading.hits == []
    citation = cite(reading.document, 2, "http://archive.test/", translator("en"))
    assert "¶ 2 (passage redacted)" in citation.text
    # the fingerprint is of the text as shown: it cannot confirm a guess of the words
    assert citation.sha256 == reading.document.sha256 == body_sha256(reading.document.body)
    assert citation.sha256 != archive.get("v-1").sha256
    spanish = cite(reading.document, 2, "http://archive.test/", translator("es"))
    assert "párr. 2 (pasaje testado)" in spanish.text
    editor_reading = service.reading("v-1", EDITOR, q=SECRET)
    assert editor_reading.hits == [2] and SECRET in editor_reading.document.body
    entry = service.audit.entries()[-1]
    assert (entry.action, entry.target, entry.detail["chars"]) == ("redact", "v-1", ["18-25"])


def test_redactions_are_checked_and_removed(
    service: SearchService, archive: Archive, tmp_path: Path
) -> None:
    _redacted_service(service, archive, tmp_path)
    with pytest.raises(UsageError, match="not inside paragraph 2"):
        service.redact(EDITOR, "v-1", 2, "why", chars="40-90")
    with pytest.raises(UsageError, match="a reason"):
        service.redact(EDITOR, "v-1", 2, "  ", chars="1-2")
    with pytest.raises(UsageError, match="either the characters"):
        service.redact(EDITOR, "v-1", 2, "why", chars="1-2", words="We")
    service.unredact(EDITOR, "v-1", 1)
    assert archive.get("v-1").redactions == ()
    result = service.search(SearchRequest(q=SECRET, unit="paragraph"), ANONYMOUS)
    assert "v-1" in {hit.doc for hit in result.hits if isinstance(hit, ParagraphHit)}


def test_editors_redact_on_the_document_page_and_readers_see_the_marker(
    archive: Archive, settings: Settings, tmp_path: Path
) -> None:
    source = tmp_path / "village.jsonl"
    source.write_text(
        '{"id": "v-1", "kind": "testimony", "title": "Taken at night", "language": "en", '
        '"text": "They stopped the bus.\\n\\nWe were taken to Zacualpa at night."}\n',
        encoding="utf-8",
    )
    from testimony_archive.importer import import_paths

    import_paths(archive, [source])
    rebuild_index(archive, settings.index_dir)
    add_user(settings, "ed", "editor")
    with TestClient(create_app(settings)) as editor, TestClient(editor.app) as reader:
        sign_in(editor, "ed")
        page = editor.get("/documents/v-1")
        assert 'action="/documents/v-1/redactions"' in page.text
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert found
        csrf = found.group(1)
        response = editor.post(
            "/documents/v-1/redactions",
            data={"csrf": csrf, "para": "2", "words": SECRET, "reason": "names the village"},
            follow_redirects=False,
        )
        assert response.status_code == 303 and response.headers["location"] == "/documents/v-1#p2"
        page = editor.get("/documents/v-1")
        assert f'<span class="redacted">{SECRET}</span>' in page.text
        assert "names the village" in page.text and "Redactions" in page.text
        shown = reader.get("/documents/v-1")
        assert SECRET not in shown.text and "names the village" not in shown.text
        assert '<span class="redacted">[redacted]</span>' in shown.text
        assert "(passage redacted)" in shown.text
        api = reader.get("/api/documents/v-1/paragraphs/2").json()
        assert api["text"] == "We were taken to [redacted] at night."
        assert "(passage redacted)" in api["citation"]["text"]
        assert SECRET not in reader.get("/api/search", params={"q": "taken night"}).text
        assert reader.get("/api/search", params={"q": SECRET}).json()["total"] == 0
        refused = reader.post("/documents/v-1/redactions",
                              data={"csrf": "x", "para": "2", "words": "bus", "reason": "r"})
        assert refused.status_code == 403  # fmt: skip
    assert split_paragraphs(archive.get("v-1").body)[1] == f"We were taken to {SECRET} at night."


def test_a_file_changed_since_it_was_indexed_shows_nothing_until_it_is_indexed_again(
    service: SearchService, archive: Archive, tmp_path: Path
) -> None:
    """A redaction written into the file by hand (a restore, a pull) before the index
    knows of it: the search leaves the file out (nothing of it, not even its title), and
    brings the index up to date in the background."""
    import time

    _redacted_service(service, archive, tmp_path)
    service.unredact(EDITOR, "v-1", 1)
    document = archive.get("v-1")
    redacted = dataclasses.replace(document, redactions=(Redaction(2, 17, 25),))
    archive.path_for("v-1").write_text(serialize_document(redacted), encoding="utf-8")
    result = service.search(SearchRequest(q="taken at night"), ANONYMOUS, cache=False)
    assert "v-1" not in {hit.meta.id for hit in result.hits if isinstance(hit, DocumentHit)}
    assert any("changed in the archive since they were indexed" in note
               for note in result.notes)  # fmt: skip
    assert not any("v-1" in note or str(tmp_path) in note for note in result.notes)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the index catches up by itself
        result = service.search(SearchRequest(q="taken at night"), ANONYMOUS, cache=False)
        hits = [h for h in result.hits if isinstance(h, DocumentHit) and h.meta.id == "v-1"]
        if hits:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the index was not brought up to date")
    assert hits[0].paragraphs[0].text == "We were taken to [redacted] at night and beaten."


def test_where_else_the_words_of_a_redaction_stand() -> None:
    document = record_to_document({"id": "doc", "kind": "testimony", "title": "Taken to "
                                   "Zacualpa", "text": BODY, "locations": ["GT-13"]})  # fmt: skip
    document = dataclasses.replace(
        document, redactions=(Redaction(2, 17, 25, "the village"), Redaction(1, 0, 5))
    )

    def labels(name: str, value: str) -> list[str]:
        return ["Zacualpa"] if value == "GT-13" else [value]

    assert redaction.exposures(document, labels) == [["title", "tag GT-13"], []]
    again = dataclasses.replace(document, body=BODY + "\nBack in Zacualpa, we hid.\n")
    assert redaction.exposures(again, labels)[0] == ["title", "tag GT-13", "¶3"]


def test_the_editor_is_told_when_a_tag_still_names_what_was_redacted(
    service: SearchService, tmp_path: Path
) -> None:
    source = tmp_path / "walk.jsonl"
    source.write_text(
        '{"id": "w-1", "kind": "testimony", "title": "The walk", "language": "en", '
        '"locations": ["GT-13"], "text": "We walked from Huehuetenango to the border."}\n',
        encoding="utf-8",
    )
    service.import_files(EDITOR, [source], suggest=False)
    service.update_index()
    document = service.redact(EDITOR, "w-1", 1, "names the town", words="Huehuetenango")
    assert service.exposures(document) == [["tag GT-13"]]
    assert service.reading("w-1", EDITOR).exposures == [["tag GT-13"]]
    assert service.reading("w-1", RESEARCHER).exposures == []
