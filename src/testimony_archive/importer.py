"""Import documents into the archive from JSONL, CSV, Markdown, plain-text, Word and PDF
files: all or nothing.

An import runs in two passes under the archive's write lock. The first reads and checks
every record of every file (format, encoding, sizes, fields, tag ids, clashes with the
archive and within the run) and writes nothing. Only when every record passed (or the
caller asked to import the valid ones anyway) does the second pass write the new
documents, each atomically (a temporary file, synced, then renamed). So a refused import
leaves the archive byte for byte as it was, and an import killed half-way leaves complete
files only: running it again skips what was written and writes the rest. A dry run stops
after the first pass.

The readers themselves are in `import_readers`; what a file is and the limits are in
`input_files`.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .archive import Archive, validate_tags
from .document_file import serialize_document
from .errors import ArchiveError, printable
from .import_readers import Candidate, Reading, read_candidates
from .input_files import Limits, check_encoding_name
from .models import Document
from .suggestions import with_suggestions

if TYPE_CHECKING:
    from .tagging import Tagger

Progress = Callable[[int], None]
# A file `write_atomically` had not yet renamed when its process was killed.
_STALE_TEMPORARY = re.compile(r"^\..+\.md\.[A-Za-z0-9_]{8}$")


@dataclass(frozen=True)
class ImportOptions:
    encoding: str = "utf-8"
    limits: Limits = Limits()
    dry_run: bool = False  # check everything, write nothing
    skip_invalid: bool = False  # write the valid records even when others are refused


@dataclass
class FileSummary:
    """What became of one input file's records."""

    name: str
    new: int = 0  # passed every check and are not in the archive yet
    skipped: int = 0  # already archived with the same text
    failed: int = 0


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)  # written
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)
    new: list[str] = field(default_factory=list)  # valid and new: written unless held back
    files: list[FileSummary] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": len(self.imported),
            "skipped": len(self.skipped),
            "failed": [{"where": where, "reason": reason} for where, reason in self.failed],
            "new": len(self.new),
            "dry_run": self.dry_run,
            "written": bool(self.imported),
            "files": [vars(summary) for summary in self.files],
        }


def import_paths(
    archive: Archive,
    paths: list[Path],
    progress: Progress | None = None,
    tagger: Tagger | None = None,
    options: ImportOptions | None = None,
) -> ImportReport:
    """Check every record of every file, then (unless refused or a dry run) write the
    new ones; report what was imported, skipped and refused, per file.

    With a tagger, each new document's paragraphs get suggested tags (kept apart from
    confirmed ones until a person reviews them). Progress counts each record once when
    checked and once more when written."""
    options = options or ImportOptions()
    reading = Reading(
        check_encoding_name(options.encoding), options.limits, archive.vocabulary.places
    )
    step = progress or (lambda _count: None)
    report = ImportReport(dry_run=options.dry_run)
    if options.dry_run:  # not even the lock file or the folder: a dry run changes nothing
        lock = archive.write_lock() if archive.root.is_dir() else contextlib.nullcontext()
        with lock:
            _check(archive, paths, reading, report, step)
        return report
    with archive.write_lock():
        archive.refresh()
        remove_stale_temporary_files(archive)
        plan = _check(archive, paths, reading, report, step)
        if not plan.to_write or (report.failed and not options.skip_invalid):
            return report
        for path in paths:  # before anything is written
            plan.check_unchanged(path, "; nothing was written")
        for document in plan.documents(paths, reading, step):
            if tagger is not None:
                document = with_suggestions(tagger, document)
            archive.write(document, archive.path_for(document.id))
            report.imported.append(document.id)
    return report


