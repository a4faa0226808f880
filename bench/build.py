"""Building each size: our archive (import) and index (full build), and Datasette's SQLite
database, each in a child process whose wall time and peak resident memory are measured.

Our side runs the app's own CLI (`testimony import`, `testimony index --rebuild`) with the
app's Python; Datasette's side runs `sqlite-utils` from the bench venv."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from .common import Measured, folder_mb, run_measured

_CLI = [sys.executable, "-m", "testimony_archive"]


def cli_has_no_suggest() -> bool:
    """Tag suggestion on import can be slow; the benchmark skips it where the CLI can."""
    result = subprocess.run([*_CLI, "import", "--help"], capture_output=True, text=True)
    return "--no-suggest" in result.stdout


def cli_command(work: Path, *args: str) -> list[str]:
    """`testimony` with the app's Python, on work/archive and work/var."""
    return [*_CLI, "--archive", str(work / "archive"), "--var", str(work / "var"), *args]


def checked(what: str, measured: Measured) -> None:
    """Raise with the end of its output if the command failed."""
    if measured.returncode != 0:
        tail = (measured.stderr or measured.stdout)[-2000:]
        raise RuntimeError(f"{what} failed ({measured.returncode}):\n{tail}")


def import_archive(work: Path, corpus: Path, documents: int) -> dict[str, Any]:
    """Import the scaled corpus into a new archive (without updating any index)."""
    shutil.rmtree(work / "archive", ignore_errors=True)
    shutil.rmtree(work / "var", ignore_errors=True)
    skip_suggestions = cli_has_no_suggest()
    args = ["import", "--no-index", "--json", str(corpus)]
    if skip_suggestions:
        args.insert(-1, "--no-suggest")
    measured = run_measured(cli_command(work, *args))
    checked("testimony import", measured)
    report = json.loads(measured.stdout[measured.stdout.index("{") :])
    if report.get("imported") != documents:
        raise RuntimeError(f"imported {report.get('imported')} of {documents}: {report}")
    megabytes = corpus.stat().st_size / 1e6
    return {
        "documents": report["imported"],
        "seconds": round(measured.seconds, 2),
        "documents_per_s": round(documents / measured.seconds, 1),
        "mb_per_s": round(megabytes / measured.seconds, 2),
        "peak_rss_mb": round(measured.peak_rss_mb, 1),
        "archive_mb": round(folder_mb(work / "archive"), 1),
        "tag_suggestions": not skip_suggestions,
    }


def build_index(work: Path, paragraphs: int, text_mb: float) -> dict[str, Any]:
    """A full index build from the archive (`testimony index --rebuild`)."""
    measured = run_measured(cli_command(work, "index", "--rebuild", "--json"))
    checked("testimony index --rebuild", measured)
    report = json.loads(measured.stdout[measured.stdout.index("{") :])
    index_dir = work / "var" / "index"
    return {
        "paragraphs_indexed": report.get("paragraphs_indexed"),
        "seconds": round(measured.seconds, 2),
        "paragraphs_per_s": round(paragraphs / measured.seconds, 1),
        "mb_per_s": round(text_mb / measured.seconds, 2),
        "peak_rss_mb": round(measured.peak_rss_mb, 1),
        "index_mb": round(folder_mb(index_dir), 1),
        "segments": len(list(index_dir.glob("*.seg"))),
    }


def build_datasette(bench_venv: Path, rows: Path, database: Path) -> dict[str, Any]:
    """The same paragraphs in SQLite with FTS5 (porter), built with sqlite-utils."""
    tool = str(bench_venv / "bin" / "sqlite-utils")
    building = database.with_suffix(".building.db")
    building.unlink(missing_ok=True)
    steps = [
        [tool, "insert", str(building), "paragraphs", str(rows), "--nl", "--pk", "id"],
        [tool, "enable-fts", str(building), "paragraphs", "text", "title", "--fts5"]
        + ["--create-triggers", "--tokenize", "porter"],
        *(
            [tool, "create-index", str(building), "paragraphs", column]
            for column in ("country", "year", "kind")
        ),
    ]
    seconds = peak = 0.0
    for step in steps:
        measured = run_measured(step)
        checked(" ".join(step[1:3]), measured)
        seconds += measured.seconds
        peak = max(peak, measured.peak_rss_mb)
    building.replace(database)
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak, 1),
        "db_mb": round(folder_mb(database), 1),
    }
