"""The PostgreSQL of the PostgreSQL benchmark: the tests' primary and streaming replica
(tests/postgres.py: Debian's programs, the unprivileged `postgres` user, free ports, a
folder in /tmp deleted at the end), a database of its own per size, the environment
that points a `testimony` process at it, and what the two servers say of replication.

The tests' cluster is made for tests (fsync off, full_page_writes off); the benchmark
gives it more shared_buffers (`--shared-buffers`). `server_settings` records what it ran
with, for the report.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

import psycopg
from tests import postgres
from tests.postgres import SUPERUSER, Cluster

Connection = psycopg.Connection[tuple[Any, ...]]
# What the benchmark sets per process; stray values in our own environment are dropped.
SETTINGS = ("TESTIMONY_DATABASE_URL", "TESTIMONY_READ_REPLICAS", "TESTIMONY_SEARCH")
SHOWN = ("server_version", "shared_buffers", "work_mem", "effective_cache_size", "fsync",
         "synchronous_commit", "full_page_writes", "max_connections")  # fmt: skip


@contextmanager
def cluster(shared_buffers: str) -> Iterator[Cluster]:
    """A primary and a streaming replica for the whole run, with the `shared_buffers`
    a server of its own would have (the tests' 32 MB would keep a ×10 index on disk).

    `running_cluster` first stops the clusters of killed runs (their owner no longer
    runs); the benchmark stops no cluster it did not start, and leaves that step to the
    next test session."""
    reason = postgres.why_not()
    if reason is not None:
        raise SystemExit(f"the PostgreSQL benchmark cannot run: {reason}")
    with (
        mock.patch.object(postgres, "stop_leftovers", lambda: None),
        postgres.running_cluster(shared_buffers) as running,
    ):
        yield running


def without_settings() -> None:
    """Drop the benchmark's settings from our own environment: each child process gets
    exactly the ones its role needs."""
    for name in SETTINGS:
        os.environ.pop(name, None)


def environment(**settings: str) -> dict[str, str]:
    """Our environment with these TESTIMONY_ settings, for a child process."""
    return {**os.environ, **{f"TESTIMONY_{name.upper()}": value for name, value in
                             settings.items()}}  # fmt: skip


@dataclass(frozen=True)
class Database:
    """One size's database on the primary, followed by the replica."""

    cluster: Cluster
    name: str

    def primary_env(self) -> dict[str, str]:
        """Server A and the command line: reads and writes on the primary."""
        return environment(database_url=self.cluster.url(self.name))

    def replica_env(self) -> dict[str, str]:
        """Server B: writes on the primary, reads from the replica while it keeps up."""
        return environment(
            database_url=self.cluster.url(self.name),
            read_replicas=self.cluster.replica_url(self.name),
        )

    def connect(self, replica: bool = False) -> Connection:
        port = self.cluster.replica_port if replica else self.cluster.primary_port
        return psycopg.connect(f"host=127.0.0.1 port={port} user={SUPERUSER} "
                               f"dbname={self.name}", autocommit=True)  # fmt: skip

    def size_mb(self) -> float:
        with self.connect() as connection:
            row = connection.execute("SELECT pg_database_size(current_database())").fetchone()
        return round(int(row[0]) / 1e6, 1) if row else 0.0

    def largest_tables(self, count: int = 6) -> list[dict[str, Any]]:
        """The largest tables (with their indexes and TOAST), to see where the search
        index went."""
        query = """SELECT relname, pg_total_relation_size(oid), reltuples::bigint FROM pg_class
                   WHERE relkind IN ('r', 'm', 'p') AND relnamespace = 'public'::regnamespace
                   ORDER BY 2 DESC LIMIT %s"""
        with self.connect() as connection:
            rows = connection.execute(query, (count,)).fetchall()
        return [{"table": name, "mb": round(size / 1e6, 1), "rows_estimate": rows_}
                for name, size, rows_ in rows]  # fmt: skip


def new_database(running: Cluster) -> Database:
    return Database(running, running.new_database())


def server_settings(database: Database) -> dict[str, str]:
    """What the primary runs with (the tests' settings, not a production server's)."""
    with database.connect() as connection:
        return {name: str(connection.execute(f"SHOW {name}").fetchone()[0])  # type: ignore[index]
                for name in SHOWN}  # fmt: skip


def postmaster_pids(running: Cluster) -> list[int]:
    """The primary's and the replica's server processes (their children serve the
    connections): the database's CPU is part of what the PostgreSQL loads measure."""
    pids = []
    for data in ("primary", "replica"):
        try:
            pids.append(int((running.folder / data / "postmaster.pid").read_text().split()[0]))
        except (OSError, ValueError, IndexError):
            continue
    return pids


def lag_bytes(primary: Connection) -> int | None:
    """How far the replica's replay is behind the primary's WAL, in bytes (None: no
    replica connected)."""
    row = primary.execute(
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication"
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def wait_caught_up(database: Database, timeout: float = 120.0) -> float:
    """Until the replica has replayed all the primary has written (and has the
    database): the seconds it took."""
    started = time.monotonic()
    postgres.wait_for_replica(database.cluster, database.name, timeout)
    with database.connect() as primary:
        while lag_bytes(primary) != 0:
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"the replica did not catch up within {timeout:.0f} s")
            time.sleep(0.1)
    return round(time.monotonic() - started, 2)
