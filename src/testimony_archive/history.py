"""The history of tag changes, kept in the instance database.

The archive file always holds the current tags; this table says who changed which tag,
when, from what to what, and whether the change was a machine suggestion or a person's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from .instance import InstanceDatabase, tables


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
    def __init__(self, database: InstanceDatabase) -> None:
        self._database = database

    def record(self, changes: list[TagChange]) -> None:
        if not changes:
            return
        with self._database.begin() as connection:
            connection.execute(
                tables.tag_changes.insert(),
                [
                    {"at": c.at, "editor": c.editor, "doc": c.doc, "para": c.para,
                     "field": c.field, "action": c.action, "value": c.value,
                     "before": json.dumps(list(c.before)), "after": json.dumps(list(c.after)),
                     "origin": c.origin}
                    for c in changes
                ],
            )  # fmt: skip

    def for_document(self, doc: str) -> list[TagChange]:
        table = tables.tag_changes
        rows = self._database.read(lambda connection: connection.execute(
            select(table).where(table.c.doc == doc).order_by(table.c.id)).all())  # fmt: skip
        return [
            TagChange(row.at, row.editor, row.doc, row.para, row.field, row.action, row.value,
                      tuple(json.loads(row.before)), tuple(json.loads(row.after)), row.origin)
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
