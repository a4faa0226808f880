"""What an export is of (`ExportRequest`), and what every format shares: the labels of
the cover in the request's language, the legal citation of each excerpt (from
`citation.py`, never formatted here), file names, and the time of the export."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from .. import __version__
from ..citation import format_citation
from ..errors import UsageError
from ..excerpts import PARAGRAPH_SEPARATOR, Excerpt
from ..i18n import translator

FORMATS: tuple[str, ...] = ("docx", "pdf", "csv", "json", "md")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
}
# The cover's words. Kept here rather than in the gettext catalogs: exports are documents
# in a fixed pair of languages, and their labels change with the export, not the web pages.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "archive": "Archive", "exported_by": "Exported by", "exported_at": "Exported at",
        "excerpts": "Excerpts", "description": "Description", "software": "Software",
        "note": "Note", "characters": "characters", "warning": "Warning",
        "holds_redacted": "{n} of these quotes hold words that the archive redacts for "
                          "other readers (to protect a witness): check before filing.",
        "about": "Exact quotes from the archive, each followed by its citation. "
                 "Each quote's SHA-256 is in the JSON and CSV exports; "
                 "'testimony verify' checks them against the archive.",
    },
    "es": {
        "archive": "Archivo", "exported_by": "Exportado por",
        "exported_at": "Fecha de exportación", "excerpts": "Extractos",
        "description": "Descripción", "software": "Programa", "note": "Nota",
        "characters": "caracteres", "warning": "Atención",
        "holds_redacted": "{n} de estas citas contienen palabras que el archivo testa para "
                          "otros lectores (para proteger a un testigo): revíselo antes de "
                          "presentarlas.",
        "about": "Citas textuales del archivo, cada una seguida de su referencia. "
                 "El SHA-256 de cada cita está en las exportaciones JSON y CSV; "
                 "'testimony verify' las comprueba con el archivo.",
    },
}  # fmt: skip
_SLUG_LENGTH = 60


@dataclass(frozen=True)
class ExportRequest:
    title: str  # the collection's name, or e.g. "Search: police beat migrants"
    excerpts: list[Excerpt]  # in order; each excerpt's note is excerpt.note
    archive: str  # the archive's name
    exported_by: str  # user name
    exported_at: str  # ISO 8601 UTC, e.g. "2026-12-06T10:00:00.000000+00:00"
    language: str = "en"  # "en" or "es": labels and citations
    software: str = ""  # e.g. "testimony-archive 0.1.0" (default: this version)
    description: str = ""  # what was exported (a search's query and filters)


def software(request: ExportRequest) -> str:
    return request.software or f"testimony-archive {__version__}"


def labels(request: ExportRequest) -> dict[str, str]:
    if request.language not in LABELS:
        raise UsageError(f"exports are in {' or '.join(LABELS)}, not {request.language!r}")
    return LABELS[request.language]


def citations(request: ExportRequest) -> list[str]:
    """The legal citation of each excerpt, in the request's language."""
    labels(request)  # refuses a language without labels before anything is formatted
    translate = translator(request.language)
    return [format_citation(excerpt, "legal", translate) for excerpt in request.excerpts]


def exported_at(request: ExportRequest) -> datetime:
    """The time of the export, in UTC (a time without a zone is taken as UTC)."""
    try:
        moment = datetime.fromisoformat(request.exported_at)
    except ValueError:
        raise UsageError(f"exported_at {request.exported_at!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def zip_time(request: ExportRequest) -> tuple[int, int, int, int, int, int]:
    """The export's time as zip members are dated (a zip cannot say before 1980)."""
    moment = exported_at(request)
    year = max(moment.year, 1980)
    return (year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def w3c_time(request: ExportRequest) -> str:
    """`2026-12-06T10:00:00Z`: the time as PDF metadata and BagIt want it."""
    return exported_at(request).strftime("%Y-%m-%dT%H:%M:%SZ")


def cover(request: ExportRequest) -> list[tuple[str, str]]:
    """The cover's facts, label and value, in the order every format shows them."""
    words = labels(request)
    facts = [
        (words["archive"], request.archive),
        (words["exported_by"], request.exported_by),
        (words["exported_at"], request.exported_at),
        (words["excerpts"], str(len(request.excerpts))),
    ]
    if request.description:
        facts.append((words["description"], request.description))
    holding = sum(excerpt.holds_redacted for excerpt in request.excerpts)
    if holding:
        facts.append((words["warning"], words["holds_redacted"].format(n=holding)))
    facts.append((words["software"], software(request)))
    return facts


def media_type(format: str) -> str:
    return MEDIA_TYPES[check_format(format)]


def check_format(format: str) -> str:
    if format not in FORMATS:
        raise UsageError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    return format


def slug(text: str) -> str:
    """ASCII words of a title, joined by hyphens: `Búsqueda: pa'l norte` → `busqueda-pa-l-norte`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:_SLUG_LENGTH].rstrip("-")


def stem(request: ExportRequest, prefix: str = "excerpts") -> str:
    """`excerpts-asylum-case-2026-12-06`: a safe ASCII name without an extension."""
    parts = [prefix, slug(request.title), exported_at(request).strftime("%Y-%m-%d")]
    return "-".join(part for part in parts if part)


def filename(request: ExportRequest, format: str) -> str:
    """A safe ASCII file name, e.g. `excerpts-asylum-case-2026-12-06.docx`."""
    return f"{stem(request)}.{check_format(format)}"


def paragraphs(excerpt: Excerpt) -> list[str]:
    """The quote's paragraphs (a multi-paragraph quote keeps them apart)."""
    return excerpt.text.split(PARAGRAPH_SEPARATOR)


def locator(excerpt: Excerpt, words: dict[str, str]) -> str:
    """`mx-chis-2016-0007 ¶4–6`, or `… ¶4, characters 12–80` for part of a paragraph."""
    return f"{excerpt.doc} {excerpt.place.described(words['characters'])}"


def direction(text: str) -> str:
    """`rtl` where the first letter with a direction is Arabic or Hebrew, else `ltr`
    (the rule `dir="auto"` applies in HTML)."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"
