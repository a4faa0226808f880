"""The collections store (collections.py): each owner's named lists of places, in order,
with notes; limits; another owner's collection answers as a missing one."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from testimony_archive import collections as store
from testimony_archive.collections import Collections
from testimony_archive.config import Settings
from testimony_archive.errors import NotFound, UsageError
from testimony_archive.excerpts import Place

from .conftest import instance_database


@pytest.fixture
def collections(settings: Settings) -> Iterator[Collections]:
    database = instance_database(settings)
    yield Collections(database)
    database.close()


def places(collection: store.Collection) -> list[str]:
    return [item.place.key for item in collection.items]


def test_create_list_rename_delete(collections: Collections) -> None:
    first = collections.create("rita", "  Asylum   case ")
    assert first.name == "Asylum case" and first.size == 0
    second = collections.create("rita", "Checkpoints")
    assert [(c.id, c.name, c.size) for c in collections.list("rita")] == [
        (first.id, "Asylum case", 0), (second.id, "Checkpoints", 0)]  # fmt: skip
    with pytest.raises(UsageError, match="already have a collection named 'Checkpoints'"):
        collections.create("rita", "Checkpoints")
    with pytest.raises(UsageError, match="already have"):
        collections.rename("rita", first.id, "Checkpoints")
    renamed = collections.rename("rita", first.id, "Asylum case (2026)")
    assert renamed.name == "Asylum case (2026)" and renamed.updated_at > first.updated_at
    assert collections.find("rita", "Asylum case (2026)").id == first.id
    assert collections.find("rita", str(second.id)).name == "Checkpoints"
    collections.delete("rita", first.id)
    assert [c.name for c in collections.list("rita")] == ["Checkpoints"]
    with pytest.raises(NotFound):
        collections.get("rita", first.id)


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_names_have_1_to_120_characters(collections: Collections, name: str) -> None:
    with pytest.raises(UsageError, match="1 to 120 characters"):
        collections.create("rita", name)
    assert collections.create("rita", "x" * 120).name == "x" * 120


def test_add_keeps_order_and_refuses_a_duplicate_place(collections: Collections) -> None:
    made = collections.create("rita", "Case")
    whole = Place("t-en-001", 3, 3)
    part = Place("t-en-001", 3, 3, (5, 20))
    run = Place("t-es-002", 1, 3)
    for place in (whole, part, run):
        collections.add("rita", made.id, place)
    # The same paragraph without characters (stored as 0-0, not NULL) is a duplicate.
    for place in (whole, part, Place("t-en-001", 3, 3, (5, 20))):
        with pytest.raises(UsageError, match="already in this collection"):
            collections.add("rita", made.id, place)
    found = collections.get("rita", made.id)
    assert [item.place for item in found.items] == [whole, part, run]
    assert [item.position for item in found.items] == [1, 2, 3]
    assert collections.list("rita")[0].size == 3


def test_move_annotate_remove(collections: Collections) -> None:
    made = collections.create("rita", "Case")
    items = [collections.add("rita", made.id, Place("t-en-001", n, n)) for n in (1, 2, 3, 4)]
    before = collections.get("rita", made.id).updated_at
    time.sleep(0.001)
    moved = collections.move("rita", made.id, items[3].id, 1)
    assert moved.position == 1
    found = collections.get("rita", made.id)
    assert [item.place.first for item in found.items] == [4, 1, 2, 3]
    assert [item.position for item in found.items] == [1, 2, 3, 4]
    assert found.updated_at > before
    collections.move("rita", made.id, items[3].id, 4)
    assert [i.place.first for i in collections.get("rita", made.id).items] == [1, 2, 3, 4]
    with pytest.raises(UsageError, match="from 1 to 4"):
        collections.move("rita", made.id, items[0].id, 5)
    noted = collections.annotate("rita", made.id, items[1].id, "  The agents' uniforms. ")
    assert noted.note == "The agents' uniforms."
    collections.remove("rita", made.id, items[0].id)
    found = collections.get("rita", made.id)
    assert [(i.place.first, i.position, i.note) for i in found.items] == [
        (2, 1, "The agents' uniforms."), (3, 2, ""), (4, 3, "")]  # fmt: skip
    with pytest.raises(NotFound):
        collections.remove("rita", made.id, items[0].id)


def test_notes_and_sizes_have_limits(
    collections: Collections, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = collections.create("rita", "Case")
    with pytest.raises(UsageError, match="at most 2,000 characters"):
        collections.add("rita", made.id, Place("t-en-001", 1, 1), note="x" * 2001)
    item = collections.add("rita", made.id, Place("t-en-001", 1, 1), note="x" * 2000)
    with pytest.raises(UsageError, match="at most 2,000 characters"):
        collections.annotate("rita", made.id, item.id, "y" * 2001)
    monkeypatch.setattr(store, "MAX_ITEMS", 3)
    for n in (2, 3):
        collections.add("rita", made.id, Place("t-en-001", n, n))
    with pytest.raises(UsageError, match="at most 3 excerpts"):
        collections.add("rita", made.id, Place("t-en-001", 4, 4))


def test_five_hundred_items_at_most(collections: Collections) -> None:
    made = collections.create("rita", "Big")
    for n in range(1, store.MAX_ITEMS + 1):
        collections.add("rita", made.id, Place("t-en-001", n, n))
    with pytest.raises(UsageError, match="at most 500 excerpts"):
        collections.add("rita", made.id, Place("t-en-001", 501, 501))
    assert collections.list("rita")[0].size == 500


CHANGES: dict[str, Callable[[Collections, str, int, int], Any]] = {
    "get": lambda c, owner, key, item: c.get(owner, key),
    "rename": lambda c, owner, key, item: c.rename(owner, key, "Mine now"),
    "delete": lambda c, owner, key, item: c.delete(owner, key),
    "add": lambda c, owner, key, item: c.add(owner, key, Place("t-en-001", 2, 2)),
    "annotate": lambda c, owner, key, item: c.annotate(owner, key, item, "hello"),
    "move": lambda c, owner, key, item: c.move(owner, key, item, 1),
    "remove": lambda c, owner, key, item: c.remove(owner, key, item),
}


@pytest.mark.parametrize("call", CHANGES, ids=str)
def test_another_owners_collection_answers_as_a_missing_one(
    collections: Collections, call: str
) -> None:
    mine = collections.create("rita", "Case")
    item = collections.add("rita", mine.id, Place("t-en-001", 1, 1))
    collections.create("ed", "Case")  # the same name is another owner's to use
    answers = []
    for owner, key in (("ed", mine.id), ("rita", mine.id + 100)):
        with pytest.raises(NotFound) as raised:
            CHANGES[call](collections, owner, key, item.id)
        answers.append(str(raised.value).replace(str(key), "ID"))
    assert answers == ["no collection ID", "no collection ID"]
    with pytest.raises(NotFound):
        collections.find("ed", str(mine.id))
    assert [c.name for c in collections.list("ed")] == ["Case"]
    assert collections.get("rita", mine.id).size == 1  # untouched


def test_an_item_of_another_collection_is_not_found(collections: Collections) -> None:
    first = collections.create("rita", "One")
    second = collections.create("rita", "Two")
    item = collections.add("rita", first.id, Place("t-en-001", 1, 1))
    with pytest.raises(NotFound, match=f"collection {second.id} has no item"):
        collections.annotate("rita", second.id, item.id, "moved?")


def test_deleting_a_collection_deletes_its_items(
    collections: Collections, settings: Settings
) -> None:
    import sqlite3

    made = collections.create("rita", "Case")
    collections.add("rita", made.id, Place("t-en-001", 1, 1))
    collections.delete("rita", made.id)
    connection = sqlite3.connect(settings.instance_db)
    try:
        assert connection.execute("SELECT count(*) FROM collection_items").fetchone() == (0,)
    finally:
        connection.close()
