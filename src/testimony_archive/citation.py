"""Citations of single paragraphs, formatted in one place (never in templates).

A citation names who and what (witness pseudonym or source, title, kind, date), where
(document id and paragraph number), which version (the SHA-256 of the archived text) and
how to find it again (a permalink to the paragraph), and whether a passage of it is
redacted. It is made from the document as the reader may see it (`access.redact`), in
the reader's language (gettext catalogs).
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import Translator
from .models import Document


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


def cite(document: Document, para: int, base_url: str, translate: Translator) -> Citation:
    _ = translate.gettext
    who = _who(document)
    redacted = document.redacted and any(item.para == para for item in document.redactions)
    link = permalink(base_url, document.id, para)
    parts = [
        *([who] if who else []),
        f"“{document.title}”",
        translate.kind(document.kind).lower(),  # inside a sentence (English and Spanish)
        str(document.date) if document.date else _("n.d."),
        f"{_('Testimony Archive document')} {document.id}, {_('paragraph')} {para}"
        + (f" ({_('passage redacted')})" if redacted else ""),
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
