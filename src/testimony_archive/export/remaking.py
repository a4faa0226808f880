"""An evidence bundle's exports checked against its excerpts: each Word, PDF, CSV and
Markdown file is made again from `data/excerpts.json` and the export record, and must be
the same bytes (an export is the same bytes for the same input and time).

A bag's manifest only says that no file changed since the manifest was written; anyone
can write a new one. This check ties what is filed in court (the Word or PDF file) to
the excerpts that `verify` compares with the archive: a quote changed in the Word file
no longer matches, whatever the manifest says. Exports made by another version of this
software are not remade (its layout may differ) and are left to the manifest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..excerpts import Excerpt
from .request import ExportRequest, software

RECORD = "data/export-record.json"


def unlike_their_excerpts(folder: Path, excerpts: list[Excerpt]) -> list[str]:
    """Each export of the bag that does not say what its excerpts say, by name."""
    record = _record(folder)
    if record is None or record.get("software") != software(_request(record, [])):
        return []
    request = _request(record, excerpts)
    from . import render  # the package imports this module's caller

    problems = []
    for export in record.get("exports") or []:
        if not isinstance(export, dict):
            continue
        name, format = str(export.get("file", "")), str(export.get("format", ""))
        path = folder / name
        if not name.startswith("data/exports/") or not path.is_file():
            continue  # the manifest's problem, said already
        if render(request, format) != path.read_bytes():
            problems.append(f"{name}: does not say what data/excerpts.json says "
                            "(changed after it was exported)")  # fmt: skip
    return problems


def _record(folder: Path) -> dict[str, Any] | None:
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) else None


def _request(record: dict[str, Any], excerpts: list[Excerpt]) -> ExportRequest:
    def text(name: str) -> str:
        value = record.get(name)
        return value if isinstance(value, str) else ""

    return ExportRequest(
        title=text("title"), excerpts=excerpts, archive=text("archive"),
        exported_by=text("exported_by"), exported_at=text("exported_at"),
        language=text("language") or "en", software=text("software"),
        description=text("description"),
    )  # fmt: skip
