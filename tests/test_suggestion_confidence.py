"""Each suggestion's confidence: `tag suggest --min-confidence` and `--explain`, kept in the
front matter until the suggestion is accepted or rejected, and the review queue ordered
by it (on both search backends and on the /review page)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from testimony_archive.access import ANONYMOUS
from testimony_archive.archive import Archive
from testimony_archive.cli import cli
from testimony_archive.config import Settings
from testimony_archive.document_file import parse_document, serialize_document
from testimony_archive.errors import ArchiveError, UsageError
from testimony_archive.history import History
from testimony_archive.index import DocMeta, rebuild_index
from testimony_archive.models import body_sha256, most_confident
from testimony_archive.service import SearchService
from testimony_archive.tag_editing import TagEditor
from testimony_archive.tagging import Tagger, suggest_batch
from testimony_archive.vocabulary import load_vocabulary
from testimony_archive.web.app import create_app

from .conftest import ADMIN, DATA, cli_args, instance_database


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_vocabulary())


@pytest.fixture
def shared_tagger(tagger: Tagger, monkeypatch: pytest.MonkeyPatch) -> Tagger:
    """Every command's service uses the module's tagger (building one takes seconds)."""
    monkeypatch.setattr(SearchService, "tagger", tagger)
    return tagger


def run(runner: CliRunner, settings: Settings, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, cli_args(settings, *args))
    return result.exit_code, result.stdout, result.stderr


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


# -- the ordering of the review queue ------------------------------------------------------


def meta(doc_id: str, pending: int, confidence: float | None) -> DocMeta:
    return DocMeta(doc_id, doc_id, "testimony", "en", "public", f"{doc_id}.md", 0, 0, "0" * 64,
                   3, pending=pending, pending_confidence=confidence)  # fmt: skip


def test_the_most_confident_come_first_then_the_most_suggestions() -> None:
    queue = [
        meta("a-unknown-many", 9, None),
        meta("b-low", 5, 0.6),
        meta("c-high-few", 1, 0.95),
        meta("d-high-more", 3, 0.95),
        meta("e-unknown-few", 1, None),
        meta("f-zero", 1, 0.0),
    ]
    ordered = [item.id for item in sorted(queue, key=DocMeta.review_rank)]
    assert ordered == [
        "d-high-more", "c-high-few", "b-low", "f-zero", "a-unknown-many", "e-unknown-few",
    ]  # fmt: skip


def test_a_documents_confidence_is_that_of_its_most_confident_pending_suggestion() -> None:
    document = parse_document(FILE)
    assert most_confident(document) == 0.92
    without = FILE.replace(CONFIDENCES, "").replace(", confidence: {MX: 0.5}", "")
    assert most_confident(parse_document(without)) is None


# -- the front matter ----------------------------------------------------------------------

BODY = "First paragraph.\n\nPolice beat him in Tapachula.\n"
CONFIDENCES = ", confidence: {'geonames:3530580': 0.41, police: 0.92}"
FILE = f"""---
id: doc-1
kind: testimony
title: A title
language: en
suggested: {{locations: [MX], confidence: {{MX: 0.5}}}}
sha256: {body_sha256(BODY)}
segments:
  2: {{suggested: {{locations: ['geonames:3530580'], perpetrators: [police]{CONFIDENCES}}}}}
