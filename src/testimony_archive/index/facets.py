"""Facet counts over the whole result set, as array sums over the snapshot's memberships."""

from __future__ import annotations

import numpy as np
from whoosh.reading import IndexReader

from ..fields import FACETS
from ..vocabulary import Vocabulary
from .results import FacetValue
from .snapshot import BoolArray, IntArray, Snapshot

MAX_VALUES = 200


def count_facets(
    snapshot: Snapshot,
    reader: IndexReader,
    matched_entries: BoolArray,
    matched_docs: BoolArray,
    paragraphs: bool,
    confirmed_only: bool,
) -> dict[str, dict[str, int]]:
    """Counts of documents (or, with `paragraphs`, of paragraphs) per facet value."""
    counts: dict[str, dict[str, int]] = {}
    per_document: IntArray | None = None
    if paragraphs:
        ordinals = snapshot.doc_of_entry[matched_entries]
        per_document = np.bincount(ordinals, minlength=len(snapshot.docs)).astype(np.int32)
    for facet in FACETS:
        if paragraphs and facet.is_tag:
            members = snapshot.paragraph_members(reader, facet.name, confirmed_only)
            found = members.count(matched_entries)
        else:
            members = snapshot.document_members(facet.name, confirmed_only)
            found = (
                members.total(per_document)
                if per_document is not None
                else members.count(matched_docs)
            )
        counts[facet.name] = {
            members.values[value]: int(found[value]) for value in np.flatnonzero(found).tolist()
        }
    return counts


def facet_values(
    counts: dict[str, dict[str, int]], vocabulary: Vocabulary
) -> dict[str, list[FacetValue]]:
    """The most frequent values of each facet (years newest first), with their parents."""
    result: dict[str, list[FacetValue]] = {}
    for name, counter in counts.items():
        ordered = (
            sorted(counter.items(), reverse=True)
            if name == "year"
            else sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        )
        result[name] = [
            FacetValue(value, count, _parent(vocabulary, name, value))
            for value, count in ordered[:MAX_VALUES]
        ]
    return result


def _parent(vocabulary: Vocabulary, name: str, value: str) -> str | None:
    if name == "locations":
        chain = vocabulary.places.ancestors(value)
    elif name == "abuse_types":
        chain = vocabulary.abuse_types.ancestors(value)
    else:
        return None
    return chain[1] if len(chain) > 1 else None
