"""Vocabulary pages: abuse types, perpetrators and places, with document counts."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ...index import SearchRequest
from ...index.facets import FacetValue
from ..contexts import VocabularyPage, VocabularyRow
from ..deps import ChromeDep, ServiceDep
from ..responses import page_response

router = APIRouter()
Section = Literal["abuse-types", "perpetrators", "places"]
FIELDS = {
    "abuse-types": ("abuse_types", "abuse_type"),
    "perpetrators": ("perpetrators", "perpetrator"),
    "places": ("locations", "location"),
}


@router.get("/vocabulary", include_in_schema=False)
def vocabulary_index() -> RedirectResponse:
    return RedirectResponse("/vocabulary/abuse-types", status_code=307)


@router.get("/vocabulary/{section}", response_class=HTMLResponse, summary="A vocabulary (HTML)")
def vocabulary_page(
    request: Request, section: Section, service: ServiceDep, chrome: ChromeDep
) -> HTMLResponse:
    translate = chrome.translator
    language = translate.language
    field_name, param = FIELDS[section]
    counts = service.search(SearchRequest(limit=1, label_language=language)).facets[field_name]
    by_value = {value.value: value.count for value in counts}
    vocabulary = service.archive.vocabulary
    rows: list[VocabularyRow] = []

    def row(value: str, label: str, depth: int) -> VocabularyRow:
        return VocabularyRow(
            value, label, by_value.get(value, 0), "/search?" + urlencode({param: value}), depth
        )

    if section == "places":
        rows = [
            row(value.value, value.label, _depth(value, counts)) for value in _tree_order(counts)
        ]
    else:
        thesaurus = vocabulary.thesaurus(field_name)
        for term in thesaurus.children(None):
            rows.append(row(term.id, term.label(language), 0))
            rows.extend(
                row(child.id, child.label(language), 1) for child in thesaurus.children(term.id)
            )
    titles = {
        "abuse-types": translate.gettext("Abuse types"),
        "perpetrators": translate.gettext("Perpetrators"),
        "places": translate.gettext("Places"),
    }
    page = VocabularyPage(
        title=titles[section],
        sections=[(titles[name], f"/vocabulary/{name}") for name in FIELDS],
        current=f"/vocabulary/{section}",
        rows=rows,
    )
    return page_response(request, page, chrome)


def _tree_order(values: list[FacetValue]) -> list[FacetValue]:
    children: dict[str | None, list[FacetValue]] = {}
    known = {value.value for value in values}
    for value in sorted(values, key=lambda item: item.label):
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
