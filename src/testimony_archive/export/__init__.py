"""Exports of excerpts for people who cite them: Word, PDF, CSV, the excerpts JSON and
Markdown, each with a cover naming who exported what, when, from which archive; and
(`export.bundle`) the evidence bundle, a BagIt bag of all of them with the cited files.

Every citation comes from `citation.py` (legal style, in the request's language).
"""

from __future__ import annotations

from typing import Any

from ..excerpts import document_json
from .request import FORMATS, ExportRequest, check_format, filename, media_type, software

__all__ = ["FORMATS", "ExportRequest", "excerpts_json", "filename", "media_type", "render"]


def excerpts_json(request: ExportRequest) -> dict[str, Any]:
    """The excerpts JSON of the request: what `testimony verify` reads."""
    return document_json(request.excerpts, archive=request.archive, at=request.exported_at,
                         by=request.exported_by, software=software(request),
                         title=request.title, description=request.description)  # fmt: skip


def render(request: ExportRequest, format: str) -> bytes:
    """The export in one of `FORMATS`; UsageError for another format."""
    check_format(format)
    if format == "docx":
        from .docx_export import render_docx

        return render_docx(request)
    if format == "pdf":
        # WeasyPrint takes most of a second to import and loads Pango: only for a PDF.
        from .pdf_export import render_pdf

        return render_pdf(request)
    from . import tables

    if format == "csv":
        return tables.render_csv(request)
    if format == "json":
        return tables.render_json(excerpts_json(request))
    return tables.render_markdown(request)
