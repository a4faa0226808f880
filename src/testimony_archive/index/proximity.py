"""Re-ranking the best candidates by how close the query's words stand to each other.

Researchers describe a passage in their own words; where two of those words stand
together in a paragraph ("electric shocks", "finish off"), the paragraph is more likely
the one they mean. Positions are read only for the few hundred best candidates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .snapshot import FloatArray, IntArray

WINDOW = 3  # the second word within this many positions after the first (Whoosh slop 3)


@dataclass(frozen=True)
class Pair:
    field: str
    first: str
    second: str


def near(first: list[int], second: list[int]) -> bool:
    following = set(second)
    return any(position + step in following for position in first for step in range(1, WINDOW + 1))


Positions = Callable[[str, str, IntArray], dict[int, list[int]]]


def proximity_scores(
    positions: Positions,
    pairs: list[Pair],
    candidates: IntArray,
    term_score: dict[tuple[str, str], FloatArray],
) -> FloatArray:
    """For each candidate, the summed scores of the word pairs that stand close in it
    (`term_score`: each term's score in each candidate, in the candidates' order)."""
    bonus = np.zeros(candidates.size, np.float32)
    if not pairs or not candidates.size:
        return bonus
    order = np.argsort(candidates)
    sorted_candidates = candidates[order]
    cache: dict[tuple[str, str], dict[int, list[int]]] = {}
    for pair in pairs:
        for term in (pair.first, pair.second):
            if (pair.field, term) not in cache:
                cache[(pair.field, term)] = positions(pair.field, term, sorted_candidates)
        first, second = cache[(pair.field, pair.first)], cache[(pair.field, pair.second)]
        if not first or not second:
            continue
        scores_first = term_score[(pair.field, pair.first)]
        scores_second = term_score[(pair.field, pair.second)]
        for index, docnum in enumerate(candidates.tolist()):
            p1, p2 = first.get(docnum), second.get(docnum)
            if p1 and p2 and near(p1, p2):
                bonus[index] += scores_first[index] + scores_second[index]
    return bonus
