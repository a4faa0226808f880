"""Facet counts over the whole result set, from the per-generation document table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..vocabulary import Vocabulary
from .entries import DocMeta

FACETS = ("locations", "abuse_types", "perpetrators", "kind", "language", "year")
MAX_VALUES = 50


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    parent: str | None = None  # for hierarchical facets: the value one level up


def count_documents(docs: Iterable[DocMeta], confirmed_only: bool) -> dict[str, Counter[str]]:
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for meta in docs:
        facets = meta.document_facets(confirmed_only)
        for name in FACETS:
            counters[name].update(facets.get(name, ()))
    return counters


def count_paragraphs(
    paragraphs: Iterable[tuple[DocMeta, int]], confirmed_only: bool
) -> dict[str, Counter[str]]:
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for meta, number in paragraphs:
        facets = meta.paragraph_facets(number, confirmed_only)
        for name in FACETS:
            counters[name].update(facets.get(name, ()))
    return counters


def facet_values(
    counters: dict[str, Counter[str]], vocabulary: Vocabulary, language: str
) -> dict[str, list[FacetValue]]:
    result: dict[str, list[FacetValue]] = {}
    for name, counter in counters.items():
        values: list[FacetValue] = []
        ordered = (
            sorted(counter.items(), key=lambda item: item[0], reverse=True)
            if name == "year"
            else counter.most_common(MAX_VALUES * 4)
        )
        for value, count in ordered:
            values.append(
                FacetValue(
                    value,
                    _label(vocabulary, name, value, language),
                    count,
                    _parent(vocabulary, name, value),
                )
            )
        result[name] = values[: MAX_VALUES * 4]
    return result


def _label(vocabulary: Vocabulary, name: str, value: str, language: str) -> str:
    if name in ("locations", "abuse_types", "perpetrators"):
        return vocabulary.label(name, value, language)
    if name == "kind":
        return {"testimony": "Testimony", "report_excerpt": "Report excerpt"}.get(value, value)
    return value


def _parent(vocabulary: Vocabulary, name: str, value: str) -> str | None:
    if name == "locations":
        chain = vocabulary.places.ancestors(value)
        return chain[1] if len(chain) > 1 else None
    if name == "abuse_types":
        chain = vocabulary.abuse_types.ancestors(value)
        return chain[1] if len(chain) > 1 else None
    return None
