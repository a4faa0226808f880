"""Search through the library against a real index on disk."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from testimony_archive.errors import IndexMissing, UsageError
from testimony_archive.index import DocumentHit, ParagraphHit, SearchRequest, SearchService


def paragraph_hits(service: SearchService, q: str, **filters: object) -> list[tuple[str, int]]:
    result = service.search(
        SearchRequest(q=q, unit="paragraph", include_restricted=True, **filters)
    )  # type: ignore[arg-type]
    return [(hit.doc, hit.para) for hit in result.hits if isinstance(hit, ParagraphHit)]


def test_plain_words_rank_passages_with_more_words_first(service: SearchService) -> None:
    hits = paragraph_hits(service, "immigration agents bus checkpoint")
    assert hits[0] == ("t-en-001", 2)


def test_stemming_and_accent_folding(service: SearchService) -> None:
    assert ("t-en-001", 4) in paragraph_hits(service, "deport")  # English stem: deported
    assert ("t-es-002", 2) in paragraph_hits(service, "comisaria")  # comisaría
    assert ("t-es-002", 2) in paragraph_hits(service, "golpeado")  # golpearon, Spanish stem


def test_spanish_query_reaches_an_english_account(service: SearchService) -> None:
    hits = paragraph_hits(service, "descargas eléctricas")
    assert ("t-en-001", 3) in hits  # "shocked me with a taser"
    assert ("t-es-002", 3) in hits


def test_phrase_and_exclusion(service: SearchService) -> None:
    assert paragraph_hits(service, '"sign a paper"') == [("t-en-001", 4)]
    assert paragraph_hits(service, '"paper sign"') == []
    assert ("t-en-001", 4) in paragraph_hits(service, '"sign paper"~2')
    hits = paragraph_hits(service, "migrants -overcrowding")
    assert ("r-en-003", 1) not in hits


def test_filters_roll_up_and_restricted_documents_are_hidden_by_default(
    service: SearchService,
) -> None:
    public = service.search(SearchRequest(location="MX"))
    assert {hit.meta.id for hit in public.hits if isinstance(hit, DocumentHit)} == {
        "t-en-001", "t-es-002", "r-en-003"}  # fmt: skip
    everything = service.search(SearchRequest(location="MX", include_restricted=True))
    assert everything.total == 4
    assert service.search(SearchRequest(abuse_type="torture")).total == 2
    assert service.search(SearchRequest(abuse_type="torture.beating")).total == 1
    assert service.search(SearchRequest(perpetrator="police", year=2018)).total == 1
    assert service.search(SearchRequest(date_from="2017", date_to="2018-12")).total == 1


def test_suggested_tags_count_unless_confirmed_only(service: SearchService) -> None:
    # r-en-003 has only its place ("Mexico") as a suggested location
    assert service.search(SearchRequest(q="overcrowding", location="MX")).total == 1
    assert (
        service.search(SearchRequest(q="overcrowding", location="MX", confirmed_only=True)).total
        == 0
    )


def test_facets_cover_the_whole_result_set(service: SearchService) -> None:
    result = service.search(SearchRequest(limit=1, include_restricted=True))
    assert result.total == 4 and len(result.hits) == 1
    kinds = {value.value: value.count for value in result.facets["kind"]}
    assert kinds == {"testimony": 2, "report_excerpt": 2}
    abuse = {value.value: value for value in result.facets["abuse_types"]}
    assert abuse["torture"].count == 2 and abuse["torture.electric-shock"].parent == "torture"
    places = {value.value: value for value in result.facets["locations"]}
    assert places["MX-CHP"].parent == "MX" and places["MX-CHP"].label == "Chiapas"


def test_highlights_are_offsets_into_the_archived_text(service: SearchService) -> None:
    result = service.search(SearchRequest(q="shocked taser", unit="paragraph"))
    hit = result.hits[0]
    assert isinstance(hit, ParagraphHit)
    assert [hit.text[start:end] for start, end in hit.highlights] == ["shocked", "taser"]


def test_sort_by_date_and_pagination(service: SearchService) -> None:
    oldest = service.search(SearchRequest(sort="date", limit=2, include_restricted=True))
    newest = service.search(SearchRequest(sort="-date", limit=2, include_restricted=True))
    ids = [hit.meta.id for hit in oldest.hits if isinstance(hit, DocumentHit)]
    assert ids == ["t-en-001", "r-es-004"]
    assert [hit.meta.id for hit in newest.hits if isinstance(hit, DocumentHit)] == [
        "r-en-003",
        "t-es-002",
    ]
    far = service.search(SearchRequest(page=50, include_restricted=True))
    assert far.total == 4 and far.hits == []


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed',
        "AND",
        "((",
        "*",
        "x~~~",
        "title:",
        "a" * 5000,
        "<script>alert(1)</script>",
        "NOT",
        "-only",
    ],
)
def test_malformed_queries_never_fail(service: SearchService, query: str) -> None:
    result = service.search(SearchRequest(q=query))
    assert result.total >= 0


def test_repairs_are_reported(service: SearchService) -> None:
    assert service.search(SearchRequest(q='"sign a paper')).notes == [
        "An unmatched quotation mark was ignored."]  # fmt: skip


@pytest.mark.parametrize(
    "bad",
    [
        {"limit": 0},
        {"limit": 500},
        {"page": 0},
        {"unit": "chapter"},
        {"sort": "colour"},
        {"date_from": "yesterday"},
    ],
)
def test_bad_requests_raise_usage_errors(service: SearchService, bad: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        service.search(SearchRequest(**bad))  # type: ignore[arg-type]


def test_index_changes_are_seen_by_a_reused_searcher(service: SearchService) -> None:
    from testimony_archive.importer import import_paths
    from testimony_archive.index import update_index

    assert service.search(SearchRequest(q="Palenque")).total == 0
    record = service.archive.root.parent / "late.jsonl"
    record.write_text(
        '{"id": "late", "kind": "testimony", "title": "Late", "text": "Held in Palenque."}\n'
    )
    import_paths(service.archive, [record])
    update_index(service.archive, service.handle.index_dir)
    assert service.search(SearchRequest(q="Palenque")).total == 1


def open_index_files(index_dir: Path) -> int:
    """How many files under the index folder this process holds open."""
    count = 0
    for fd in Path("/proc/self/fd").iterdir():
        try:
            if os.readlink(fd).startswith(str(index_dir)):
                count += 1
        except OSError:
            continue
    return count


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_searchers_of_ended_threads_and_of_the_service_are_closed(
    service: SearchService,
) -> None:
    index_dir = service.handle.index_dir
    together = threading.Barrier(3)

    def search() -> None:
        service.search(SearchRequest(q="agents"))
        together.wait()  # the three threads hold their searchers at the same time

    threads = [threading.Thread(target=search) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    per_searcher = open_index_files(index_dir) // 3
    assert per_searcher >= 1
    later = threading.Thread(target=service.search, args=(SearchRequest(q="agents"),))
    later.start()
    later.join()  # a new thread's first search closes the ended threads' searchers
    assert open_index_files(index_dir) == per_searcher
    service.close()
    assert open_index_files(index_dir) == 0
    assert service.search(SearchRequest(q="agents")).total > 0  # reopens on demand


def test_a_removed_or_changed_document_is_not_found_by_a_reused_searcher(
    service: SearchService,
) -> None:
    from testimony_archive.index import update_index

    def found(q: str) -> set[str]:
        result = service.search(SearchRequest(q=q, unit="paragraph", limit=100))
        return {hit.doc for hit in result.hits}  # type: ignore[union-attr]

    assert "t-es-002" in found("golpearon")
    before = service.search(SearchRequest(q="golpearon")).facets
    service.archive.path_for("t-es-002").unlink()
    update_index(service.archive, service.handle.index_dir)
    assert "t-es-002" not in found("golpearon")
    after = service.search(SearchRequest(q="golpearon")).facets
    assert sum(v.count for v in after["language"]) < sum(v.count for v in before["language"])


def test_the_index_folder_is_listed_only_when_it_may_have_changed(
    service: SearchService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from testimony_archive.index import searcher as searcher_module

    listed: list[Path] = []
    real = searcher_module.latest_generation
    monkeypatch.setattr(
        searcher_module, "latest_generation", lambda path: listed.append(path) or real(path)
    )
    monkeypatch.setattr(searcher_module, "RECHECK_S", 3600.0)
    first = service.handle.version()
    for _ in range(5):
        service.search(SearchRequest(q="agents"))
    assert service.handle.version() == first
    assert len(listed) <= 1  # at most the first check
    service.index_changed()
    service.search(SearchRequest(q="agents"))
    assert len(listed) == 2  # after a write by this process, a full check
    (service.handle.index_dir / "touched").write_text("")  # the folder changes
    service.search(SearchRequest(q="agents"))
    assert len(listed) == 3


def test_warm_loads_the_snapshot_and_freezes_it(service: SearchService) -> None:
    import gc

    gc.unfreeze()
    service.warm()
    assert service.handle._snapshots  # built before any visitor's search
    assert gc.get_freeze_count() > 0
    gc.unfreeze()


def test_warm_without_an_index_is_quiet(tmp_path: Path) -> None:
    from testimony_archive.archive import Archive

    service = SearchService(Archive(tmp_path / "archive"), tmp_path / "index")
    service.warm()  # the pages say how to build the index; starting must not fail
    with pytest.raises(IndexMissing):
        service.search(SearchRequest(q="agents"))
