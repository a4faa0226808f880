"""`testimony tag ...`: suggest, add, remove, accept and reject tags; their history."""

from __future__ import annotations

import json
import math
from typing import IO, Any

import click

from ..errors import UsageError
from ..fields import TAG_FIELDS
from ..models import Segment, TagSet
from ..suggestions import batch_suggestions, confidences, explained, values_of
from ..tag_editing import Action
from .context import Context, pass_context


@click.group("tag")
def tag_group() -> None:
    """Suggest, add, remove, accept and reject tags; see their history.

    A TAG is an abuse type or perpetrator id (testimony vocabulary) or a place code
    (MX, MX-CHP, geonames:3516266). --para N works on one paragraph instead of the
    whole document. Every change is recorded with who made it and when.
    """


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
        service, viewer = context.service, context.viewer(editor)
        values = list(tags)
        if not values and action in ("accept", "reject"):
            document = service.document(doc_id, viewer)
            values = _values(_level(document.suggested, document.segments, para, suggested=True))
            if not values:
                click.echo("No suggestions to review there.")
                return
        if not values:
            raise UsageError(f"name at least one tag to {action}")
        document = service.edit_tags(viewer, doc_id, action, values, para)
        where = f"paragraph {para} of {doc_id}" if para else doc_id
        click.echo(f"{action.capitalize()}: {', '.join(values)} on {where}.")
        tags_now = _level(document.tags, document.segments, para, suggested=False)
        click.echo(f"Tags now: {', '.join(_values(tags_now)) or 'none'}")


def _level(
    document_level: TagSet, segments: dict[int, Segment], para: int | None, suggested: bool
) -> TagSet:
    """The document's own tags, or one paragraph's."""
    if para is None:
        return document_level
    segment = segments.get(para, Segment())
    return segment.suggested if suggested else segment.tags


def _values(tags: TagSet) -> list[str]:
    return [value for name in TAG_FIELDS for value in tags.get(name)]


_tag_command("add", "Add confirmed TAGS to a document (or a paragraph).")
_tag_command("remove", "Remove TAGS (confirmed or suggested).")
_tag_command("accept", "Accept suggested TAGS (all suggestions there if none are named).")
_tag_command(
    "reject",
    "Reject suggested TAGS (all suggestions there if none are named); "
    "they are not suggested again.",
)


class ConfidenceType(click.ParamType[float, Any]):
    """A confidence from 0 to 1."""

    name = "0..1"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not 0 <= number <= 1:  # (NaN too)
            self.fail(f"{value!r} is not a confidence from 0 to 1, such as 0.8", param, ctx)
        return number


@tag_group.command("suggest")
@click.argument("doc_id", required=False)
@click.option(
    "--batch",
    # lazy: opened when read, so that a wrong option given after it leaves no file open
    type=click.File("r", encoding="utf-8", lazy=True),
    help='Suggest for paragraphs in a JSONL file of {"doc", "para", "text"}; '
    "prints the same lines with locations, abuse_types and perpetrators.",
)
@click.option(
    "--min-confidence",
    type=ConfidenceType(),
    default=0.0,
    help="Only the tags suggested with at least this confidence, from 0 to 1 (default 0: all).",
)
@click.option(
    "--explain",
    is_flag=True,
    help='With --batch: each line also gives "confidence": {field: {tag: 0..1}} and '
    '"evidence": [{field, value, start, end, text}], the words behind each tag.',
)
@click.option(
    "--apply", is_flag=True, help="Store the suggestions (and their confidence) for review."
)
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON lines.")
@pass_context
def tag_suggest_command(
    context: Context,
    doc_id: str | None,
    batch: IO[str] | None,
    min_confidence: float,
    explain: bool,
    apply: bool,
    as_json: bool,
) -> None:
    """Suggest tags for the paragraphs of document DOC_ID (or of a --batch file), with how
    sure the machine is of each (0 to 1) and the words that led to it."""
    service, viewer = context.service, context.viewer()
    if batch is not None:
        lines = batch_suggestions(
            service.tagger, service.lookup(viewer), batch, min_confidence, explain
        )
        for line in lines:
            click.echo(json.dumps(line, ensure_ascii=False))
        return
    if doc_id is None:
        raise UsageError("name a document id, or give --batch FILE")
    if explain:
        raise UsageError("--explain goes with --batch (a document's suggestions always say why)")
    for number, suggestion in service.suggestions(doc_id, viewer, min_confidence).items():
        values = values_of(suggestion)
        if as_json:
            click.echo(json.dumps({"doc": doc_id, "para": number, **suggestion.as_dict(),
                                   **explained(suggestion)}, ensure_ascii=False))  # fmt: skip
        elif values:
            sure = confidences(suggestion)
            shown = ", ".join(f"{value} ({sure.get(value, 0):.2f})" for value in values)
            why = "; ".join(f"{e.value} ← “{e.text}”" for e in suggestion.evidence)
            click.echo(f"¶{number}: {shown}\n    {why}")
        if apply and values:
            service.edit_tags(viewer, doc_id, "suggest", values, number, confidences(suggestion))
    if apply:
        click.echo(f"Suggestions stored on {doc_id}; review them with 'testimony tag accept'.")


@tag_group.command("history")
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON lines.")
@pass_context
def tag_history_command(context: Context, doc_id: str, as_json: bool) -> None:
    """Show who changed which tag of a document, when, and from what to what."""
    changes = context.service.history(doc_id, context.viewer())
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
