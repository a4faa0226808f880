"""The instance database through `testimony db`: created on first use, an older
version's tag history adopted by `db upgrade`, a newer version's database refused, and
TESTIMONY_DATABASE_URL honoured."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from testimony_archive.archive import Archive
from testimony_archive.cli import cli
from testimony_archive.config import Settings
from testimony_archive.instance import DatabaseNotCurrent

from .conftest import cli_args

# What versions before the instance database created in var/instance.sqlite themselves.
LEGACY_SCHEMA = """
CREATE TABLE tag_changes (id INTEGER PRIMARY KEY, at TEXT NOT NULL, editor TEXT NOT NULL,
    doc TEXT NOT NULL, para INTEGER, field TEXT NOT NULL, action TEXT NOT NULL,
    value TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL, origin TEXT NOT NULL);
CREATE INDEX tag_changes_doc ON tag_changes (doc, id);
"""
LEGACY_ROWS = [
    ("2024-02-01T10:00:00+00:00", "tagger", "t-en-001", 3, "abuse_types", "suggest",
     "torture.electric-shock", "[]", '["torture.electric-shock"]', "suggested"),
    ("2024-02-02T09:30:00+00:00", "maria", "t-en-001", 3, "abuse_types", "accept",
     "torture.electric-shock", "[]", '["torture.electric-shock"]', "manual"),
    ("2024-02-03T16:45:00+00:00", "maria", "t-en-001", None, "perpetrators", "remove",
     "police", '["immigration", "police"]', '["immigration"]', "manual"),
    ("2024-02-04T08:00:00+00:00", "maria", "t-es-002", 2, "locations", "add", "MX-CHP",
     "[]", '["MX-CHP"]', "manual"),
]  # fmt: skip
UPGRADE = "testimony db upgrade"


def run(
    runner: CliRunner, settings: Settings, *args: str, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    result = runner.invoke(cli, cli_args(settings, *args), env=env)
    return result.exit_code, result.stdout, result.stderr


def write_legacy_database(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    with connection:
        connection.executescript(LEGACY_SCHEMA)
        connection.executemany(
            "INSERT INTO tag_changes (at, editor, doc, para, field, action, value, before, "
            "after, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            LEGACY_ROWS,
        )
    connection.close()


def sql(path: Path, query: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        with connection:
            return connection.execute(query).fetchall()
    finally:
        connection.close()


def status(runner: CliRunner, settings: Settings) -> dict[str, str | None]:
    code, out, _ = run(runner, settings, "db", "status", "--json")
    assert code == 0
    found: dict[str, str | None] = json.loads(out)
    return found


def test_a_new_database_is_created_on_first_use(runner: CliRunner, settings: Settings) -> None:
    assert status(runner, settings)["state"] == "new"
    code, out, _ = run(runner, settings, "user", "list")
    assert code == 0 and "No users yet" in out
    assert settings.instance_db.is_file()
    found = status(runner, settings)
    assert found["state"] == "current" and found["revision"] == found["head"] == "0003"
    assert found["url"] == f"sqlite:///{settings.instance_db}"
    tables = {row[0] for row in sql(settings.instance_db, "SELECT name FROM sqlite_master")}
    assert {"users", "sessions", "audit_entries", "tag_changes", "alembic_version", "collections",
            "collection_items"} <= tables


def test_status_for_people_says_what_to_do(runner: CliRunner, settings: Settings) -> None:
    write_legacy_database(settings.instance_db)
    code, out, _ = run(runner, settings, "db", "status")
    assert code == 0
    assert f"Database: sqlite:///{settings.instance_db}" in out
    assert "Revision: none (this version expects 0003)" in out
    assert "State:    behind" in out and UPGRADE in out


def test_an_older_versions_database_is_behind_and_refused(
    runner: CliRunner, settings: Settings, archive: Archive
) -> None:
    write_legacy_database(settings.instance_db)
    assert status(runner, settings)["state"] == "behind"
    for command in (["search", "x"], ["tag", "history", "t-en-001"], ["user", "list"]):
        code, out, err = run(runner, settings, *command)
        assert code == 2, command
        assert err.startswith("Error: the instance database") and UPGRADE in err, command
        assert "Traceback" not in err + out
    from testimony_archive.web.app import create_app

    with pytest.raises(DatabaseNotCurrent, match=UPGRADE):
        create_app(settings)
    # Nothing was migrated behind the operator's back.
    assert sql(settings.instance_db, "SELECT count(*) FROM tag_changes") == [(4,)]
    assert status(runner, settings)["revision"] is None


def test_upgrade_keeps_every_old_row_readable(
    runner: CliRunner, settings: Settings, archive: Archive
) -> None:
    write_legacy_database(settings.instance_db)
    code, out, _ = run(runner, settings, "db", "upgrade")
    assert code == 0
    assert out.strip() == (
        f"Upgraded sqlite:///{settings.instance_db}: no revision (an older version's "
        "tables) → 0003."
    )
    assert status(runner, settings)["state"] == "current"
    code, out, _ = run(runner, settings, "tag", "history", "t-en-001", "--json")
    assert code == 0
    history = [json.loads(line) for line in out.splitlines()]
    expected = [row for row in LEGACY_ROWS if row[2] == "t-en-001"]
    assert [
        (c["at"], c["editor"], c["doc"], c["para"], c["field"], c["action"], c["value"],
         json.dumps(c["before"]), json.dumps(c["after"]), c["origin"])
        for c in history
    ] == expected  # fmt: skip
    code, out, _ = run(runner, settings, "tag", "history", "t-es-002")
    assert code == 0 and "maria" in out and "MX-CHP" in out
    # New changes are added after the old ones, in the same table.
    code, _, _ = run(runner, settings, "tag", "add", "t-en-001", "police", "--editor", "jo")
    assert code == 0
    code, out, _ = run(runner, settings, "tag", "history", "t-en-001", "--json")
    editors = [json.loads(line)["editor"] for line in out.splitlines()]
    assert editors == ["tagger", "maria", "maria", "jo"]
    code, out, _ = run(runner, settings, "db", "upgrade")
    assert code == 0 and "is current (revision 0003); nothing to do" in out


def test_a_newer_versions_database_is_ahead_and_refused(
    runner: CliRunner, settings: Settings, archive: Archive
) -> None:
    assert run(runner, settings, "db", "upgrade")[0] == 0
    connection = sqlite3.connect(settings.instance_db)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    connection.close()
    found = status(runner, settings)
    assert found["state"] == "ahead" and found["revision"] == "0099_from_the_future"
    code, _, err = run(runner, settings, "tag", "history", "t-en-001")
    assert code == 2 and "newer version" in err
    code, out, err = run(runner, settings, "db", "upgrade")
    assert code == 2 and "0099_from_the_future" in err and "does not know" in err
    assert "Traceback" not in out + err
    assert status(runner, settings)["revision"] == "0099_from_the_future"  # left as it was
    from testimony_archive.web.app import create_app

    with pytest.raises(DatabaseNotCurrent, match="newer version"):
        create_app(settings)


def test_database_url_from_the_environment(
    runner: CliRunner, settings: Settings, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere" / "accounts.sqlite"
    url = f"sqlite:///{elsewhere}"
    assert Settings.from_env({"TESTIMONY_DATABASE_URL": url}).database_url == url
    assert Settings.from_env({}).database_url == "sqlite:///var/instance.sqlite"
    env = {"TESTIMONY_DATABASE_URL": url, "TESTIMONY_EDITOR": "ana"}
    result = runner.invoke(
        cli, cli_args(settings, "user", "add", "bea", "--role", "editor", "--password-stdin"),
        input="a long enough passphrase\n", env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sql(elsewhere, "SELECT name, role FROM users") == [("bea", "editor")]
    assert not settings.instance_db.exists()
    code, out, _ = run(runner, settings, "db", "status", "--json", env=env)
    assert json.loads(out)["url"] == url
    code, out, _ = run(runner, settings, "user", "list", "--json", env=env)
    assert [json.loads(line)["name"] for line in out.splitlines()] == ["bea"]


def test_a_password_in_the_database_url_is_never_shown(
    runner: CliRunner, settings: Settings
) -> None:
    env = {"TESTIMONY_DATABASE_URL": "postgresql+psycopg://ana:s3cret-pw@127.0.0.1:1/archive"}
    code, out, err = run(runner, settings, "db", "status", env=env)
    assert code == 2  # no server there (nor, perhaps, the driver): one clear line
    assert err.startswith("Error: ") and "instance database" in err and err.count("\n") == 1
    assert "TESTIMONY_DATABASE_URL" in err and "s3cret-pw" not in out + err
    assert "Traceback" not in err


def test_a_database_one_migration_behind_is_refused_until_upgraded(
    runner: CliRunner, settings: Settings, archive: Archive
) -> None:
    """A database written by the version before (revision 0001): the server and the
    commands refuse it and say what to run; `testimony db upgrade` brings it forward."""
    from testimony_archive.instance import InstanceDatabase
    from testimony_archive.web.app import create_app

    InstanceDatabase(settings.database_url).upgrade("0001")
    assert InstanceDatabase(settings.database_url).state() == "behind"
    with pytest.raises(DatabaseNotCurrent, match="testimony db upgrade"):
        create_app(settings)
    result = runner.invoke(cli, cli_args(settings, "user", "list"))
    assert result.exit_code == 2 and "testimony db upgrade" in result.stderr
    result = runner.invoke(cli, cli_args(settings, "db", "upgrade"))
    assert result.exit_code == 0 and "0001 → 0003" in result.stdout
    assert InstanceDatabase(settings.database_url).state() == "current"


def test_a_database_of_the_version_before_collections_is_brought_forward(
    runner: CliRunner, settings: Settings
) -> None:
    """A database at revision 0002 (before collections) is refused until upgraded; the
    upgrade adds the collections' tables and keeps the users."""
    from testimony_archive.collections import Collections
    from testimony_archive.excerpts import Place
    from testimony_archive.instance import InstanceDatabase

    database = InstanceDatabase(settings.database_url)
    database.upgrade("0002")
    connection = sqlite3.connect(settings.instance_db)
    with connection:
        connection.execute(
            "INSERT INTO users (name, role, password_hash, disabled, created_at, changed_at) "
            "VALUES ('rita', 'researcher', 'x', 0, '2026-01-01', '2026-01-01')"
        )
    connection.close()
    assert database.state() == "behind"
    result = runner.invoke(cli, ["--as", "rita", *cli_args(settings, "collection", "list")])
    assert result.exit_code == 2 and "testimony db upgrade" in result.stderr
    result = runner.invoke(cli, cli_args(settings, "db", "upgrade"))
    assert result.exit_code == 0 and "0002 → 0003" in result.stdout
    assert sql(settings.instance_db, "SELECT name FROM users") == [("rita",)]
    collections = Collections(database)
    made = collections.create("rita", "Asylum case")
    collections.add("rita", made.id, Place("t-en-001", 2, 2))
    assert [(c.name, c.size) for c in collections.list("rita")] == [("Asylum case", 1)]
    database.close()
