"""Import throughput per format: `testimony import` (as a user runs it, in a child
process, into a new archive) over the same corpus records written as JSONL, CSV,
Markdown archive files, plain text, Word and PDF files.

    python -m bench.imports [--documents 2000] [--office 200]

Prints a table and writes var/bench/imports.json. The records are the shared corpora's
(both, interleaved); Word and PDF files are made here (python-docx, and a small PDF
writer of our own, one page per 45 lines), fewer of them, since each is a file to open.
The figures include the check pass and the write pass (import is all or nothing), and
leave out tag suggestions and indexing (`--no-suggest --no-index`), which are measured
elsewhere; one run with suggestions is given for JSONL.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from testimony_archive.document_file import serialize_document
from testimony_archive.interchange import record_to_document

from .common import BENCH_DIR, CORPUS_DIR, run_measured

_CLI = [sys.executable, "-m", "testimony_archive"]


def corpus_records(limit: int) -> list[dict[str, Any]]:
    files = sorted(CORPUS_DIR.glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no corpus in {CORPUS_DIR}: the import benchmark needs it")
    streams = [path.open(encoding="utf-8") for path in files]
    try:
        mixed = itertools.chain.from_iterable(itertools.zip_longest(*streams))
        lines = (line for line in mixed if line is not None)
        return [json.loads(line) for line in itertools.islice(lines, limit)]
    finally:
        for stream in streams:
            stream.close()


def write_inputs(records: list[dict[str, Any]], office: int, folder: Path) -> dict[str, list[Path]]:
    """The same records in every format; Word and PDF for the first `office` of them."""
    inputs: dict[str, list[Path]] = {}
    jsonl = folder / "records.jsonl"
    jsonl.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    inputs["JSONL"] = [jsonl]
    table = folder / "records.csv"
    columns = ("id", "kind", "title", "text", "language", "date")
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for record in records:
            writer.writerow([record.get(column) or "" for column in columns])
    inputs["CSV"] = [table]
    for name, suffix in (("Markdown", "md"), ("text", "txt")):
        (folder / suffix).mkdir()
        inputs[name] = []
        for record in records:
            path = folder / suffix / f"{record['id']}.{suffix}"
            if suffix == "md":
                path.write_text(serialize_document(record_to_document(record)), encoding="utf-8")
            else:
                path.write_text(record["text"], encoding="utf-8")
            inputs[name].append(path)
    inputs["Word"] = [write_docx(record, folder) for record in records[:office]]
    inputs["PDF"] = [write_pdf(record, folder) for record in records[:office]]
    return inputs


def write_docx(record: dict[str, Any], folder: Path) -> Path:
    import docx

    (folder / "docx").mkdir(exist_ok=True)
    document = docx.Document()
    document.core_properties.title = record["title"][:200]
    for paragraph in record["text"].split("\n\n"):
        if paragraph.strip():
            document.add_paragraph(paragraph)
    path = folder / "docx" / f"{record['id']}.docx"
    document.save(str(path))
    return path


def write_pdf(record: dict[str, Any], folder: Path) -> Path:
    """A plain PDF: Helvetica, 45 lines a page, a blank line between paragraphs."""
    lines: list[str] = []
    for paragraph in record["text"].split("\n\n"):
        lines.extend(textwrap.wrap(" ".join(paragraph.split()), 90) + [""])
    pages = [lines[start : start + 45] for start in range(0, len(lines), 45)] or [[]]
    (folder / "pdf").mkdir(exist_ok=True)
    path = folder / "pdf" / f"{record['id']}.pdf"
    path.write_bytes(_pdf(pages))
    return path


def _pdf(pages: list[list[str]]) -> bytes:
    def escaped(text: str) -> bytes:
        text = text.encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")

    kids = " ".join(f"{3 + 2 * number} 0 R" for number in range(len(pages)))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()]  # fmt: skip
    font = 3 + 2 * len(pages)
    for number, page in enumerate(pages):
        content = b"".join(
            b"BT /F1 10 Tf 50 %d Td (" % (760 - 16 * row) + escaped(line) + b") Tj ET\n"
            for row, line in enumerate(page)
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * number, font)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                   b"/Encoding /WinAnsiEncoding >>")  # fmt: skip
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref,
    )  # fmt: skip
    return bytes(out)


def measure(name: str, paths: list[Path], work: Path, suggest: bool = False) -> dict[str, Any]:
    archive = work / "archive"
    shutil.rmtree(work / "archive", ignore_errors=True)
    shutil.rmtree(work / "var", ignore_errors=True)
    flags = ["--no-index", "--json", *([] if suggest else ["--no-suggest"])]
    command = [*_CLI, "--archive", str(archive), "--var", str(work / "var"), "import", *flags]
    measured = run_measured([*command, *map(str, paths)])
    if measured.returncode != 0:
        raise RuntimeError(f"{name}: import failed:\n{measured.stderr[-2000:]}")
    report = json.loads(measured.stdout)
    megabytes = sum(path.stat().st_size for path in paths) / 1e6
    return {
        "format": name + (" (with tag suggestions)" if suggest else ""),
        "files": len(paths),
        "documents": report["imported"],
        "input_mb": round(megabytes, 2),
        "seconds": round(measured.seconds, 2),
        "documents_per_s": round(report["imported"] / measured.seconds, 1),
        "mb_per_s": round(megabytes / measured.seconds, 2),
        "peak_rss_mb": round(measured.peak_rss_mb, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--office", type=int, default=200, help="Word and PDF files made")
    args = parser.parse_args()
    records = corpus_records(args.documents)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as folder:
        work = Path(folder)
        inputs = write_inputs(records, args.office, work)
        for name, paths in inputs.items():
            rows.append(measure(name, paths, work))
        rows.append(measure("JSONL", inputs["JSONL"], work, suggest=True))
    print("| format | files | documents | input MB | seconds | documents/s | MB/s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(str(value) for value in row.values()) + " |")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / "imports.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
