"""`testimony user ...`: accounts, managed by an administrator and recorded in the audit
trail (through `security.Accounts`, which checks that the viewer may manage users)."""

from __future__ import annotations

import json
import sys

import click

from .. import access
from ..access import Viewer
from ..errors import UsageError
from ..security.users import ACCOUNT_ROLES, User
from .context import Context, pass_context

ROLE = click.Choice(ACCOUNT_ROLES)
PASSWORD_STDIN = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of asking for "
    "it (for scripts; never put a password on the command line).",
)


@click.group("user")
def user_group() -> None:
    """Manage the users who sign in.

    Add users, set their passwords and roles, disable them, sign them out.
    Roles: researcher (reads restricted documents), editor (also tags and redacts, and
    sees witness details), admin (also manages users and reads the audit trail). Each
    change is recorded in the audit trail under whoever runs the command (TESTIMONY_EDITOR
    or $USER, or 'testimony --as USER'), who must be an administrator.
    """


def _new_password(viewer: Viewer, password_stdin: bool) -> str:
    access.require(viewer, "manage users")  # before asking for a password it may not set
    if password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise UsageError("no password on standard input: give it as the first line")
        return line
    password: str = click.prompt(
        "Password", hide_input=True, confirmation_prompt="Repeat the password"
    )
    return password


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=ROLE, required=True, help="What the user may do (see 'user --help').")
@PASSWORD_STDIN
@pass_context
def user_add_command(context: Context, name: str, role: str, password_stdin: bool) -> None:
    """Add a user who signs in with a password.

    NAME: 2 to 64 lower-case letters, digits, '.', '_' or '-'. The password (at least 12
    characters, not a common one, not containing the name) is asked for twice, hidden,
    unless --password-stdin."""
    viewer = context.viewer()
    password = _new_password(viewer, password_stdin)
    user = context.accounts.add_user(viewer, name, role, password)
    click.echo(f"Added {user.name} ({user.role}).")


@user_group.command("passwd")
@click.argument("name")
@PASSWORD_STDIN
@pass_context
def user_passwd_command(context: Context, name: str, password_stdin: bool) -> None:
    """Set a user's password; end its sessions.

    Every session NAME has ends, so that whoever knew the old password is signed out."""
    viewer = context.viewer()
    password = _new_password(viewer, password_stdin)
    user = context.accounts.set_password(viewer, name, password)
    click.echo(f"New password set for {user.name}; its sessions have ended.")


@user_group.command("disable")
@click.argument("name")
@pass_context
def user_disable_command(context: Context, name: str) -> None:
    """Stop a user signing in; end its sessions at once."""
    user = context.accounts.set_disabled(context.viewer(), name, True)
    click.echo(f"Disabled {user.name}; its sessions have ended.")


@user_group.command("enable")
@click.argument("name")
@pass_context
def user_enable_command(context: Context, name: str) -> None:
    """Let a disabled user sign in again."""
    user = context.accounts.set_disabled(context.viewer(), name, False)
    click.echo(f"Enabled {user.name}.")


@user_group.command("role")
@click.argument("name")
@click.argument("role", type=ROLE)
@pass_context
def user_role_command(context: Context, name: str, role: str) -> None:
    """Give a user another role.

    NAME's sessions end (their pages were made for the old ROLE). The last administrator
    who may sign in keeps that role."""
    user = context.accounts.set_role(context.viewer(), name, role)
    click.echo(f"{user.name}'s role is now {user.role}; its sessions have ended.")


@user_group.command("sign-out")
@click.argument("name")
@pass_context
def user_sign_out_command(context: Context, name: str) -> None:
    """End every session of a user, on every device.

    NAME may sign in again (to keep it out, 'testimony user disable')."""
    ended = context.accounts.end_sessions(context.viewer(), name)
    click.echo(f"Ended {ended} session{'' if ended == 1 else 's'} of {name.strip().casefold()}.")


@user_group.command("second-factor-off")
@click.argument("name")
@pass_context
def user_second_factor_off_command(context: Context, name: str) -> None:
    """Switch off a user's second factor (a lost device).

    For NAME, who lost the device and the recovery codes: it signs in with the password
    alone, and should set a second factor up again at once (on its account page). Its
    sessions end and its recovery codes are discarded."""
    user = context.accounts.remove_second_factor(context.viewer(), name)
    click.echo(f"Second factor off for {user.name}; ask them to set it up again at once.")


@user_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per user.")
@pass_context
def user_list_command(context: Context, as_json: bool) -> None:
    """List the users.

    Name, role, whether disabled, whether a second factor is set up, and when each was
    added (UTC)."""
    users = context.accounts.list_users(context.viewer())
    if as_json:
        for user in users:
            click.echo(json.dumps(_as_json(user), ensure_ascii=False))
        return
    if not users:
        click.echo("No users yet; add one with 'testimony user add NAME --role admin'.")
        return
    click.echo(f"{'NAME':<24} {'ROLE':<11} {'DISABLED':<9} {'SECOND FACTOR':<14} CREATED")
    for user in users:
        click.echo(
            f"{user.name:<24} {user.role:<11} {'yes' if user.disabled else 'no':<9} "
            f"{'on' if user.second_factor else 'off':<14} {user.created_at[:16].replace('T', ' ')}"
        )


def _as_json(user: User) -> dict[str, object]:
    return {"name": user.name, "role": user.role, "disabled": user.disabled,
            "second_factor": user.second_factor, "created": user.created_at}  # fmt: skip
