"""What an input file really is, read from its first bytes rather than from its name; the
limits every imported file is held to; and its text, decoded or refused with the fix.

A name can lie (a PDF saved as `.txt`, a photo renamed `.docx`), so the format is decided
by content where content can tell: a PDF by its `%PDF-` header, a Word file by being a ZIP
that holds `word/document.xml`. A text format (JSONL, CSV, Markdown, plain text) is then
chosen by the name. Anything else (images, archives, programs, old Word files, UTF-16
text) is refused with what it looks like and what to do instead.

Each refusal is an `ArchiveError` whose message names the file (and the line where
there is one) and the fix; the importer turns it into one line of its report.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import ArchiveError

Format = Literal["jsonl", "csv", "md", "txt", "docx", "pdf"]
TEXT_FORMATS: dict[str, Format] = {".jsonl": "jsonl", ".csv": "csv", ".md": "md", ".txt": "txt"}
SUPPORTED = (".jsonl", ".csv", ".md", ".txt", ".docx", ".pdf")
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How large an input may be. A file over a limit is refused whole, before it is
    parsed; every limit can be raised for a run (`testimony import --max-size`)."""

    file_bytes: int = 2048 * MB  # any one file (JSONL and CSV are read a record at a time)
    document_bytes: int = 64 * MB  # one Markdown or text file, read whole
    record_bytes: int = 16 * MB  # one line of JSONL, one row of CSV
    # A Word file is a ZIP: what it unpacks to, how many parts, and how much each part may
    # grow (a "zip bomb" grows a few KB into gigabytes).
    unpacked_bytes: int = 512 * MB
    zip_entries: int = 10_000
    zip_ratio: int = 200
    word_xml_bytes: int = 64 * MB  # the document part of a Word file (some 20 MB of text)
    pdf_pages: int = 5_000
    pdf_seconds: float = 120.0  # reading a PDF's text, all its pages

    @classmethod
    def with_max_megabytes(cls, megabytes: float | None) -> Limits:
        """The defaults, or every size limit raised (or lowered) to `megabytes`."""
        if megabytes is None:
            return cls()
        size = max(int(megabytes * MB), 1)
        return cls(file_bytes=size, document_bytes=size, record_bytes=size,
                   unpacked_bytes=max(size, cls.unpacked_bytes),
                   word_xml_bytes=max(size, cls.word_xml_bytes))  # fmt: skip


# First bytes of formats this import does not read, and what to say about them.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "an old Word (.doc) or Excel (.xls) file: save it as .docx (or the sheet as .csv)"),
    (b"{\\rtf", "a Rich Text (.rtf) file: save it as .docx or plain text"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image: import the text of the testimony, not a picture of it"),
    (b"\xff\xd8\xff", "a JPEG image: import the text of the testimony, not a picture of it"),
    (b"GIF8", "a GIF image: import the text of the testimony, not a picture of it"),
    (b"II*\x00", "a TIFF image (a scan?): run it through OCR and import the PDF or text"),
    (b"MM\x00*", "a TIFF image (a scan?): run it through OCR and import the PDF or text"),
    (b"\x1f\x8b", "a gzip archive: unpack it and import the files inside"),
    (b"BZh", "a bzip2 archive: unpack it and import the files inside"),
    (b"\xfd7zXZ\x00", "an xz archive: unpack it and import the files inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive: unpack it and import the files inside"),
    (b"Rar!\x1a\x07", "a RAR archive: unpack it and import the files inside"),
    (b"\x7fELF", "a program, not a document"),
    (b"MZ\x90\x00", "a Windows program, not a document"),
    (b"ID3", "an audio file: import a transcript of the recording"),
    (b"OggS", "an audio or video file: import a transcript of the recording"),
    (b"RIFF", "an audio, video or image file: import a transcript or the text instead"),
    (b"SQLite format 3\x00", "a SQLite database: export the table as CSV or JSONL"),
)
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
# Inside a ZIP, what says which office format it is.
_ZIP_KINDS = (
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "an Excel workbook: save the sheet as .csv and import that"),
    ("ppt/presentation.xml", "a PowerPoint file: save its text as .docx or .txt"),
    ("mimetype", "an OpenDocument file: save it as .docx (text) or .csv (a sheet)"),
)
_HEAD = 8192


