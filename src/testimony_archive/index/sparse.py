"""Scores of some index entries: a plan's leaves match a few thousand entries of
hundreds of thousands, so they are combined on the entries they hold, not on arrays as
long as the index.

Each operation does, entry by entry, the same float32 arithmetic in the same order as on
full arrays (an absent entry counts as zero: adding it or taking the larger leaves a
score unchanged), so the scores are exactly those of the full-array evaluation
(`tests/test_fast_paths.py` holds them to it, to the bit).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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


@dataclass(frozen=True)
class Gathered:
    """The parts' entries side by side: every part's ids and values one after the other,
    the distinct entries among them (`ids`, sorted) and where each of theirs is in it."""

    ids: IntArray
    where: npt.NDArray[np.intp]  # for each gathered entry, its place in `ids`
    values: FloatArray

    def folded(self, operation: np.ufunc) -> FloatArray:
        """`operation` applied part after part, on the distinct entries (in the parts'
        order, as on full arrays: zero for an entry a part lacks changes neither a sum
        nor a maximum of scores, which are never below zero)."""
        total = np.zeros(self.ids.size, np.float32)
        operation.at(total, self.where, self.values)
        return total


def gathered(parts: list[Scores]) -> Gathered | None:
    """The parts' entries gathered, or None if they are too many to be worth listing
    (the caller then works on full arrays)."""
    size = parts[0].size
    if any(part.ids is None for part in parts):
        return None
    if sum(part.values.size for part in parts) * DENSE_SHARE > size:
        return None
    ids = np.concatenate([part.ids for part in parts if part.ids is not None])
    values = np.concatenate([part.values for part in parts])
    order = np.argsort(ids, kind="stable")  # (a merge of the sorted runs)
    ordered = ids[order]
    first = np.empty(ordered.size, np.bool_)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    where = np.empty(ordered.size, np.intp)
    where[order] = np.cumsum(first) - 1
    return Gathered(ordered[first], where, values)


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


def best(parts: list[Scores], tiebreak: float) -> Scores:
    """The best of alternatives, plus `tiebreak` times the others."""
    if len(parts) == 1:
        return parts[0]
    common = gathered(parts)
    if common is None:
        top, total = folded(parts, np.maximum), folded(parts, np.add) if tiebreak else None
    else:
        top, total = common.folded(np.maximum), common.folded(np.add) if tiebreak else None
    if total is not None:
        total -= top
        total *= np.float32(tiebreak)
        top += total
    return _made(parts[0].size, common, top)


def summed(parts: list[Scores]) -> Scores:
    common = gathered(parts)
    if common is None:
        return Scores.dense_of(folded(parts, np.add))
    return _made(parts[0].size, common, common.folded(np.add))


def all_of(parts: list[Scores]) -> Scores:
    """The sum, where every part scores above zero."""
    if any(part.ids is None for part in parts):
        total = folded(parts, np.add)
        for part in parts:
            if part.ids is None:
                total[part.values <= 0] = 0
            else:
                scored = np.zeros(total.size, np.bool_)
                scored[part.positive()] = True
                total[~scored] = 0
        return Scores.dense_of(total)
    # The entries every part scores: the fewest first, kept where each other part has
    # them; then their sum, part after part.
    ids = min((part.positive() for part in parts), key=len)
    for part in parts:
        if ids.size:
            ids = ids[part.at(ids) > 0]
    total = np.zeros(ids.size, np.float32)
    for part in parts:
        total += part.at(ids)
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


def _made(size: int, common: Gathered | None, values: FloatArray) -> Scores:
    return Scores.dense_of(values) if common is None else Scores.of(size, common.ids, values)
