"""Verification: an excerpt checked against the archive says faithful, redacted since,
altered or missing, names where it parts from the archive, and tells a viewer nothing
that viewer may not see (a restricted document is missing; redacted words are never
compared)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from testimony_archive.access import ANONYMOUS, Viewer
from testimony_archive.archive import Archive
from testimony_archive.excerpts import Excerpt, parse_place, text_sha256
from testimony_archive.service import SearchService

from .conftest import ADMIN

RESEARCHER = Viewer(role="researcher", name="rita")
EDITOR = Viewer(role="editor", name="ed")
TEXT = (
    "They stopped the bus at the checkpoint.\n\n"
    "We were taken to Zacualpa at night and beaten.\n\n"
    "In the morning they let us go without papers."
)


def _import(service: SearchService, tmp_path: Path, doc_id: str = "v-1",
            access: str = "public") -> None:  # fmt: skip
    source = tmp_path / f"{doc_id}.jsonl"
    text = TEXT.replace("\n", "\\n")
    source.write_text(
        f'{{"id": "{doc_id}", "kind": "testimony", "title": "Taken at night", '
        f'"language": "en", "access": "{access}", "text": "{text}"}}\n',
        encoding="utf-8",
    )
    service.import_files(EDITOR, [source], suggest=False)
    service.update_index()


def _verdict(service: SearchService, excerpt: Excerpt, viewer: Viewer = ADMIN) -> tuple[str, str]:
    [verdict] = service.verify(viewer, [excerpt], "test", "0" * 64)
    return verdict.status, verdict.detail


def _retyped(excerpt: Excerpt, text: str) -> Excerpt:
    """The excerpt with other words, its own hash made to match (a careful forger)."""
    return dataclasses.replace(excerpt, text=text, sha256=text_sha256(text))


def test_an_excerpt_just_taken_is_faithful_whole_paragraphs_runs_and_characters(
    service: SearchService, tmp_path: Path
) -> None:
    _import(service, tmp_path)
    for paragraphs, chars in (("2", None), ("1-3", None), ("2", "18-25")):
        excerpt = service.excerpt(ADMIN, parse_place("v-1", paragraphs, chars))
        assert _verdict(service, excerpt) == ("faithful", "")
    assert service.excerpt(ADMIN, parse_place("v-1", "2", "18-25")).text == "Zacualpa"


def test_a_changed_quote_is_altered_and_the_place_is_named(
    service: SearchService, tmp_path: Path
) -> None:
    _import(service, tmp_path)
    excerpt = service.excerpt(ADMIN, parse_place("v-1", "1-3"))
    touched = dataclasses.replace(excerpt, text=excerpt.text.replace("night", "nigth"))
    status, detail = _verdict(service, touched)
    assert status == "altered" and "own SHA-256" in detail
    status, detail = _verdict(service, _retyped(excerpt, excerpt.text.replace("night", "nigth")))
    assert status == "altered"
    # where they part
    assert "¶2, character 33" in detail and "the archive has “ht and beaten.”" in detail
    shifted = dataclasses.replace(excerpt, place=parse_place("v-1", "2-3"))
    assert _verdict(service, shifted)[0] == "altered"
    beyond = dataclasses.replace(excerpt, place=parse_place("v-1", "3-4"))
    status, detail = _verdict(service, beyond)
    assert status == "altered" and "no ¶4" in detail


def test_another_version_of_the_document_is_altered(
    service: SearchService, tmp_path: Path
) -> None:
    _import(service, tmp_path)
    excerpt = service.excerpt(ADMIN, parse_place("v-1", "2"))
    other = dataclasses.replace(excerpt, document_sha256="ab" * 32)
    status, detail = _verdict(service, other)
    assert status == "altered" and "abababababab" in detail


def test_a_body_changed_in_the_archive_makes_its_excerpts_altered(
    service: SearchService, archive: Archive, tmp_path: Path
) -> None:
    _import(service, tmp_path)
    excerpt = service.excerpt(ADMIN, parse_place("v-1", "2"))
    path = archive.path_for("v-1")
    path.write_text(path.read_text(encoding="utf-8").replace("beaten", "beatem"), "utf-8")
    status, detail = _verdict(service, excerpt)
    assert status == "altered" and "does not hold" in detail and "sha256" in detail.lower()


def test_an_unknown_document_and_a_restricted_one_for_an_anonymous_verifier_are_missing(
    service: SearchService, tmp_path: Path
) -> None:
    _import(service, tmp_path, "v-2", access="restricted")
    excerpt = service.excerpt(ADMIN, parse_place("v-2", "2"))
    assert _verdict(service, excerpt, RESEARCHER) == ("faithful", "")
    unknown = dataclasses.replace(excerpt, place=parse_place("v-404", "2"))
    assert _verdict(service, excerpt, ANONYMOUS) == _verdict(service, unknown, ANONYMOUS)
    assert _verdict(service, unknown, ADMIN)[0] == "missing"


def test_a_passage_redacted_after_the_excerpt_was_taken_says_redacted_since(
    service: SearchService, tmp_path: Path
) -> None:
    _import(service, tmp_path)
    excerpt = service.excerpt(ADMIN, parse_place("v-1", "2"))
    untouched = service.excerpt(ADMIN, parse_place("v-1", "1"))
    service.redact(EDITOR, "v-1", 2, "names the village", words="Zacualpa")
    status, detail = _verdict(service, excerpt, ADMIN)
    assert status == "redacted since" and "¶2 chars 18-25" in detail
    assert _verdict(service, untouched, ADMIN) == ("faithful", "")
    # A reader who may not see the words is never shown them, and what stands in their
    # place in the quote is not compared: any word gives the same answer.
    status, detail = _verdict(service, excerpt, RESEARCHER)
    assert status == "redacted since" and "Zacualpa" not in detail
    guess = _retyped(excerpt, excerpt.text.replace("Zacualpa", "Comitán"))
    assert _verdict(service, guess, RESEARCHER) == (status, detail)
    # paragraph 1 is unchanged, but the document as the reader sees it is a new version
    assert _verdict(service, untouched, RESEARCHER)[0] == "redacted since"


def test_an_excerpt_taken_by_a_reader_of_the_redacted_text_stays_faithful(
    service: SearchService, tmp_path: Path
) -> None:
    _import(service, tmp_path)
    service.redact(EDITOR, "v-1", 2, "names the village", words="Zacualpa")
    excerpt = service.excerpt(RESEARCHER, parse_place("v-1", "2"))
    assert "Zacualpa" not in excerpt.text and "[redacted]" in excerpt.text
    assert excerpt.redacted
    for viewer in (RESEARCHER, EDITOR, ADMIN):
        assert _verdict(service, excerpt, viewer) == ("faithful", ""), viewer.role
    # the words outside the redaction are still compared
    changed = _retyped(excerpt, excerpt.text.replace("beaten", "robbed"))
    assert _verdict(service, changed, RESEARCHER)[0] == "altered"


def test_every_verification_is_in_the_audit_trail_with_the_input_hash(
    service: SearchService, tmp_path: Path
) -> None:
    _import(service, tmp_path)
    excerpt = service.excerpt(ADMIN, parse_place("v-1", "2"))
    service.verify(RESEARCHER, [excerpt, _retyped(excerpt, "no")], "filing.json", "f" * 64)
    entry = service.audit.entries()[-1]
    assert (entry.action, entry.actor, entry.target) == ("verify", "rita", "filing.json")
    assert entry.detail == {"sha256": "f" * 64, "excerpts": 2, "faithful": 1, "altered": 1}


@pytest.mark.parametrize("text", ["", "4-", "0", "3-2", "x"])
def test_places_people_cannot_mean_are_refused(text: str) -> None:
    from testimony_archive.errors import UsageError

    with pytest.raises(UsageError):
        parse_place("v-1", text)


@pytest.mark.parametrize(
    "field, value",
    [("title", "Another title"), ("witness", "Witness Z"), ("author", "Witness Z"),
     ("date", "1999-01-01"), ("kind", "report_excerpt"), ("places", ("GT",)),
     ("permalink", "https://a.example/documents/v-9#p2")],
)  # fmt: skip
def test_what_an_excerpt_says_of_its_document_is_checked_too(
    service: SearchService, tmp_path: Path, field: str, value: object
) -> None:
    _import(service, tmp_path)
    excerpt = service.excerpt(ADMIN, parse_place("v-1", "2"))
    status, detail = _verdict(service, dataclasses.replace(excerpt, **{field: value}))
    assert status == "altered" and field in detail
    moved = dataclasses.replace(excerpt, permalink="https://elsewhere.example/documents/v-1#p2")
    assert _verdict(service, moved) == ("faithful", "")  # served at another address


def test_a_crafted_quote_over_a_redacted_paragraph_is_answered_at_once(
    service: SearchService, tmp_path: Path
) -> None:
    """Verification is linear in the quote: a long quote made to defeat a pattern with
    gaps (cubic time) is answered like any other."""
    _import(service, tmp_path)
    for words in ("were", "taken", "night"):
        service.redact(EDITOR, "v-1", 2, "a test", words=words)
    excerpt = service.excerpt(RESEARCHER, parse_place("v-1", "2"))
    crafted = _retyped(excerpt, "We " + "x and " * 40_000 + "beaten.")
    assert _verdict(service, crafted, RESEARCHER)[0] == "altered"
    spaced = _retyped(excerpt, excerpt.text.replace("[redacted]", "x"))
    assert _verdict(service, spaced, RESEARCHER)[0] == "redacted since"
