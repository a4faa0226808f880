"""Reads spread over PostgreSQL's streaming replicas; writes stay on the primary.

A read goes to the next replica in turn (round-robin) that is fit for it, and to the
primary when none is. A replica is fit when:

- it answered its last check (made at most once a second), and
- it keeps up: it has replayed everything the primary had written `max_lag` seconds
  before (the primary's position is sampled at each check, so that an idle primary
  does not make a healthy replica look late), and
- it has replayed what this process itself last wrote, and what the user being answered
  last wrote on any server (read-your-writes: see `WriteMark`).

A replica that fails a read is left alone until its next check, and the read is made
again on the primary: no read fails because a replica did (each read is a function of a
connection, so that it can be run again).
"""

from __future__ import annotations

import collections
import itertools
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

T = TypeVar("T")
CHECK_EVERY = 1.0  # seconds between two checks of one replica
BACK_OFF = 10.0  # seconds before a replica that failed is checked again
# A replica that stops answering (a host gone, packets dropped) must not hold a request
# for minutes: a connection gives up after 2 s, a statement after 5, a silent peer soon.
_QUICK_TO_GIVE_UP = {
    "connect_timeout": 2, "options": "-c statement_timeout=5000", "keepalives": 1,
    "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2,
    "tcp_user_timeout": 5000,
}  # fmt: skip
_REPLAYED = text(
    "SELECT pg_is_in_recovery(), pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint"
)
_WRITTEN = text("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")


@dataclass
class WriteMark:
    """Where the primary's WAL stood after the last write of the user being answered, on
    whichever server made it (the web pages carry it in a cookie), raised by the writes
    of this request: reads for them go only to replicas that have replayed it, so a user
    sent to another server by a load balancer still reads their own change at once."""

    position: int = 0


_MARK: ContextVar[WriteMark | None] = ContextVar("write_mark", default=None)


@contextmanager
def marked(mark: WriteMark) -> Iterator[WriteMark]:
    """Within the block (a request, and the threads it hands work to), reads honour and
    writes raise `mark`."""
    token = _MARK.set(mark)
    try:
        yield mark
    finally:
        _MARK.reset(token)


@dataclass
class Replica:
    url: str
    engine: Engine
    checked_at: float = float("-inf")
    up: bool = False
    replayed: int = -1  # bytes of WAL replayed, as of the last check
    reads: int = 0  # reads it answered (for tests and the benchmark)


@dataclass
class Replicas:
    primary: Engine
    urls: Sequence[str]
    max_lag: float = 5.0
    replicas: list[Replica] = field(init=False)
    _turn: itertools.count[int] = field(init=False, default_factory=itertools.count)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)
    # (when, the primary's WAL position then), oldest first: what "max_lag ago" was.
    _samples: collections.deque[tuple[float, int]] = field(
        init=False, default_factory=lambda: collections.deque(maxlen=600)
    )
    written: int = 0  # the primary's WAL position after this process's last write
    primary_until: float = float("-inf")  # reads go to the primary until then
    primary_reads: int = 0

    def __post_init__(self) -> None:
        self.replicas = [
            Replica(url, create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=4,
                                       connect_args=_QUICK_TO_GIVE_UP))
            for url in self.urls
        ]  # fmt: skip

    def read(self, work: Callable[[Connection], T]) -> T:
        """`work` on a fit replica, or on the primary."""
        replica = self._fit()
        if replica is not None:
            try:
                with replica.engine.begin() as connection:
                    result = work(connection)
                replica.reads += 1
                return result
            except (OperationalError, InterfaceError):  # (not a query's own error)
                replica.up = False  # until it is checked again; the read is made again below
                replica.checked_at = time.monotonic() + BACK_OFF - CHECK_EVERY
        self.primary_reads += 1
        with self.primary.begin() as connection:
            return work(connection)

    def wrote(self) -> None:
        """Note where the primary's WAL stands after a write of this process's (one
        query): later reads here go only to replicas that have replayed it. (A commit
        is written out before it returns under `synchronous_commit = on`, PostgreSQL's
        default, so the position written then holds it.)"""
        try:
            with self.primary.connect() as connection:
                position = int(connection.execute(_WRITTEN).scalar_one())
        except SQLAlchemyError:
            # Where the write stands is not known: read from the primary for a while.
            self.primary_until = time.monotonic() + self.max_lag
            return
        with self._lock:
            self.written = max(self.written, position)
        mark = _MARK.get()
        if mark is not None:
            mark.position = max(mark.position, position)

    def _fit(self) -> Replica | None:
        if not self.replicas or time.monotonic() < self.primary_until:
            return None
        mark = _MARK.get()
        needed = max(self.written, mark.position if mark is not None else 0)
        start = next(self._turn)
        for offset in range(len(self.replicas)):
            replica = self.replicas[(start + offset) % len(self.replicas)]
            if time.monotonic() - replica.checked_at >= CHECK_EVERY:
                self._check(replica)
            if replica.up and replica.replayed >= max(needed, self._bound()):
                return replica
        return None

    def _check(self, replica: Replica) -> None:
        now = time.monotonic()
        replica.checked_at = now
        try:
            with self.primary.connect() as connection:
                position = int(connection.execute(_WRITTEN).scalar_one())
            with self._lock:
                self._samples.append((now, position))
            with replica.engine.connect() as connection:
                recovering, replayed = connection.execute(_REPLAYED).one()
        except SQLAlchemyError:
            replica.up = False
            replica.checked_at = now + BACK_OFF - CHECK_EVERY  # not again at once
            return
        # A replica promoted to primary (after a failover) is no replica of ours now.
        replica.up = bool(recovering) and replayed is not None
        replica.replayed = int(replayed) if replayed is not None else -1

    def _bound(self) -> int:
        """What a replica must have replayed to be fit: the primary's position at the
        first sample taken `max_lag` seconds ago or since (a check samples it each time,
        so there is one), never an older one: the bound errs on the side of the primary."""
        cutoff = time.monotonic() - self.max_lag
        with self._lock:
            for when, position in self._samples:
                if when >= cutoff:
                    return position
            return self._samples[-1][1] if self._samples else 0

    def close(self) -> None:
        for replica in self.replicas:
            replica.engine.dispose()
