"""The text of Word (.docx) and PDF files, as paragraphs separated by blank lines.

A paragraph of the source stays one paragraph of the archive (paragraph numbers are
what citations point at): Word paragraphs are taken as they are; in a PDF, lines are
joined into paragraphs where the page leaves a vertical gap between them, and a word
broken by a hyphen at the end of a line is joined again; each paragraph keeps the number
of its page (a paragraph that runs on over a page break becomes two, one per page), so
that a citation can say "p. 12, ¶ 3". A PDF without a text layer (a
scan) or with a password is refused with a message that says so.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ArchiveError
from .input_files import Limits, megabytes

if TYPE_CHECKING:
    from pypdf import PdfReader


@dataclass(frozen=True)
class ExtractedText:
    title: str | None  # from the file's own properties, where it has one
    body: str  # paragraphs separated by one blank line
    pages: tuple[int, ...] = ()  # from a PDF: the page of each paragraph, in order

    def page_starts(self) -> dict[int, int]:
        """{first paragraph: page} for each run of paragraphs on one page."""
        starts: dict[int, int] = {}
        for number, page in enumerate(self.pages, start=1):
            if not starts or page != self.pages[number - 2]:
                starts[number] = page
        return starts


def docx_text(path: Path, limits: Limits | None = None) -> ExtractedText:
    import docx  # (imported here: only an import of Word files needs it)
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except PackageNotFoundError:
        raise ArchiveError(
            "not a readable Word (.docx) file; open it in Word and save it again", path=path
        ) from None
    except Exception as error:  # noqa: BLE001 (a damaged file can fail anywhere in python-docx)
        raise ArchiveError(
            f"not a readable Word (.docx) file ({type(error).__name__}: {str(error)[:200]}); "
            "open it in Word and save it again",
            path=path,
        ) from None
    paragraphs: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(_clean(cell.text) for cell in row.cells))
                paragraphs.append(" | ".join(cell for cell in cells if cell))
        else:
            paragraphs.append(_clean(block.text))  # a line break inside stays inside
    body = "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
    if not body:
        raise ArchiveError("the Word file has no text", path=path)
    _check_size(body, path, limits or Limits())
    return ExtractedText(_clean(document.core_properties.title or "") or None, body)


def pdf_text(path: Path, limits: Limits | None = None) -> ExtractedText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    quiet = logging.getLogger("pypdf")  # its warnings about damaged files are ours to say
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise ArchiveError(
                "the PDF is protected by a password; save an unprotected copy and import that",
                path=path,
            )
        pages = _pdf_pages(reader, path, limits or Limits())
        title = reader.metadata.title if reader.metadata else None
    except ArchiveError:
        raise
    except PdfReadError as error:
        raise ArchiveError(
            f"not a readable PDF file ({error}); open it and save or print it to PDF again",
            path=path,
        ) from None
    except Exception as error:  # noqa: BLE001 (a damaged file can fail anywhere in pypdf)
        raise ArchiveError(
            f"not a readable PDF file ({type(error).__name__}: {str(error)[:200]}); open it "
            "and save or print it to PDF again",
            path=path,
        ) from None
    finally:
        quiet.setLevel(level)
    found = [
        (number, paragraph)
        for number, page in enumerate(pages, start=1)
        for paragraph in _pdf_paragraphs(page)
    ]
    body = "\n\n".join(paragraph for _number, paragraph in found)
    if not body:
        raise ArchiveError(
            "the PDF has no text layer (a scanned image?); run it through OCR first",
            path=path,
        )
    _check_size(body, path, limits or Limits())
    title_text = _clean(str(title or "")) or None
    return ExtractedText(title_text, body, tuple(number for number, _paragraph in found))


def _pdf_pages(reader: PdfReader, path: Path, limits: Limits) -> list[str]:
    """Each page's text, within the page and time limits (a crafted PDF can make the
    reader work for many minutes on a few kilobytes)."""
    count = len(reader.pages)
    if count > limits.pdf_pages:
        raise ArchiveError(
            f"the PDF has {count:,} pages (at most {limits.pdf_pages:,}); split it", path=path
        )
    started = time.monotonic()
    pages: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        if time.monotonic() - started > limits.pdf_seconds:
            raise ArchiveError(
                f"reading the PDF's text took more than {limits.pdf_seconds:.0f} seconds (at "
                f"page {number} of {count}); save or print it to PDF again, or split it",
                path=path,
            )
        pages.append(page.extract_text(extraction_mode="layout"))
    return pages


def _check_size(body: str, path: Path, limits: Limits) -> None:
    size = len(body.encode("utf-8"))
    if size > limits.document_bytes:
        raise ArchiveError(
            f"the file's text is {megabytes(size)}, over the {megabytes(limits.document_bytes)}"
            " limit for one document; split it, or import it with a larger --max-size",
            path=path,
        )


_SPACES = re.compile(r"\s+")
_BROKEN_WORD = re.compile(r"(\w)-$")


_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # controls a page cannot show


def _clean(text: str) -> str:
    """Spaces collapsed; control characters, which a PDF's or Word file's text sometimes
    carries and no page shows, dropped."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def _pdf_paragraphs(page: str) -> Iterator[str]:
    """Lines joined into paragraphs: a blank line (a vertical gap on the page) ends one."""
    lines: list[str] = []
    for raw in [*page.splitlines(), ""]:
        line = _clean(raw)
        if line:
            if lines and _BROKEN_WORD.search(lines[-1]) and line[:1].islower():
                lines[-1] = lines[-1][:-1] + line  # "detain-" + "ed" → "detained"
            else:
                lines.append(line)
        elif lines:
            yield " ".join(lines)
            lines = []
