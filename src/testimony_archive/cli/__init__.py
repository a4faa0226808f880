"""The `testimony` command: a thin adapter over the library.

Each command parses its options, calls the service (or, to write and check files, the
archive), and prints the result for a person (default) or a program (--json). Domain
errors become one line on stderr and exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..config import Settings
from ..errors import TestimonyError
from .archive_commands import export_command, import_command, index_command, validate_command
from .audit_commands import audit_group
from .collection_commands import collection_group
from .context import Context
from .db_commands import db_group
from .excerpt_commands import excerpt_command, verify_command
from .redact_command import redact_command
from .search import search_command
from .serve import serve_command, vocabulary_command
from .tags import tag_group
from .users import user_group


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
@click.option(
    "--as",
    "acting_as",
    metavar="USER",
    help="Act as this user, with its role (default: an administrator).",
)
@click.version_option(__version__, prog_name="testimony")
@click.pass_context
def cli(ctx: click.Context, archive_dir: Path, var_dir: Path, acting_as: str | None) -> None:
    """Keep, index and search witness testimonies and report excerpts.

    Start with 'testimony import FILE' to add documents, 'testimony index' to build the
    search index, then 'testimony search "words"' or 'testimony serve'. Whoever runs these
    commands holds the archive's files and acts as an administrator, unless told --as USER.
    """
    context = Context(Settings.from_env().with_paths(archive_dir, var_dir), acting_as)
    ctx.obj = context
    ctx.call_on_close(context.close)


for command in (
    import_command,
    export_command,
    index_command,
    validate_command,
    search_command,
    vocabulary_command,
    serve_command,
    tag_group,
    redact_command,
    excerpt_command,
    verify_command,
    collection_group,
    user_group,
    audit_group,
    db_group,
):
    cli.add_command(command)


def main() -> None:
    cli()
