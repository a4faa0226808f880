"""Facet counts over the whole result set, as array sums over the snapshot's memberships."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.reading import IndexReader

from ..models import TAG_FIELDS
from ..vocabulary import Vocabulary
from .snapshot import BoolArray, IntArray, Snapshot

FACETS = ("locations", "abuse_types", "perpetrators", "kind", "language", "year")
MAX_VALUES = 200


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    parent: str | None = None  # for hierarchical facets: the value one level up


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
    for name in FACETS:
        if paragraphs and name in TAG_FIELDS:
            members = snapshot.paragraph_facets(reader, name, confirmed_only)
            values = {
                value: int(np.count_nonzero(matched_entries[ids])) for value, ids in members.items()
            }
        else:
            members = snapshot.document_facets(name, confirmed_only)
            if per_document is not None:
                values = {value: int(per_document[ids].sum()) for value, ids in members.items()}
            else:
                values = {
                    value: int(np.count_nonzero(matched_docs[ids]))
                    for value, ids in members.items()
                }
        counts[name] = {value: count for value, count in values.items() if count}
    return counts


def facet_values(
    counts: dict[str, dict[str, int]], vocabulary: Vocabulary, language: str
) -> dict[str, list[FacetValue]]:
    result: dict[str, list[FacetValue]] = {}
    for name, counter in counts.items():
        ordered = (
            sorted(counter.items(), reverse=True)
            if name == "year"
            else sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        )
        result[name] = [
            FacetValue(value, _label(vocabulary, name, value, language), count,
                       _parent(vocabulary, name, value))
            for value, count in ordered[:MAX_VALUES]
        ]  # fmt: skip
    return result


def _label(vocabulary: Vocabulary, name: str, value: str, language: str) -> str:
    if name in TAG_FIELDS:
        return vocabulary.label(name, value, language)
    if name == "kind":
        return {"testimony": "Testimony", "report_excerpt": "Report excerpt"}.get(value, value)
    return value


def _parent(vocabulary: Vocabulary, name: str, value: str) -> str | None:
    if name == "locations":
        chain = vocabulary.places.ancestors(value)
    elif name == "abuse_types":
        chain = vocabulary.abuse_types.ancestors(value)
    else:
        return None
    return chain[1] if len(chain) > 1 else None
