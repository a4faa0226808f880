"""The `testimony` command: a thin adapter over the library.

Each command parses its options, calls one library function, and prints the result for
a person (default) or a program (--json). Domain errors become one line on stderr and
exit code 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .cli_context import Context, echo_json, pass_context, progress_bar
from .cli_tags import make_tagger, tag_group
from .config import Settings
from .errors import TestimonyError, UsageError
from .importer import count_records, import_paths
from .index import SearchRequest, SearchService, index_exists, rebuild_index, update_index
from .interchange import document_to_record
from .search_output import batch_line, format_result, result_json

F = TypeVar("F", bound=Callable[..., Any])


class TestimonyGroup(click.Group):
    """Turns the library's errors into one clear line and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TestimonyError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)


@click.group(cls=TestimonyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--archive",
    "archive_dir",
    type=click.Path(path_type=Path),
    envvar="TESTIMONY_ARCHIVE",
    default=Path("archive"),
    show_default=True,
    help="The archive folder (env TESTIMONY_ARCHIVE).",
)
@click.option(
    "--var",
    "var_dir",
    type=click.Path(path_type=Path),
    envvar="TESTIMONY_VAR",
    default=Path("var"),
    show_default=True,
    help="Folder for the search index and instance data (env TESTIMONY_VAR).",
)
@click.version_option(__version__, prog_name="testimony")
@click.pass_context
def cli(ctx: click.Context, archive_dir: Path, var_dir: Path) -> None:
    """Keep, index and search witness testimonies and report excerpts.

    Start with 'testimony import FILE' to add documents, 'testimony index' to build the
    search index, then 'testimony search "words"' or 'testimony serve'.
    """
    ctx.obj = Context(Settings.from_env().with_paths(archive_dir, var_dir))


# -- import / export / index ---------------------------------------------------------------


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-index", is_flag=True, help="Do not update the search index afterwards.")
@click.option("--no-suggest", is_flag=True, help="Do not suggest tags for the new documents.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_context
def import_command(
    context: Context, paths: tuple[Path, ...], no_index: bool, no_suggest: bool, as_json: bool
) -> None:
    """Import documents from .jsonl, .csv, .md or .txt files into the archive.

    Each record becomes one file in the archive's documents/ folder. Records already in
    the archive with the same text are skipped; bad records are listed with the reason
    and leave nothing behind. Each new paragraph gets suggested tags (places, abuse
    types, perpetrators) for a person to review. The search index, if any, is updated.
    """
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    total = sum(count_records(path) for path in paths)
    with progress_bar(total, "Importing") as step:
        tagger = None if no_suggest else make_tagger(context.archive)
        report = import_paths(context.archive, list(paths), step, tagger)
    index_dir = context.settings.index_dir
    indexed = None
    if report.imported and not no_index and index_exists(index_dir):
        indexed = update_index(context.archive, index_dir)
    if as_json:
        echo_json({**report.as_dict(), "index": indexed.as_dict() if indexed else None})
    else:
        click.echo(
            f"Imported {len(report.imported)}, skipped {len(report.skipped)} (already "
            f"archived), failed {len(report.failed)}."
        )
        if indexed is not None:
            click.echo(f"Index updated: {indexed.added} added.")
        elif report.imported and not index_exists(index_dir):
            click.echo("Run 'testimony index' to make them searchable.")
        for where, reason in report.failed:
            click.echo(
                f"  failed: {reason if reason.startswith(where) else f'{where}: {reason}'}",
                err=True,
            )
    if report.failed:
        sys.exit(2)


@cli.command("export")
@click.option(
    "--format", "format_", type=click.Choice(["jsonl"]), default="jsonl", show_default=True
)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="Write to a file instead of stdout."
)
@pass_context
def export_command(context: Context, format_: str, output: Path | None) -> None:
    """Export the archive in the interchange format (one JSON object per line)."""
    lines = (
        json.dumps(document_to_record(document), ensure_ascii=False) for document in context.archive
    )
    if output is None:
        for line in lines:
            click.echo(line)
        return
    from .archive import write_atomically

    write_atomically(output, "".join(f"{line}\n" for line in lines))


