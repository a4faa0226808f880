"""The audit trail: who did what, when and from where, append-only and hash-chained.

Each entry carries the SHA-256 of the entry before it, and its own hash covers its
number, time, actor, role, address, action, target, detail and that previous hash. The
chain's head (last number and hash) is also written to a file beside the database, so
that `verify` notices an edited, removed, inserted or reordered entry, and a trail cut
short at its end.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError, OperationalError

from ..access import Viewer
from ..archive import write_atomically
from ..instance import InstanceDatabase, stamp, tables

log = logging.getLogger("testimony_archive.audit")
GENESIS = "0" * 64
PAGE = 5000  # entries read at a time by `verify`
ACTIONS = (
    "sign-in", "sign-in-failed", "second-factor-failed", "reauthentication-failed",
    "sign-out", "view", "search", "audit-head-rewritten",
    "tag-edit", "redact", "unredact", "import", "export", "user-add", "user-change",
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


def _entry(row: Any) -> Entry:
    return Entry(row.seq, row.at, row.actor, row.role, row.address, row.action, row.target,
                 json.loads(row.detail), row.prev_hash, row.hash)  # fmt: skip


class AuditTrail:
    def __init__(self, database: InstanceDatabase, head_file: Path) -> None:
        self._database = database
        self.head_file = head_file
        self._lock = threading.Lock()

    def record(
        self, viewer: Viewer, action: str, target: str = "", **detail: Any
    ) -> Entry:
        """Append one entry (serialised across threads and processes)."""
        actor = viewer.name or "anonymous"
        for _attempt in range(50):
            try:
                with self._lock, self._database.begin() as connection:
                    entry = self._append(connection, actor, viewer, action, target, detail)
                break
            except (IntegrityError, OperationalError):
                # Another process took the number (or the write lock): chain onto theirs.
                time.sleep(0.002)
        else:
            raise RuntimeError("the audit trail is too busy to append to")
        self._write_head(entry)
        return entry

    def _append(
        self, connection: Connection, actor: str, viewer: Viewer, action: str, target: str,
        detail: dict[str, Any],
    ) -> Entry:  # fmt: skip
        table = tables.audit_entries
        last = connection.execute(
            select(table.c.seq, table.c.hash).order_by(table.c.seq.desc()).limit(1)
        ).first()
        seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
        entry = Entry(seq, stamp(), actor[:64], viewer.role, viewer.address[:64], action,
                      target[:200], detail, prev)  # fmt: skip
        entry = Entry(**{**entry.__dict__, "hash": entry.computed_hash()})
        values = entry.as_json() | {"detail": canonical(detail)}
        connection.execute(table.insert().values(**values))
        return entry

    def _write_head(self, entry: Entry) -> None:
        """Keep the file naming the newest entry (never an older one: writers may race).
        The line has a fixed width and is written over the old one in place: no
        truncation, which costs milliseconds on some file systems, on every entry.

        A head file that is missing or unreadable once the trail has entries is not made
        anew: that would hide what happened to it. `verify` goes on saying so until an
        administrator has looked and runs `testimony audit head --rewrite`."""
        line = f"{entry.seq:020d} {entry.hash}\n".encode("ascii")
        flags = os.O_RDWR | (os.O_CREAT if entry.seq == 1 else 0)
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
            if known is None and entry.seq > 1:
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
        has looked into why it was missing or unreadable; recorded in the trail."""
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
        with self._database.begin() as connection:
            return [_entry(row) for row in connection.execute(query)]

    def _all(self) -> Iterator[Entry]:
        table = tables.audit_entries
        after = 0
        while True:
            with self._database.begin() as connection:
                rows = connection.execute(
                    select(table).where(table.c.seq > after).order_by(table.c.seq).limit(PAGE)
                ).all()
            if not rows:
                return
            for row in rows:
                yield _entry(row)
            after = rows[-1].seq

    def verify(self) -> Verification:
        """Walk the chain from its first entry; name the first one that does not hold."""
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
