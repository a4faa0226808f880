"""The real public-domain corpora of ../shared/corpus: import, index and search at size.

Skipped, with the reason, where ../shared is not beside the repository.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from testimony_archive.archive import Archive
from testimony_archive.importer import import_paths
from testimony_archive.index import ParagraphHit, SearchRequest, WhooshIndex, rebuild_index
from testimony_archive.index.writer import indexed_documents

from .conftest import PUBLIC, SHARED

CORPORA = sorted((SHARED / "corpus").glob("*.jsonl"))
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.slow,
    pytest.mark.skipif(not CORPORA, reason=f"the corpora are not at {SHARED / 'corpus'}"),
]


@pytest.fixture(scope="module")
def corpus_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WhooshIndex]:
    root = tmp_path_factory.mktemp("corpus")
    archive = Archive(root / "archive")
    report = import_paths(archive, CORPORA)
    assert not report.failed, report.failed[:3]
    rebuild_index(archive, root / "var" / "index")
    service = WhooshIndex(archive, root / "var" / "index")
    yield service
    service.close()


def records() -> Iterator[dict[str, object]]:
    for path in CORPORA:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)


def test_every_record_is_archived_and_indexed(corpus_service: WhooshIndex) -> None:
    indexed = indexed_documents(corpus_service.handle.index_dir)
    assert len(indexed) == 2988
    assert sum(meta.paragraph_count for meta in indexed.values()) == 25544
    assert sum(1 for meta in indexed.values() if meta.kind == "testimony") == 559


def test_paragraph_numbers_follow_the_evaluation_rule(corpus_service: WhooshIndex) -> None:
    for number, record in enumerate(records()):
        if number % 97:
            continue
        text = str(record["text"])
        expected = [piece.strip() for piece in text.split("\n\n") if piece.strip()]
        document = corpus_service.archive.get(str(record["id"]))
        assert [paragraph.text for paragraph in document.paragraphs] == expected


def test_reports_are_found_by_their_country_and_year(corpus_service: WhooshIndex) -> None:
    result = corpus_service.search(
        SearchRequest(location="VE", year=2021, kind="report_excerpt"), PUBLIC
    )
    assert result.total > 20
    assert all(hit.meta.id.startswith("hrr2021-ven") for hit in result.hits)  # type: ignore[union-attr]


def test_exact_phrase_finds_the_paragraph(corpus_service: WhooshIndex) -> None:
    result = corpus_service.search(
        SearchRequest(q='"five youths from Tierra Blanca"', unit="paragraph"), PUBLIC
    )
    top = result.hits[0]
    assert isinstance(top, ParagraphHit)
    assert (top.doc, top.para) == ("hrr2016-mex-s1.2", 5)


def test_dialect_words_of_the_narratives(corpus_service: WhooshIndex) -> None:
    result = corpus_service.search(
        SearchRequest(q="patterollers whipped", location="US", unit="paragraph"), PUBLIC
    )
    assert result.total > 100
    assert all(isinstance(hit, ParagraphHit) and hit.doc.startswith("wpa-") for hit in result.hits)


def test_facets_count_the_whole_result_set(corpus_service: WhooshIndex) -> None:
    result = corpus_service.search(SearchRequest(q="extortion migrants", limit=5), PUBLIC)
    countries = {
        value.value: value.count for value in result.facets["locations"] if "-" not in value.value
    }
    assert sum(countries.values()) >= result.total > 50
    years = {value.value for value in result.facets["year"]}
    assert {"2016", "2024"} <= years
