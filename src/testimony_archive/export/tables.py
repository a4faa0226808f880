"""The plain-text exports: CSV (one row per excerpt), the excerpts JSON, and Markdown."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .request import ExportRequest, citations, cover, labels, locator, paragraphs

CSV_COLUMNS = (
    "number", "doc", "locator", "paras", "chars", "text", "sha256", "document_sha256",
    "redacted", "title", "date", "permalink", "fragment_link", "note", "citation",
)  # fmt: skip


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets run as a formula


def render_csv(request: ExportRequest) -> bytes:
    """Plain UTF-8, `\\r\\n` line ends, a header row. A text cell that a spreadsheet
    would run as a formula (an imported quote, or a note, that starts with `=`, `+`, `-`,
    `@`) is written after an apostrophe, as spreadsheets expect; the `sha256` column is the
    quote's without it, and the excerpts JSON carries the exact text."""
    output = io.StringIO(newline="")
    writer = csv.writer(output)
    writer.writerow(CSV_COLUMNS)
    for number, (excerpt, cited) in enumerate(zip(request.excerpts, citations(request),
                                                  strict=True), start=1):  # fmt: skip
        place = excerpt.place
        writer.writerow([
            number, place.doc, place.locator, f"{place.first}-{place.last}",
            f"{place.chars[0]}-{place.chars[1]}" if place.chars else "",
            inert(excerpt.text), excerpt.sha256, excerpt.document_sha256,
            "true" if excerpt.redacted else "false", inert(excerpt.title), excerpt.date or "",
            excerpt.permalink, excerpt.fragment_link or "", inert(excerpt.note), inert(cited),
        ])  # fmt: skip
    return output.getvalue().encode("utf-8")


def inert(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def render_json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_markdown(request: ExportRequest) -> bytes:
    words = labels(request)
    lines = [f"# {request.title}", ""]
    for label, value in cover(request):
        lines.append(f"- **{label}:** {value}")
    lines += ["", words["about"], ""]
    for number, (excerpt, cited) in enumerate(zip(request.excerpts, citations(request),
                                                  strict=True), start=1):  # fmt: skip
        lines += [f"## {number}. {excerpt.title}", "", locator(excerpt, words), ""]
        quoted = [
            "\n".join(f"> {line}".rstrip() for line in paragraph.split("\n"))
            for paragraph in paragraphs(excerpt)
        ]
        lines += ["\n>\n".join(quoted), "", cited, ""]
        if excerpt.note:
            lines += [f"*{words['note']}:* {excerpt.note}", ""]
    return "\n".join(lines).encode("utf-8")
