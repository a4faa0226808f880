"""`testimony redact DOC ...`: hide passages from readers who may not see them, list the
redactions of a document, remove one (through the service, which checks the viewer)."""

from __future__ import annotations

import click

from ..errors import UsageError
from ..models import Document, Redaction
from .context import Context, pass_context


@click.command("redact")
@click.argument("doc_id")
@click.option(
    "--para",
    type=click.IntRange(min=1),
    metavar="N",
    help="The paragraph that holds the passage (numbered from 1, as shown by the "
    "document page and search results).",
)
@click.option(
    "--chars",
    metavar="A-B",
    help="The characters to hide, counted from 1 in the paragraph, both ends included (12-25).",
)
@click.option(
    "--text",
    "words",
    metavar="WORDS",
    help="The words to hide: every place they stand in the paragraph (case is ignored).",
)
@click.option(
    "--reason",
    metavar="TEXT",
    help="Why the passage is hidden (needed to redact; kept with the redaction).",
)
@click.option(
    "--list",
    "list_them",
    is_flag=True,
    help="List the document's redactions, numbered (for --remove).",
)
@click.option(
    "--remove",
    type=click.IntRange(min=1),
    metavar="K",
    help="Remove redaction number K, as --list numbers them.",
)
@click.option("--editor", help="Who makes the change (default: TESTIMONY_EDITOR or $USER).")
@pass_context
def redact_command(
    context: Context, doc_id: str, para: int | None, chars: str | None, words: str | None,
    reason: str | None, list_them: bool, remove: int | None, editor: str | None,
) -> None:  # fmt: skip
    """Hide a passage of a document; list or remove redactions.

    Readers who may not see redacted text (anonymous visitors and researchers) get
    '[redacted]' in its place, and cannot find the document by its words.

    Redact with --para N, then --chars A-B or --text WORDS, and --reason. The archive file
    keeps the text whole and records the redaction, who made it and when; the change is
    searchable at once and recorded in the audit trail. Editors and administrators only.
    """
    service, viewer = context.service, context.viewer(editor)
    redacting = [name for name, given in (("--para", para), ("--chars", chars),
                 ("--text", words), ("--reason", reason)) if given is not None]  # fmt: skip
    if list_them or remove is not None:
        if list_them and remove is not None:
            raise UsageError("give --list or --remove K, not both")
        if redacting:
            raise UsageError(f"{' and '.join(redacting)} are for redacting; leave them out "
                             f"with {'--list' if list_them else '--remove'}")  # fmt: skip
        if list_them:
            document = service.document(doc_id, viewer)
            _list(document, service.exposures(document))
            return
        assert remove is not None
        removed = service.document(doc_id, viewer).redactions[remove - 1 : remove]
        document = service.unredact(viewer, doc_id, remove)
        for item in removed:
            click.echo(f"Removed redaction {remove} of {document.id}: "
                       f"¶{item.para}, characters {item.chars}.")  # fmt: skip
        click.echo(f"{document.id} has {_count(len(document.redactions))} now.")
        return
    if para is None:
        raise UsageError("name the paragraph with --para N, or give --list or --remove K")
    document = service.redact(viewer, doc_id, para, reason or "", chars=chars or "",
                              words=words or "")  # fmt: skip
    last = document.redactions[-1]
    exposures = service.exposures(document)
    for number, item in enumerate(document.redactions, start=1):
        if item.at == last.at and item.para == para:
            click.echo(f"Redaction {number}: {_describe(document, item)}")
            _warn(exposures[number - 1])


def _warn(exposed: list[str]) -> None:
    if exposed:
        click.echo(f"     Warning: still seen by every reader in: {', '.join(exposed)}; "
                   "remove or change those too (testimony tag remove ...).", err=True)  # fmt: skip


def _list(document: Document, exposures: list[list[str]]) -> None:
    if not document.redactions:
        click.echo(f"{document.id} has no redactions.")
        return
    click.echo(f"{document.id} has {_count(len(document.redactions))}:")
    for number, item in enumerate(document.redactions, start=1):
        by = f"  by {item.by}" if item.by else ""
        at = f"  at {item.at[:16].replace('T', ' ')}" if item.at else ""
        reason = f"  reason: {item.reason}" if item.reason else ""
        click.echo(f"{number:>3}. {_describe(document, item)}{reason}{by}{at}")
        _warn(exposures[number - 1])


def _describe(document: Document, item: Redaction) -> str:
    paragraph = document.paragraph(item.para)
    words = paragraph.text[item.start : item.end] if paragraph else ""
    return f"¶{item.para}, characters {item.chars}: “{' '.join(words.split())}”"


def _count(number: int) -> str:
    return f"{number} redaction{'' if number == 1 else 's'}"
