"""The text of Word (.docx) and PDF files, as paragraphs separated by blank lines.

A paragraph of the source stays one paragraph of the archive (paragraph numbers are
what citations point at): Word paragraphs are taken as they are; in a PDF, lines are
joined into paragraphs where the page leaves a vertical gap between them, and a word
broken by a hyphen at the end of a line is joined again. A PDF without a text layer (a
scan) or with a password is refused with a message that says so.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import ArchiveError


@dataclass(frozen=True)
class ExtractedText:
    title: str | None  # from the file's own properties, where it has one
    body: str  # paragraphs separated by one blank line


def docx_text(path: Path) -> ExtractedText:
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
    return ExtractedText(_clean(document.core_properties.title or "") or None, body)


def pdf_text(path: Path) -> ExtractedText:
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
        pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
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
    body = "\n\n".join(paragraph for page in pages for paragraph in _pdf_paragraphs(page))
    if not body:
        raise ArchiveError(
            "the PDF has no text layer (a scanned image?); run it through OCR first",
            path=path,
        )
    return ExtractedText(_clean(str(title or "")) or None, body)


_SPACES = re.compile(r"\s+")
_BROKEN_WORD = re.compile(r"(\w)-$")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


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
