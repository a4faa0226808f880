"""`testimony excerpt | verify`: quote a passage with its citation; check quotes (an
excerpts JSON file, an evidence bundle or a zipped one) against the archive."""

from __future__ import annotations

from pathlib import Path

import click

from .. import __version__
from ..citation import STYLES, Style, format_citation
from ..errors import UsageError
from ..excerpts import document_json, parse_place
from ..i18n import LANGUAGES, translator
from ..verification import STATUSES, Verdict
from .context import Context, echo_json, pass_context

SOFTWARE = f"testimony-archive {__version__}"
CHARS = click.option(
    "--chars",
    metavar="A-B",
    help="Only these characters of the paragraph, counted from 1, both ends included (12-80).",
)
LANGUAGE = click.option(
    "--language",
    type=click.Choice(sorted(LANGUAGES)),
    default="en",
    show_default=True,
    help="The language of the citation (and of an export's headings).",
)


@click.command("excerpt")
@click.argument("doc_id", metavar="DOC")
@click.argument("paragraphs", metavar="PARA[-PARA]")
@CHARS
@click.option(
    "--style",
    type=click.Choice(STYLES),
    default="legal",
    show_default=True,
    help="legal (a footnote), academic (Chicago author-date) or csl-json (reference managers).",
)
@LANGUAGE
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print an excerpts JSON document instead, which 'testimony verify' checks.",
)
@pass_context
def excerpt_command(
    context: Context, doc_id: str, paragraphs: str, chars: str | None, style: Style,
    language: str, as_json: bool,
) -> None:  # fmt: skip
    """Quote a passage of a document, with its citation.

    DOC is the document's id; PARA a paragraph number (4) or a run of them (4-6), as the
    document page and search results number them. The quote is the text as you may see
    it (redacted passages stay [redacted]); the citation names the document's version by
    its SHA-256, so that the quote can be checked later with 'testimony verify'.
    """
    service, viewer = context.service, context.viewer()
    excerpt = service.excerpt(viewer, parse_place(doc_id, paragraphs, chars))
    if as_json:
        echo_json(document_json([excerpt], archive=service.name, at=excerpt.extracted_at,
                                by=viewer.name or viewer.role, software=SOFTWARE,
                                title=f"{excerpt.doc} {excerpt.place.locator}"))  # fmt: skip
        return
    click.echo(excerpt.text)
    click.echo()
    click.echo(format_citation(excerpt, style, translator(language)))


@click.command("verify")
@click.argument("path", metavar="BUNDLE_OR_JSON", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the verdicts as JSON.")
@click.pass_context
def verify_command(ctx: click.Context, path: Path, as_json: bool) -> None:
    """Check that quotes are faithful to the archive.

    BUNDLE_OR_JSON is an excerpts JSON file ('testimony excerpt --json', an export as
    json), an evidence bundle folder or its .zip. Each excerpt is compared with the
    archived document: faithful, redacted since, altered (where it differs) or missing.
    A bundle's files are checked against its manifest too. Exit status 0 when every
    excerpt is faithful and the bundle is intact, 1 when not, 2 when the file cannot be
    read.
    """
    from ..export.bundle import read_excerpts  # loaded only to verify

    context = ctx.find_object(Context)
    assert context is not None
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    read = read_excerpts(path)
    verdicts = context.service.verify(context.viewer(), list(read.excerpts),
                                      what=path.name, sha256=read.sha256)  # fmt: skip
    intact = all(verdict.faithful for verdict in verdicts) and not read.problems
    if as_json:
        echo_json({"file": str(path), "kind": read.kind, "sha256": read.sha256,
                   "verdicts": [verdict.as_json() for verdict in verdicts],
                   "problems": list(read.problems), "intact": intact})  # fmt: skip
    else:
        for verdict in verdicts:
            click.echo(verdict.line())
        for problem in read.problems:
            click.echo(f"   bag: {problem}")
        click.echo(summary(verdicts, list(read.problems), bag=read.kind != "json"))
    ctx.exit(0 if intact else 1)


def summary(verdicts: list[Verdict], problems: list[str], bag: bool) -> str:
    """`12 excerpts: 11 faithful, 1 altered; bag: 1 file does not match its manifest`."""
    counts = [f"{count} {status}" for status in STATUSES
              if (count := sum(v.status == status for v in verdicts))]  # fmt: skip
    line = f"{len(verdicts)} excerpt{'' if len(verdicts) == 1 else 's'}"
    line += f": {', '.join(counts)}" if counts else ""
    if len(problems) == 1:
        line += f"; bag: {problems[0]}"
    elif problems:
        line += f"; bag: {len(problems)} problems"
    elif bag:
        line += "; bag: every file matches its manifest"
    return line