def sniff(path: Path, limits: Limits, encoding: str = "utf-8") -> Format:
    """The format to read `path` as, or an ArchiveError saying why it cannot be imported.

    Checks that the file exists, is not empty and is within the size limit first. Text
    in a wide encoding (UTF-16, UTF-32) is taken as text only when `encoding` names one."""
    if not path.is_file():
        raise ArchiveError("no such file; check the name and the folder", path=path)
    size = path.stat().st_size
    if size == 0:
        raise ArchiveError(
            "the file is empty (0 bytes): nothing to import; check that it is the right file",
            path=path,
        )
    if size > limits.file_bytes:
        raise _too_large(path, size, limits.file_bytes)
    with path.open("rb") as handle:
        head = handle.read(_HEAD)
    suffix = path.suffix.lower()
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_ZIP_SIGNATURES):
        return _zip_format(path, limits)
    looks_like = _signature(head)
    if looks_like is not None:
        raise ArchiveError(f"this is {looks_like}", path=path)
    wide = codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    if not wide and head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ArchiveError(
            "the text is in UTF-16; save it as UTF-8, or import it with --encoding utf-16",
            path=path,
        )
    if not wide and b"\x00" in head and _looks_wide(head):
        raise ArchiveError(
            "the text looks like UTF-16 without a byte-order mark; save it as UTF-8, or "
            "import it with --encoding utf-16-le (or utf-16-be)",
            path=path,
        )
    if not wide and b"\x00" in head:
        raise ArchiveError(
            "the file holds binary data, not text or a document this import reads "
            f"(supported: {', '.join(SUPPORTED)})",
            path=path,
        )
    if suffix == ".pdf":
        raise ArchiveError(
            "named .pdf but it is not a PDF (it looks like text): rename it to .txt to "
            "import it as text",
            path=path,
        )
    if suffix == ".docx":
        raise ArchiveError(
            "named .docx but it is not a Word file (it looks like text): rename it to .txt "
            "to import it as text",
            path=path,
        )
    found = TEXT_FORMATS.get(suffix)
    if found is None:
        raise ArchiveError(
            f"cannot import {suffix or 'files without an extension'}; supported: "
            f"{', '.join(SUPPORTED)}",
            path=path,
        )
    if found in ("md", "txt") and size > limits.document_bytes:
        raise _too_large(path, size, limits.document_bytes)
    return found


def _looks_wide(head: bytes) -> bool:
    """Most of one byte of each pair zero, the other printable: UTF-16 text of a Latin
    script."""
    pairs = len(head) // 2
    if pairs < 8:
        return False
    for zeros, letters in ((head[1::2], head[0::2]), (head[0::2], head[1::2])):
        if zeros.count(0) > 0.9 * pairs and sum(32 <= byte < 127 or byte in (9, 10, 13)
                                                 for byte in letters) > 0.9 * pairs:  # fmt: skip
            return True
    return False


def _signature(head: bytes) -> str | None:
    for signature, looks_like in _SIGNATURES:
        if head.startswith(signature):
            return looks_like
    return None


