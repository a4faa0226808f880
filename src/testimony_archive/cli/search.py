"""`testimony search`: one query for a person or a program, or a batch of queries."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import IO, Any, TypeVar

import click

from ..access import Viewer
from ..errors import UsageError
from ..fields import FACETS, FILTER_PARAMS, Facet
from ..index import SORTS, UNITS, SearchRequest
from ..models import KINDS
from ..search_json import batch_line, result_json
from ..service import SearchService
from .context import Context, echo_json, pass_context
from .output import format_result

F = TypeVar("F", bound=Callable[..., Any])


def _facet_option(facet: Facet) -> Callable[[F], F]:
    if facet.kind == "year":
        return click.option(facet.option, facet.param, type=int, help=facet.help)
    if facet.name == "kind":
        return click.option(facet.option, facet.param, type=click.Choice(KINDS), help=facet.help)
    return click.option(facet.option, facet.param, help=facet.help)


def search_options(function: F) -> F:
    options = [
        *(_facet_option(facet) for facet in FACETS),
        click.option("--from", "date_from", help="From date (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option("--to", "date_to", help="To date (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option(
            "--unit",
            type=click.Choice(UNITS),
            default="document",
            show_default=True,
            help="Rank documents or single paragraphs.",
        ),
        click.option(
            "--sort",
            type=click.Choice(SORTS),
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


@click.command("search")
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
    context: Context, /, query: str, as_json: bool, batch: IO[str] | None, **options: Any
) -> None:
    """Search the archive.

    QUERY takes plain words (passages with more of them rank higher), "exact phrases",
    "words near"~3, prefix*, fuzzy~, +required, -excluded, AND, OR, NOT, and fields
    such as location:MX or abuse_type:torture.
    """
    service, viewer = context.service, context.viewer()
    if batch is not None:
        _run_batch(service, viewer, batch, options["unit"], options["limit"])
        return
    result = service.search(SearchRequest(q=query, **options), viewer)
    if as_json:
        echo_json(result_json(result, service.vocabulary))
    else:
        click.echo(format_result(result, service.vocabulary, color=sys.stdout.isatty()))


def _run_batch(
    service: SearchService, viewer: Viewer, batch: IO[str], unit: Any, limit: int
) -> None:
    for number, line in enumerate(batch, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            filters = item.get("filters") or {}
            unknown = set(filters) - set(FILTER_PARAMS)
            if unknown:
                raise UsageError(f"unknown filter {sorted(unknown)[0]!r}")
            request = SearchRequest(q=str(item.get("query", "")), unit=unit, limit=limit, **filters)
        except (json.JSONDecodeError, AttributeError, TypeError) as error:
            raise UsageError(f"--batch line {number}: not a query object ({error})") from error
        except UsageError as error:
            raise UsageError(f"--batch line {number}: {error}") from error
        click.echo(
            json.dumps(
                batch_line(item.get("qid"), service.search(request, viewer)), ensure_ascii=False
            )
        )
