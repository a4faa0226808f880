"""Collections of excerpts: each user's named lists of places in documents, in order,
with a note on each (the instance database's `collections` and `collection_items`).

Storage only, by owner: whether the owner may collect, or may read a document, is
`collecting.CollectionDesk`'s question. Another owner's collection answers as a missing
one does, in the same words. Every change bumps the collection's `updated_at`.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from .errors import NotFound, UsageError
from .excerpts import Place
from .instance import InstanceDatabase, stamp, tables

MAX_NAME = 120
MAX_NOTE = 2_000
MAX_ITEMS = 500
_NO_CHARS = (0, 0)  # stored for a place without a character range (see tables.py)


@dataclass(frozen=True)
class Item:
    id: int
    position: int  # 1-based, in the collection's order
    place: Place
    note: str
    added_at: str
    sha256: str = ""  # of the words at the place when it was collected


@dataclass(frozen=True)
class Collection:
    id: int
    owner: str
    name: str
    created_at: str
    updated_at: str
    items: tuple[Item, ...] = ()

    @property
    def size(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class CollectionSummary:
    id: int
    name: str
    size: int
    updated_at: str


def check_name(name: str) -> str:
    trimmed = " ".join(name.split())
    if not 1 <= len(trimmed) <= MAX_NAME:
        raise UsageError(f"a collection's name has 1 to {MAX_NAME} characters")
    return trimmed


def check_note(note: str) -> str:
    trimmed = note.strip()
    if len(trimmed) > MAX_NOTE:
        raise UsageError(f"a note has at most {MAX_NOTE:,} characters, not {len(trimmed):,}")
    return trimmed


class Collections:
    def __init__(self, database: InstanceDatabase) -> None:
        self._database = database

    def create(self, owner: str, name: str) -> Collection:
        name, now = check_name(name), stamp()
        with self._database.begin() as connection:
            self._refuse_taken(connection, owner, name)
            result = connection.execute(tables.collections.insert().values(
                owner=owner, name=name, created_at=now, updated_at=now))  # fmt: skip
            key = result.inserted_primary_key
            assert key is not None
            return Collection(int(key[0]), owner, name, now, now)

    def list(self, owner: str) -> builtins.list[CollectionSummary]:
        table, items = tables.collections, tables.collection_items
        size = (select(func.count()).where(items.c.collection_id == table.c.id)
                .scalar_subquery())  # fmt: skip
        query = (select(table.c.id, table.c.name, table.c.updated_at, size.label("size"))
                 .where(table.c.owner == owner).order_by(table.c.name, table.c.id))  # fmt: skip
        rows = self._database.read(lambda connection: connection.execute(query).all())
        return [CollectionSummary(row.id, row.name, row.size, row.updated_at) for row in rows]

    def get(self, owner: str, collection_id: int) -> Collection:
        with self._database.begin() as connection:
            row = self._owned(connection, owner, collection_id)
            items = tables.collection_items
            found = connection.execute(select(items).where(items.c.collection_id == row.id)
                                       .order_by(items.c.position, items.c.id)).all()  # fmt: skip
        return Collection(row.id, row.owner, row.name, row.created_at, row.updated_at,
                          tuple(_item(each) for each in found))  # fmt: skip

    def find(self, owner: str, reference: str) -> Collection:
        """A collection by its id (digits) or its name."""
        reference = reference.strip()
        if reference.isdigit():
            try:
                return self.get(owner, int(reference))
            except NotFound:
                pass  # a collection may be named with digits
        table = tables.collections
        with self._database.begin() as connection:
            name = " ".join(reference.split())
            key = connection.execute(select(table.c.id).where(
                table.c.owner == owner, table.c.name == name)).scalar()  # fmt: skip
        if key is None:
            raise NotFound(f"no collection {reference!r}")
        return self.get(owner, key)

    def rename(self, owner: str, collection_id: int, name: str) -> Collection:
        name = check_name(name)
        with self._database.begin() as connection:
            row = self._owned(connection, owner, collection_id)
            if row.name != name:
                self._refuse_taken(connection, owner, name)
            connection.execute(update(tables.collections)
                               .where(tables.collections.c.id == row.id)
                               .values(name=name, updated_at=stamp()))  # fmt: skip
        return self.get(owner, collection_id)

    def delete(self, owner: str, collection_id: int) -> None:
        with self._database.begin() as connection:
            row = self._owned(connection, owner, collection_id)
            # Items first: the cascade needs SQLite's foreign keys, which another engine
            # or connection may not have on.
            items = tables.collection_items
            connection.execute(delete(items).where(items.c.collection_id == row.id))
            connection.execute(delete(tables.collections).where(tables.collections.c.id == row.id))

    def add(
        self, owner: str, collection_id: int, place: Place, note: str = "", sha256: str = ""
    ) -> Item:
        """Add a place, with the SHA-256 of the words it holds now."""
        note, now = check_note(note), stamp()
        items = tables.collection_items
        start, end = place.chars or _NO_CHARS
        with self._database.begin() as connection:
            row = self._owned(connection, owner, collection_id)
            counting = select(func.count()).where(items.c.collection_id == row.id)
            count = connection.execute(counting).scalar_one()
            if count >= MAX_ITEMS:
                raise UsageError(f"a collection holds at most {MAX_ITEMS} excerpts; "
                                 f"{row.name!r} is full")  # fmt: skip
            same = connection.execute(select(items.c.id).where(
                items.c.collection_id == row.id, items.c.doc == place.doc,
                items.c.first_para == place.first, items.c.last_para == place.last,
                items.c.char_start == start, items.c.char_end == end)).first()  # fmt: skip
            if same is not None:
                raise UsageError(f"{place.doc} {place.locator} is already in this collection")
            values = {"collection_id": row.id, "doc": place.doc, "first_para": place.first,
                      "last_para": place.last, "char_start": start, "char_end": end,
                      "note": note, "sha256": sha256, "position": count + 1,
                      "added_at": now}  # fmt: skip
            try:
                result = connection.execute(items.insert().values(**values))
            except IntegrityError:  # added by someone else meanwhile
                raise UsageError(
                    f"{place.doc} {place.locator} is already in this collection"
                ) from None
            self._touch(connection, row.id, now)
            key = result.inserted_primary_key
            assert key is not None
            return Item(int(key[0]), count + 1, place, note, now, sha256)

    def annotate(self, owner: str, collection_id: int, item_id: int, note: str) -> Item:
        note = check_note(note)
        with self._database.begin() as connection:
            row = self._owned(connection, owner, collection_id)
            self._item(connection, row.id, item_id)
            connection.execute(update(tables.collection_items)
                               .where(tables.collection_items.c.id == item_id)
                               .values(note=note))  # fmt: skip
            self._touch(connection, row.id)
            return self._item(connection, row.id, item_id)

    def move(self, owner: str, collection_id: int, item_id: int, position: int) -> Item:
        """Put an item at `position` (1-based); the items between shift by one."""
        with self._database.begin() as connection:
            row = self._owned(connection, owner, collection_id)
            self._item(connection, row.id, item_id)
            order = self._order(connection, row.id)
            if not 1 <= position <= len(order):
                raise UsageError(f"the position is a number from 1 to {len(order)}")
            order.remove(item_id)
            order.insert(position - 1, item_id)
            self._renumber(connection, order)
            self._touch(connection, row.id)
            return self._item(connection, row.id, item_id)

    def remove(self, owner: str, collection_id: int, item_id: int) -> None:
        with self._database.begin() as connection:
            row = self._owned(connection, owner, collection_id)
            self._item(connection, row.id, item_id)
            items = tables.collection_items
            connection.execute(delete(items).where(items.c.id == item_id))
            self._renumber(connection, self._order(connection, row.id))
            self._touch(connection, row.id)

    # -- inside a transaction ------------------------------------------------------------

    def _owned(self, connection: Connection, owner: str, collection_id: int) -> Any:
        table = tables.collections
        row = connection.execute(select(table).where(
            table.c.id == collection_id, table.c.owner == owner)).first()  # fmt: skip
        if row is None:
            raise NotFound(f"no collection {collection_id}")
        return row

    def _refuse_taken(self, connection: Connection, owner: str, name: str) -> None:
        table = tables.collections
        taken = connection.execute(select(table.c.id).where(
            table.c.owner == owner, table.c.name == name)).first()  # fmt: skip
        if taken is not None:
            raise UsageError(f"you already have a collection named {name!r}")

    def _item(self, connection: Connection, collection_id: int, item_id: int) -> Item:
        items = tables.collection_items
        row = connection.execute(select(items).where(
            items.c.id == item_id, items.c.collection_id == collection_id)).first()  # fmt: skip
        if row is None:
            raise NotFound(f"collection {collection_id} has no item {item_id}")
        return _item(row)

    def _order(self, connection: Connection, collection_id: int) -> builtins.list[int]:
        items = tables.collection_items
        query = (select(items.c.id).where(items.c.collection_id == collection_id)
                 .order_by(items.c.position, items.c.id))  # fmt: skip
        return list(connection.execute(query).scalars())

    def _renumber(self, connection: Connection, order: builtins.list[int]) -> None:
        items = tables.collection_items
        for position, item_id in enumerate(order, start=1):
            connection.execute(update(items).where(items.c.id == item_id)
                               .values(position=position))  # fmt: skip

    def _touch(self, connection: Connection, collection_id: int, now: str = "") -> None:
        connection.execute(update(tables.collections)
                           .where(tables.collections.c.id == collection_id)
                           .values(updated_at=now or stamp()))  # fmt: skip


def _item(row: Any) -> Item:
    chars = None if (row.char_start, row.char_end) == _NO_CHARS else (row.char_start, row.char_end)
    place = Place(row.doc, row.first_para, row.last_para, chars)
    return Item(row.id, row.position, place, row.note, row.added_at, row.sha256)
