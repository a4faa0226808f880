"""`testimony db status | upgrade`: the instance database's revision, and its migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.exc import SQLAlchemyError

from ..errors import UsageError
from ..instance import DatabaseNotCurrent, InstanceDatabase
from .context import Context, echo_json, pass_context

WHAT_NEXT = {
    "new": "it is created on first use, or now with 'testimony db upgrade'",
    "current": "nothing to do",
    "behind": "back it up, then run 'testimony db upgrade'",
    "ahead": "a newer version of Testimony Archive wrote it: run that version, or restore a backup",
}


@click.group("db")
def db_group() -> None:
    """See and upgrade the instance database.

    It holds the users, sessions, audit trail and tag history: var/instance.sqlite,
    unless TESTIMONY_DATABASE_URL names another. A database an older version wrote is
    refused by every other command until it is upgraded.
    """


@contextmanager
def _reached(context: Context) -> Iterator[InstanceDatabase]:
    """The database as it is; an engine that cannot be reached becomes one clear line."""
    try:
        yield context.unprepared_database()
    except (SQLAlchemyError, ModuleNotFoundError) as error:
        reason = getattr(error, "orig", None) or error
        raise UsageError(
            f"cannot open the instance database: {reason}; check TESTIMONY_DATABASE_URL "
            "(or the --var folder)"
        ) from error


@db_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as one JSON object.")
@pass_context
def db_status_command(context: Context, as_json: bool) -> None:
    """Show the database's URL, revision and state.

    The URL is shown without its password; the state is new, current, behind (needs
    'testimony db upgrade') or ahead (written by a newer version)."""
    with _reached(context) as database:
        state, revision, head = database.state(), database.revision(), database.head()
        url = database.display_url
    if as_json:
        echo_json({"url": url, "revision": revision, "head": head, "state": state})
        return
    click.echo(f"Database: {url}")
    click.echo(f"Revision: {revision or 'none'} (this version expects {head})")
    click.echo(f"State:    {state}: {WHAT_NEXT[state]}")


@db_group.command("upgrade")
@pass_context
def db_upgrade_command(context: Context) -> None:
    """Apply the migrations the database lacks.

    A new database is created. Back up the database first: rows already there stay
    (the tag history an older version kept in var/instance.sqlite included). A database
    a newer version wrote is refused.
    """
    with _reached(context) as database:
        state = database.state()
        if state == "ahead":
            raise DatabaseNotCurrent(
                f"the instance database {database.display_url} is at revision "
                f"{database.revision()}, which this version does not know (its latest is "
                f"{database.head()}); {WHAT_NEXT['ahead']}"
            )
        if state == "current":
            click.echo(f"{database.display_url} is current (revision {database.head()}); "
                       "nothing to do.")  # fmt: skip
            return
        before, after = database.upgrade()
    was = "new" if state == "new" else (before or "no revision (an older version's tables)")
    click.echo(f"Upgraded {database.display_url}: {was} → {after}.")
