"""The report's section on exports: a collection in each format, bundled and verified."""

from __future__ import annotations

from typing import Any

from .report_tables import cell, table

FORMAT_NAMES = {"docx": "Word (docx)", "pdf": "PDF", "csv": "CSV", "json": "excerpts JSON",
                "md": "Markdown"}  # fmt: skip


def _kb(size: int | None) -> float | None:
    return None if size is None else round(size / 1000, 1)


def _seconds(value: float | None) -> str | None:
    """Three decimals, also above one second (1.062 s, not 1.1)."""
    return None if value is None else f"{value:.3f}"


def exports_section(data: dict[str, Any]) -> list[str]:
    exports = data.get("exports") or {}
    if not exports:
        return []
    out = [
        f"## Exports: a collection of {cell(exports.get('excerpts'))} excerpts "
        f"({exports.get('size')})",
        "",
    ]
    rows = [
        [FORMAT_NAMES.get(name, name), _seconds(figures.get("cold_s")),
         _seconds(figures.get("warm_s")), _kb(figures.get("bytes"))]
        for name, figures in (exports.get("formats") or {}).items()
    ]  # fmt: skip
    bundle, verify = exports.get("bundle") or {}, exports.get("verify") or {}
    rows += [
        ["evidence bundle, a folder", None, _seconds(bundle.get("directory_s")),
         _kb(bundle.get("directory_bytes"))],
        ["evidence bundle, a zip", None, _seconds(bundle.get("zip_s")),
         _kb(bundle.get("zip_bytes"))],
        ["verify the bundle (its folder)", None, _seconds(verify.get("bundle_s")), None],
        ["verify the excerpts JSON", None, _seconds(verify.get("json_s")), None],
    ]  # fmt: skip
    out += table(["format", "cold s", "warm s (median)", "size KB"], rows)
    runs = exports.get("runs")
    out += [
        f"The PDF has {cell(exports.get('pdf_pages'))} pages; the bundle's folder holds "
        f"{cell(bundle.get('files'))} files. Measured on {exports.get('measured_at')} as a "
        "user exports (`CollectionDesk`, each export recorded in the audit trail): a "
        f"researcher's collection of {cell(exports.get('excerpts'))} places drawn with a "
        f"fixed seed from {cell(exports.get('documents'))} documents (two whole paragraphs "
        f"of each, {cell(exports.get('character_ranges'))} of them narrowed to characters "
        "inside their paragraph); cold is an export's first call in the process, which "
        f"pays for its imports (WeasyPrint's for the PDF), warm the median of {cell(runs)} "
        f"call{'s' if runs != 1 else ''} after it. A bundle renders every format again and "
        "adds the cited documents; verifying reads the excerpts back (a bundle's manifest "
        "checked by bagit) and checks each against the archive (`SearchService.verify`), "
        "every excerpt found faithful.",
        "",
    ]
    return out
