"""Full index builds: one process or several give the same index; a failed build leaves
the previous index and no process behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from testimony_archive.archive import Archive
from testimony_archive.config import Settings
from testimony_archive.index import SearchRequest, WhooshIndex, rebuild_index
from testimony_archive.index import writer as writer_module
from testimony_archive.index.writer import PARALLEL_FROM, build_processes, open_index

from .conftest import PUBLIC, copy_sample_archive

QUERIES = ["agents", "golpearon migrantes", '"immigration agents"', "deport*", "Chiapas"]


def results(settings: Settings, index_dir: Path) -> list[object]:
    service = WhooshIndex(Archive(settings.archive_dir), index_dir)
    try:
        found = []
        for q in QUERIES:
            result = service.search(
                SearchRequest(q=q, unit="paragraph", limit=50), PUBLIC, cache=False
            )
            found.append(
                (result.total, [(h.doc, h.para, round(h.score, 4)) for h in result.hits],
                 {name: [(v.value, v.count) for v in values]
                  for name, values in result.facets.items()})
            )  # fmt: skip
        return found
    finally:
        service.close()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("build")
    return Settings(archive_dir=copy_sample_archive(root / "archive"), var_dir=root / "var")


def indexed_once(sample: Settings, tmp_path: Path) -> tuple[Archive, Path, list[object]]:
    """The sample indexed by one process, and its results for QUERIES."""
    archive = Archive(sample.archive_dir)
    index_dir = tmp_path / "index"
    rebuild_index(archive, index_dir, procs=1)
    return archive, index_dir, results(sample, index_dir)


def test_a_parallel_build_gives_the_same_results(sample: Settings, tmp_path: Path) -> None:
    archive = Archive(sample.archive_dir)
    single = rebuild_index(archive, tmp_path / "one", procs=1)
    parallel = rebuild_index(archive, tmp_path / "two", procs=2)
    assert (single.added, single.paragraphs) == (parallel.added, parallel.paragraphs)
    with open_index(tmp_path / "two").reader() as reader:
        assert len(reader.leaf_readers()) == 2  # a segment from each process
    assert results(sample, tmp_path / "two") == results(sample, tmp_path / "one")
    assert results(sample, tmp_path / "one")[0][0] > 0


def test_a_failed_parallel_build_keeps_the_index_and_stops_its_processes(
    sample: Settings, tmp_path: Path
) -> None:
    archive, index_dir, before = indexed_once(sample, tmp_path)
    seen = 0

    def interrupt(step: int) -> None:
        nonlocal seen
        seen += step
        if seen == 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rebuild_index(archive, index_dir, interrupt, procs=2)
    assert multiprocessing.active_children() == []
    assert [path.name for path in tmp_path.iterdir()] == ["index"]  # no staging folder left
    assert results(sample, index_dir) == before


def _deaf_to_sigterm(ready: Any) -> None:
    signal.signal(signal.SIGTERM, lambda _signum, _frame: None)  # caught: waits on
    ready.set()
    while True:
        time.sleep(0.05)


@dataclass
class _AbandonedWriter:
    tasks: list[Any]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


def test_a_build_process_deaf_to_sigterm_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build process that catches SIGTERM (a handler inherited from its parent) and goes
    back to waiting once held `rebuild_index` up for good when a build was abandoned."""
    monkeypatch.setattr(writer_module, "STOP_WAIT_S", 0.5)
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    task = context.Process(target=_deaf_to_sigterm, args=(ready,))
    task.start()
    assert ready.wait(10)
    writer = _AbandonedWriter([task])
    started = time.monotonic()
    writer_module._cancel(writer)  # type: ignore[arg-type]
    assert not task.is_alive() and task.exitcode == -signal.SIGKILL
    assert time.monotonic() - started < 5
    assert writer.cancelled


def test_build_processes_only_for_large_archives() -> None:
    assert build_processes(PARALLEL_FROM - 1) == 1
    assert 1 <= build_processes(PARALLEL_FROM) <= 4


def test_a_parallel_build_that_loses_a_process_keeps_the_old_index(
    sample: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh.writing import SegmentWriter

    from testimony_archive.errors import TestimonyError

    archive, index_dir, before = indexed_once(sample, tmp_path)
    added = 0
    real = SegmentWriter.add_document

    def dies_midway(self: SegmentWriter, **fields: object) -> None:
        nonlocal added
        added += 1  # counted in each build process (forked with this patch)
        if added == 40:
            os._exit(1)  # a build process killed, as by the out-of-memory killer
        real(self, **fields)

    monkeypatch.setattr(SegmentWriter, "add_document", dies_midway)
    with pytest.raises(TestimonyError, match="the previous index is kept"):
        rebuild_index(archive, index_dir, procs=2)
    monkeypatch.undo()
    assert multiprocessing.active_children() == []
    assert results(sample, index_dir) == before
