"""A real PostgreSQL for the tests marked `postgres`: a primary and one streaming replica,
made with Debian's own programs (`initdb`, `pg_ctl`, `pg_basebackup`) in a temporary
folder, on free local ports, for one test session, and stopped at its end.

The servers never run as root: under root (as in CI) they run as the unprivileged
`postgres` user that Debian's package creates. Without PostgreSQL's programs the tests
skip, saying why; `make serve` never needs any of this.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .conftest import free_port

SUPERUSER = "testimony"


def binaries() -> Path | None:
    """The newest PostgreSQL's programs (Debian keeps them per major version)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                   key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0)
    if found:
        return found[-1].parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def why_not() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None."""
    if binaries() is None:
        return "PostgreSQL is not installed (Debian: apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no unprivileged 'postgres' user to run it"
    return None


@dataclass(frozen=True)
class Cluster:
    primary_port: int
    replica_port: int
    folder: Path

    def url(self, database: str = "postgres", port: int | None = None) -> str:
        port = port or self.primary_port
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/{database}"

    def replica_url(self, database: str = "postgres") -> str:
        return self.url(database, self.replica_port)

    def new_database(self) -> str:
        """A new, empty database on the primary (the replica follows): its name."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.primary_port} user={SUPERUSER} "
                             "dbname=postgres", autocommit=True) as connection:  # fmt: skip
            connection.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.primary_port} user={SUPERUSER} "
                             "dbname=postgres", autocommit=True) as connection:  # fmt: skip
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop_replica(self) -> None:
        _run(["pg_ctl", "-D", str(self.folder / "replica"), "-m", "fast", "-w", "stop"])

    def start_replica(self) -> None:
        _start(self.folder / "replica", self.folder / "replica.log")


def _as_server_user(command: list[str]) -> list[str]:
    folder = binaries()
    assert folder is not None
    command = [str(folder / command[0]), *command[1:]]
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _run(command: list[str], timeout: float = 120) -> None:
    result = subprocess.run(_as_server_user(command), capture_output=True, text=True,
                            timeout=timeout)  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr or result.stdout}")


def _start(data: Path, log: Path) -> None:
    _run(["pg_ctl", "-D", str(data), "-l", str(log), "-w", "-t", "60", "start"])


PREFIX = "testimony-pg-"
OWNER = "owner.pid"  # the process that started a cluster


def _owner_runs(folder: Path) -> bool:
    try:
        pid = int((folder / OWNER).read_text(encoding="utf-8"))
        os.kill(pid, 0)
    except PermissionError:
        return True  # (another user's process: it runs)
    except (OSError, ValueError):
        return False
    return True


def stop_leftovers() -> None:
    """Stop and delete the clusters of earlier runs that were killed before they could
    (their folders are in /tmp, named by PREFIX; a cluster whose owner still runs, such
    as another test session's or a benchmark's, is left alone)."""
    for folder in Path("/tmp").glob(f"{PREFIX}*"):
        if _owner_runs(folder):
            continue
        for data in (folder / "replica", folder / "primary"):
            if (data / "postmaster.pid").exists():
                with contextlib.suppress(Exception):
                    _run(["pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"], 30)
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def running_cluster(shared_buffers: str = "32MB") -> Iterator[Cluster]:
    """A primary and a streaming replica, stopped and deleted at the end (a benchmark
    gives them the `shared_buffers` a real server would have)."""
    stop_leftovers()
    # In /tmp, whatever TMPDIR says: the server's user must be able to reach it.
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir="/tmp"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    os.chmod(folder, 0o700)
    (folder / OWNER).write_text(f"{os.getpid()}\n", encoding="utf-8")
    # A run stopped by SIGTERM (a CI time-out) still stops its servers.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    primary, replica = folder / "primary", folder / "replica"
    cluster = Cluster(free_port(), free_port(), folder)
    started: list[Path] = []
    try:
        _run(["initdb", "-D", str(primary), "-U", SUPERUSER, "--auth=trust",
              "--encoding=UTF8", "--locale=C.UTF-8"])  # fmt: skip
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(cluster.primary_port),
            "unix_socket_directories": f"'{folder}'",
            "wal_level": "replica",
            "max_wal_senders": "4",
            "hot_standby": "on",
            "fsync": "off",  # a test cluster: speed over durability (but commits stay
            # synchronous, as in production: read-your-writes counts on it)
            "full_page_writes": "off",
            "shared_buffers": shared_buffers,
            "max_connections": "100",
        }
        _append(primary / "postgresql.conf", settings)
        _append_line(primary / "pg_hba.conf", "host replication all 127.0.0.1/32 trust")
        _start(primary, folder / "primary.log")
        started.append(primary)
        _run(["pg_basebackup", "-h", "127.0.0.1", "-p", str(cluster.primary_port),
              "-U", SUPERUSER, "-D", str(replica), "-R", "-X", "stream"])  # fmt: skip
        _append(replica / "postgresql.conf", {"port": str(cluster.replica_port)})
        _start(replica, folder / "replica.log")
        started.append(replica)
        yield cluster
    finally:
        for data in reversed(started):
            with contextlib.suppress(Exception):
                _run(["pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _append(config: Path, settings: dict[str, str]) -> None:
    for key, value in settings.items():
        _append_line(config, f"{key} = {value}")


def _append_line(config: Path, line: str) -> None:
    # Written by the server's user: the file is theirs.
    if os.geteuid() == 0:
        subprocess.run(["runuser", "-u", "postgres", "--", "sh", "-c",
                        "printf '%s\\n' \"$1\" >> \"$2\"", "sh", line, str(config)],
                       check=True)  # fmt: skip
    else:
        with config.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def wait_for_replica(cluster: Cluster, database: str, timeout: float = 10) -> None:
    """Until the replica has the database (it follows the primary within moments)."""
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(f"host=127.0.0.1 port={cluster.replica_port} "
                                 f"user={SUPERUSER} dbname={database}"):  # fmt: skip
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def load_while_the_replica_restarts(cluster: Cluster, ask: Callable[[int], int]) -> list[int]:
    """Two threads ask (`ask(worker)`: one request, its status) for 6 s while the
    replica stops, 1.5 s in, and starts again 2 s later: every status."""
    statuses: list[int] = []
    stop_at = time.monotonic() + 6

    def load(worker: int) -> None:
        while time.monotonic() < stop_at:
            statuses.append(ask(worker))

    with ThreadPoolExecutor(3) as pool:
        running = [pool.submit(load, worker) for worker in range(2)]
        time.sleep(1.5)
        pool.submit(cluster.stop_replica).result()
        time.sleep(2)
        pool.submit(cluster.start_replica).result()
        for future in running:
            future.result()
    return statuses

