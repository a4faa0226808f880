"""The collections desk (collecting.py): who may collect, what a viewer may add, what
its excerpts show now, and exports recorded in the audit trail with their hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest

from testimony_archive import access
from testimony_archive.access import ANONYMOUS, Viewer
from testimony_archive.collecting import CollectionDesk, describe_search, left_out_note
from testimony_archive.collections import Collections
from testimony_archive.config import Settings
from testimony_archive.errors import Forbidden, NotFound, UsageError
from testimony_archive.excerpts import Place, parse_document, parse_place
from testimony_archive.index import SearchRequest
from testimony_archive.service import SearchService

from .conftest import ADMIN, instance_database

RESEARCHER = Viewer(role="researcher", name="rita", via="command line")
OTHER = Viewer(role="researcher", name="omar", via="command line")
RESTRICTED = "r-es-004"


@pytest.fixture
def desk(service: SearchService, settings: Settings) -> Iterator[CollectionDesk]:
    database = instance_database(settings)
    yield CollectionDesk(service, Collections(database))
    database.close()


@pytest.fixture
def public_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A policy under which researchers read public documents only."""
    reads = {**access._READS, "researcher": frozenset({"public"})}
    monkeypatch.setattr(access, "_READS", reads)


def test_anonymous_visitors_may_not_collect(desk: CollectionDesk) -> None:
    calls = [
        lambda: desk.create(ANONYMOUS, "Case"),
        lambda: desk.list(ANONYMOUS),
        lambda: desk.get(ANONYMOUS, 1),
        lambda: desk.export_search_results(ANONYMOUS, SearchRequest(q="police"), "md"),
    ]
    for call in calls:
        with pytest.raises(Forbidden, match="Sign in to collect excerpts"):
            call()
    assert access.may(RESEARCHER, "collect") and access.may(ADMIN, "collect")


def test_collections_belong_to_the_viewers_name(desk: CollectionDesk) -> None:
    made = desk.create(RESEARCHER, "Case")
    desk.add(RESEARCHER, made.id, Place("t-en-001", 2, 2), "the checkpoint")
    assert [c.name for c in desk.list(RESEARCHER)] == ["Case"]
    assert desk.list(OTHER) == []
    with pytest.raises(NotFound, match=f"no collection {made.id}"):
        desk.add(OTHER, made.id, Place("t-en-001", 3, 3))


def test_a_place_must_exist_and_be_readable(desk: CollectionDesk, public_only: None) -> None:
    made = desk.create(RESEARCHER, "Case")
    with pytest.raises(UsageError, match="there is no ¶9"):
        desk.add(RESEARCHER, made.id, Place("t-en-001", 9, 9))
    with pytest.raises(UsageError, match="reaches beyond it"):
        desk.add(RESEARCHER, made.id, Place("t-en-001", 1, 1, (1, 5000)))
    with pytest.raises(NotFound) as restricted:
        desk.add(RESEARCHER, made.id, Place(RESTRICTED, 1, 1))
    with pytest.raises(NotFound) as missing:
        desk.add(RESEARCHER, made.id, Place("no-such-doc", 1, 1))
    assert str(restricted.value) == str(missing.value).replace("no-such-doc", RESTRICTED)
    assert desk.get(RESEARCHER, made.id).size == 0


