"""Citations of single paragraphs, formatted in one place (never in templates).

A citation names who and what (witness pseudonym or source, title, kind, date), where
(document id and paragraph number), which version (the SHA-256 of the archived text) and
how to find it again (a permalink to the paragraph).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Document

KIND_LABELS = {
    "en": {"testimony": "testimony", "report_excerpt": "report excerpt"},
    "es": {"testimony": "testimonio", "report_excerpt": "extracto de informe"},
}
WORDS = {
    "en": {"paragraph": "paragraph", "document": "Testimony Archive document", "undated": "n.d."},
    "es": {
        "paragraph": "párrafo",
        "document": "documento del Testimony Archive",
        "undated": "s. f.",
    },
}


@dataclass(frozen=True)
class Citation:
    doc: str
    para: int
    sha256: str
    permalink: str
    text: str  # the formatted citation


def permalink(base_url: str, doc_id: str, para: int | None = None) -> str:
    url = f"{base_url.rstrip('/')}/documents/{doc_id}"
    return f"{url}#p{para}" if para is not None else url


def cite(document: Document, para: int, base_url: str, language: str = "en") -> Citation:
    words = WORDS.get(language, WORDS["en"])
    kinds = KIND_LABELS.get(language, KIND_LABELS["en"])
    who = _who(document)
    link = permalink(base_url, document.id, para)
    parts = [
        *([who] if who else []),
        f"“{document.title}”",
        kinds.get(document.kind, document.kind),
        str(document.date) if document.date else words["undated"],
        f"{words['document']} {document.id}, {words['paragraph']} {para}",
        f"SHA-256 {document.sha256}",
        link,
    ]
    return Citation(document.id, para, document.sha256, link, ", ".join(parts) + ".")


def _who(document: Document) -> str:
    if document.witness and document.witness.get("pseudonym"):
        return str(document.witness["pseudonym"])
    source = document.source
    if isinstance(source, dict):
        for key in ("organization", "publisher", "citation"):
            if source.get(key):
                return str(source[key])
    return source if isinstance(source, str) else ""
