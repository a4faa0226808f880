"""`testimony audit show | verify | head`: read the audit trail and check its hash chain
(through `security.Accounts.read_audit`, which checks that the viewer may read it)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any

import click

from ..errors import UsageError
from ..instance import stamp
from ..security.audit import Entry, Verification
from .context import Context, pass_context


@click.group("audit")
def audit_group() -> None:
    """Read the audit trail and check it is whole.

    The trail says who did what, when and from where. Each entry holds the hash of the
    one before it, so that an entry edited, removed, inserted or reordered, or a trail
    cut short, is found by 'testimony audit verify'.
    Write down what 'testimony audit head' prints now and then, somewhere else: with
    'testimony audit verify --head' it also catches a trail rewritten as a whole. Only
    administrators may read the trail.
    """


@audit_group.command("show")
@click.option(
    "--user",
    "actor",
    metavar="NAME",
    help="Only what this user did ('anonymous' for failed sign-ins and the like).",
)
@click.option(
    "--since",
    metavar="WHEN",
    help="Only entries from this date or time on, in UTC unless it says otherwise "
    "(2026-12-01, 2026-12-01T09:30, 2026-12-01T09:30+01:00).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    metavar="N",
    help="Only the N most recent of those entries.",
)
@click.option("--newest-first", is_flag=True, help="Print the newest entry first.")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object per entry: seq, at, actor, role, address, action, "
              "target, detail, prev_hash, hash.")  # fmt: skip
@pass_context
def audit_show_command(
    context: Context, actor: str | None, since: str | None, limit: int | None,
    newest_first: bool, as_json: bool,
) -> None:  # fmt: skip
    """Show the audit trail, oldest entry first.

    Each line: number, time (UTC), who (user, role, address), what they did, to what,
    and the details."""
    entries, verification = context.accounts.read_audit(
        context.viewer(), user=actor, since=_since(since), limit=limit
    )
    if not newest_first:
        entries.reverse()
    for entry in entries:
        click.echo(json.dumps(entry.as_json(), ensure_ascii=False) if as_json else _line(entry))
    if not entries and not as_json:
        click.echo("No audit entries match." if actor or since else "The audit trail is empty.")
    if not verification.ok:
        click.echo(f"Warning: the audit trail does not hold ({verification.problem}); "
                   "see 'testimony audit verify'.", err=True)  # fmt: skip


@audit_group.command("verify")
@click.option(
    "--head",
    "written_head",
    metavar="'SEQ HASH'",
    help="Also check that entry SEQ still has HASH, as 'testimony audit head' "
    "printed it when it was written down.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the result as one JSON object: ok, entries, first_bad, problem.",
)
@pass_context
def audit_verify_command(context: Context, written_head: str | None, as_json: bool) -> None:
    """Check the audit trail's hash chain.

    From the first entry to the last: 'intact: N entries' and exit code 0 if it holds;
    otherwise the first entry that does not hold, what is wrong with it, and exit
    code 1."""
    seq, digest = _parse_head(written_head) if written_head else (None, None)
    before = seq + 1 if seq is not None else None
    entries, verification = context.accounts.read_audit(context.viewer(), before=before,
                                                        limit=1)  # fmt: skip
    if verification.ok and seq is not None:
        verification = _against_head(verification, entries, seq, digest or "")
    if as_json:
        click.echo(json.dumps({"ok": verification.ok, "entries": verification.entries,
                               "first_bad": verification.first_bad,
                               "problem": verification.problem}))  # fmt: skip
    elif verification.ok:
        click.echo(f"intact: {verification.entries} entries")
    else:
        where = f" at entry {verification.first_bad}" if verification.first_bad else ""
        click.echo(f"broken{where}: {verification.problem}")
    if not verification.ok:
        sys.exit(1)


@audit_group.command("head")
@click.option(
    "--rewrite",
    is_flag=True,
    help="Write the head file anew from the last entry, once you know why it went missing "
    "or unreadable (restore it from a backup first if you can); recorded in the trail.",
)
@pass_context
def audit_head_command(context: Context, rewrite: bool) -> None:
    """Print the last entry's number and hash.

    'SEQ HASH', to write down somewhere else (on paper, in another system) and check
    later with 'testimony audit verify --head'. Refused while the trail does not hold."""
    if rewrite:
        entry = context.accounts.rewrite_audit_head(context.viewer())
        click.echo(f"The head file was written anew; entry {entry.seq} records it.")
    entries, verification = context.accounts.read_audit(context.viewer(), limit=1)
    if not verification.ok:
        click.echo(f"Error: the audit trail does not hold ({verification.problem}); see "
                   "'testimony audit verify' before writing its head down.", err=True)  # fmt: skip
        sys.exit(1)
    if not entries:
        raise UsageError("the audit trail has no entries yet: there is no head to write down")
    click.echo(f"{entries[0].seq} {entries[0].hash}")


def _since(text: str | None) -> str | None:
    """A date or time as the trail stores it (UTC, ISO 8601), for comparing as text."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--since {text!r} is not a date or time; write it as 2026-12-01 "
                         "or 2026-12-01T09:30") from None  # fmt: skip
    return stamp(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _parse_head(text: str) -> tuple[int, str]:
    parts = text.replace(":", " ").split()
    if len(parts) != 2 or not parts[0].isdigit() or len(parts[1]) != 64:
        raise UsageError(f"--head {text!r}: give the number and hash 'testimony audit head' "
                         "printed, such as --head '120 3f5a…' (64 hex digits)")  # fmt: skip
    return int(parts[0]), parts[1].lower()


def _against_head(
    verification: Verification, entries: list[Entry], seq: int, digest: str
) -> Verification:
    """The chain holds; does it still hold the entry that was written down?"""
    found = entries[0] if entries else None
    if found is None or found.seq != seq:
        problem = (f"entry {seq}, whose hash was written down, is missing: the trail ends at "
                   f"entry {verification.entries}")  # fmt: skip
    elif found.hash != digest:
        problem = (f"entry {seq} is not the entry whose hash was written down: the trail was "
                   "rewritten at that entry or before it")  # fmt: skip
    else:
        return verification
    return Verification(verification.entries, problem, seq)


def _line(entry: Entry) -> str:
    at = entry.at[:19].replace("T", " ")
    who = f"{entry.actor} ({entry.role}, {entry.address or '-'})"
    detail = "  ".join(f"{key}={_value(value)}" for key, value in entry.detail.items())
    return f"{entry.seq:>6}  {at}  {who:<36} {entry.action:<14} {entry.target}  {detail}".rstrip()


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
