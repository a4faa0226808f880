"""Page contexts of the search, review and vocabulary pages, each built from the service's
answer (keyword arguments of typed objects), so that a route is one call and a render."""

from __future__ import annotations

from urllib.parse import urlencode

from ..fields import VOCABULARY_FACETS, Facet
from ..i18n import Translator
from ..index import Counts, DocMeta, FacetValue, SearchResult
from ..vocabulary import Vocabulary
from .contexts import ReviewPage, ReviewRow, SearchPage, VocabularyPage, VocabularyRow
from .search_state import SearchState
from .views import (
    chips,
    document_url,
    facet_groups,
    pagination,
    percent,
    result_views,
    year_chart,
)

REVIEW_SHOWN = 200


def search_page(
    *,
    state: SearchState,
    result: SearchResult,
    vocabulary: Vocabulary,
    translate: Translator,
    collect: bool = False,
) -> SearchPage:
    return SearchPage(
        state=state,
        total=result.total,
        unit=state.request.unit,
        results=result_views(result.hits, state, vocabulary, translate, collect),
        facets=facet_groups(result.facets, state, vocabulary, translate),
        chips=chips(state, vocabulary, translate),
        chart=year_chart(result.facets.get("year", []), state),
        pagination=pagination(state, result.pages),
        notes=[note.translated(translate.gettext) for note in result.notes],
        took_ms=result.took_ms,
        sort_links={sort: state.url(sort=sort) for sort in ("relevance", "-date", "date")},
        unit_links={unit: state.url(unit=unit) for unit in ("document", "paragraph")},
    )


def review_page(*, waiting: list[DocMeta], editing: bool, translate: Translator) -> ReviewPage:
    """The documents with suggestions waiting, in the service's order (the most confident
    first), each with its most confident suggestion's confidence where it has one."""
    rows = [
        ReviewRow(meta.id, meta.title, document_url(meta.id), meta.pending, meta.date,
                  "" if meta.pending_confidence is None
                  else percent(meta.pending_confidence, translate))
        for meta in waiting[:REVIEW_SHOWN]
    ]  # fmt: skip
    return ReviewPage(rows, editing)


def vocabulary_page(
    *, facet: Facet, counts: Counts, vocabulary: Vocabulary, translate: Translator
) -> VocabularyPage:
    """A vocabulary's terms (or the places in use), with how many documents carry each."""
    values = counts.facets.get(facet.name, [])
    by_value = {value.value: value.count for value in values}

    def row(value: str, depth: int) -> VocabularyRow:
        return VocabularyRow(
            value,
            facet.label(value, vocabulary, translate),
            by_value.get(value, 0),
            "/search?" + urlencode({facet.param: value}),
            depth,
        )

    if facet.name == "locations":
        labelled = {
            value.value: facet.label(value.value, vocabulary, translate) for value in values
        }
        rows = [row(value.value, _depth(value, values)) for value in _tree_order(values, labelled)]
    else:
        thesaurus = vocabulary.thesaurus(facet.name)
        rows = []
        for term in thesaurus.children(None):
            rows.append(row(term.id, 0))
            rows.extend(row(child.id, 1) for child in thesaurus.children(term.id))
    return VocabularyPage(
        title=translate.gettext(facet.plural),
        sections=[
            (translate.gettext(each.plural), f"/vocabulary/{each.section}")
            for each in VOCABULARY_FACETS
        ],
        current=f"/vocabulary/{facet.section}",
        rows=rows,
    )


def _tree_order(values: list[FacetValue], labels: dict[str, str]) -> list[FacetValue]:
    children: dict[str | None, list[FacetValue]] = {}
    known = {value.value for value in values}
    for value in sorted(values, key=lambda item: labels[item.value]):
        parent = value.parent if value.parent in known else None
        children.setdefault(parent, []).append(value)
    ordered: list[FacetValue] = []

    def walk(parent: str | None) -> None:
        for value in children.get(parent, []):
            ordered.append(value)
            walk(value.value)

    walk(None)
    return ordered


def _depth(value: FacetValue, values: list[FacetValue]) -> int:
    parents = {item.value: item.parent for item in values}
    depth, current = 0, value.parent
    while current in parents and depth < 4:
        depth, current = depth + 1, parents[current]
    return depth
