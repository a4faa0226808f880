"""Import documents into the archive from JSONL, CSV, Markdown, plain-text, Word and PDF
files.

Each record is checked completely before its file is written, and written atomically, so
a bad record never leaves a half-written file. A re-run is idempotent: a record whose id
is already archived with the same text is skipped.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .archive import Archive, validate_tags
from .document_file import parse_document
from .document_text import ExtractedText, docx_text, pdf_text
from .errors import ArchiveError, UsageError
from .interchange import normalise_text, record_to_document
from .models import Document
from .suggestions import with_suggestions

if TYPE_CHECKING:
    from .tagging import Tagger

SUPPORTED = (".jsonl", ".csv", ".md", ".txt", ".docx", ".pdf")
Progress = Callable[[int], None]


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": len(self.imported),
            "skipped": len(self.skipped),
            "failed": [{"where": where, "reason": reason} for where, reason in self.failed],
        }


@dataclass(frozen=True)
class Candidate:
    """One record read from an input file: a document, or the reason it is not one."""

    where: str
    document: Document | None = None
    error: str | None = None


def count_records(path: Path) -> int:
    """A quick count for progress bars (lines of JSONL/CSV, else one)."""
    if path.suffix.lower() in (".jsonl", ".csv"):
        with path.open("rb") as handle:
            return max(sum(1 for line in handle if line.strip()) - (path.suffix == ".csv"), 0)
    return 1


def read_candidates(path: Path, archive: Archive) -> Iterator[Candidate]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UsageError(
            f"{path}: cannot import {suffix or 'files without an extension'}; "
            f"supported: {', '.join(SUPPORTED)}"
        )
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    places = archive.vocabulary.places
    if suffix == ".jsonl":
        yield from _jsonl(
            path, lambda record, where: record_to_document(record, places=places, where=where)
        )
    elif suffix == ".csv":
        yield from _csv(
            path, lambda record, where: record_to_document(record, places=places, where=where)
        )
    elif suffix == ".md":
        yield _guard(str(path), lambda: _markdown(path))
    elif suffix == ".docx":
        yield _guard(str(path), lambda: _from_text(path, docx_text(path)))
    elif suffix == ".pdf":
        yield _guard(str(path), lambda: _from_text(path, pdf_text(path)))
    else:
        yield _guard(str(path), lambda: _plain_text(path))


def _guard(where: str, build: Callable[[], Document]) -> Candidate:
    try:
        return Candidate(where, document=build())
    except ArchiveError as error:
        return Candidate(where, error=str(error))


def _jsonl(path: Path, convert: Callable[[Any, str], Document]) -> Iterator[Candidate]:
    with path.open(encoding="utf-8", errors="strict") as handle:
        line_number = 0
        while True:
            where = f"{path}:{line_number + 1}"
            try:
                line = handle.readline()
            except UnicodeDecodeError:
                yield Candidate(where, error=f"{where}: not valid UTF-8; save the file as UTF-8")
                return
            if not line:
                return
            line_number += 1
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield Candidate(
                    where, error=f"{where}: invalid JSON ({error.msg}, column {error.colno})"
                )
                continue
            yield _guard(where, partial(convert, record, where))


def _csv(path: Path, convert: Callable[[Any, str], Document]) -> Iterator[Candidate]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row_number, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{path}:{row_number}"
            record: dict[str, Any] = {
                key: value for key, value in row.items() if key and value != ""
            }
            for key in ("locations", "abuse_types", "perpetrators"):
                if isinstance(record.get(key), str):
                    record[key] = [
                        part.strip() for part in re.split(r"[;|]", record[key]) if part.strip()
                    ]
            yield _guard(where, partial(convert, record, where))


def _markdown(path: Path) -> Document:
    """An archive file from elsewhere: its sha256 must match, or is filled in if absent."""
    text = normalise_text(path.read_text(encoding="utf-8"))
    return parse_document(text, path, fill_sha256=True)


def _plain_text(path: Path) -> Document:
    body = path.read_text(encoding="utf-8")
    return _from_text(path, ExtractedText(None, body))


def _from_text(path: Path, extracted: ExtractedText) -> Document:
    """A testimony named after its file (its id a slug of the file name, its title the
    file's own title where it has one)."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._")[:100] or "document"
    record = {
        "id": slug,
        "kind": "testimony",
        "title": extracted.title or path.stem,
        "text": normalise_text(extracted.body),
    }
    return record_to_document(record, where=str(path))


def import_paths(
    archive: Archive,
    paths: list[Path],
    progress: Progress | None = None,
    tagger: Tagger | None = None,
) -> ImportReport:
    """Import every record of every file; report imported, skipped and failed records.

    With a tagger, each new document's paragraphs get suggested tags (kept apart from
    confirmed ones until a person reviews them)."""
    report = ImportReport()
    with archive.write_lock():
        archive.refresh()
        for path in paths:
            for candidate in read_candidates(path, archive):
                _import_one(archive, candidate, report, tagger)
                if progress is not None:
                    progress(1)
    return report


def _import_one(
    archive: Archive, candidate: Candidate, report: ImportReport, tagger: Tagger | None
) -> None:
    if candidate.document is None:
        report.failed.append((candidate.where, candidate.error or "unreadable"))
        return
    document = candidate.document
    try:
        validate_tags(document, archive.vocabulary)
        target = archive.path_for(document.id)
        if target.exists():
            existing = archive.load(target)
            if existing.sha256 == document.sha256:
                report.skipped.append(document.id)
                return
            report.failed.append(
                (
                    candidate.where,
                    f"id {document.id!r} is already in the archive with a different text; an "
                    "archived text is never altered: import the new version under a new id",
                )
            )
            return
        if tagger is not None:
            document = with_suggestions(tagger, document)
        archive.write(document, target)
    except ArchiveError as error:
        report.failed.append((candidate.where, str(error)))
        return
    report.imported.append(document.id)
