"""The history of tag changes, kept in the instance database (SQLite under var/).

The archive file always holds the current tags; this table says who changed which tag,
when, from what to what, and whether the change was a machine suggestion or a person's.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS tag_changes (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    editor TEXT NOT NULL,
    doc TEXT NOT NULL,
    para INTEGER,
    field TEXT NOT NULL,
    action TEXT NOT NULL,
    value TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    origin TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tag_changes_doc ON tag_changes (doc, id);
"""


@dataclass(frozen=True)
class TagChange:
    at: str
    editor: str
    doc: str
    para: int | None
    field: str
    action: str  # add, remove, accept, reject, suggest
    value: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    origin: str  # "manual" or "suggested"


class History:
    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
            with connection:
                yield connection
        finally:
            connection.close()

    def record(self, changes: list[TagChange]) -> None:
        if not changes:
            return
        with self._connect() as connection:
            connection.executemany(
                "INSERT INTO tag_changes (at, editor, doc, para, field, action, value, before,"
                " after, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (c.at, c.editor, c.doc, c.para, c.field, c.action, c.value,
                     json.dumps(list(c.before)), json.dumps(list(c.after)), c.origin)
                    for c in changes
                ],
            )  # fmt: skip

    def for_document(self, doc: str) -> list[TagChange]:
        if not self.path.exists():
            return []
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT at, editor, doc, para, field, action, value, before, after, origin"
                " FROM tag_changes WHERE doc = ? ORDER BY id",
                (doc,),
            ).fetchall()
        return [
            TagChange(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                      tuple(json.loads(row[7])), tuple(json.loads(row[8])), row[9])
            for row in rows
        ]  # fmt: skip

    def rejected(self, doc: str) -> set[tuple[int | None, str, str]]:
        """(paragraph, field, value) of suggestions a person rejected: never suggest again."""
        return {
            (change.para, change.field, change.value)
            for change in self.for_document(doc)
            if change.action == "reject"
        }


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