---
{BODY}"""


def test_confidences_survive_a_write_and_a_read() -> None:
    document = parse_document(FILE)
    assert document.confidence == {"MX": 0.5}
    assert document.segments[2].confidence == {"geonames:3530580": 0.41, "police": 0.92}
    written = serialize_document(document)
    assert "confidence: {MX: 0.5}" in written
    again = parse_document(written)
    assert again == document and serialize_document(again) == written
    assert written.endswith("---\n" + BODY)  # the body as it was


def test_a_file_without_confidences_still_reads() -> None:
    document = parse_document(FILE.replace(CONFIDENCES, "").replace(", confidence: {MX: 0.5}", ""))
    assert document.confidence == {} and document.segments[2].confidence == {}
    assert document.segments[2].suggested.perpetrators == ("police",)
    assert "confidence" not in serialize_document(document)


@pytest.mark.parametrize(
    ("confidence", "reason"),
    [
        ("{GT: 0.5}", "'GT' is not one of the suggested tags"),
        ("{MX: 1.5}", "MX: 1.5 is not a number from 0 to 1"),
        ("{MX: -0.1}", "not a number from 0 to 1"),
        ("{MX: high}", "MX: 'high' is not a number"),
        ("{MX: true}", "not a number"),
        ("{MX: .nan}", "not a number"),
        ("[MX, 0.5]", "must map suggested tags to numbers"),
    ],
)
def test_a_wrong_confidence_is_an_error_that_says_what_to_fix(confidence: str, reason: str) -> None:
    text = FILE.replace("confidence: {MX: 0.5}", f"confidence: {confidence}")
    with pytest.raises(ArchiveError) as caught:
        parse_document(text, "documents/doc-1.md")
    assert caught.value.field == "suggested" and reason in caught.value.reason
    in_segment = FILE.replace("{'geonames:3530580': 0.41, police: 0.92}", confidence)
    with pytest.raises(ArchiveError) as caught:
        parse_document(in_segment, "documents/doc-1.md")
    assert caught.value.field == "segments" and "paragraph 2, confidence" in caught.value.reason


def test_accepting_rejecting_or_removing_a_suggestion_drops_its_confidence(
    archive: Archive, settings: Settings
) -> None:
    editor = TagEditor(archive, History(instance_database(settings)), "ana")
    path = archive.path_for("t-en-001")
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    suggested = ["torture.beating", "police", "detention-staff", "GT"]
    scores = {"torture.beating": 0.9, "police": 0.8, "detention-staff": 0.7, "GT": 0.95}
    editor.change("t-en-001", "suggest", suggested, 3, scores)
    assert Archive(archive.root).get("t-en-001").segments[3].confidence == scores
    editor.change("t-en-001", "accept", ["torture.beating"], 3)
    editor.change("t-en-001", "reject", ["police"], 3)
    editor.change("t-en-001", "remove", ["GT"], 3)
    segment = Archive(archive.root).get("t-en-001").segments[3]
    assert segment.suggested.perpetrators == ("detention-staff",)
    assert segment.confidence == {"detention-staff": 0.7}
    assert "detention-staff: 0.7" in path.read_text(encoding="utf-8")
    editor.change("t-en-001", "accept", ["detention-staff"], 3)
    text = path.read_text(encoding="utf-8")
    assert "confidence" not in text and text.split("\n---\n", 1)[1] == body
    # suggested again later (rejected ones are not): the new confidence is kept
    editor.change("t-en-001", "suggest", ["police", "GT"], 3, {"police": 0.5, "GT": 0.66})
    assert Archive(archive.root).get("t-en-001").segments[3].confidence == {"GT": 0.66}


@pytest.mark.parametrize("score", [1.5, -0.2, float("nan")])
def test_a_confidence_the_file_could_not_hold_is_refused_before_writing(
    archive: Archive, settings: Settings, score: float
) -> None:
    editor = TagEditor(archive, History(instance_database(settings)), "ana")
    before = archive.path_for("t-en-001").read_bytes()
    with pytest.raises(UsageError, match="from 0 to 1"):
        editor.change("t-en-001", "suggest", ["police"], 3, {"police": score})
    assert archive.path_for("t-en-001").read_bytes() == before


def test_an_import_stores_each_suggestion_with_its_confidence(
    runner: CliRunner, settings: Settings, shared_tagger: Tagger
) -> None:
    assert run(runner, settings, "import", str(DATA / "records.jsonl"))[0] == 0
    archive = Archive(settings.archive_dir)
    stored = [
        (segment.suggested, segment.confidence)
        for document in archive
        for segment in document.segments.values()
        if segment.suggested
    ]
    assert stored, "the sample records describe abuses: something is suggested"
    for suggested, confidence in stored:
        values = [value for name in ("locations", "abuse_types", "perpetrators")
                  for value in suggested.get(name)]  # fmt: skip
        assert set(confidence) <= set(values)
        assert all(0 < score <= 1 for score in confidence.values())
    assert any(confidence for _suggested, confidence in stored)


# -- testimony tag suggest -----------------------------------------------------------------


@pytest.fixture
def imported(runner: CliRunner, settings: Settings, shared_tagger: Tagger) -> Settings:
    assert run(runner, settings, "import", "--no-suggest", str(DATA / "records.jsonl"))[0] == 0
    return settings


def test_min_confidence_drops_the_less_confident_suggestions(
    runner: CliRunner, imported: Settings
) -> None:
    code, out, _ = run(runner, imported, "tag", "suggest", "t-en-001", "--json")
    assert code == 0
    every = json_lines(out)
    scores = [score for line in every for field in line["confidence"].values()
              for score in field.values()]  # fmt: skip
    assert len(set(scores)) > 1, "the test needs suggestions of different confidence"
    threshold = sorted(set(scores))[-1]
    code, out, _ = run(
        runner, imported, "tag", "suggest", "t-en-001", "--json", "--min-confidence", str(threshold)
    )
    kept = json_lines(out)
    assert len(kept) == len(every)  # a line per paragraph still
    for before, after in zip(every, kept, strict=True):
        for field in ("locations", "abuse_types", "perpetrators"):
            confidence = before["confidence"][field]
            assert after[field] == [v for v in before[field] if confidence[v] >= threshold]
        assert {e["value"] for e in after["evidence"]} <= {
            v for f in ("locations", "abuse_types", "perpetrators") for v in after[f]
        }
    code, out, _ = run(runner, imported, "tag", "suggest", "t-en-001")
    assert re.search(r"¶\d+: .+ \(0\.\d\d\)", out), out  # each value with its confidence


@pytest.mark.parametrize("value", ["1.5", "-0.2", "high", "nan"])
def test_min_confidence_must_be_from_0_to_1(
    runner: CliRunner, imported: Settings, value: str
) -> None:
    for args in (["t-en-001"], ["--batch", str(DATA / "records.jsonl")]):
        code, _, err = run(runner, imported, "tag", "suggest", *args, "--min-confidence", value)
        assert code == 2 and "is not a confidence from 0 to 1" in err, err


def test_batch_lines_are_the_contract_unless_explain_is_asked(
    runner: CliRunner, imported: Settings, tmp_path: Path, tagger: Tagger
) -> None:
    paragraphs = [
        {"doc": "t-en-001", "para": 3, "text": "In a small room one of them shocked me with a "
         "taser until I signed a paper."},
        {"doc": "missing", "para": 1, "text": "Police beat migrants in Tapachula, Chiapas."},
        {"doc": "r-en-003", "para": 2, "text": "Nothing happened."},
    ]  # fmt: skip
    batch = tmp_path / "paragraphs.jsonl"
    batch.write_text("".join(json.dumps(item) + "\n" for item in paragraphs), encoding="utf-8")
    code, out, _ = run(runner, imported, "tag", "suggest", "--batch", str(batch))
    assert code == 0
    out_plain = out
    lines = batch.read_text(encoding="utf-8").splitlines()
    expected = suggest_batch(tagger, Archive(imported.archive_dir).get, lines)
    assert out == "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in expected)
    contract = {"doc", "para", "text", "locations", "abuse_types", "perpetrators"}
    assert all(set(line) == contract for line in json_lines(out))

    code, out, _ = run(runner, imported, "tag", "suggest", "--batch", str(batch), "--explain")
    assert code == 0
    explained = json_lines(out)
    assert [{key: line[key] for key in contract} for line in explained] == json_lines(out_plain)
    for line, item in zip(explained, paragraphs, strict=True):
        assert set(line) == contract | {"confidence", "evidence"}
        confidence = line["confidence"]
        assert isinstance(confidence, dict)
        for field in ("locations", "abuse_types", "perpetrators"):
            assert sorted(confidence[field]) == sorted(line[field])
            assert all(0 <= score <= 1 for score in confidence[field].values())
        for evidence in line["evidence"]:
            assert set(evidence) == {"field", "value", "start", "end", "text"}
            assert item["text"][evidence["start"] : evidence["end"]] == evidence["text"]
    assert explained[1]["perpetrators"] == ["police"]

    code, out, _ = run(runner, imported, "tag", "suggest", "--batch", str(batch), "--explain",
                       "--min-confidence", "1")  # fmt: skip
    assert code == 0
    assert all(not line[field] for line in json_lines(out)
               for field in ("locations", "abuse_types", "perpetrators"))  # fmt: skip
    code, _, err = run(runner, imported, "tag", "suggest", "t-en-001", "--explain")
    assert code == 2 and "--explain goes with --batch" in err


def test_applied_suggestions_keep_their_confidence_until_reviewed(
    runner: CliRunner, imported: Settings
) -> None:
    code, out, _ = run(runner, imported, "tag", "suggest", "t-en-001", "--json")
    offered = {line["para"]: line for line in json_lines(out)}
    code, _, _ = run(
        runner, imported, "tag", "suggest", "t-en-001", "--apply", "--min-confidence", "0.7"
    )
    assert code == 0
    segments = Archive(imported.archive_dir).get("t-en-001").segments
    assert segments, "nothing was stored"
    for number, segment in segments.items():
        scores = {value: score for field in offered[number]["confidence"].values()
                  for value, score in field.items()}  # fmt: skip
        assert segment.confidence == {value: scores[value] for value in segment.confidence}
        assert all(score >= 0.7 for score in segment.confidence.values())
        suggested = [v for f in ("locations", "abuse_types", "perpetrators")
                     for v in getattr(segment.suggested, f)]  # fmt: skip
        assert sorted(segment.confidence) == sorted(suggested)
    number = next(iter(segments))
    assert run(runner, imported, "tag", "accept", "t-en-001", "--para", str(number))[0] == 0
    segment = Archive(imported.archive_dir).get("t-en-001").segments[number]
    assert not segment.suggested and segment.confidence == {} and segment.tags


# -- the review queue ----------------------------------------------------------------------

SUGGESTIONS = [  # (document, paragraph, {tag: confidence})
    ("t-es-002", 2, {"detention-staff": 0.6, "torture.deprivation": 0.55}),
    ("r-en-003", 1, {"psychological.isolation": 0.92, "unknown": 0.65}),
    ("r-es-004", 1, {"torture.beating": 0.99}),  # restricted
]


def test_the_service_orders_the_queue_by_confidence(service: SearchService) -> None:
    for doc_id, para, scores in SUGGESTIONS:
        service.edit_tags(ADMIN, doc_id, "suggest", list(scores), para, scores)
    queue = service.pending(ADMIN)
    # t-en-001's place gave a suggestion with no confidence: it comes last
    assert [meta.id for meta in queue] == ["r-es-004", "r-en-003", "t-es-002", "t-en-001"]
    assert [meta.pending_confidence for meta in queue] == [0.99, 0.92, 0.6, None]
    assert [meta.id for meta in service.pending(ANONYMOUS)] == ["r-en-003", "t-es-002", "t-en-001"]
    service.edit_tags(ADMIN, "r-en-003", "reject", ["psychological.isolation"], 1)
    assert [(meta.id, meta.pending_confidence) for meta in service.pending(ANONYMOUS)] == [
        ("r-en-003", 0.65), ("t-es-002", 0.6), ("t-en-001", None),
    ]  # fmt: skip


@pytest.fixture
def review_client(archive: Archive, settings: Settings) -> Iterator[TestClient]:
    editor = TagEditor(archive, History(instance_database(settings)), "ana")
    for doc_id, para, scores in SUGGESTIONS:
        editor.change(doc_id, "suggest", list(scores), para, scores)
    rebuild_index(archive, settings.index_dir)
    with TestClient(create_app(settings)) as client:
        yield client


def test_the_review_page_lists_the_most_confident_first(review_client: TestClient) -> None:
    page = review_client.get("/review")
    assert page.status_code == 200
    order = [page.text.index(f"/documents/{doc_id}#tags") for doc_id in
             ("r-en-003", "t-es-002", "t-en-001")]  # fmt: skip
    assert order == sorted(order)
    assert "r-es-004" not in page.text  # restricted
    rows = re.findall(r"<tr><td><a href=\"/documents/([^#]+)#tags\">.*?</tr>", page.text)
    assert rows == ["r-en-003", "t-es-002", "t-en-001"]
    assert ">Most confident<" in page.text and ">92%<" in page.text and ">60%<" in page.text
    assert ">—<" in page.text  # t-en-001's suggestion says no confidence
    spanish = review_client.get("/review", params={"lang": "es"})
    assert ">Mayor confianza<" in spanish.text and ">92 %<" in spanish.text


def test_the_document_page_shows_each_suggestions_confidence(review_client: TestClient) -> None:
    page = review_client.get("/documents/r-en-003")
    assert "(suggested, confidence 92%)" in page.text
    assert "(suggested, confidence 65%)" in page.text
    assert "(suggested)" in page.text  # the place suggested at import, with no confidence
    spanish = review_client.get("/documents/r-en-003", params={"lang": "es"})
    assert "(sugerida, confianza 92 %)" in spanish.text
