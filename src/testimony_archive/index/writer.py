"""Building and updating the index from the archive.

`update_index` is incremental: it re-reads only files whose size or modification time
changed, and removes documents whose files are gone. It is idempotent and can be
interrupted and run again. `rebuild_index` builds into a fresh directory and swaps it in
at the end, so searches keep working on the old index meanwhile.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from ..archive import Archive, FileState
from ..errors import ArchiveError, TestimonyError
from .entries import DocMeta, build_meta, index_entries
from .postings_table import write_tables
from .schema import DOCUMENT, build_schema

log = logging.getLogger("testimony_archive.index")
BUILD_FILE = "BUILD"
FORMAT_FILE = "FORMAT"
# What the entries hold and how (the metadata record's shape, the fields' analysis): an
# index of another format is rebuilt, not patched. 2: documents' facet values aggregated;
# 3: file states in a column; 4: redacted paragraphs twice, with and without their passages;
# 5: the metadata record says how confident its pending suggestions are.
INDEX_FORMAT = 5
Progress = Callable[[int], None]


@dataclass
class IndexReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    paragraphs: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "paragraphs_indexed": self.paragraphs,
            "failed": [{"where": where, "reason": reason} for where, reason in self.failed],
        }


def open_index(index_dir: Path) -> whoosh_index.Index:
    """The index in a folder, its segment files read through the file system: with
    memory maps, Whoosh copies every segment it opens into memory, per searcher."""
    return FileStorage(str(index_dir), supports_mmap=False).open_index()


def index_exists(index_dir: Path) -> bool:
    return index_dir.is_dir() and whoosh_index.exists_in(str(index_dir))


_TOC_NAME = re.compile(r"^_MAIN_(\d+)\.toc$")  # Whoosh's table of contents, per generation


def latest_generation(index_dir: Path) -> int:
    """The number of the index's latest generation (-1 if it has none)."""
    numbers = (_TOC_NAME.match(name) for name in os.listdir(index_dir))
    return max((int(match.group(1)) for match in numbers if match), default=-1)


def build_id(index_dir: Path) -> str:
    try:
        return (index_dir / BUILD_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def schema_is_current(index_dir: Path) -> bool:
    """Whether the index was written by this version's schema and format."""
    try:
        written = int((index_dir / FORMAT_FILE).read_text(encoding="utf-8").strip())
    except (FileNotFoundError, ValueError):
        written = 1  # before the format was recorded
    on_disk = open_index(index_dir).schema
    return written == INDEX_FORMAT and set(on_disk.names()) == set(build_schema().names())


def indexed_files(index_dir: Path) -> dict[str, tuple[str, FileState]]:
    """Each indexed document's file and its state when indexed, by id (cheap: read from
    a column, the metadata records are not decoded)."""
    files: dict[str, tuple[str, FileState]] = {}
    with open_index(index_dir).searcher() as searcher:
        column = searcher.reader().column_reader("state")
        for docnum in searcher.document_numbers(entry=DOCUMENT):
            path, mtime_ns, size = column[docnum].decode("utf-8").split("\t")
            doc_id = path.rsplit("/", 1)[-1].removesuffix(".md")  # (no pathlib: 30k of them)
            files[doc_id] = (path, FileState(int(mtime_ns), int(size)))
    return files


def indexed_documents(index_dir: Path) -> dict[str, DocMeta]:
    """The metadata of every indexed document, by id."""
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        return {
            meta.id: meta
            for meta in (
                DocMeta.from_json(fields["meta"]) for fields in searcher.documents(entry=DOCUMENT)
            )
        }


def _create(index_dir: Path) -> whoosh_index.Index:
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(index_dir), build_schema())
    (index_dir / BUILD_FILE).write_text(uuid.uuid4().hex + "\n", encoding="utf-8")
    (index_dir / FORMAT_FILE).write_text(f"{INDEX_FORMAT}\n", encoding="utf-8")
    return ix


def update_index(
    archive: Archive, index_dir: Path, progress: Progress | None = None
) -> IndexReport:
    """Bring the index up to date with the archive, reading only what changed."""
    if not index_exists(index_dir) or not schema_is_current(index_dir):
        # The index is derived: one written by another version is rebuilt, not patched.
        return rebuild_index(archive, index_dir, progress)
    known = indexed_files(index_dir)
    report = IndexReport()
    changed, gone = archive_changes(archive, archive.file_states(), known, report, progress)
    if not changed and not gone:
        _write_tables(index_dir)  # (an index written by an earlier version has none)
        return report
    ix = open_index(index_dir)
    writer = ix.writer(timeout=60.0, delay=0.1)
    try:
        for doc_id in gone:
            writer.delete_by_term("doc", doc_id)
            report.removed += 1
        for doc_id, path, state in changed:
            if doc_id in known:
                writer.delete_by_term("doc", doc_id)
            if _add(archive, writer, path, state, report):
                if doc_id in known:
                    report.updated += 1
                else:
                    report.added += 1
            elif doc_id in known:
                report.removed += 1  # now invalid: unsearchable until fixed
            if progress:
                progress(1)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    _write_tables(index_dir)
    return report


Changed = list[tuple[str, Path, FileState]]  # (id, file, its state) of each


