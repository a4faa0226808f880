"""`testimony import | export | index | validate`: the archive's files and their index."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..archive import write_atomically
from ..errors import ArchiveError, UsageError
from ..import_readers import count_records
from ..importer import ImportOptions, ImportReport
from ..input_files import Limits
from ..interchange import document_to_record
from .context import Context, echo_json, pass_context, progress_bar


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every record and report; write nothing.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid records even when others are refused (listed all the same).",
)
@click.option(
    "--encoding",
    default="utf-8",
    show_default=True,
    help="The text encoding of .jsonl, .csv, .md and .txt files (e.g. cp1252, latin-1).",
)
@click.option(
    "--max-size",
    type=click.FloatRange(min=0.001, max=1_000_000),
    metavar="MB",
    help="Raise (or lower) the size limits: any file, a Markdown or text file, one record.",
)
@click.option("--no-index", is_flag=True, help="Do not update the search index afterwards.")
@click.option("--no-suggest", is_flag=True, help="Do not suggest tags for the new documents.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_context
def import_command(
    context: Context, paths: tuple[Path, ...], dry_run: bool, skip_invalid: bool,
    encoding: str, max_size: float | None, no_index: bool, no_suggest: bool, as_json: bool,
) -> None:  # fmt: skip
    """Import documents from .jsonl, .csv, .md, .txt, .docx (Word) or .pdf files.

    Each record (a line of .jsonl, a row of .csv, or a whole .md, .txt, .docx or .pdf
    file) becomes one file in the archive's documents/ folder. Every record is checked
    before anything is written: if one is refused, nothing is imported (unless
    --skip-invalid), and each refused record is listed with what to fix. Records already
    in the archive with the same text are skipped, so an interrupted import can simply
    be run again. Each new paragraph gets suggested tags (places, abuse types,
    perpetrators) for a person to review. The search index, if any, is updated.
    """
    folders = [str(path) for path in paths if path.is_dir()]
    if folders:
        raise UsageError(
            f"{folders[0]} is a folder: name the files in it instead (for example "
            f"{Path(folders[0]) / '*.pdf'})"
        )
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    special = [str(path) for path in paths if not path.is_file()]
    if special:
        raise UsageError(
            f"{special[0]} is not a regular file (a device or a pipe?); save what it holds "
            "to a file and import that"
        )
    options = ImportOptions(encoding, Limits.with_max_megabytes(max_size), dry_run, skip_invalid)
    records = sum(count_records(path) for path in paths)
    service = context.service
    with progress_bar(records * (1 if dry_run else 2), "Importing") as step:
        report = service.import_files(context.viewer(), list(paths), step, not no_suggest,
                                      options)  # fmt: skip
    indexed = None
    if not dry_run and not no_index and service.index_exists():
        # Also after an import that wrote nothing: the one before may have been stopped
        # between writing its files and indexing them.
        indexed = service.update_index()
    if as_json:
        echo_json({**report.as_dict(), "index": indexed.as_dict() if indexed else None})
    else:
        click.echo(import_summary(report))
        if indexed is not None and (indexed.added or indexed.updated):
            click.echo(f"Index updated: {indexed.added} added.")
        elif report.imported and not service.index_exists():
            click.echo("Run 'testimony index' to make them searchable.")
        _failures("refused", report.failed, limit=50)
    if report.failed:
        sys.exit(2)


def import_summary(report: ImportReport) -> str:
    """The report in a sentence or two, as a person reads it."""
    counts = (
        f"{len(report.new)} new, {len(report.skipped)} already archived, "
        f"{len(report.failed)} refused"
    )
    if report.dry_run:
        return f"Dry run: {counts}. Nothing was written."
    if report.failed and not report.imported:
        return (
            f"Nothing was imported: {counts}. Fix the refused records (listed below) and "
            "run the import again, or pass --skip-invalid to import the others."
        )
    return (
        f"Imported {len(report.imported)}, skipped {len(report.skipped)} (already "
        f"archived), refused {len(report.failed)}."
    )


@click.command("export")
@click.option(
    "--format", "format_", type=click.Choice(["jsonl"]), default="jsonl", show_default=True
)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="Write to a file instead of stdout."
)
@pass_context
def export_command(context: Context, format_: str, output: Path | None) -> None:
    """Export the archive in the interchange format (one JSON object per line): every
    document, restricted ones and witness details included (an administrator's export;
    with --as USER, what that user may see). The export is recorded in the audit trail."""
    viewer = context.viewer()
    service = context.service
    lines = [
        json.dumps(document_to_record(document), ensure_ascii=False)
        for document in service.documents(viewer)
    ]
    if output is None:
        for line in lines:
            click.echo(line)
    else:
        write_atomically(output, "".join(f"{line}\n" for line in lines))
    service.record(viewer, "export", str(output or "stdout"), format=format_,
                   documents=len(lines))  # fmt: skip


@click.command("index")
@click.option("--rebuild", is_flag=True, help="Build a new index from scratch and swap it in.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_context
def index_command(context: Context, rebuild: bool, as_json: bool) -> None:
    """Build or update the search index (only changed files are read again)."""
    total = len(context.archive.paths())
    with progress_bar(total, "Indexing") as step:
        report = context.service.update_index(rebuild, step)
    if as_json:
        echo_json(report.as_dict())
    else:
        click.echo(
            f"Indexed: {report.added} added, {report.updated} updated, {report.removed} removed, "
            f"{report.unchanged} unchanged ({report.paragraphs} paragraphs indexed)."
        )
        _failures("not indexed", report.failed)
    if report.failed:
        sys.exit(2)


@click.command("validate")
@pass_context
def validate_command(context: Context) -> None:
    """Check every archive file: format, ids, dates, vocabulary and sha256."""
    errors = 0
    paths = context.archive.paths()
    for path in paths:
        try:
            context.archive.load(path)
        except ArchiveError as error:
            errors += 1
            click.echo(str(error), err=True)
    click.echo(f"{len(paths) - errors} of {len(paths)} documents are valid.")
    if errors:
        sys.exit(2)


def _failures(verb: str, failed: list[tuple[str, str]], limit: int | None = None) -> None:
    shown = failed if limit is None else failed[:limit]
    for where, reason in shown:
        click.echo(
            f"  {verb}: {reason if reason.startswith(where) else f'{where}: {reason}'}", err=True
        )
    if len(shown) < len(failed):
        click.echo(f"  … and {len(failed) - len(shown):,} more (--json lists them all)", err=True)
