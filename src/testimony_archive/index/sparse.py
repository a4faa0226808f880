"""Scores of some index entries: a plan's leaves match a few thousand entries of
hundreds of thousands, so they are combined on the entries they hold, not on arrays as
long as the index.

Each operation does, entry by entry, the same float32 arithmetic in the same order as on
full arrays (an absent entry counts as zero: adding it or taking the larger leaves a
score unchanged), so the scores are exactly those of the full-array evaluation
(`tests/test_sparse_scoring.py` holds them to it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .snapshot import FloatArray, IntArray

DENSE_SHARE = 8  # a union holding more than 1/8 of the index is worked on at full length


@dataclass(frozen=True)
class Scores:
    """Scores of the entries `ids` (sorted, distinct) of an index of `size` entries; every
    other entry scores zero. With `ids` None, `values` holds every entry's score."""

    size: int
    ids: IntArray | None
    values: FloatArray

    @classmethod
    def of(cls, size: int, ids: IntArray, values: FloatArray) -> Scores:
        return cls(size, ids, values)

    @classmethod
    def dense_of(cls, values: FloatArray) -> Scores:
        return cls(values.size, None, values)

    def dense(self) -> FloatArray:
        """Every entry's score (a new array)."""
        if self.ids is None:
            return self.values.copy()
        full = np.zeros(self.size, np.float32)
        full[self.ids] = self.values
        return full

    def at(self, ids: IntArray) -> FloatArray:
        """The scores of entries `ids` (sorted), zero where this holds none."""
        if self.ids is None:
            return self.values[ids]
        found = np.zeros(ids.size, np.float32)
        if not self.ids.size:
            return found
        where = np.searchsorted(self.ids, ids)
        where[where == self.ids.size] = 0
        hit = self.ids[where] == ids
        found[hit] = self.values[where[hit]]
        return found

    def positive(self) -> IntArray:
        """The entries scoring above zero."""
        if self.ids is None:
            return np.flatnonzero(self.values > 0).astype(np.int32)
        return self.ids[self.values > 0]


def union(parts: list[Scores]) -> IntArray | None:
    """The entries any part holds, or None if they are too many to be worth listing."""
    size = parts[0].size
    if any(part.ids is None for part in parts):
        return None
    if sum(part.values.size for part in parts) * DENSE_SHARE > size:
        return None
    together = np.concatenate([part.ids for part in parts if part.ids is not None])
    together.sort(kind="stable")  # (a merge of the sorted runs)
    if together.size < 2:
        return together
    distinct = np.empty(together.size, np.bool_)
    distinct[0] = True
    np.not_equal(together[1:], together[:-1], out=distinct[1:])
    return together[distinct]


def aligned(parts: list[Scores]) -> tuple[IntArray, list[FloatArray]] | None:
    """Each part's scores on the entries any part holds, or None if those are too many
    (the caller then works on full arrays)."""
    ids = union(parts)
    if ids is None:
        return None
    return ids, [part.at(ids) for part in parts]


def folded(parts: list[Scores], operation: np.ufunc) -> FloatArray:
    """`operation` applied part after part, on full arrays (a part that holds few entries
    changes only those: an absent entry, zero, changes neither a sum nor a maximum of
    scores, which are never below zero)."""
    total = parts[0].dense()
    for part in parts[1:]:
        if part.ids is None:
            operation(total, part.values, out=total)
        else:
            total[part.ids] = operation(total[part.ids], part.values)
    return total


def added(values: list[FloatArray]) -> FloatArray:
    total = values[0].copy()
    for value in values[1:]:
        total += value
    return total


def best(parts: list[Scores], tiebreak: float) -> Scores:
    """The best of alternatives, plus `tiebreak` times the others."""
    if len(parts) == 1:
        return parts[0]
    common = aligned(parts)
    if common is None:
        top, total = folded(parts, np.maximum), folded(parts, np.add) if tiebreak else None
        ids = None
    else:
        ids, values = common
        top = values[0].copy()  # (pairwise, in place: stacking them would copy all)
        for value in values[1:]:
            np.maximum(top, value, out=top)
        total = added(values) if tiebreak else None
    if total is not None:
        total -= top
        total *= np.float32(tiebreak)
        top += total
    return _made(parts[0].size, ids, top)


def summed(parts: list[Scores]) -> Scores:
    common = aligned(parts)
    if common is None:
        return Scores.dense_of(folded(parts, np.add))
    ids, values = common
    return Scores.of(parts[0].size, ids, added(values))


def all_of(parts: list[Scores]) -> Scores:
    """The sum, where every part scores above zero."""
    common = aligned(parts)
    if common is None:
        total = folded(parts, np.add)
        for part in parts:
            if part.ids is None:
                total[part.values <= 0] = 0
            else:
                scored = np.zeros(total.size, np.bool_)
                scored[part.positive()] = True
                total[~scored] = 0
        return Scores.dense_of(total)
    ids, values = common
    total = added(values)
    for value in values:
        total[value <= 0] = 0
    return Scores.of(parts[0].size, ids, total)


def and_maybe(required: Scores, optional: Scores) -> Scores:
    """`required`, plus `optional` where `required` scores above zero."""
    if required.ids is None:
        values = required.values
        return Scores.dense_of(
            np.where(values > 0, values + optional.dense(), 0).astype(np.float32)
        )
    ids = required.positive()
    return Scores.of(required.size, ids, required.at(ids) + optional.at(ids))


def excluding(positive: Scores, negative: Scores) -> Scores:
    """`positive`, zero where `negative` scores above zero."""
    if positive.ids is None:
        values = positive.values.copy()
        values[negative.positive()] = 0
        return Scores.dense_of(values)
    keep = negative.at(positive.ids) <= 0
    return Scores.of(positive.size, positive.ids[keep], positive.values[keep])


def _made(size: int, ids: IntArray | None, values: FloatArray) -> Scores:
    return Scores.dense_of(values) if ids is None else Scores.of(size, ids, values)
