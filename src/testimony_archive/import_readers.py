"""The readers of `testimony import`: each input file as records, each record a document
or the one-line reason it is not one.

JSONL and CSV are read a record at a time (a file may be larger than memory allows);
Markdown, text, Word and PDF files are one document each. A reader never raises for bad
input: whatever is wrong with a file or a record comes back as a `Candidate` with an
error that names the file, the line or row, the field where there is one, and the fix.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from .document_file import parse_document, split_front_matter
from .document_text import ExtractedText, docx_text, pdf_text
from .errors import ArchiveError
from .input_files import Format, Limits, control_character, decode, line_of, megabytes, sniff
from .interchange import normalise_text, record_to_document
from .models import Document
from .places import Places

CSV_COLUMNS = ("id", "kind", "title", "text")  # the columns every CSV import needs
_LIST_SEPARATORS = re.compile(r"[;|]")


@dataclass(frozen=True)
class Candidate:
    """One record read from an input file: a document, or the reason it is not one."""

    where: str
    document: Document | None = None
    error: str | None = None


@dataclass(frozen=True)
class Reading:
    """How to read: the text encoding, the size limits, and the places for `place`."""

    encoding: str = "utf-8"
    limits: Limits = Limits()
    places: Places | None = None


def read_candidates(path: Path, reading: Reading) -> Iterator[Candidate]:
    """Every record of the file, in order; a file that cannot be read at all is one
    candidate with the reason."""
    try:
        found = sniff(path, reading.limits, reading.encoding)
    except ArchiveError as error:
        yield Candidate(str(path), error=str(error))
        return
    yield from READERS[found](path, reading)


def count_records(path: Path) -> int:
    """A quick count for progress bars (lines of JSONL and CSV, else one), read a megabyte
    at a time however long the lines are."""
    if path.suffix.lower() not in (".jsonl", ".csv") or not path.is_file():
        return 1
    lines, last = 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(2**20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    lines += last != b"\n"
    return max(lines - (path.suffix.lower() == ".csv"), 0)


def _guard(where: str, build: Callable[[], Document]) -> Candidate:
    try:
        return Candidate(where, document=build())
    except ArchiveError as error:
        return Candidate(where, error=str(error))


def _convert(record: Any, where: str, reading: Reading) -> Document:
    return record_to_document(record, places=reading.places, where=where)


# -- JSONL --------------------------------------------------------------------------------


def _jsonl(path: Path, reading: Reading) -> Iterator[Candidate]:
    empty = True
    for number, line, error in _lines(path, reading):
        where = f"{path}:{number}"
        if error is None and not line.strip():
            continue
        empty = False
        if error is not None:
            yield Candidate(where, error=error)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as problem:
            yield Candidate(
                where,
                error=f"{where}: invalid JSON ({problem.msg}, column {problem.colno}); each "
                "line must be one whole JSON object",
            )
            continue
        except RecursionError:
            yield Candidate(where, error=f"{where}: the JSON is nested too deeply to read; "
                            "nest lists and objects less deeply")  # fmt: skip
            continue
        except ValueError:  # a number of more digits than Python converts
            yield Candidate(where, error=f"{where}: a number has more than 4,300 digits; "
                            "write it as text (in quotes)")  # fmt: skip
            continue
        yield _guard(where, partial(_convert, record, where, reading))
    if empty:
        yield Candidate(str(path), error=f"{path}: the file has no records (only blank lines)")


def _lines(path: Path, reading: Reading) -> Iterator[tuple[int, str, str | None]]:
    """(line number, text, None) for each line, or (line number, "", reason) for one that
    is too long or not in the encoding; a reason for the whole file ends it."""
    limit = reading.limits.record_bytes
    if not _ascii_compatible(reading.encoding):
        # UTF-16 and its kind cannot be split at b"\n": the file is decoded whole.
        try:
            text = decode(path.read_bytes(), path, reading.encoding)
        except ArchiveError as error:
            yield 1, "", str(error)
            return
        for number, line in enumerate(text.split("\n"), start=1):
            yield number, line, (_too_long(path, number, limit) if len(line) > limit else None)
        return
    with path.open("rb") as handle:
        number = 0
        while True:
            raw = handle.readline(limit + 1)
            if not raw:
                return
            number += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # the rest of the line, unread
                    raw = handle.readline(1024 * 1024)
                yield number, "", _too_long(path, number, limit)
                continue
            try:
                yield number, decode(raw, path, reading.encoding, first_line=number), None
            except ArchiveError as error:
                yield number, "", str(error)


def _too_long(path: Path, number: int, limit: int, what: str = "line") -> str:
    return (
        f"{path}:{number}: the {what} is longer than {megabytes(limit)}; split the text, or "
        "import it with a larger --max-size"
    )


def _ascii_compatible(encoding: str) -> bool:
    return not codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


# -- CSV ----------------------------------------------------------------------------------


def _csv(path: Path, reading: Reading) -> Iterator[Candidate]:
    """Rows are numbered as a spreadsheet shows them (the header is row 1), and read one
    at a time. A UTF-8 byte-order mark, which spreadsheet programs write, is dropped."""
    utf8 = codecs.lookup(reading.encoding).name == "utf-8"
    with path.open(encoding="utf-8-sig" if utf8 else reading.encoding, newline="") as handle:
        try:
            yield from _csv_rows(path, csv.reader(handle), reading)
        except UnicodeDecodeError:
            yield Candidate(str(path), error=_bad_byte(path, reading.encoding))


def _bad_byte(path: Path, encoding: str) -> str:
    """The refusal for a file that is not in `encoding`, with the line of the first byte
    that is not (found again line by line: only on this path)."""
    if _ascii_compatible(encoding):
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    decode(raw, path, encoding, first_line=number)
                except ArchiveError as error:
                    return str(error)
    try:
        decode(path.read_bytes(), path, encoding)
    except ArchiveError as error:
        return str(error)
    return f"{path}: not valid {encoding} text; save the file as UTF-8"


def _csv_rows(path: Path, rows: Iterator[list[str]], reading: Reading) -> Iterator[Candidate]:
    csv.field_size_limit(reading.limits.record_bytes)
    try:
        header = next(rows, None)
    except csv.Error as error:
        yield Candidate(f"{path}:1", error=f"{path}:1: the header row is malformed ({error})")
        return
    problem = _header_problem(header)
    if problem is not None or header is None:
        yield Candidate(f"{path}:1", error=f"{path}:1: {problem}")
        return
    names = [name.strip() for name in header]
    empty, row_number = True, 1
    while True:
        try:
            row = next(rows, None)
        except csv.Error as error:
            where = f"{path}:{row_number + 1}"
            if "field larger than field limit" in str(error):
                limit = reading.limits.record_bytes
                yield Candidate(where, error=_too_long(path, row_number + 1, limit, "cell"))
                return
            yield Candidate(
                where,
                error=f"{where}: the CSV is malformed from here on ({error}); a cell holding "
                "commas, quotes or line breaks must be in double quotes, with quotes "
                "inside it doubled",
            )
            return
        if row is None:
            break
        row_number += 1
        where = f"{path}:{row_number}"
        if not any(cell.strip() for cell in row):
            continue
        empty = False
        if len(row) != len(names):
            yield Candidate(
                where,
                error=f"{where}: the row has {len(row)} cells where the header has "
                f"{len(names)}; a cell holding a comma must be in double quotes",
            )
            continue
        record: dict[str, Any] = {name: cell for name, cell in zip(names, row, strict=True) if cell}
        for key in ("locations", "abuse_types", "perpetrators"):
            if isinstance(record.get(key), str):
                record[key] = [
                    part.strip() for part in _LIST_SEPARATORS.split(record[key]) if part.strip()
                ]
        yield _guard(where, partial(_convert, record, where, reading))
    if empty:
        yield Candidate(str(path), error=f"{path}: the file has a header row but no records")


def _header_problem(header: list[str] | None) -> str | None:
    if header is None or not any(cell.strip() for cell in header):
        return "the first row must name the columns (id, kind, title, text, …)"
    names = [name.strip() for name in header]
    if "" in names:
        return f"column {names.index('') + 1} of the header row has no name; name it or delete it"
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        return f"the header names the column {twice[0]!r} twice; keep one"
    missing = [name for name in CSV_COLUMNS if name not in names]
    if missing:
        return (
            f"the header row has no {', '.join(repr(name) for name in missing)} column "
            f"(found: {', '.join(names)[:200]}); every CSV needs {', '.join(CSV_COLUMNS)}"
        )
    return None


# -- one document per file ----------------------------------------------------------------


def _markdown(path: Path, reading: Reading) -> Iterator[Candidate]:
    """An archive file from elsewhere: its sha256 must match, or is filled in if absent."""

    def build() -> Document:
        text = normalise_text(decode(path.read_bytes(), path, reading.encoding))
        _front, body, first_line = split_front_matter(text, path)
        _check_body(body, path, first_line)
        return parse_document(text, path, fill_sha256=True)

    yield _guard(str(path), build)


def _plain_text(path: Path, reading: Reading) -> Iterator[Candidate]:
    def build() -> Document:
        body = decode(path.read_bytes(), path, reading.encoding)
        return _from_text(path, ExtractedText(None, body))

    yield _guard(str(path), build)


def _word(path: Path, reading: Reading) -> Iterator[Candidate]:
    yield _guard(str(path), lambda: _from_text(path, docx_text(path, reading.limits)))


def _pdf(path: Path, reading: Reading) -> Iterator[Candidate]:
    yield _guard(str(path), lambda: _from_text(path, pdf_text(path, reading.limits)))


def _from_text(path: Path, extracted: ExtractedText) -> Document:
    """A testimony named after its file (its id a slug of the file name, its title the
    file's own title where it has one)."""
    stem = file_name_text(path.stem)
    slug = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-._")[:100] or "document"
    body = normalise_text(extracted.body)
    if not body.strip():
        raise ArchiveError("the file holds no text (only spaces and blank lines)", path=path)
    _check_body(body, path)
    record: dict[str, Any] = {
        "id": slug,
        "kind": "testimony",
        "title": extracted.title or stem,
        "text": body,
    }
    if extracted.pages:
        record["pages"] = extracted.page_starts()
    return record_to_document(record, where=str(path))


def file_name_text(name: str) -> str:
    """A file's name as text for a title: bytes that are not UTF-8 shown as '�', control
    characters (a newline in a name) as spaces."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text).split())


def _check_body(body: str, path: Path, first_line: int = 1) -> None:
    found = control_character(body)
    if found is not None:
        index, what = found
        raise ArchiveError(
            f"the text holds {what}; remove it (or import with the right --encoding)",
            path=path,
            line=first_line + line_of(body, index) - 1,
        )


READERS: dict[Format, Callable[[Path, Reading], Iterator[Candidate]]] = {
    "jsonl": _jsonl,
    "csv": _csv,
    "md": _markdown,
    "txt": _plain_text,
    "docx": _word,
    "pdf": _pdf,
}
