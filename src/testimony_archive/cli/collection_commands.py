"""`testimony collection ...`: named collections of excerpts, kept per user, exported as
documents or evidence bundles (through `collecting.CollectionDesk`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..collections import Collection, Collections, Item
from ..errors import UsageError
from ..excerpts import parse_place
from .context import Context, echo_json, pass_context
from .excerpt_commands import CHARS, LANGUAGE

if TYPE_CHECKING:
    from ..collecting import CollectionDesk

# `export.FORMATS` and a bundle, named here so that the command line loads the export
# package only to export (a test checks they agree).
EXPORT_FORMATS = ("docx", "pdf", "csv", "json", "md")
BUNDLE = "bundle"

COLLECTION = click.argument("reference", metavar="ID")
ITEM = click.argument("number", metavar="ITEM", type=click.IntRange(min=1))
JSON = click.option("--json", "as_json", is_flag=True, help="Print it as JSON.")
_FIRST_WORDS = 12


def desk(context: Context) -> CollectionDesk:
    from ..collecting import CollectionDesk

    return CollectionDesk(context.service, Collections(context.database))


@click.group("collection")
def collection_group() -> None:
    """Collect excerpts into named collections; export them.

    A collection is a list of passages (a paragraph, a run of them, or characters inside
    one), in your order, each with a note. It belongs to whoever runs the command (the
    TESTIMONY_EDITOR name, or 'testimony --as USER'). ID is the collection's number, as
    'collection list' shows it, or its name; ITEM is a passage's number, as 'collection
    show' lists it. Exported quotes are taken from the archive as it is when you export.
    """


@collection_group.command("new")
@click.argument("name")
@pass_context
def collection_new_command(context: Context, name: str) -> None:
    """Start an empty collection called NAME (1 to 120 characters)."""
    made = desk(context).create(context.viewer(), name)
    click.echo(f"Created collection {made.id}: {made.name}")


@collection_group.command("list")
@JSON
@pass_context
def collection_list_command(context: Context, as_json: bool) -> None:
    """List your collections: number, name, size, last change."""
    found = desk(context).list(context.viewer())
    if as_json:
        echo_json([{"id": c.id, "name": c.name, "size": c.size, "updated_at": c.updated_at}
                   for c in found])  # fmt: skip
    elif not found:
        click.echo("No collections yet; start one with 'testimony collection new NAME'.")
    for each in [] if as_json else found:
        click.echo(f"{each.id:>4}  {each.name}  ({_excerpts(each.size)}, "
                   f"changed {each.updated_at[:16].replace('T', ' ')})")  # fmt: skip


@collection_group.command("show")
@click.argument("reference", metavar="ID_OR_NAME")
@JSON
@pass_context
def collection_show_command(context: Context, reference: str, as_json: bool) -> None:
    """Show a collection's passages, numbered, with their first words and notes."""
    viewer, collections = context.viewer(), desk(context)
    collection = collections.find(viewer, reference)
    gathered = collections.excerpts(viewer, collection.id)
    quotes = {excerpt.place: excerpt.text for excerpt in gathered}
    if as_json:
        echo_json({"id": collection.id, "name": collection.name,
                   "updated_at": collection.updated_at,
                   "items": [{"number": item.position, "doc": item.place.doc,
                              "locator": _where(item), "note": item.note,
                              "text": quotes.get(item.place)} for item in collection.items],
                   "left_out": gathered.left_out, "changed": gathered.changed})  # fmt: skip
        return
    click.echo(f"Collection {collection.id}: {collection.name} ({_excerpts(collection.size)})")
    for item in collection.items:
        quote = quotes.get(item.place)
        shown = f"“{_first_words(quote)}”" if quote is not None else "(no longer readable to you)"
        click.echo(f"{item.position:>4}. {item.place.doc} {_where(item)}  {shown}")
        if item.note:
            click.echo(f"      note: {item.note}")


@collection_group.command("rename")
@COLLECTION
@click.argument("name", metavar="NEW")
@pass_context
def collection_rename_command(context: Context, reference: str, name: str) -> None:
    """Give a collection a new name."""
    viewer, collections = context.viewer(), desk(context)
    renamed = collections.rename(viewer, collections.find(viewer, reference).id, name)
    click.echo(f"Renamed collection {renamed.id}: {renamed.name}")


@collection_group.command("delete")
@COLLECTION
@pass_context
def collection_delete_command(context: Context, reference: str) -> None:
    """Delete a collection and its notes (the archive is not touched)."""
    viewer, collections = context.viewer(), desk(context)
    found = collections.find(viewer, reference)
    collections.delete(viewer, found.id)
    click.echo(f"Deleted collection {found.id}: {found.name}")


