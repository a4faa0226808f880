"""Whether a paragraph holds a phrase, from the positions of its words.

The rule is Whoosh's (`SpanNear2`, ordered, at least one position apart): the phrase's
words stand in order, each within `slop` positions after the end of the words before
it (slop 1: side by side). Searches decide it from cached positions (`Snapshot.phrase`);
`tests/test_fast_paths.py` and `tests/test_search_equivalence.py` hold it to Whoosh's own
`Phrase` query.
"""

from __future__ import annotations

from bisect import bisect_left


def phrase_at(positions: list[list[int]], slop: int) -> bool:
    """Whether words at these (sorted) positions, one list per word of the phrase in
    order, make the phrase."""
    if not positions or not all(positions):
        return False
    if slop == 1:  # side by side: the common case, and a set lookup each
        following = [set(word) for word in positions[1:]]
        return any(
            all(start + step in word for step, word in enumerate(following, 1))
            for start in positions[0]
        )
    spans = [(position, position) for position in positions[0]]
    for word in positions[1:]:
        found: set[tuple[int, int]] = set()
        for start, end in spans:
            for position in word[bisect_left(word, start) :]:
                if position > end + slop:
                    break
                if 1 <= position - end <= slop:  # (within the span: too close)
                    found.add((start, position))
        if not found:
            return False
        spans = sorted(found)
    return True
