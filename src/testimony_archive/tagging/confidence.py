"""How sure a suggestion is: a score from 0 to 1 for each suggested tag, from the kind of
evidence behind it.

A tag named in so many words ("tortured", "Tapachula") is more often right than one a
convention supplies ("unknown" where nobody is named, a report's country), and a tag
that several passages of the paragraph point to more than one that rests on a single
word. The scores are the share of such suggestions a reviewer accepted on the
development set, shrunk toward one half where it rests on few (see `prior`): they order a review
queue and cut a batch at `--min-confidence`, and they are not a promise about any one
paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum

from .model import Confidence, Evidence

PRIOR_WEIGHT = 2  # pseudo-counts pulling a basis' rate toward one half


class Basis(Enum):
    """What a suggested value rests on, strongest first."""

    NAMED = "named"  # the paragraph names it in a tight phrase ("tortured", "police")
    LOOSE = "loose"  # a phrase with gaps, or a word that is often said in passing
    CONVENTION = "convention"  # a labelling rule supplies it (no words of its own)
    CONTEXT = "context"  # the document's metadata (a report's country)


# How many suggestions of each basis the development gold confirmed, of how many made
# (tagging.dev.jsonl, 80 paragraphs, counted by running the tagger over it with each
# value's basis; scripts/evaluate_tagging.py prints how each band of confidence fares on
# DEV and DEV2). A basis never seen there keeps the prior's one half.
CONFIRMED = {
    ("locations", Basis.NAMED): (9, 9),
    ("locations", Basis.CONTEXT): (43, 45),
    ("locations", Basis.CONVENTION): (25, 28),
    ("abuse_types", Basis.NAMED): (101, 110),
    ("abuse_types", Basis.LOOSE): (7, 9),
    ("perpetrators", Basis.NAMED): (43, 48),
    ("perpetrators", Basis.LOOSE): (2, 2),
    ("perpetrators", Basis.CONVENTION): (17, 23),
}
MORE_EVIDENCE = 0.04  # each further passage pointing to the same value, up to three


def prior(accepted: int, suggested: int) -> float:
    """A rate that a few examples cannot push to 0 or 1."""
    return (accepted + PRIOR_WEIGHT / 2) / (suggested + PRIOR_WEIGHT)


def score(field: str, basis: Basis, passages: int = 1) -> float:
    base = prior(*CONFIRMED.get((field, basis), (0, 0)))
    bonus = MORE_EVIDENCE * min(max(passages - 1, 0), 3)
    return round(min(0.99, base + bonus), 2)


def confidences(
    values: Mapping[str, Iterable[str]],
    evidence: Iterable[Evidence],
    bases: dict[tuple[str, str], Basis],
) -> tuple[Confidence, ...]:
    """One Confidence per suggested value. `bases` says what each value rests on where
    that is not its evidence alone (a convention, the document); a value with evidence
    and no other basis was named."""
    passages: dict[tuple[str, str], int] = {}
    for item in evidence:
        passages[(item.field, item.value)] = passages.get((item.field, item.value), 0) + 1
    found = []
    for field, field_values in values.items():
        for value in field_values:
            key = (field, value)
            basis = bases.get(key, Basis.NAMED if passages.get(key) else Basis.CONVENTION)
            found.append(Confidence(field, value, score(field, basis, passages.get(key, 1))))
    return tuple(found)
