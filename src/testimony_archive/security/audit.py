"""The audit trail: who did what, when and from where, append-only and hash-chained.

Each entry carries the SHA-256 of the entry before it, and its own hash covers its
number, time, actor, role, address, action, target, detail and that previous hash. The
chain's head (last number and hash) is also written to a file beside the database, so
that `verify` notices an edited, removed, inserted or reordered entry, and a trail cut
short at its end.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, Select, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from ..access import Viewer
from ..archive import write_atomically
from ..errors import UsageError
from ..instance import InstanceDatabase, stamp, tables

log = logging.getLogger("testimony_archive.audit")
GENESIS = "0" * 64
PAGE = 5000  # entries read at a time by `verify`
BATCH = 64  # queued entries that wake the background writer before its time
WRITE_EVERY = 0.2  # seconds: the longest a queued entry waits
ACTIONS = (
    "sign-in", "sign-in-failed", "second-factor-failed", "reauthentication-failed",
    "sign-out", "view", "search", "audit-head-rewritten",
    "tag-edit", "redact", "unredact", "import", "export", "verify", "user-add",
    "user-change",
)  # fmt: skip


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    role: str
    address: str
    action: str
    target: str
    detail: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""

    def computed_hash(self) -> str:
        return entry_hash(self.seq, self.at, self.actor, self.role, self.address, self.action,
                          self.target, canonical(self.detail), self.prev_hash)  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": self.at, "actor": self.actor, "role": self.role,
                "address": self.address, "action": self.action, "target": self.target,
                "detail": self.detail, "prev_hash": self.prev_hash, "hash": self.hash}  # fmt: skip


@dataclass(frozen=True)
class Verification:
    entries: int
    problem: str | None = None
    first_bad: int | None = None  # the number of the first entry that does not hold

    @property
    def ok(self) -> bool:
        return self.problem is None


def canonical(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(*parts: object) -> str:
    """SHA-256 of the parts as one JSON array (no separator a field could contain)."""
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rows(query: Select[Any], connection: Connection) -> Sequence[Row[Any]]:
    return connection.execute(query).all()


def _entry(row: Any) -> Entry:
    return Entry(row.seq, row.at, row.actor, row.role, row.address, row.action, row.target,
                 json.loads(row.detail), row.prev_hash, row.hash)  # fmt: skip


_TAKE_TURNS = text("SELECT pg_advisory_xact_lock(7246830)")  # a number of the trail's own
_LAST = (  # statements built once (they run on every batch)
    select(tables.audit_entries.c.seq, tables.audit_entries.c.hash)
    .order_by(tables.audit_entries.c.seq.desc())
    .limit(1)
)
_INSERT = tables.audit_entries.insert()


@dataclass(frozen=True)
class _Event:
    """What happened, before it has its place (number, previous hash) in the chain."""

    at: str
    actor: str
    role: str
    address: str
    action: str
    target: str
    detail: dict[str, Any]

    @classmethod
    def of(cls, viewer: Viewer, action: str, target: str, detail: dict[str, Any]) -> _Event:
        return cls(stamp(), (viewer.name or "anonymous")[:64], viewer.role,
                   viewer.address[:64], action, target[:200], detail)  # fmt: skip


class AuditTrail:
    """One per process, shared by threads.

    `record` appends at once (changes: a tag edit, a redaction, a user's). `note` queues
    what a signed-in user read (a search, a view of a restricted document), for a
    background thread to append in batches within a fraction of a second, so that a
    search does not wait for a write; `record`, `entries`, `verify` and `close` append
    whatever is queued first, so that the chain keeps the order things happened in. (A
    crash of the server loses at most the reads of the last moment, never a change.)"""

    def __init__(self, database: InstanceDatabase, head_file: Path) -> None:
        self._database = database
        self.head_file = head_file
        self._lock = threading.RLock()  # one appender at a time in this process
        self._queued = threading.Condition()  # guards _pending and _writer
        self._pending: list[_Event] = []
        self._writer: threading.Thread | None = None
        self._closing = False

    def record(
        self, viewer: Viewer, action: str, target: str = "", **detail: Any
    ) -> Entry:
        """Append one entry now, after every one queued before it."""
        event = _Event.of(viewer, action, target, detail)
        with self._lock:
            queued = self._take_pending()
            try:
                return self._append_all([*queued, event])[-1]
            except BaseException:
                self._put_back(queued)
                raise

    def note(self, viewer: Viewer, action: str, target: str = "", **detail: Any) -> None:
        """Queue an entry for the background writer (see the class)."""
        event = _Event.of(viewer, action, target, detail)
        with self._queued:
            self._pending.append(event)
            if self._writer is None or not self._writer.is_alive():
                self._closing = False
                self._writer = threading.Thread(
                    target=self._write_queued, name="audit-writer", daemon=True
                )
                self._writer.start()
            if len(self._pending) >= BATCH:
                self._queued.notify()

    def flush(self) -> None:
        """Append whatever is queued, now."""
        with self._lock:
            events = self._take_pending()
            if events:
                try:
                    self._append_all(events)
                except BaseException:
                    self._put_back(events)  # tried again at the next flush, in order
                    raise

    def close(self) -> None:
        """Append what is queued and stop the background writer."""
        with self._queued:
            self._closing = True
            self._queued.notify()
            writer = self._writer
        if writer is not None:
            writer.join(timeout=10)
        self.flush()

    def _put_back(self, events: list[_Event]) -> None:
        with self._queued:
            self._pending[:0] = events

    def _take_pending(self) -> list[_Event]:
        with self._queued:
            events, self._pending = self._pending, []
        return events

    def _write_queued(self) -> None:
        while True:
            with self._queued:
                if not self._pending and not self._closing:
                    self._queued.wait(timeout=WRITE_EVERY)
                closing = self._closing
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - the thread must go on: the entries wait
                log.exception("the audit trail could not be appended to; trying again")
                if closing:
                    return
                time.sleep(WRITE_EVERY)
                continue
            if closing:
                return

    def _append_all(self, events: list[_Event]) -> list[Entry]:
        """Chain and insert events in one transaction (serialised across processes)."""
        for _attempt in range(50):
            try:
                with self._database.begin(read_back=False) as connection:
                    entries = self._chain(connection, events)
                break
            except (IntegrityError, OperationalError):
                # Another process took the numbers (or the write lock): chain onto theirs.
                time.sleep(0.002)
        else:
            raise RuntimeError("the audit trail is too busy to append to")
        self._write_head(entries[-1], create=entries[0].seq == 1)
        return entries

    def _chain(self, connection: Connection, events: list[_Event]) -> list[Entry]:
        if connection.dialect.name == "postgresql":
            # Appenders on every server take turns, in the database itself (held to the
            # end of the transaction); SQLite's single writer does the same by itself.
            connection.execute(_TAKE_TURNS)
        last = connection.execute(_LAST).first()
        seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
        entries: list[Entry] = []
        for number, event in enumerate(events, start=seq):
            entry = Entry(number, event.at, event.actor, event.role, event.address,
                          event.action, event.target, event.detail, prev)  # fmt: skip
            entry = dataclasses.replace(entry, hash=entry.computed_hash())
            entries.append(entry)
            prev = entry.hash
        connection.execute(
            _INSERT, [entry.as_json() | {"detail": canonical(entry.detail)} for entry in entries]
        )
        return entries

    def _write_head(self, entry: Entry, create: bool) -> None:
        """Keep the file naming the newest entry (never an older one: writers may race).
        The line has a fixed width and is written over the old one in place: no
        truncation, which costs milliseconds on some file systems, on every entry.

        A head file that is missing or unreadable once the trail has entries is not made
        anew: that would hide what happened to it. `verify` goes on saying so until an
        administrator has looked and runs `testimony audit head --rewrite`."""
        line = f"{entry.seq:020d} {entry.hash}\n".encode("ascii")
        flags = os.O_RDWR | (os.O_CREAT if create else 0)
        try:
            self.head_file.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.head_file, flags, 0o600)
        except FileNotFoundError:
            log.error("the audit trail's head file %s is missing; it is not made anew: "
                      "run 'testimony audit verify'", self.head_file)  # fmt: skip
            return
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            known = _parse_head(os.pread(descriptor, 4096, 0).decode("ascii", "replace"))
            if known is None and not create:
                log.error("the audit trail's head file %s is unreadable; it is not "
                          "overwritten: run 'testimony audit verify'", self.head_file)  # fmt: skip
            elif known is None or known[0] < entry.seq:
                os.pwrite(descriptor, line, 0)
                if os.fstat(descriptor).st_size != len(line):
                    os.ftruncate(descriptor, len(line))
        finally:
            os.close(descriptor)

    def rewrite_head(self, viewer: Viewer) -> Entry:
        """Write the head file anew from the trail's last entry, after an administrator
        has looked into why it was missing or unreadable; recorded in the trail. A head
        file that can be read is never rewritten: it is the evidence of what it names
        (a trail cut short, say)."""
        if self.head_file.exists() and _parse_head(
            self.head_file.read_text("ascii", errors="replace")
        ) is not None:
            raise UsageError(
                f"the head file {self.head_file} can be read: it names the last entry the "
                "trail had, and stays as evidence ('testimony audit verify' says whether "
                "the trail still holds)"
            )
        last = self.entries(limit=1, newest_first=True)
        self.head_file.parent.mkdir(parents=True, exist_ok=True)
        if last:
            write_atomically(self.head_file, f"{last[0].seq:020d} {last[0].hash}\n")
        return self.record(viewer, "audit-head-rewritten", str(self.head_file.name),
                           previous_head=last[0].seq if last else 0)  # fmt: skip

    def entries(
        self, actor: str | None = None, since: str | None = None, limit: int | None = None,
        newest_first: bool = False, before: int | None = None,
    ) -> list[Entry]:  # fmt: skip
        """Entries by one actor, from a time (an ISO date or time), before a number."""
        self.flush()
        table = tables.audit_entries
        query = select(table)
        if actor:
            query = query.where(table.c.actor == actor.strip())
        if since:
            query = query.where(table.c.at >= since)
        if before:
            query = query.where(table.c.seq < before)
        query = query.order_by(table.c.seq.desc() if newest_first else table.c.seq)
        if limit:
            query = query.limit(limit)
        # The audit trail is read from the primary: what this and other processes on
        # this machine just appended (and the head file names) must be there.
        return self._database.read(
            lambda connection: [_entry(row) for row in connection.execute(query)], primary=True
        )

    def _all(self) -> Iterator[Entry]:
        table = tables.audit_entries
        after = 0
        while True:
            page = select(table).where(table.c.seq > after).order_by(table.c.seq).limit(PAGE)
            rows = self._database.read(partial(_rows, page), primary=True)
            if not rows:
                return
            for row in rows:
                yield _entry(row)
            after = rows[-1].seq

    def verify(self) -> Verification:
        """Walk the chain from its first entry; name the first one that does not hold."""
        self.flush()
        head = (
            _parse_head(self.head_file.read_text("ascii", errors="replace"))
            if self.head_file.exists()
            else None
        )
        expected_seq, prev, count = 1, GENESIS, 0
        for entry in self._all():
            if entry.seq != expected_seq:
                what = "missing" if entry.seq > expected_seq else "out of order"
                return Verification(count, f"entry {expected_seq} is {what} (the next entry "
                                    f"is number {entry.seq})", expected_seq)  # fmt: skip
            if entry.prev_hash != prev:
                return Verification(count, f"entry {entry.seq} does not follow entry "
                                    f"{entry.seq - 1}: an entry was removed, inserted or "
                                    "replaced", entry.seq)  # fmt: skip
            if entry.computed_hash() != entry.hash:
                return Verification(count, f"entry {entry.seq} was altered after it was "
                                    "written (its hash does not match its content)",
                                    entry.seq)  # fmt: skip
            if head is not None and entry.seq == head[0] and entry.hash != head[1]:
                return Verification(count, f"entry {entry.seq} is not the entry the head file "
                                    "names: the trail was rewritten from there on",
                                    entry.seq)  # fmt: skip
            prev, expected_seq, count = entry.hash, entry.seq + 1, count + 1
        if head is None:
            if count:
                return Verification(count, f"the chain head file {self.head_file} is missing "
                                    "or unreadable (restore it from a backup, or once you know "
                                    "why, 'testimony audit head --rewrite')", None)  # fmt: skip
            return Verification(0)
        if head[0] > count:
            return Verification(count, f"the trail ends at entry {count} but its head file "
                                f"names entry {head[0]}: entries were removed from the end",
                                count + 1)  # fmt: skip
        return Verification(count)


def _parse_head(text: str) -> tuple[int, str] | None:
    parts = text.split()
    if len(parts) != 2 or not parts[0].isdigit():
        return None
    return int(parts[0]), parts[1]
