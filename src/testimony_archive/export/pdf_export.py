"""The PDF export: `templates/export/excerpts.html` rendered by Jinja (autoescaped, the
citations passed in as text) and laid out by WeasyPrint with the DejaVu fonts, embedded.

The same request gives the same bytes: the PDF's dates are the export's
(`dcterms.created`/`modified`), it carries no random identifier, font subsets are named
by a hash of their glyphs, and nothing is fetched (every URL is refused).

Quotes, notes and titles carry the direction that `dir="auto"` would give them (from their
first letter with a direction): WeasyPrint 70 does not implement `dir="auto"`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import HTML, URLFetcher  # type: ignore[import-untyped]

from ..config import Settings
from .request import (
    ExportRequest,
    citations,
    cover,
    direction,
    labels,
    locator,
    paragraphs,
    software,
    w3c_time,
)

TEMPLATE = "export/excerpts.html"


@dataclass(frozen=True)
class PdfExcerpt:
    number: int
    title: str
    title_direction: str
    locator: str
    paragraphs: list[tuple[str, str]]  # text and direction
    note: str
    note_direction: str
    citation: str  # formatted by citation.py


@dataclass(frozen=True)
class PdfPage:
    """What `export/excerpts.html` is given."""

    language: str
    title: str
    title_direction: str
    created: str  # W3C date-time, for the PDF's metadata
    author: str
    generator: str
    description: str
    cover: list[tuple[str, str]]
    about: str
    note_label: str
    excerpts: list[PdfExcerpt]


class RefusingFetcher(URLFetcher):  # type: ignore[misc]
    """Nothing is fetched while a PDF is made: no image, stylesheet or font from outside."""

    def fetch(self, url: str, headers: object = None) -> object:
        raise ValueError(f"exports fetch nothing ({url})")


def page(request: ExportRequest) -> PdfPage:
    words = labels(request)
    items = [
        PdfExcerpt(
            number=number, title=excerpt.title, title_direction=direction(excerpt.title),
            locator=locator(excerpt, words),
            paragraphs=[(text, direction(text)) for text in paragraphs(excerpt)],
            note=excerpt.note, note_direction=direction(excerpt.note), citation=cited,
        )
        for number, (excerpt, cited) in enumerate(
            zip(request.excerpts, citations(request), strict=True), start=1)
    ]  # fmt: skip
    return PdfPage(
        language=request.language, title=request.title,
        title_direction=direction(request.title), created=w3c_time(request),
        author=request.exported_by, generator=software(request),
        description=request.description, cover=cover(request), about=words["about"],
        note_label=words["note"], excerpts=items,
    )  # fmt: skip


def render_pdf(request: ExportRequest, templates_dir: Path | None = None) -> bytes:
    directory = templates_dir or Settings().templates_dir
    html = _environment(directory).get_template(TEMPLATE).render(page=page(request))
    document = HTML(string=html, base_url=None, url_fetcher=RefusingFetcher())
    pdf: bytes = document.write_pdf(pdf_identifier=False, pdf_tags=True)
    return pdf


@lru_cache(maxsize=4)
def _environment(directory: Path) -> Environment:
    return Environment(loader=FileSystemLoader(directory), autoescape=True,
                       undefined=StrictUndefined)  # fmt: skip
