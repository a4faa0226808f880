"""Reads over a real streaming replica: they go to it while it keeps up, to the primary
when it lags, holds back what this process just wrote, or is down; a replica stopped
under a load of signed-in pages costs no request."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text

from testimony_archive.archive import Archive
from testimony_archive.config import Settings
from testimony_archive.importer import import_paths
from testimony_archive.index import rebuild_index
from testimony_archive.instance import InstanceDatabase, tables
from testimony_archive.instance.replicas import CHECK_EVERY, WriteMark, marked
from testimony_archive.security.users import Users
from testimony_archive.web.app import create_app

from .conftest import DATA, PASSWORD, sign_in
from .postgres import Cluster, load_while_the_replica_restarts, wait_for_replica

pytestmark = pytest.mark.postgres


def port(connection: Connection) -> int:
    return int(connection.execute(text("SELECT inet_server_port()")).scalar_one())


def until(condition: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.05)


@pytest.fixture
def replicated(pg_cluster: Cluster) -> Iterator[tuple[Cluster, str]]:
    """A new database, migrated, present on the replica."""
    name = pg_cluster.new_database()
    database = InstanceDatabase(pg_cluster.url(name))
    database.upgrade()
    database.close()
    wait_for_replica(pg_cluster, name)
    yield pg_cluster, name
    pg_cluster.drop_database(name)


@contextlib.contextmanager
def replay_paused(cluster: Cluster, name: str) -> Iterator[None]:
    """The replica receives the primary's changes but applies none until the block ends."""
    replica = InstanceDatabase(cluster.replica_url(name))
    try:
        with replica.engine.connect() as connection:
            connection.execute(text("SELECT pg_wal_replay_pause()"))
            connection.commit()
        yield
    finally:
        with replica.engine.connect() as connection:
            connection.execute(text("SELECT pg_wal_replay_resume()"))
            connection.commit()
        replica.close()


def opened(cluster: Cluster, name: str, max_lag: float = 5.0) -> InstanceDatabase:
    return InstanceDatabase(cluster.url(name), [cluster.replica_url(name)], max_lag)


def test_reads_go_to_the_replica_and_writes_to_the_primary(
    replicated: tuple[Cluster, str],
) -> None:
    cluster, name = replicated
    database = opened(cluster, name)
    try:
        until(lambda: database.read(port) == cluster.replica_port)
        with database.begin() as connection:
            assert port(connection) == cluster.primary_port
        assert database.read(port, primary=True) == cluster.primary_port
        assert database.replicas is not None and database.replicas.replicas[0].reads > 0
    finally:
        database.close()


def test_what_this_process_wrote_is_read_at_once(replicated: tuple[Cluster, str]) -> None:
    """Replay paused on the replica: a user just added is still found, from the primary,
    and reads go back to the replica once it has replayed the write."""
    cluster, name = replicated
    database = opened(cluster, name)

    def names(connection: Connection) -> list[str]:
        return list(connection.execute(tables.users.select()).scalars("name"))

    until(lambda: database.read(port) == cluster.replica_port)
    with replay_paused(cluster, name):
        Users(database).add("rita", "researcher", PASSWORD)
        assert database.read(names) == ["rita"]
        assert database.read(port) == cluster.primary_port
    try:
        until(lambda: database.read(port) == cluster.replica_port)
        assert database.read(names) == ["rita"]
    finally:
        database.close()


def test_what_a_user_wrote_on_another_server_is_read_at_once(
    replicated: tuple[Cluster, str],
) -> None:
    """Replay paused: a server that wrote nothing itself reads from the primary for a
    request that carries the position its user's write reached on another server, and
    from the replica for any other."""
    cluster, name = replicated
    writer, reader = opened(cluster, name), opened(cluster, name)

    def names(connection: Connection) -> list[str]:
        return list(connection.execute(tables.users.select()).scalars("name"))

    try:
        until(lambda: reader.read(port) == cluster.replica_port)
        with replay_paused(cluster, name):
            with marked(WriteMark()) as mark:
                Users(writer).add("wes", "researcher", PASSWORD)
            assert mark.position > 0
            with marked(WriteMark(mark.position)):
                assert reader.read(names) == ["wes"]
                assert reader.read(port) == cluster.primary_port
            assert reader.read(port) == cluster.replica_port
            assert reader.read(names) == []
    finally:
        writer.close()
        reader.close()


def test_a_replica_that_lags_more_than_the_bound_is_not_read(
    replicated: tuple[Cluster, str],
) -> None:
    """Another server writes while the replica's replay is paused: past the bound (1 s),
    this server reads from the primary, though it wrote nothing itself."""
    cluster, name = replicated
    reader = opened(cluster, name, max_lag=1)
    writer = InstanceDatabase(cluster.url(name))
    try:
        until(lambda: reader.read(port) == cluster.replica_port)
        with replay_paused(cluster, name):
            Users(writer).add("eddie", "editor", PASSWORD)
            until(lambda: reader.read(port) == cluster.primary_port,
                  timeout=1 + 4 * CHECK_EVERY + 5)  # fmt: skip
    finally:
        writer.close()
    try:
        until(lambda: reader.read(port) == cluster.replica_port)
    finally:
        reader.close()


def test_a_replica_that_is_down_is_read_around(replicated: tuple[Cluster, str]) -> None:
    cluster, name = replicated
    database = opened(cluster, name)
    try:
        until(lambda: database.read(port) == cluster.replica_port)
        cluster.stop_replica()
        try:
            assert database.read(port) == cluster.primary_port  # at once: no error
            assert database.read(port) == cluster.primary_port
        finally:
            cluster.start_replica()
        until(lambda: database.read(port) == cluster.replica_port)
    finally:
        database.close()


def test_a_replica_stopped_under_load_costs_no_request(
    replicated: tuple[Cluster, str], tmp_path: Path
) -> None:
    """Two threads load a signed-in page read from the replica (the list of one's
    collections) while the replica stops and starts again: every answer is a 200."""
    cluster, name = replicated
    settings = Settings(archive_dir=tmp_path / "archive", var_dir=tmp_path / "var",
                        database=cluster.url(name),
                        read_replicas=(cluster.replica_url(name),))  # fmt: skip
    archive = Archive(settings.archive_dir)
    import_paths(archive, [DATA / "records.jsonl"])
    rebuild_index(archive, settings.index_dir)
    accounts = InstanceDatabase(settings.database_url)
    Users(accounts).add("rita", "researcher", PASSWORD)
    accounts.close()
    with TestClient(create_app(settings)) as client:
        sign_in(client, "rita")

        def ask(_worker: int) -> int:
            time.sleep(0.01)
            return client.get("/collections").status_code

        statuses = load_while_the_replica_restarts(cluster, ask)
        replicas = client.app.state.database.replicas  # type: ignore[attr-defined]
    assert len(statuses) > 50
    assert set(statuses) == {200}
    # Both were read from: the replica while it ran, the primary while it did not.
    assert replicas.replicas[0].reads > 0 and replicas.primary_reads > 0


def test_replicas_are_read_from_the_environment() -> None:
    settings = Settings.from_env({
        "TESTIMONY_DATABASE_URL": "postgresql+psycopg://a@primary/x",
        "TESTIMONY_READ_REPLICAS": " postgresql+psycopg://a@r1/x, postgresql+psycopg://a@r2/x ,",
        "TESTIMONY_REPLICA_MAX_LAG_SECONDS": "3",
    })  # fmt: skip
    assert settings.read_replicas == ("postgresql+psycopg://a@r1/x", "postgresql+psycopg://a@r2/x")
    assert settings.replica_max_lag == 3
