"""The instance database: one engine, its migrations, and the check that it is current.

SQLite under `var/` is the default; `TESTIMONY_DATABASE_URL` names another engine
(PostgreSQL beyond one machine). Alembic's migrations live beside this module, so that an
installed package can upgrade the database it finds. Software and database must agree: a
database another version wrote, or one that was never upgraded, is refused with a message
that says what to run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..errors import TestimonyError
from .replicas import Replicas

T = TypeVar("T")
_WROTE = text("SELECT txid_current_if_assigned()")  # NULL in a transaction that only read

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
State = Literal["new", "current", "behind", "ahead"]


class DatabaseNotCurrent(TestimonyError):
    status_code = 503
    exit_code = 2


class DatabaseUnavailable(TestimonyError):
    """The URL cannot be read, its driver is missing, or its server does not answer."""

    status_code = 503
    exit_code = 2


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


class InstanceDatabase:
    """One per process; its connections are shared by threads.

    With PostgreSQL read replicas (`replicas`, TESTIMONY_READ_REPLICAS), what is only
    read (`read`) goes to a replica that keeps up, and everything else to the primary
    (`begin`); see `replicas`."""

    def __init__(self, url: str, replicas: Sequence[str] = (), max_lag: float = 5.0) -> None:
        self.url = url
        try:
            parsed = make_url(url)
            self.is_sqlite = parsed.get_backend_name() == "sqlite"
            if self.is_sqlite and parsed.database:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url, pool_pre_ping=not self.is_sqlite)
        except (SQLAlchemyError, ImportError, ValueError) as error:
            raise DatabaseUnavailable(
                f"the instance database URL cannot be used ({type(error).__name__}); check "
                "TESTIMONY_DATABASE_URL, such as sqlite:////path/to/instance.sqlite or "
                "postgresql://user@host/name"
            ) from None
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.replicas: Replicas | None = None
        if replicas and not self.is_sqlite:
            try:
                self.replicas = Replicas(self.engine, list(replicas), max_lag)
            except (SQLAlchemyError, ImportError, ValueError) as error:
                raise DatabaseUnavailable(
                    f"a read replica's URL cannot be used ({type(error).__name__}); check "
                    "TESTIMONY_READ_REPLICAS, such as postgresql+psycopg://user@replica/name"
                ) from None

    @property
    def display_url(self) -> str:
        """The URL without its password, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def begin(self, *, read_back: bool = True) -> Iterator[Connection]:
        """A connection to the primary in a transaction, committed when the block ends
        without error (for writes, and reads that must see the newest state). With
        replicas, a transaction that wrote holds this process's later reads to replicas
        that have replayed it, unless `read_back` is False (writes nobody here reads
        from a replica: the audit trail's)."""
        with self.engine.begin() as connection:
            yield connection
            wrote = (self.replicas is not None and read_back
                     and connection.execute(_WROTE).scalar() is not None)  # fmt: skip
        if wrote and self.replicas is not None:
            self.replicas.wrote()

    def read(self, work: Callable[[Connection], T], *, primary: bool = False) -> T:
        """`work` (reads only) on a read replica that keeps up, or on the primary (always,
        with `primary`: for what a replica may not have yet)."""
        if self.replicas is not None and not primary:
            return self.replicas.read(work)
        with self.engine.begin() as connection:
            return work(connection)

    # -- migrations --------------------------------------------------------------------

    def _config(self, connection: Connection | None = None) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        return config

    def head(self) -> str:
        head = ScriptDirectory.from_config(self._config()).get_current_head()
        assert head is not None
        return head

    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def state(self) -> State:
        try:
            return self._state()
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(
                f"the instance database {self.display_url} does not answer "
                f"({type(error).__name__}); check that it runs and TESTIMONY_DATABASE_URL"
            ) from None

    def _state(self) -> State:
        revision = self.revision()
        if revision == self.head():
            return "current"
        if revision is None:
            tables = set(inspect(self.engine).get_table_names())
            return "behind" if tables else "new"
        scripts = ScriptDirectory.from_config(self._config())
        known = {script.revision for script in scripts.walk_revisions()}
        return "behind" if revision in known else "ahead"

    def upgrade(self, target: str = "head") -> tuple[str | None, str]:
        """Apply every migration not yet applied, up to `target` (the newest, unless told
        otherwise): (revision before, revision after)."""
        if self.state() == "ahead":
            raise DatabaseNotCurrent(
                f"the instance database {self.display_url} was written by a newer version "
                "of Testimony Archive; run that version, or restore a backup"
            )
        before = self.revision()
        with self.engine.begin() as connection:
            command.upgrade(self._config(connection), target)
        return before, self.revision() or target

    def prepare(self) -> None:
        """Create a new database, accept a current one, refuse any other with what to do."""
        state = self.state()
        if state == "new":
            self.upgrade()
        elif state == "behind":
            raise DatabaseNotCurrent(
                f"the instance database {self.display_url} is behind this version of "
                "Testimony Archive; back it up, then run 'testimony db upgrade'"
            )
        elif state == "ahead":
            raise DatabaseNotCurrent(
                f"the instance database {self.display_url} was written by a newer version "
                "of Testimony Archive; run that version, or restore a backup"
            )

    def close(self) -> None:
        if self.replicas is not None:
            self.replicas.close()
        self.engine.dispose()


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # Readers never wait for the writer (WAL); a commit reaches the disk at checkpoints,
    # not at every audit entry, and a crash loses at most the last moments, never order.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