@dataclass
class _Plan:
    """What the first pass decided: the new documents (id → sha256), the documents
    already read from one-document files (not read twice), and each file's state."""

    to_write: dict[str, str] = field(default_factory=dict)
    kept: dict[Path, Document] = field(default_factory=dict)
    states: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def check_unchanged(self, path: Path, then: str) -> None:
        """The file as it was when it was checked, or an ArchiveError saying `then`
        (what became of the import)."""
        if _state(path) != self.states[path]:
            raise ArchiveError(
                f"the file changed while it was being imported{then}; run the import again",
                path=path,
            )

    def documents(self, paths: list[Path], reading: Reading, step: Progress) -> Iterator[Document]:
        """The new documents in input order, each once: read again from JSONL and CSV
        files (which may be larger than memory allows), kept from the others."""
        left = dict(self.to_write)
        for path in paths:
            self.check_unchanged(path, ", after some records were written")
            candidates: Iterator[Candidate]
            kept = self.kept.get(path)
            if kept is not None:
                candidates = iter([Candidate(str(path), document=kept)])
            else:
                candidates = read_candidates(path, reading)
            for candidate in candidates:
                step(1)
                document = candidate.document
                if document is not None and left.get(document.id) == document.sha256:
                    del left[document.id]
                    yield document
        if left:
            raise ArchiveError(
                f"{len(left)} checked records were not found again (a file changed while it "
                "was being imported); run the import again to finish it"
            )


def _check(
    archive: Archive, paths: list[Path], reading: Reading, report: ImportReport, step: Progress
) -> _Plan:
    plan = _Plan()
    seen: dict[str, tuple[str, str]] = {}  # id → (sha256, where) within this run
    for path in paths:
        summary = FileSummary(printable(str(path)))
        report.files.append(summary)
        plan.states[path] = _state(path)
        for candidate in read_candidates(path, reading):
            step(1)
            verdict = _verdict(archive, candidate, seen)
            if verdict == "new":
                assert candidate.document is not None
                document = candidate.document
                plan.to_write[document.id] = document.sha256
                if path.suffix.lower() not in (".jsonl", ".csv"):
                    plan.kept[path] = document
                report.new.append(document.id)
                summary.new += 1
            elif verdict == "skip":
                assert candidate.document is not None
                report.skipped.append(candidate.document.id)
                summary.skipped += 1
            else:
                report.failed.append((printable(candidate.where), printable(verdict)))
                summary.failed += 1
    return plan


def _verdict(archive: Archive, candidate: Candidate, seen: dict[str, tuple[str, str]]) -> str:
    """"new", "skip", or the reason the record is refused."""
    document = candidate.document
    if document is None:
        return candidate.error or "unreadable"
    try:
        validate_tags(document, archive.vocabulary)
        target = archive.path_for(document.id)
        if document.id in seen:
            sha256, where = seen[document.id]
            if sha256 == document.sha256:
                return "skip"
            return (
                f"the id {document.id!r} is also given at {where} with a different text; "
                "give one of them another id"
            )
        seen[document.id] = (document.sha256, candidate.where)
        _check_writable(document)
        if target.exists():
            if archive.load(target).sha256 == document.sha256:
                return "skip"
            return (
                f"the id {document.id!r} is already in the archive with a different text; an "
                "archived text is never altered: import the new version under a new id"
            )
    except ArchiveError as error:
        return str(error)
    return "new"


def _check_writable(document: Document) -> None:
    """What the write pass will write can be written: every field is text a file can
    hold (JSON allows lone surrogates, `"\\ud800"`, which no UTF-8 file can)."""
    try:
        serialize_document(document).encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(error.object[error.start])
        raise ArchiveError(
            f"holds a character that is not valid Unicode text (U+{code:04X}, half of a "
            "surrogate pair); remove it or fix the file's encoding",
            path=document.path,
        ) from None
    except (TypeError, ValueError, yaml.YAMLError) as error:
        raise ArchiveError(f"cannot be written as an archive file ({error})") from None


def _state(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


def remove_stale_temporary_files(archive: Archive) -> int:
    """Delete what an earlier writer killed mid-write left (`.NAME.md.XXXXXXXX`). Call
    under the write lock: no other writer can be half-way then."""
    removed = 0
    if not archive.documents_dir.is_dir():
        return 0
    for folder, _subfolders, files in os.walk(archive.documents_dir):
        for name in files:
            if _STALE_TEMPORARY.match(name):
                os.unlink(os.path.join(folder, name))
                removed += 1
    return removed
