"""The instance database on PostgreSQL: the same migrations, users, sessions shared by
two server processes, collections, tag history and an audit chain that holds with
concurrent writers; a replica that follows; a bad URL answered with one line."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import text

from testimony_archive.archive import Archive
from testimony_archive.cli import cli
from testimony_archive.config import Settings
from testimony_archive.importer import import_paths
from testimony_archive.index import rebuild_index
from testimony_archive.instance import InstanceDatabase
from testimony_archive.web.app import create_app

from .conftest import DATA, PASSWORD, cli_args, sign_in
from .postgres import Cluster, wait_for_replica

pytestmark = pytest.mark.postgres
ANA = {"TESTIMONY_EDITOR": "ana"}


def run(runner: CliRunner, settings: Settings, *args: str, input: str | None = None,
        ) -> tuple[int, str, str]:  # fmt: skip
    env = {**ANA, "TESTIMONY_DATABASE_URL": settings.database_url}
    result = runner.invoke(cli, cli_args(settings, *args), input=input, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_migrations_and_status_on_postgresql(runner: CliRunner, pg_settings: Settings) -> None:
    code, out, _ = run(runner, pg_settings, "db", "status", "--json")
    assert code == 0 and json.loads(out)["state"] == "new"
    code, out, err = run(runner, pg_settings, "db", "upgrade")
    assert code == 0, err
    assert "Upgraded postgresql+psycopg://testimony@127.0.0.1" in out
    status = json.loads(run(runner, pg_settings, "db", "status", "--json")[1])
    assert status["state"] == "current" and status["revision"] == status["head"]


def test_users_and_sessions_are_shared_by_two_servers(
    runner: CliRunner, pg_settings: Settings
) -> None:
    assert run(runner, pg_settings, "db", "upgrade")[0] == 0
    code, _, err = run(runner, pg_settings, "user", "add", "rita", "--role", "researcher",
                       "--password-stdin", input=f"{PASSWORD}\n")  # fmt: skip
    assert code == 0, err
    archive = Archive(pg_settings.archive_dir)
    import_paths(archive, [DATA / "records.jsonl"])
    rebuild_index(archive, pg_settings.index_dir)
    with TestClient(create_app(pg_settings)) as first, \
            TestClient(create_app(pg_settings)) as second:  # fmt: skip
        sign_in(first, "rita")
        second.cookies.update(first.cookies)  # the same browser, the other server
        page = second.get("/account")
        assert page.status_code == 200 and "rita" in page.text
        signed_in = dict(first.cookies)
        first.post("/sign-out", data={"csrf": _token(first.get("/account").text)})
        second.cookies.clear()
        second.cookies.update(signed_in)  # the old cookie, on the other server
        deadline = time.monotonic() + 5  # (each server asks again after a second)
        while second.get("/account", follow_redirects=False).status_code == 200:
            assert time.monotonic() < deadline, "the sign-out did not reach the other server"
            time.sleep(0.1)
    done = [(entry["actor"], entry["action"]) for entry in trail(runner, pg_settings)]
    assert ("rita", "sign-in") in done and ("rita", "sign-out") in done


def trail(runner: CliRunner, settings: Settings) -> list[dict[str, object]]:
    code, out, err = run(runner, settings, "audit", "show", "--json")
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _token(page: str) -> str:
    import re

    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_collections_and_tag_history_live_in_postgresql(
    runner: CliRunner, pg_settings: Settings
) -> None:
    assert run(runner, pg_settings, "db", "upgrade")[0] == 0
    assert run(runner, pg_settings, "import", "--no-suggest", str(DATA / "records.jsonl"))[0] == 0
    code, _, err = run(runner, pg_settings, "tag", "add", "t-en-001", "--para", "2", "police")
    assert code == 0, err
    code, out, _ = run(runner, pg_settings, "tag", "history", "t-en-001", "--json")
    assert code == 0 and "police" in out
    assert run(runner, pg_settings, "collection", "new", "Filing")[0] == 0
    assert run(runner, pg_settings, "collection", "add", "Filing", "t-en-001", "2")[0] == 0
    code, out, _ = run(runner, pg_settings, "collection", "show", "Filing", "--json")
    assert code == 0 and '"t-en-001"' in out
    # Nothing of it in a SQLite file: the instance data is the PostgreSQL database's.
    assert not pg_settings.instance_db.exists()


def test_the_audit_chain_holds_with_concurrent_writers(
    runner: CliRunner, pg_settings: Settings
) -> None:
    """Four processes, each recording 25 imports of nothing new at once: one chain, no
    number twice, none missing; `audit verify` says it holds."""
    assert run(runner, pg_settings, "db", "upgrade")[0] == 0
    assert run(runner, pg_settings, "import", "--no-suggest", str(DATA / "records.jsonl"))[0] == 0
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from testimony_archive.access import Viewer\n"
        "from testimony_archive.config import Settings\n"
        "from testimony_archive.instance import InstanceDatabase\n"
        "from testimony_archive.security.audit import AuditTrail\n"
        "settings = Settings(archive_dir=Path(sys.argv[1]), var_dir=Path(sys.argv[2]),"
        " database=sys.argv[3])\n"
        "trail = AuditTrail(InstanceDatabase(settings.database_url), settings.audit_head_file)\n"
        "for n in range(25):\n"
        "    trail.record(Viewer.administrator(sys.argv[4]), 'export', f'file-{n}')\n"
        "trail.close()\n"
    )
    command = [sys.executable, "-c", script, str(pg_settings.archive_dir),
               str(pg_settings.var_dir), pg_settings.database_url]  # fmt: skip

    def writer(name: str) -> int:
        return subprocess.run([*command, name], capture_output=True, timeout=120).returncode

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(writer, ["w1", "w2", "w3", "w4"])) == [0, 0, 0, 0]
    entries = trail(runner, pg_settings)
    assert [entry["seq"] for entry in entries] == list(range(1, len(entries) + 1))
    assert sum(entry["action"] == "export" for entry in entries) == 100
    code, out, err = run(runner, pg_settings, "audit", "verify")
    assert code == 0, out + err


def test_the_replica_follows_the_primary(pg_cluster: Cluster) -> None:
    name = pg_cluster.new_database()
    try:
        database = InstanceDatabase(pg_cluster.url(name))
        database.upgrade()
        database.close()
        wait_for_replica(pg_cluster, name)
        replica = InstanceDatabase(pg_cluster.replica_url(name))
        deadline = time.monotonic() + 10
        while replica.state() != "current":  # the migrations reach the replica in moments
            assert time.monotonic() < deadline, "the replica did not follow within 10 s"
            time.sleep(0.02)
        with replica.begin() as connection:  # and it is a replica: it takes no writes
            with pytest.raises(Exception, match="read-only transaction"):
                connection.execute(text("CREATE TABLE nothing (id int)"))
        replica.close()
    finally:
        pg_cluster.drop_database(name)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql+psycopg://nobody:wrong@127.0.0.1:{port}/postgres", "does not answer"),
        ("postgresql+psycopg://testimony@127.0.0.1:1/postgres", "does not answer"),
        ("postgresql+nodriver://x@127.0.0.1/db", "cannot be used"),
    ],
)
def test_a_bad_url_is_one_clear_line(
    runner: CliRunner, pg_cluster: Cluster, tmp_path: Path, url: str, says: str
) -> None:
    settings = Settings(archive_dir=tmp_path / "archive", var_dir=tmp_path / "var",
                        database=url.format(port=pg_cluster.primary_port))  # fmt: skip
    code, out, err = run(runner, settings, "db", "status")
    assert code == 2
    [line] = err.strip().splitlines()
    assert line.startswith("Error: the instance database") and says in line
    assert "wrong" not in line  # never the password
    served = subprocess.run(
        [sys.executable, "-m", "testimony_archive", "--archive", str(tmp_path / "archive"),
         "--var", str(tmp_path / "var"), "serve", "--port", "0"],
        env={"TESTIMONY_DATABASE_URL": settings.database_url, "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert served.returncode == 2
    assert "Traceback" not in served.stderr
    assert len(served.stderr.strip().splitlines()) == 1, served.stderr