def archive_changes(
    archive: Archive,
    present: dict[str, tuple[str, FileState]],
    known: dict[str, tuple[str, FileState]],
    report: IndexReport,
    progress: Progress | None,
) -> tuple[Changed, list[str]]:
    """What an update reads again: the files (`present`, as `Archive.file_states` gives
    them) whose path, size or modification time differ from what an index holds
    (`known`, by id), and the ids it holds that no file has any longer. The unchanged
    are counted in `report` (and in `progress`)."""
    changed: Changed = []
    for doc_id, (relative, state) in present.items():
        if known.get(doc_id) == (relative, state):
            report.unchanged += 1
            if progress:
                progress(1)
        else:
            changed.append((doc_id, archive.root / relative, state))
    return changed, [doc_id for doc_id in known if doc_id not in present]


def reindex_document(archive: Archive, index_dir: Path, doc_id: str) -> IndexReport:
    """Re-index one document at once (after a tag edit): searchable within a second."""
    report = IndexReport()
    ix = open_index(index_dir)
    writer = ix.writer(timeout=60.0, delay=0.05)
    try:
        writer.delete_by_term("doc", doc_id)
        path = archive.path_for(doc_id)
        if path.exists() and _add(archive, writer, path, FileState.of(path), report):
            report.updated += 1
        writer.commit(merge=False)
    except BaseException:
        writer.cancel()
        raise
    _write_tables(index_dir)
    return report


PARALLEL_FROM = 500  # documents: below this, starting processes costs more than it saves
STOP_WAIT_S = 5.0  # seconds a build process is given to stop before it is killed


def build_processes(documents: int) -> int:
    """How many processes a full build uses: one per available core (at most 4) for an
    archive large enough to gain from it."""
    if documents < PARALLEL_FROM:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(4, cores or 1))


def rebuild_index(
    archive: Archive, index_dir: Path, progress: Progress | None = None, procs: int | None = None
) -> IndexReport:
    """Build a new index from every archive file in a fresh directory, then swap it in.

    With several processes (`procs`, by default chosen by `build_processes`), this
    process reads the archive files and the others analyse and write one segment each."""
    report = IndexReport()
    paths = archive.paths()
    procs = build_processes(len(paths)) if procs is None else procs
    staging = index_dir.with_name(f"{index_dir.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    ix = _create(staging)
    options: dict[str, object] = {"limitmb": 256}
    if procs > 1:
        options.update(procs=procs, multisegment=True)
    writer = ix.writer(**options)
    try:
        for path in paths:
            if _add(archive, writer, path, FileState.of(path), report):
                report.added += 1
            if progress:
                progress(1)
        writer.commit()
    except BaseException:
        _cancel(writer)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    written = _entry_count(staging)
    if written != report.added + report.paragraphs:  # a build process died
        shutil.rmtree(staging, ignore_errors=True)
        raise TestimonyError(
            f"the index build wrote {written} of {report.added + report.paragraphs} entries "
            "(a build process stopped early); the previous index is kept: run "
            "'testimony index --rebuild' again"
        )
    _write_tables(staging)
    _swap(staging, index_dir)
    return report


def _cancel(writer: SegmentWriter) -> None:
    """Abandon a writer, stopping its processes (Whoosh's own cancel leaves them waiting
    for work, and this process waiting for them at exit). A process that outlives
    SIGTERM (a handler inherited from its parent catches it and goes back to waiting on
    its queue) is killed."""
    tasks = list(getattr(writer, "tasks", []))
    for task in tasks:
        task.terminate()
    for task in tasks:
        task.join(timeout=STOP_WAIT_S)
        if task.is_alive():
            task.kill()
            task.join()
    writer.cancel()


def _write_tables(index_dir: Path) -> None:
    """The postings tables of the index's new segments (`postings_table`). The index is
    written whatever happens here: a segment without a table is searched all the same,
    a little slower, and the next update writes what is missing."""
    try:
        with open_index(index_dir).reader() as reader:
            write_tables(index_dir, reader)
    except Exception:  # noqa: BLE001 - (the disk full, a folder not writable)
        log.warning("the postings tables of %s were not all written", index_dir, exc_info=True)


def _entry_count(index_dir: Path) -> int:
    with open_index(index_dir).reader() as reader:
        count: int = reader.doc_count_all()
    return count


def _swap(staging: Path, index_dir: Path) -> None:
    old = index_dir.with_name(f"{index_dir.name}.old-{os.getpid()}")
    if index_dir.exists():
        os.replace(index_dir, old)
    os.replace(staging, index_dir)
    shutil.rmtree(old, ignore_errors=True)


def relative_path(archive: Archive, path: Path) -> str:
    """A file's path in the archive, with "/" (as the index records it)."""
    text, root = str(path), str(archive.root) + os.sep
    if os.sep == "/" and text.startswith(root):
        return text[len(root) :]  # the common case, without pathlib's cost
    return path.relative_to(archive.root).as_posix()


def _add(
    archive: Archive, writer: SegmentWriter, path: Path, state: FileState, report: IndexReport
) -> bool:
    try:
        document = archive.load(path)
    except ArchiveError as error:
        report.failed.append((str(path), str(error)))
        return False
    meta = build_meta(document, archive.vocabulary, relative_path(archive, path), state)
    entries = index_entries(document, meta, archive.vocabulary)
    for entry in entries:
        writer.add_document(**entry)
    report.paragraphs += len(entries) - 1
    return True