@cli.command("index")
@click.option("--rebuild", is_flag=True, help="Build a new index from scratch and swap it in.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_context
def index_command(context: Context, rebuild: bool, as_json: bool) -> None:
    """Build or update the search index (only changed files are read again)."""
    archive, index_dir = context.archive, context.settings.index_dir
    total = len(archive.paths())
    with progress_bar(total, "Indexing") as step:
        if rebuild or not index_exists(index_dir):
            report = rebuild_index(archive, index_dir, step)
        else:
            report = update_index(archive, index_dir, step)
    if as_json:
        echo_json(report.as_dict())
    else:
        click.echo(
            f"Indexed: {report.added} added, {report.updated} updated, {report.removed} removed, "
            f"{report.unchanged} unchanged ({report.paragraphs} paragraphs indexed)."
        )
        for where, reason in report.failed:
            click.echo(
                f"  not indexed: {reason if reason.startswith(where) else f'{where}: {reason}'}",
                err=True,
            )
    if report.failed:
        sys.exit(2)


@cli.command("validate")
@pass_context
def validate_command(context: Context) -> None:
    """Check every archive file: format, ids, dates, vocabulary and sha256."""
    from .errors import ArchiveError

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


# -- search ----------------------------------------------------------------------------------


def search_options(function: F) -> F:
    options = [
        click.option(
            "--location", help="Location code, e.g. MX or MX-CHP (includes places inside)."
        ),
        click.option("--abuse-type", help="Abuse type id, e.g. torture (includes its terms)."),
        click.option("--perpetrator", help="Perpetrator id, e.g. immigration."),
        click.option("--kind", type=click.Choice(["testimony", "report_excerpt"])),
        click.option("--language", help="Language of the document, e.g. es."),
        click.option("--year", type=int, help="Year of the document's date."),
        click.option("--from", "date_from", help="From date (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option("--to", "date_to", help="To date (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option(
            "--unit",
            type=click.Choice(["document", "paragraph"]),
            default="document",
            show_default=True,
            help="Rank documents or single paragraphs.",
        ),
        click.option(
            "--sort",
            type=click.Choice(["relevance", "date", "-date"]),
            default="relevance",
            show_default=True,
            help="'date' is oldest first, '-date' newest first.",
        ),
        click.option(
            "--limit", type=int, default=10, show_default=True, help="Results per page (1-100)."
        ),
        click.option("--page", type=int, default=1, show_default=True),
        click.option(
            "--confirmed-only", is_flag=True, help="Filter and count confirmed tags only."
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@cli.command("search")
@click.argument("query", required=False, default="")
@search_options
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option(
    "--batch",
    type=click.File("r", encoding="utf-8"),
    help='Run many queries from a JSONL file of {"qid", "query", "filters"}; '
    "prints one JSON line per query.",
)
@pass_context
def search_command(
    context: Context, /, query: str, as_json: bool, batch: Any, **options: Any
) -> None:
    """Search the archive.

    QUERY takes plain words (passages with more of them rank higher), "exact phrases",
    "words near"~3, prefix*, fuzzy~, +required, -excluded, AND, OR, NOT, and fields
    such as location:MX or abuse_type:torture.
    """
    service = SearchService(context.archive, context.settings.index_dir)
    try:
        if batch is not None:
            _run_batch(service, batch, options)
            return
        result = service.search(SearchRequest(q=query, include_restricted=True, **options))
    finally:
        service.close()
    if as_json:
        echo_json(result_json(result))
    else:
        click.echo(format_result(result, color=sys.stdout.isatty()))


def _run_batch(service: SearchService, batch: Any, options: dict[str, Any]) -> None:
    unit, limit = options["unit"], options["limit"]
    for number, line in enumerate(batch, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            filters = item.get("filters") or {}
            unknown = set(filters) - {
                "location",
                "abuse_type",
                "perpetrator",
                "kind",
                "language",
                "year",
            }
            if unknown:
                raise UsageError(f"unknown filter {sorted(unknown)[0]!r}")
            request = SearchRequest(
                q=str(item.get("query", "")),
                unit=unit,
                limit=limit,
                include_restricted=True,
                **filters,
            )
        except (json.JSONDecodeError, AttributeError, TypeError) as error:
            raise UsageError(f"--batch line {number}: not a query object ({error})") from error
        except UsageError as error:
            raise UsageError(f"--batch line {number}: {error}") from error
        click.echo(
            json.dumps(batch_line(item.get("qid"), service.search(request)), ensure_ascii=False)
        )


# -- vocabulary and serve ------------------------------------------------------------------


@cli.command("vocabulary")
@click.argument("name", type=click.Choice(["abuse-types", "perpetrators"]), default="abuse-types")
@click.option("--language", type=click.Choice(["en", "es"]), default="en", show_default=True)
@pass_context
def vocabulary_command(context: Context, name: str, language: str) -> None:
    """List the ids and labels of a vocabulary (abuse types or perpetrators)."""
    thesaurus = context.archive.vocabulary.thesaurus(name.replace("-", "_"))
    for term in thesaurus:
        indent = "  " if term.parent else ""
        click.echo(f"{indent}{term.id:<34} {term.label(language)}")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@pass_context
def serve_command(context: Context, host: str, port: int, workers: int) -> None:
    """Serve the archive's web pages and JSON API."""
    import os

    import uvicorn

    os.environ["TESTIMONY_ARCHIVE"] = str(context.settings.archive_dir)
    os.environ["TESTIMONY_VAR"] = str(context.settings.var_dir)
    uvicorn.run(
        "testimony_archive.web.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )


cli.add_command(tag_group)


def main() -> None:
    cli()