@collection_group.command("add")
@COLLECTION
@click.argument("doc_id", metavar="DOC")
@click.argument("paragraphs", metavar="PARA[-PARA]")
@CHARS
@click.option("--note", default="", help="A note on the passage (up to 2,000 characters).")
@pass_context
def collection_add_command(
    context: Context, reference: str, doc_id: str, paragraphs: str, chars: str | None,
    note: str,
) -> None:  # fmt: skip
    """Add a passage of a document to a collection (at its end).

    DOC is the document's id, PARA a paragraph number (4) or a run (4-6). A collection
    holds up to 500 passages, each once."""
    viewer, collections = context.viewer(), desk(context)
    found = collections.find(viewer, reference)
    item = collections.add(viewer, found.id, parse_place(doc_id, paragraphs, chars), note)
    click.echo(f"Added {item.place.doc} {_where(item)} to collection {found.id} "
               f"as number {item.position}.")  # fmt: skip


@collection_group.command("note")
@COLLECTION
@ITEM
@click.argument("text")
@pass_context
def collection_note_command(context: Context, reference: str, number: int, text: str) -> None:
    """Set the note on passage ITEM (an empty TEXT removes it)."""
    viewer, collections = context.viewer(), desk(context)
    found = collections.find(viewer, reference)
    item = collections.annotate(viewer, found.id, _item(found, number).id, text)
    click.echo(f"Note on number {item.position} ({item.place.doc} {_where(item)}) saved.")


@collection_group.command("move")
@COLLECTION
@ITEM
@click.argument("position", type=click.IntRange(min=1))
@pass_context
def collection_move_command(
    context: Context, reference: str, number: int, position: int
) -> None:
    """Move passage ITEM to POSITION; those between shift by one."""
    viewer, collections = context.viewer(), desk(context)
    found = collections.find(viewer, reference)
    item = collections.move(viewer, found.id, _item(found, number).id, position)
    click.echo(f"Moved {item.place.doc} {_where(item)} to number {item.position}.")


@collection_group.command("remove")
@COLLECTION
@ITEM
@pass_context
def collection_remove_command(context: Context, reference: str, number: int) -> None:
    """Take passage ITEM out of a collection; those after it move up."""
    viewer, collections = context.viewer(), desk(context)
    found = collections.find(viewer, reference)
    item = _item(found, number)
    collections.remove(viewer, found.id, item.id)
    click.echo(f"Removed {item.place.doc} {_where(item)} from collection {found.id}.")


@collection_group.command("export")
@COLLECTION
@click.option(
    "--format",
    "format_",
    type=click.Choice([*EXPORT_FORMATS, BUNDLE]),
    required=True,
    help="docx (Word), pdf, csv, json (checked by 'testimony verify'), md, or bundle: an "
    "evidence bundle folder holding the quotes, the cited documents and checksums.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write it (default: a file named after the collection in this folder).",
)
@LANGUAGE
@click.option("--force", is_flag=True, help="Overwrite the output if it exists.")
@pass_context
def collection_export_command(
    context: Context, reference: str, format_: str, output: Path | None, language: str,
    force: bool,
) -> None:  # fmt: skip
    """Export a collection's quotes with their citations and notes.

    Quotes are taken from the archive now, as you may see it; passages whose documents
    you can no longer read are left out, and counted. The export is recorded in the
    audit trail with its SHA-256. Prints where it was written."""
    viewer, collections = context.viewer(), desk(context)
    found = collections.find(viewer, reference)
    gathered = collections.excerpts(viewer, found.id)
    if output is not None:
        _refuse_existing(output, force)
    if format_ == BUNDLE:
        from ..collecting import bundle_name

        target = output or Path(bundle_name(found.name).removesuffix(".zip"))
        if output is None:
            _refuse_existing(target, force)
        if force and target.exists():
            _clear_bag(target)
        written = collections.bundle(viewer, found.id, target, language)
    else:
        name, _media, data = collections.export(viewer, found.id, format_, language)
        written = output or Path(name)
        if output is None:
            _refuse_existing(written, force)
        _write_bytes(written, data)
    if gathered.left_out or gathered.changed:
        from ..collecting import left_out_note

        click.echo(left_out_note(gathered.left_out, gathered.changed), err=True)
    click.echo(str(written))


def _item(collection: Collection, number: int) -> Item:
    if number > collection.size:
        raise UsageError(f"collection {collection.id} has {_excerpts(collection.size)}; "
                         f"there is no number {number}")  # fmt: skip
    return collection.items[number - 1]


def _where(item: Item) -> str:
    return item.place.described()


def _first_words(text: str) -> str:
    words = text.split()
    return " ".join(words[:_FIRST_WORDS]) + ("…" if len(words) > _FIRST_WORDS else "")


def _excerpts(count: int) -> str:
    return f"{count} excerpt{'' if count == 1 else 's'}"


def _refuse_existing(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise UsageError(f"{path} exists; give --force to overwrite it, or --output PATH")
    if path.is_dir() and force and not (path / "bagit.txt").is_file():
        raise UsageError(f"{path} is a folder that is not a bundle; it is left as it is")


def _clear_bag(path: Path) -> None:
    import shutil

    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


def _write_bytes(target: Path, data: bytes) -> None:
    """Atomically: a reader never sees half an export."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