def test_excerpts_leave_out_what_is_no_longer_readable(
    desk: CollectionDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = desk.create(RESEARCHER, "Case")
    desk.add(RESEARCHER, made.id, Place(RESTRICTED, 1, 1), "restricted")
    desk.add(RESEARCHER, made.id, Place(RESTRICTED, 2, 2))
    desk.add(RESEARCHER, made.id, Place("t-en-001", 2, 2, (4, 32)), "public")
    gathered = desk.excerpts(RESEARCHER, made.id)
    assert [e.doc for e in gathered] == [RESTRICTED, RESTRICTED, "t-en-001"]
    assert gathered.left_out == 0 and gathered[0].note == "restricted"
    monkeypatch.setattr(access, "_READS", {**access._READS,
                                           "researcher": frozenset({"public"})})  # fmt: skip
    gathered = desk.excerpts(RESEARCHER, made.id)
    assert [(e.doc, e.note) for e in gathered] == [("t-en-001", "public")]
    assert gathered.left_out == 2
    assert gathered[0].text == "a checkpoint near Huixtla two"
    _name, _media, data = desk.export(RESEARCHER, made.id, "json")
    assert RESTRICTED not in data.decode("utf-8")
    assert [e.doc for e in parse_document(json.loads(data))] == ["t-en-001"]


def test_redacted_text_stays_redacted_in_a_researchers_excerpt(
    desk: CollectionDesk, service: SearchService
) -> None:
    service.redact(ADMIN, "t-en-001", 3, "names the weapon", words="taser")
    made = desk.create(RESEARCHER, "Case")
    desk.add(RESEARCHER, made.id, Place("t-en-001", 3, 3))
    [excerpt] = desk.excerpts(RESEARCHER, made.id)
    assert "[redacted]" in excerpt.text and "taser" not in excerpt.text
    assert excerpt.redacted
    for format in ("md", "csv", "json"):
        _name, _media, data = desk.export(RESEARCHER, made.id, format)
        assert b"taser" not in data and b"[redacted]" in data
    # An editor's export of the same collection would show the words; the researcher's
    # bundle carries the document as shown, not the archived file.
    _name, media, zipped = desk.bundle(RESEARCHER, made.id)
    assert media == "application/zip" and b"taser" not in _unzipped(zipped)


def _unzipped(data: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist()
                        if not name.endswith((".docx", ".pdf")))  # fmt: skip


def test_exports_are_recorded_with_their_hash(
    desk: CollectionDesk, service: SearchService
) -> None:
    made = desk.create(RESEARCHER, "Asylum case")
    desk.add(RESEARCHER, made.id, Place("t-en-001", 2, 3), "two paragraphs")
    name, media, data = desk.export(RESEARCHER, made.id, "csv", language="es")
    assert name.startswith("excerpts-asylum-case-") and name.endswith(".csv")
    assert media.startswith("text/csv")
    [entry] = [e for e in service.audit.entries(actor="rita") if e.action == "export"]
    assert entry.target == f"collection {made.id}: Asylum case"
    assert entry.detail["format"] == "csv" and entry.detail["excerpts"] == 1
    assert entry.detail["sha256"] == hashlib.sha256(data).hexdigest()
    name, media, zipped = desk.bundle(RESEARCHER, made.id)
    assert name.endswith(".zip")
    entries = [e for e in service.audit.entries(actor="rita") if e.action == "export"]
    assert entries[-1].detail["format"] == "bundle"
    assert entries[-1].detail["sha256"] == hashlib.sha256(zipped).hexdigest()


def test_an_unknown_format_is_refused(desk: CollectionDesk) -> None:
    made = desk.create(RESEARCHER, "Case")
    with pytest.raises(UsageError, match="docx, pdf, csv, json, md"):
        desk.export(RESEARCHER, made.id, "xlsx")


def test_search_results_are_exported_with_the_query(
    desk: CollectionDesk, service: SearchService
) -> None:
    request = SearchRequest(q="immigration agents", kind="testimony")
    _name, _media, data = desk.export_search_results(RESEARCHER, request, "json")
    document = json.loads(data)
    assert document["title"] == "Search: immigration agents"
    excerpts = parse_document(document)
    assert excerpts and all(e.kind == "testimony" for e in excerpts)
    assert len({e.place for e in excerpts}) == len(excerpts)
    assert all(e.place.first == e.place.last for e in excerpts)
    assert describe_search(request) == "Query: immigration agents; kind: testimony"
    [entry] = [e for e in service.audit.entries(actor="rita") if e.action == "export"]
    assert entry.target == "search immigration agents"
    assert entry.detail["excerpts"] == len(excerpts)


def test_words_that_changed_since_they_were_collected_are_left_out_and_said(
    desk: CollectionDesk, service: SearchService
) -> None:
    """A redaction made after a researcher collected a passage changes the words at its
    place: the export leaves the item out and says why, instead of quoting other words."""
    collection = desk.create(RESEARCHER, "Before the redaction")
    desk.add(RESEARCHER, collection.id, parse_place("t-en-001", "3", "1-20"))
    desk.add(RESEARCHER, collection.id, parse_place("t-en-001", "1"))
    assert len(desk.excerpts(RESEARCHER, collection.id)) == 2
    service.redact(ADMIN, "t-en-001", 3, "a name", chars="3-8")
    gathered = desk.excerpts(RESEARCHER, collection.id)
    assert len(gathered) == 1 and gathered.changed == 1 and gathered.left_out == 0
    assert "the words at its place are no longer the ones collected" in left_out_note(0, 1)
    _name, _media, data = desk.export(RESEARCHER, collection.id, "json")
    exported = json.loads(data)
    assert len(exported["excerpts"]) == 1 and "no longer the ones collected" in (
        exported["description"])


def test_an_editors_quote_of_redacted_words_says_so_everywhere(
    desk: CollectionDesk, service: SearchService
) -> None:
    service.redact(ADMIN, "t-en-001", 3, "names the weapon", words="taser")
    editor = Viewer(role="editor", name="edna", via="command line")
    made = desk.create(editor, "For the filing")
    desk.add(editor, made.id, Place("t-en-001", 3, 3))
    [excerpt] = desk.excerpts(editor, made.id)
    assert "taser" in excerpt.text and excerpt.holds_redacted and not excerpt.redacted
    for format in ("md", "csv"):
        data = desk.export(editor, made.id, format)[2].decode("utf-8")
        assert "holds words redacted for other readers" in data  # in its citation
    cover = desk.export(editor, made.id, "md")[2].decode("utf-8")
    assert "1 of these quotes hold words that the archive redacts" in cover
