"""`testimony user | redact | --as` through Click's runner, with their effects checked
where they land: the users and sessions tables, the archive files, the index, the audit
trail."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pyotp
import pytest
from click.testing import CliRunner

from testimony_archive.archive import Archive
from testimony_archive.cli import cli
from testimony_archive.config import Settings
from testimony_archive.instance import InstanceDatabase
from testimony_archive.security.second_factor import SecondFactor
from testimony_archive.security.sessions import Sessions
from testimony_archive.security.users import Users

from .conftest import DATA, cli_args, instance_database

PASSWORD = "correct horse battery staple"
ANA = {"TESTIMONY_EDITOR": "ana"}  # who runs the commands: an administrator


def run(
    runner: CliRunner, settings: Settings, *args: str, input: str | None = None
) -> tuple[int, str, str]:
    result = runner.invoke(cli, cli_args(settings, *args), input=input, env=ANA)
    return result.exit_code, result.stdout, result.stderr


def run_as(runner: CliRunner, settings: Settings, user: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["--as", user, *cli_args(settings, *args)], env=ANA)
    return result.exit_code, result.stdout, result.stderr


def add(runner: CliRunner, settings: Settings, name: str, role: str) -> None:
    code, out, err = run(runner, settings, "user", "add", name, "--role", role,
                         "--password-stdin", input=f"{PASSWORD}\n")  # fmt: skip
    assert code == 0, err


def rows(settings: Settings, query: str, *params: object) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(settings.instance_db)
    try:
        return connection.execute(query, params).fetchall()
    finally:
        connection.close()


def audit(runner: CliRunner, settings: Settings) -> list[dict[str, Any]]:
    code, out, err = run(runner, settings, "audit", "show", "--json")
    assert code == 0 and not err, err
    return [json.loads(line) for line in out.splitlines()]


def live_sessions(settings: Settings, name: str) -> int:
    return int(rows(settings, "SELECT count(*) FROM sessions JOIN users ON users.id = user_id "
                    "WHERE name = ? AND revoked_at IS NULL", name)[0][0])  # fmt: skip


@pytest.fixture
def database(settings: Settings) -> Iterator[InstanceDatabase]:
    database = instance_database(settings)
    yield database
    database.close()


def sign_in_twice(database: InstanceDatabase, name: str) -> list[str]:
    """Two live sessions (two devices) for a user, as the web sign-in starts them."""
    sessions, user = Sessions(database), Users(database).get(name)
    return [sessions.start(user, address, "signed-in") for address in ("10.0.0.1", "10.0.0.2")]


# -- users -------------------------------------------------------------------------------


def test_add_stores_an_argon2id_hash_and_records_who(runner: CliRunner, settings: Settings) -> None:
    code, out, _ = run(runner, settings, "user", "add", "Bea", "--role", "editor",
                       "--password-stdin", input=f"{PASSWORD}\nignored second line\n")  # fmt: skip
    assert code == 0 and out.strip() == "Added bea (editor)."
    ((name, role, password_hash, disabled),) = rows(
        settings, "SELECT name, role, password_hash, disabled FROM users"
    )
    assert (name, role, disabled) == ("bea", "editor", 0)
    assert password_hash.startswith("$argon2id$") and "horse" not in password_hash
    (entry,) = audit(runner, settings)
    assert (entry["actor"], entry["role"], entry["action"], entry["target"], entry["detail"]) == (
        "ana", "admin", "user-add", "bea", {"role": "editor"})  # fmt: skip


def test_add_asks_for_the_password_twice_hidden(runner: CliRunner, settings: Settings) -> None:
    typed = f"{PASSWORD}\nsomething else entirely\n{PASSWORD}\n{PASSWORD}\n"
    code, out, _ = run(runner, settings, "user", "add", "carl", "--role", "researcher",
                       input=typed)  # fmt: skip
    assert code == 0, out
    assert out.count("Password: ") == 2 and out.count("Repeat the password: ") == 2
    assert "do not match" in out and PASSWORD not in out
    assert out.rstrip().endswith("Added carl (researcher).")
    assert rows(settings, "SELECT name, role FROM users") == [("carl", "researcher")]


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short pw", "use at least 12"), ("password1234", "first an attacker would try"),
     ("dana-is-my-name-ok", "must not contain the user name")],
)  # fmt: skip
def test_a_weak_password_is_refused_and_nothing_written(
    runner: CliRunner, settings: Settings, password: str, reason: str
) -> None:
    code, out, err = run(runner, settings, "user", "add", "dana", "--role", "editor",
                         "--password-stdin", input=f"{password}\n")  # fmt: skip
    assert code == 2 and not out
    assert err.startswith("Error: ") and reason in err and len(err.splitlines()) == 1
    assert rows(settings, "SELECT count(*) FROM users") == [(0,)]
    assert rows(settings, "SELECT count(*) FROM audit_entries") == [(0,)]


def test_add_refuses_bad_names_roles_and_doubles(runner: CliRunner, settings: Settings) -> None:
    add(runner, settings, "bea", "editor")
    code, _, err = run(runner, settings, "user", "add", "bea", "--role", "admin",
                       "--password-stdin", input=f"{PASSWORD}\n")  # fmt: skip
    assert code == 2 and "already a user named bea" in err
    code, _, err = run(runner, settings, "user", "add", "no spaces", "--role", "admin",
                       "--password-stdin", input=f"{PASSWORD}\n")  # fmt: skip
    assert code == 2 and "not a valid user name" in err
    code, _, err = run(runner, settings, "user", "add", "eva", "--role", "boss")
    assert code == 2 and "'boss' is not one of" in err
    code, _, err = run(runner, settings, "user", "add", "eva", "--role", "admin",
                       "--password-stdin", input="")  # fmt: skip
    assert code == 2 and "no password on standard input" in err
    assert rows(settings, "SELECT name FROM users") == [("bea",)]


def test_list_shows_every_user(
    runner: CliRunner, settings: Settings, database: InstanceDatabase
) -> None:
    add(runner, settings, "bea", "editor")
    add(runner, settings, "carl", "researcher")
    run(runner, settings, "user", "disable", "carl")
    factor = SecondFactor(database)
    secret = factor.begin_enrolment(Users(database).get("bea"), "a session")
    factor.confirm_enrolment(Users(database).get("bea"), pyotp.TOTP(secret).now(), "a session")
    code, out, _ = run(runner, settings, "user", "list", "--json")
    assert code == 0
    listed = [json.loads(line) for line in out.splitlines()]
    assert [{k: v for k, v in user.items() if k != "created"} for user in listed] == [
        {"name": "bea", "role": "editor", "disabled": False, "second_factor": True},
        {"name": "carl", "role": "researcher", "disabled": True, "second_factor": False},
    ]
    assert listed[0]["created"] == rows(settings, "SELECT created_at FROM users")[0][0]
    code, out, _ = run(runner, settings, "user", "list")
    header, bea, carl = out.splitlines()
    assert header.split() == ["NAME", "ROLE", "DISABLED", "SECOND", "FACTOR", "CREATED"]
    assert bea.split()[:4] == ["bea", "editor", "no", "on"]
    assert carl.split()[:4] == ["carl", "researcher", "yes", "off"]


def test_disable_revokes_every_session_and_enable_lets_back_in(
    runner: CliRunner, settings: Settings, database: InstanceDatabase
) -> None:
    add(runner, settings, "bea", "editor")
    tokens = sign_in_twice(database, "bea")
    code, out, _ = run(runner, settings, "user", "disable", "bea")
    assert code == 0 and out.strip() == "Disabled bea; its sessions have ended."
    assert live_sessions(settings, "bea") == 0
    assert all(Sessions(database).lookup(token) is None for token in tokens)
    assert Users(database).authenticate("bea", PASSWORD) is None
    code, _, err = run_as(runner, settings, "bea", "tag", "history", "t-en-001")
    assert code == 2 and "bea is disabled" in err
    code, out, _ = run(runner, settings, "user", "enable", "bea")
    assert code == 0 and out.strip() == "Enabled bea."
    assert Users(database).authenticate("bea", PASSWORD) is not None
    changes = [(e["action"], e["target"], e["detail"]) for e in audit(runner, settings)[1:]]
    assert changes == [("user-change", "bea", {"disabled": "yes"}),
                       ("user-change", "bea", {"disabled": "no"})]  # fmt: skip


def test_passwd_sets_a_new_hash_and_ends_sessions(
    runner: CliRunner, settings: Settings, database: InstanceDatabase
) -> None:
    add(runner, settings, "bea", "editor")
    sign_in_twice(database, "bea")
    (before,) = rows(settings, "SELECT password_hash FROM users")
    code, _, err = run(runner, settings, "user", "passwd", "bea", "--password-stdin",
                       input="too short\n")  # fmt: skip
    assert code == 2 and "use at least 12" in err
    assert rows(settings, "SELECT password_hash FROM users") == [before]
    assert live_sessions(settings, "bea") == 2  # nothing happened
    code, out, _ = run(runner, settings, "user", "passwd", "bea", "--password-stdin",
                       input="a brand new passphrase\n")  # fmt: skip
    assert code == 0 and "New password set for bea" in out
    (after,) = rows(settings, "SELECT password_hash FROM users")
    assert after != before and after[0].startswith("$argon2id$")
    assert Users(database).authenticate("bea", PASSWORD) is None
    assert Users(database).authenticate("bea", "a brand new passphrase") is not None
    assert live_sessions(settings, "bea") == 0
    entry = audit(runner, settings)[-1]
    assert (entry["actor"], entry["action"], entry["target"]) == ("ana", "user-change", "bea")
    assert "password" in json.dumps(entry["detail"])  # and never the password itself
    assert "passphrase" not in json.dumps(entry)


def test_role_changes_the_role_and_keeps_an_administrator(
    runner: CliRunner, settings: Settings, database: InstanceDatabase
) -> None:
    add(runner, settings, "root", "admin")
    add(runner, settings, "bea", "researcher")
    sign_in_twice(database, "bea")
    code, out, _ = run(runner, settings, "user", "role", "bea", "editor")
    assert code == 0 and out.strip() == "bea's role is now editor; its sessions have ended."
    assert rows(settings, "SELECT role FROM users WHERE name = 'bea'") == [("editor",)]
    assert live_sessions(settings, "bea") == 0
    assert audit(runner, settings)[-1]["detail"] == {"role": "researcher → editor"}
    code, _, err = run(runner, settings, "user", "role", "root", "editor")
    assert code == 2 and "root is the last administrator" in err
    code, _, err = run(runner, settings, "user", "disable", "root")
    assert code == 2 and "last administrator" in err
    assert rows(settings, "SELECT role, disabled FROM users WHERE name = 'root'") == [("admin", 0)]


def test_sign_out_ends_every_session(
    runner: CliRunner, settings: Settings, database: InstanceDatabase
) -> None:
    add(runner, settings, "bea", "editor")
    tokens = sign_in_twice(database, "bea")
    code, out, _ = run(runner, settings, "user", "sign-out", "bea")
    assert code == 0 and out.strip() == "Ended 2 sessions of bea."
    assert all(Sessions(database).lookup(token) is None for token in tokens)
    assert rows(settings, "SELECT disabled FROM users") == [(0,)]  # it may sign in again
    assert audit(runner, settings)[-1]["detail"] == {"sessions_ended": 2}
    code, out, _ = run(runner, settings, "user", "sign-out", "bea")
    assert code == 0 and out.strip() == "Ended 0 sessions of bea."


def test_second_factor_off_for_a_lost_device(
    runner: CliRunner, settings: Settings, database: InstanceDatabase
) -> None:
    add(runner, settings, "bea", "editor")
    factor = SecondFactor(database)
    secret = factor.begin_enrolment(Users(database).get("bea"), "a session")
    factor.confirm_enrolment(Users(database).get("bea"), pyotp.TOTP(secret).now(), "a session")
    token = Sessions(database).start(Users(database).get("bea"), "10.0.0.1", "signed-in")
    assert rows(settings, "SELECT count(*) FROM recovery_codes") == [(10,)]
    code, out, _ = run(runner, settings, "user", "second-factor-off", "bea")
    assert code == 0 and "Second factor off for bea" in out
    assert rows(settings, "SELECT totp_secret, totp_pending FROM users") == [(None, None)]
    assert rows(settings, "SELECT count(*) FROM recovery_codes") == [(0,)]
    assert Sessions(database).lookup(token) is None
    assert not Users(database).get("bea").second_factor
    entry = audit(runner, settings)[-1]
    assert (entry["actor"], entry["action"], entry["target"], entry["detail"]) == (
        "ana", "user-change", "bea", {"second_factor": "removed"})  # fmt: skip


def test_unknown_users_are_named(runner: CliRunner, settings: Settings) -> None:
    for command in (["disable", "ghost"], ["enable", "ghost"], ["role", "ghost", "editor"],
                    ["sign-out", "ghost"], ["second-factor-off", "ghost"]):  # fmt: skip
        code, _, err = run(runner, settings, "user", *command)
        assert code == 2 and "no user named 'ghost'" in err, command
    code, _, err = run_as(runner, settings, "ghost", "user", "list")
    assert code == 2 and "no user named 'ghost'" in err


def test_only_administrators_manage_users(runner: CliRunner, settings: Settings) -> None:
    add(runner, settings, "bea", "editor")
    for command in (["list"], ["disable", "bea"], ["sign-out", "bea"], ["role", "bea", "admin"],
                    ["add", "eva", "--role", "admin"], ["passwd", "bea"]):  # fmt: skip
        code, out, err = run_as(runner, settings, "bea", "user", *command)
        assert code == 2, command
        assert err.startswith("Error: Only administrators may manage users"), command
        assert "Password" not in out, command  # refused before a password is asked for
    assert rows(settings, "SELECT name, role, disabled FROM users") == [("bea", "editor", 0)]


# -- acting as a user, and redaction -----------------------------------------------------


@pytest.fixture
def indexed(runner: CliRunner, settings: Settings, archive: Archive) -> Archive:
    code, _, err = run(runner, settings, "index")
    assert code == 0, err
    return archive


def found(
    runner: CliRunner, settings: Settings, query: str, user: str | None = None
) -> set[tuple[str, int]]:
    args = ("search", query, "--json", "--unit", "paragraph")
    as_user = ["--as", user] if user else []
    result = runner.invoke(cli, [*as_user, *cli_args(settings, *args)], env=ANA)
    code, out, err = result.exit_code, result.stdout, result.stderr
    assert code == 0, err
    return {(hit["doc"], hit["para"]) for hit in json.loads(out)["results"]}


def test_as_a_researcher_restricted_documents_are_found_but_not_their_secrets(
    runner: CliRunner, settings: Settings, indexed: Archive
) -> None:
    add(runner, settings, "rita", "researcher")
    assert ("r-es-004", 1) in found(runner, settings, "tzeltal", "rita")
    assert ("r-es-004", 1) in found(runner, settings, "tzeltal")
    code, out, _ = run(runner, settings, "redact", "r-es-004", "--para", "1", "--text",
                       "tzeltal", "--reason", "identifies a community")  # fmt: skip
    assert code == 0
    assert found(runner, settings, "tzeltal", "rita") == set()
    assert ("r-es-004", 1) in found(runner, settings, "tzeltal")
    searched = [e for e in audit(runner, settings) if e["action"] == "search"]
    assert not searched  # the command line's searches are not recorded


def test_redact_list_and_remove(runner: CliRunner, settings: Settings, indexed: Archive) -> None:
    add(runner, settings, "rita", "researcher")
    assert ("t-en-001", 3) in found(runner, settings, "small room", "rita")
    code, out, err = run(runner, settings, "redact", "t-en-001", "--para", "3", "--text",
                         "small room", "--reason", "places the witness")  # fmt: skip
    assert code == 0, err
    assert out.strip() == "Redaction 1: ¶3, characters 6-15: “small room”"
    code, out, _ = run(runner, settings, "redact", "t-en-001", "--para", "2", "--chars", "6-15",
                       "--reason", "names the place", "--editor", "jo")  # fmt: skip
    assert code == 0 and out.strip() == "Redaction 2: ¶2, characters 6-15: “checkpoint”"
    redactions = Archive(settings.archive_dir).get("t-en-001").redactions
    assert [(r.para, r.chars, r.reason, r.by) for r in redactions] == [
        (3, "6-15", "places the witness", "ana"), (2, "6-15", "names the place", "jo")]  # fmt: skip
    assert found(runner, settings, "small room", "rita") == set()
    assert ("t-en-001", 3) in found(runner, settings, "small room")
    code, out, _ = run(runner, settings, "redact", "t-en-001", "--list")
    lines = out.splitlines()
    assert lines[0] == "t-en-001 has 2 redactions:"
    assert lines[1].startswith("  1. ¶3, characters 6-15: “small room”  reason: places the "
                               f"witness  by ana  at {redactions[0].at[:10]}")  # fmt: skip
    assert lines[2].startswith("  2. ¶2, characters 6-15: “checkpoint”  reason: names the place"
                               "  by jo")  # fmt: skip
    code, out, _ = run(runner, settings, "redact", "t-en-001", "--remove", "1")
    assert code == 0 and "Removed redaction 1 of t-en-001: ¶3, characters 6-15." in out
    assert [r.para for r in Archive(settings.archive_dir).get("t-en-001").redactions] == [2]
    assert ("t-en-001", 3) in found(runner, settings, "small room", "rita")
    code, _, err = run(runner, settings, "redact", "t-en-001", "--remove", "5")
    assert code == 2 and "has 1 redactions; there is no number 5" in err
    actions = [(e["actor"], e["action"], e["target"]) for e in audit(runner, settings)]
    assert actions[-3:] == [("ana", "redact", "t-en-001"), ("jo", "redact", "t-en-001"),
                            ("ana", "unredact", "t-en-001")]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--para", "3", "--chars", "90-400", "--reason", "x"], "are not inside paragraph 3"),
     (["--para", "9", "--text", "taser", "--reason", "x"], "has no paragraph 9"),
     (["--para", "3", "--text", "helicopter", "--reason", "x"], "does not occur"),
     (["--para", "3", "--text", "taser"], "say why"),
     (["--para", "3", "--reason", "x"], "either the characters"),
     (["--para", "3", "--chars", "5-", "--reason", "x"], "write it as A-B"),
     (["--text", "taser", "--reason", "x"], "--para N"),
     (["--list", "--remove", "1"], "not both"),
     (["--list", "--reason", "x"], "--reason are for redacting")],
)  # fmt: skip
def test_redact_says_what_to_fix(
    runner: CliRunner, settings: Settings, archive: Archive, args: list[str], message: str
) -> None:
    before = (settings.archive_dir / "documents" / "t-en-001.md").read_bytes()
    code, out, err = run(runner, settings, "redact", "t-en-001", *args)
    assert code == 2 and message in err, err
    assert (settings.archive_dir / "documents" / "t-en-001.md").read_bytes() == before


def test_only_editors_redact(runner: CliRunner, settings: Settings, archive: Archive) -> None:
    add(runner, settings, "rita", "researcher")
    code, _, err = run_as(runner, settings, "rita", "redact", "t-en-001", "--para", "3",
                          "--text", "taser", "--reason", "x")  # fmt: skip
    assert code == 2 and "Only editors and administrators may redact" in err
    assert not Archive(settings.archive_dir).get("t-en-001").redactions
    code, _, err = run_as(runner, settings, "rita", "redact", "r-es-004", "--list")
    assert code == 0


def test_the_trail_records_who_did_what(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    code, _, _ = run(runner, settings, "import", "--no-suggest", str(DATA / "records.jsonl"))
    assert code == 0
    add(runner, settings, "bea", "editor")
    run(runner, settings, "user", "disable", "bea")
    run(runner, settings, "redact", "t-es-002", "--para", "1", "--text", "Tapachula",
        "--reason", "place of arrival")  # fmt: skip
    run(runner, settings, "export", "--output", str(tmp_path / "out.jsonl"))
    add(runner, settings, "root", "admin")
    run_as(runner, settings, "root", "export", "--output", str(tmp_path / "root.jsonl"))
    trail = audit(runner, settings)
    assert [(e["actor"], e["role"], e["address"], e["action"], e["target"]) for e in trail] == [
        ("ana", "admin", "command line", "import", "records.jsonl"),
        ("ana", "admin", "command line", "user-add", "bea"),
        ("ana", "admin", "command line", "user-change", "bea"),
        ("ana", "admin", "command line", "redact", "t-es-002"),
        ("ana", "admin", "command line", "export", str(tmp_path / "out.jsonl")),
        ("ana", "admin", "command line", "user-add", "root"),
        ("root", "admin", "command line", "export", str(tmp_path / "root.jsonl")),
    ]
    assert trail[0]["detail"] == {"imported": 4, "skipped": 0, "failed": 0}
    assert trail[3]["detail"] == {"para": 1, "chars": ["10-18"], "reason": "place of arrival"}
    assert trail[4]["detail"] == {"format": "jsonl", "documents": 4}
    code, out, _ = run(runner, settings, "audit", "verify")
    assert (code, out.strip()) == (0, "intact: 7 entries")


# -- help --------------------------------------------------------------------------------


def test_every_new_command_and_option_has_help(runner: CliRunner) -> None:
    for name in ("user", "audit", "db", "redact"):
        command = cli.commands[name]
        subcommands = (
            list(command.commands.values()) if isinstance(command, click.Group) else [command]
        )
        for each in subcommands:
            assert each.help, f"{name} {each.name} has no help"
            for param in each.params:
                if isinstance(param, click.Option):
                    assert param.help, f"{name} {each.name} {param.opts} has no help"
            path = [name, each.name] if each is not command else [name]
            result = runner.invoke(cli, [*path, "--help"])
            assert result.exit_code == 0 and "Usage:" in result.output