def _zip_format(path: Path, limits: Limits) -> Format:
    """A ZIP is a Word file if it holds the Word document part; it is checked against
    the unpacking limits here, before anything reads it."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ArchiveError(
            f"a damaged ZIP or Word file ({error}); open it in Word and save it again",
            path=path,
        ) from None
    names = {entry.filename for entry in entries}
    for part, kind in _ZIP_KINDS:
        if part in names:
            if kind != "docx":
                raise ArchiveError(f"this is {kind}", path=path)
            check_unpacking(path, entries, limits)
            return "docx"
    raise ArchiveError(
        "a ZIP archive, not a Word file: unpack it and import the files inside", path=path
    )


def check_unpacking(path: Path, entries: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse a ZIP that would unpack into too many parts or too many bytes, or any part
    of which grows suspiciously much (the declared sizes are what the reader would
    trust, and a Word file's XML compresses some 5 to 20 times)."""
    if len(entries) > limits.zip_entries:
        raise ArchiveError(
            f"the Word file has {len(entries):,} parts (at most {limits.zip_entries:,}); "
            "it is not an ordinary document: open it in Word and save it again",
            path=path,
        )
    for entry in entries:
        if entry.filename == "word/document.xml" and entry.file_size > limits.word_xml_bytes:
            raise ArchiveError(
                f"the Word document's text part is {megabytes(entry.file_size)} (at most "
                f"{megabytes(limits.word_xml_bytes)}); split the document, or import it with "
                "a larger --max-size",
                path=path,
            )
    total = sum(entry.file_size for entry in entries)
    if total > limits.unpacked_bytes:
        raise ArchiveError(
            f"the Word file unpacks to {total / MB:,.0f} MB (at most "
            f"{limits.unpacked_bytes / MB:,.0f} MB); split the document, or import it with "
            "a larger --max-size",
            path=path,
        )
    for entry in entries:
        growth = entry.file_size // max(entry.compress_size, 1)
        if entry.file_size > MB and growth > limits.zip_ratio:
            raise ArchiveError(
                f"the part {entry.filename} grows {growth:,} times when unpacked: a 'zip "
                "bomb', not an ordinary document",
                path=path,
            )


def _too_large(path: Path, size: int, limit: int) -> ArchiveError:
    return ArchiveError(
        f"the file is {megabytes(size)}, over the {megabytes(limit)} limit; split it, or "
        f"import it with --max-size {size // MB + 1}",
        path=path,
    )


def megabytes(size: int) -> str:
    """A size as people read it: "3.2 MB", "16 MB", "0.5 KB"."""
    if size < MB:
        return f"{size / 1024:,.1f} KB"
    return f"{size / MB:,.1f} MB".replace(".0 MB", " MB")


def decode(raw: bytes, path: Path | str, encoding: str = "utf-8", first_line: int = 1) -> str:
    """Bytes as text in `encoding` (a UTF-8 byte-order mark is dropped), or an ArchiveError
    naming the line and column of the first byte that is not, and the fix."""
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8") and raw.startswith(
        codecs.BOM_UTF8
    ):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = first_line + before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n")
        line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
        column = len(before[line_start:].decode(encoding, errors="replace")) + 1
        byte = raw[error.start : error.start + 1].hex().upper()
        raise ArchiveError(
            f"not valid {encoding} text (byte 0x{byte} at column {column}); save the file "
            "as UTF-8, or name its encoding with --encoding (for example --encoding "
            "cp1252 for Windows text, or latin-1)",
            path=path,
            line=line,
        ) from None


def check_encoding_name(encoding: str) -> str:
    """The canonical name of a text encoding, or an ArchiveError saying it is unknown."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ArchiveError(
            f"unknown text encoding {encoding!r}; use a name such as utf-8, cp1252, "
            "latin-1 or utf-16"
        ) from None


# In a body: the controls XML 1.0 forbids (every C0 control but tab and newline), which no
# Word or PDF export could hold. C1 controls (U+0080 to U+009F, NEL among them) may stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
# In a title, DEL and the C1 controls too, the mark of text decoded in the wrong encoding
# (a title may run over lines: official reports' titles do).
_CONTROL_IN_TITLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_character(text: str, *, title: bool = False) -> tuple[int, str] | None:
    """The first control character of `text` (its index and a description), or None.
    Such characters are invisible on a page and break exports."""
    found = (_CONTROL_IN_TITLE if title else _CONTROL).search(text)
    if found is None:
        return None
    code = ord(found.group())
    hint = (
        " (the mark of text read in the wrong encoding: try --encoding cp1252)"
        if 0x80 <= code <= 0x9F
        else ""
    )
    return found.start(), f"a control character U+{code:04X}{hint}"


def line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1
