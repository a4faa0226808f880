"""Search through the library against a real index on disk."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from testimony_archive.errors import IndexMissing, UsageError
from testimony_archive.fields import BY_NAME
from testimony_archive.i18n import translator
from testimony_archive.index import (
    DocumentHit,
    ParagraphHit,
    SearchBackend,
    SearchRequest,
    WhooshIndex,
)
from testimony_archive.index.postings_table import TABLES_DIR

from .conftest import EVERY_LEVEL, PUBLIC


def paragraph_hits(any_backend: SearchBackend, q: str, **filters: object) -> list[tuple[str, int]]:
    result = any_backend.search(SearchRequest(q=q, unit="paragraph", **filters), EVERY_LEVEL)  # type: ignore[arg-type]
    return [(hit.doc, hit.para) for hit in result.hits if isinstance(hit, ParagraphHit)]


def test_plain_words_rank_passages_with_more_words_first(any_backend: SearchBackend) -> None:
    hits = paragraph_hits(any_backend, "immigration agents bus checkpoint")
    assert hits[0] == ("t-en-001", 2)


def test_stemming_and_accent_folding(any_backend: SearchBackend) -> None:
    assert ("t-en-001", 4) in paragraph_hits(any_backend, "deport")  # English stem: deported
    assert ("t-es-002", 2) in paragraph_hits(any_backend, "comisaria")  # comisaría
    assert ("t-es-002", 2) in paragraph_hits(any_backend, "golpeado")  # golpearon, Spanish stem


def test_spanish_query_reaches_an_english_account(any_backend: SearchBackend) -> None:
    hits = paragraph_hits(any_backend, "descargas eléctricas")
    assert ("t-en-001", 3) in hits  # "shocked me with a taser"
    assert ("t-es-002", 3) in hits


def test_phrase_and_exclusion(any_backend: SearchBackend) -> None:
    assert paragraph_hits(any_backend, '"sign a paper"') == [("t-en-001", 4)]
    assert paragraph_hits(any_backend, '"paper sign"') == []
    assert ("t-en-001", 4) in paragraph_hits(any_backend, '"sign paper"~2')
    hits = paragraph_hits(any_backend, "migrants -overcrowding")
    assert ("r-en-003", 1) not in hits


def test_filters_roll_up_and_restricted_documents_are_hidden_by_default(
    any_backend: SearchBackend,
) -> None:
    public = any_backend.search(SearchRequest(location="MX"), PUBLIC)
    assert {hit.meta.id for hit in public.hits if isinstance(hit, DocumentHit)} == {
        "t-en-001", "t-es-002", "r-en-003"}  # fmt: skip
    everything = any_backend.search(SearchRequest(location="MX"), EVERY_LEVEL)
    assert everything.total == 4
    assert any_backend.search(SearchRequest(abuse_type="torture"), PUBLIC).total == 2
    assert any_backend.search(SearchRequest(abuse_type="torture.beating"), PUBLIC).total == 1
    assert any_backend.search(SearchRequest(perpetrator="police", year=2018), PUBLIC).total == 1
    assert any_backend.search(SearchRequest(date_from="2017", date_to="2018-12"), PUBLIC).total == 1


def test_suggested_tags_count_unless_confirmed_only(any_backend: SearchBackend) -> None:
    # r-en-003 has only its place ("Mexico") as a suggested location
    assert any_backend.search(SearchRequest(q="overcrowding", location="MX"), PUBLIC).total == 1
    assert (
        any_backend.search(
            SearchRequest(q="overcrowding", location="MX", confirmed_only=True), PUBLIC
        ).total
        == 0
    )


def test_facets_cover_the_whole_result_set(any_backend: SearchBackend) -> None:
    result = any_backend.search(SearchRequest(limit=1), EVERY_LEVEL)
    assert result.total == 4 and len(result.hits) == 1
    kinds = {value.value: value.count for value in result.facets["kind"]}
    assert kinds == {"testimony": 2, "report_excerpt": 2}
    abuse = {value.value: value for value in result.facets["abuse_types"]}
    assert abuse["torture"].count == 2 and abuse["torture.electric-shock"].parent == "torture"
    places = {value.value: value for value in result.facets["locations"]}
    label = BY_NAME["locations"].label("MX-CHP", any_backend.archive.vocabulary, translator("en"))
    assert places["MX-CHP"].parent == "MX" and label == "Chiapas"


def test_highlights_are_offsets_into_the_archived_text(any_backend: SearchBackend) -> None:
    result = any_backend.search(SearchRequest(q="shocked taser", unit="paragraph"), PUBLIC)
    hit = result.hits[0]
    assert isinstance(hit, ParagraphHit)
    assert [hit.text[start:end] for start, end in hit.highlights] == ["shocked", "taser"]


def test_sort_by_date_and_pagination(any_backend: SearchBackend) -> None:
    oldest = any_backend.search(SearchRequest(sort="date", limit=2), EVERY_LEVEL)
    newest = any_backend.search(SearchRequest(sort="-date", limit=2), EVERY_LEVEL)
    ids = [hit.meta.id for hit in oldest.hits if isinstance(hit, DocumentHit)]
    assert ids == ["t-en-001", "r-es-004"]
    assert [hit.meta.id for hit in newest.hits if isinstance(hit, DocumentHit)] == [
        "r-en-003",
        "t-es-002",
    ]
    far = any_backend.search(SearchRequest(page=50), EVERY_LEVEL)
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
def test_malformed_queries_never_fail(any_backend: SearchBackend, query: str) -> None:
    result = any_backend.search(SearchRequest(q=query), PUBLIC)
    assert result.total >= 0


def test_repairs_are_reported(any_backend: SearchBackend) -> None:
    assert any_backend.search(SearchRequest(q='"sign a paper'), PUBLIC).notes == [
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
def test_bad_requests_raise_usage_errors(
    any_backend: SearchBackend, bad: dict[str, object]
) -> None:
    with pytest.raises(UsageError):
        any_backend.search(SearchRequest(**bad), PUBLIC)  # type: ignore[arg-type]


def test_index_changes_are_seen_by_the_next_search(any_backend: SearchBackend) -> None:
    from testimony_archive.importer import import_paths

    assert any_backend.search(SearchRequest(q="Palenque"), PUBLIC).total == 0
    record = any_backend.archive.root.parent / "late.jsonl"
    record.write_text(
        '{"id": "late", "kind": "testimony", "title": "Late", "text": "Held in Palenque."}\n'
    )
    import_paths(any_backend.archive, [record])
    any_backend.update()
    assert any_backend.search(SearchRequest(q="Palenque"), PUBLIC).total == 1


def open_index_files(index_dir: Path, folder: str = "") -> int:
    """How many files under the index folder this process holds open (Whoosh's; or,
    with `folder`, those under that folder of it)."""
    count = 0
    tables = str(index_dir / TABLES_DIR)
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if folder:
            count += target.startswith(str(index_dir / folder))
        else:
            count += target.startswith(str(index_dir)) and not target.startswith(tables)
    return count


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_searchers_of_ended_threads_and_of_the_service_are_closed(
    backend: WhooshIndex,
) -> None:
    index_dir = backend.handle.index_dir
    together = threading.Barrier(3)

    def search() -> None:
        backend.search(SearchRequest(q="agents"), PUBLIC)
        together.wait()  # the three threads hold their searchers at the same time

    threads = [threading.Thread(target=search) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    per_searcher = open_index_files(index_dir) // 3
    assert per_searcher >= 1
    segments = len(list((index_dir / TABLES_DIR).glob("*.postings")))
    assert open_index_files(index_dir, TABLES_DIR) == segments >= 1  # shared by the threads
    later = threading.Thread(target=backend.search, args=(SearchRequest(q="agents"), PUBLIC))
    later.start()
    later.join()  # a new thread's first search closes the ended threads' searchers
    assert open_index_files(index_dir) == per_searcher
    backend.close()
    assert open_index_files(index_dir) == 0
    assert open_index_files(index_dir, TABLES_DIR) == 0
    assert backend.search(SearchRequest(q="agents"), PUBLIC).total > 0  # reopens on demand


def test_a_removed_or_changed_document_is_not_found_by_a_reused_searcher(
    backend: WhooshIndex,
) -> None:
    from testimony_archive.index import update_index

    def found(q: str) -> set[str]:
        result = backend.search(SearchRequest(q=q, unit="paragraph", limit=100), PUBLIC)
        return {hit.doc for hit in result.hits}  # type: ignore[union-attr]

    assert "t-es-002" in found("golpearon")
    before = backend.search(SearchRequest(q="golpearon"), PUBLIC).facets
    backend.archive.path_for("t-es-002").unlink()
    update_index(backend.archive, backend.handle.index_dir)
    assert "t-es-002" not in found("golpearon")
    after = backend.search(SearchRequest(q="golpearon"), PUBLIC).facets
    assert sum(v.count for v in after["language"]) < sum(v.count for v in before["language"])


def test_the_index_folder_is_listed_only_when_it_may_have_changed(
    backend: WhooshIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from testimony_archive.index import searcher as searcher_module

    listed: list[Path] = []
    real = searcher_module.latest_generation
    monkeypatch.setattr(
        searcher_module, "latest_generation", lambda path: listed.append(path) or real(path)
    )
    monkeypatch.setattr(searcher_module, "RECHECK_S", 3600.0)
    first = backend.handle.version()
    for _ in range(5):
        backend.search(SearchRequest(q="agents"), PUBLIC)
    assert backend.handle.version() == first
    assert len(listed) <= 1  # at most the first check
    backend.handle.forget_version()
    backend.search(SearchRequest(q="agents"), PUBLIC)
    assert len(listed) == 2  # after a write by this process, a full check
    (backend.handle.index_dir / "touched").write_text("")  # the folder changes
    backend.search(SearchRequest(q="agents"), PUBLIC)
    assert len(listed) == 3


def test_warm_loads_the_snapshot_and_freezes_it(backend: WhooshIndex) -> None:
    import gc

    gc.unfreeze()
    backend.warm()
    assert backend.handle._snapshots  # built before any visitor's search
    assert gc.get_freeze_count() > 0
    gc.unfreeze()


def test_warm_without_an_index_is_quiet(tmp_path: Path) -> None:
    from testimony_archive.archive import Archive

    backend = WhooshIndex(Archive(tmp_path / "archive"), tmp_path / "index")
    backend.warm()  # the pages say how to build the index; starting must not fail
    with pytest.raises(IndexMissing):
        backend.search(SearchRequest(q="agents"), PUBLIC)
