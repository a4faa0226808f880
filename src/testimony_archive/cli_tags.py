"""`testimony tag ...`: suggest, add, remove, accept and reject tags; their history."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from .archive import Archive
from .cli_context import Context, pass_context
from .errors import UsageError
from .history import History
from .models import TAG_FIELDS, Segment
from .tag_editing import Action, TagEditor

if TYPE_CHECKING:
    from .tagging import Tagger


@click.group("tag")
def tag_group() -> None:
    """Suggest, add, remove, accept and reject tags; see their history.

    A TAG is an abuse type or perpetrator id (testimony vocabulary) or a place code
    (MX, MX-CHP, geonames:3516266). --para N works on one paragraph instead of the
    whole document. Every change is recorded with who made it and when.
    """


def make_tagger(archive: Archive) -> Tagger:
    from .tagging import Tagger

    return Tagger(archive.vocabulary)


def _editor(context: Context, editor: str | None) -> TagEditor:
    settings = context.settings
    return TagEditor(
        context.archive, History(settings.instance_db), settings.index_dir,
        editor or settings.editor,
    )  # fmt: skip


def _tag_command(action: Action, summary: str) -> None:
    @tag_group.command(action, help=summary)
    @click.argument("doc_id")
    @click.argument("tags", nargs=-1)
    @click.option("--para", type=int, help="A paragraph number instead of the whole document.")
    @click.option("--editor", help="Who makes the change (default: TESTIMONY_EDITOR or $USER).")
    @pass_context
    def command(
        context: Context, doc_id: str, tags: tuple[str, ...], para: int | None, editor: str | None
    ) -> None:
        values = list(tags)
        if not values and action in ("accept", "reject"):
            document = context.archive.get(doc_id)
            level = (
                document.suggested
                if para is None
                else document.segments.get(para, Segment()).suggested
            )
            values = [value for name in TAG_FIELDS for value in level.get(name)]
            if not values:
                click.echo("No suggestions to review there.")
                return
        if not values:
            raise UsageError(f"name at least one tag to {action}")
        document = _editor(context, editor).change(doc_id, action, values, para)
        where = f"paragraph {para} of {doc_id}" if para else doc_id
        click.echo(f"{action.capitalize()}: {', '.join(values)} on {where}.")
        tags_now = document.tags if para is None else document.segments.get(para, Segment()).tags
        click.echo(
            f"Tags now: {', '.join(v for n in TAG_FIELDS for v in tags_now.get(n)) or 'none'}"
        )


_tag_command("add", "Add confirmed TAGS to a document (or a paragraph).")
_tag_command("remove", "Remove TAGS (confirmed or suggested).")
_tag_command("accept", "Accept suggested TAGS (all suggestions there if none are named).")
_tag_command(
    "reject",
    "Reject suggested TAGS (all suggestions there if none are named); "
    "they are not suggested again.",
)


@tag_group.command("suggest")
@click.argument("doc_id", required=False)
@click.option(
    "--batch",
    type=click.File("r", encoding="utf-8"),
    help='Suggest for paragraphs in a JSONL file of {"doc", "para", "text"}; '
    "prints the same lines with locations, abuse_types and perpetrators.",
)
@click.option("--apply", is_flag=True, help="Store the suggestions on the document for review.")
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON lines.")
@pass_context
def tag_suggest_command(
    context: Context, doc_id: str | None, batch: Any, apply: bool, as_json: bool
) -> None:
    """Suggest tags for the paragraphs of document DOC_ID (or of a --batch file), with the
    words that led to each suggestion."""
    from .suggestions import paragraph_suggestions
    from .tagging import suggest_batch

    tagger = make_tagger(context.archive)
    if batch is not None:
        for line in suggest_batch(tagger, context.archive, batch):
            click.echo(json.dumps(line, ensure_ascii=False))
        return
    if doc_id is None:
        raise UsageError("name a document id, or give --batch FILE")
    document = context.archive.get(doc_id)
    editor = _editor(context, None) if apply else None
    for number, suggestion in paragraph_suggestions(tagger, document).items():
        values = [*suggestion.locations, *suggestion.abuse_types, *suggestion.perpetrators]
        if as_json:
            click.echo(json.dumps({
                "doc": doc_id, "para": number, "locations": list(suggestion.locations),
                "abuse_types": list(suggestion.abuse_types),
                "perpetrators": list(suggestion.perpetrators),
                "evidence": [evidence.__dict__ for evidence in suggestion.evidence],
            }, ensure_ascii=False))  # fmt: skip
        elif values:
            why = "; ".join(f"{e.value} ← “{e.text}”" for e in suggestion.evidence)
            click.echo(f"¶{number}: {', '.join(values)}\n    {why}")
        if editor is not None and values:
            editor.change(doc_id, "suggest", values, number)
    if apply:
        click.echo(f"Suggestions stored on {doc_id}; review them with 'testimony tag accept'.")


@tag_group.command("history")
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON lines.")
@pass_context
def tag_history_command(context: Context, doc_id: str, as_json: bool) -> None:
    """Show who changed which tag of a document, when, and from what to what."""
    context.archive.get(doc_id)
    changes = History(context.settings.instance_db).for_document(doc_id)
    for change in changes:
        if as_json:
            click.echo(json.dumps(change.__dict__, ensure_ascii=False))
            continue
        where = f"¶{change.para}" if change.para else "document"
        click.echo(
            f"{change.at}  {change.editor:<20} {change.action:<7} {change.value:<28} {where:<9}"
            f" {change.field}: [{', '.join(change.before)}] → [{', '.join(change.after)}]"
            f" ({change.origin})"
        )
    if not changes and not as_json:
        click.echo(f"No tag changes recorded for {doc_id}.")
