"""What the pages show, computed from library results: facet trees, the year chart,
result and paragraph views. Pure functions, tested without a browser."""

from __future__ import annotations

from dataclasses import dataclass, field

from babel import Locale, UnknownLocaleError
from markupsafe import Markup

from ..index import DocumentHit, ParagraphHit
from ..index.entries import DocMeta
from ..index.facets import FacetValue
from ..index.highlight import snippet
from ..vocabulary import Vocabulary
from .i18n import Translator
from .rendering import highlighted
from .search_state import SearchState

SNIPPET_CHARS = 420
FACET_PARAMS = {
    "locations": "location",
    "abuse_types": "abuse_type",
    "perpetrators": "perpetrator",
    "kind": "kind",
    "language": "language",
    "year": "year",
}
SHOWN_PER_LEVEL = 12


@dataclass
class FacetNode:
    value: str
    label: str
    count: int
    url: str
    active: bool
    children: list[FacetNode] = field(default_factory=list)


@dataclass
class FacetGroup:
    name: str
    param: str
    title: str
    nodes: list[FacetNode]


@dataclass
class Chip:
    label: str
    remove_url: str


@dataclass
class ParagraphView:
    number: int
    url: str
    html: Markup


@dataclass
class ResultView:
    doc: str
    title: str
    url: str
    kind: str
    date: str | None
    language: str
    places: list[str]
    tags: list[str]
    paragraphs: list[ParagraphView]


@dataclass
class Bar:
    year: str
    count: int
    x: float
    y: float
    height: float
    url: str


@dataclass
class YearChart:
    bars: list[Bar]
    width: int
    height: int
    bar_width: float
    max_count: int


def facet_groups(
    facets: dict[str, list[FacetValue]], state: SearchState, translate: Translator
) -> list[FacetGroup]:
    titles = {
        "locations": translate.gettext("Place"),
        "abuse_types": translate.gettext("Abuse type"),
        "perpetrators": translate.gettext("Perpetrator"),
        "kind": translate.gettext("Kind"),
        "language": translate.gettext("Language"),
        "year": translate.gettext("Year"),
    }
    groups: list[FacetGroup] = []
    for name, values in facets.items():
        param = FACET_PARAMS[name]
        active = state.filter_value(param)
        nodes = {
            value.value: FacetNode(
                value.value,
                _facet_label(name, value, translate),
                value.count,
                "",  # set below, for the nodes shown only
                value.value == active,
            )
            for value in values
        }
        roots: list[FacetNode] = []
        for value in values:
            node = nodes[value.value]
            parent = nodes.get(value.parent) if value.parent else None
            (parent.children if parent is not None else roots).append(node)
        roots = roots[:SHOWN_PER_LEVEL]
        shown = list(roots)
        while shown:
            node = shown.pop()
            node.url = state.toggle(param, node.value)
            node.children = node.children[:SHOWN_PER_LEVEL]
            shown.extend(node.children)
        if roots:
            groups.append(FacetGroup(name, param, titles[name], roots))
    return groups


def _facet_label(name: str, value: FacetValue, translate: Translator) -> str:
    if name == "kind":
        return translate.kind(value.value)
    if name == "language":
        return language_name(value.value, translate.language)
    return value.label


def language_name(code: str, in_language: str) -> str:
    """'es' → 'Spanish' (or 'español'), from Babel's locale data; the code if unknown."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(in_language)
    except (ValueError, UnknownLocaleError):
        return code
    return name or code


def chips(
    state: SearchState, vocabulary: Vocabulary, translate: Translator, language: str
) -> list[Chip]:
    result: list[Chip] = []
    labels = {
        "kind": translate.gettext("Kind"),
        "language": translate.gettext("Language"),
        "year": translate.gettext("Year"),
        "from": translate.gettext("From"),
        "to": translate.gettext("To"),
    }
    tag_fields = {
        "location": "locations",
        "abuse_type": "abuse_types",
        "perpetrator": "perpetrators",
    }
    for name in ("location", "abuse_type", "perpetrator", "kind", "language", "year", "from", "to"):
        value = state.filter_value(name)
        if value is None:
            continue
        if name in tag_fields:
            text = vocabulary.label(tag_fields[name], value, language)
        else:
            shown = language_name(value, language) if name == "language" else translate.kind(value)
            text = f"{labels[name]}: {shown}"
        result.append(Chip(text, state.toggle(name, value)))
    return result


def result_views(
    hits: list[DocumentHit] | list[ParagraphHit],
    state: SearchState,
    vocabulary: Vocabulary,
    translate: Translator,
    language: str,
) -> list[ResultView]:
    views: list[ResultView] = []
    for hit in hits:
        meta = hit.meta
        assert meta is not None
        paragraphs = hit.paragraphs if isinstance(hit, DocumentHit) else [hit]
        views.append(
            ResultView(
                doc=meta.id,
                title=meta.title,
                url=document_url(meta.id, state.q),
                kind=translate.kind(meta.kind),
                date=meta.date,
                language=meta.language,
                places=[vocabulary.label("locations", code, language) for code in _places(meta)][
                    :4
                ],
                tags=[
                    vocabulary.label(name, value, language)
                    for name in ("abuse_types", "perpetrators")
                    for value in (meta.tags.get(name, []) + meta.suggested.get(name, []))
                ][:6],
                paragraphs=[
                    _paragraph_view(paragraph, state) for paragraph in paragraphs if paragraph.text
                ],
            )
        )
    return views


def _places(meta: DocMeta) -> list[str]:
    return list(dict.fromkeys(meta.tags.get("locations", []) + meta.suggested.get("locations", [])))


def _paragraph_view(hit: ParagraphHit, state: SearchState) -> ParagraphView:
    text, spans = snippet(hit.text, hit.highlights, SNIPPET_CHARS)
    return ParagraphView(
        hit.para, document_url(hit.doc, state.q, hit.para), highlighted(text, spans)
    )


def document_url(doc_id: str, q: str = "", para: int | None = None) -> str:
    from urllib.parse import quote, urlencode

    url = f"/documents/{quote(doc_id)}"
    if q:
        url += "?" + urlencode({"q": q})
    return url + (f"#p{para}" if para is not None else "")


def year_chart(values: list[FacetValue], state: SearchState) -> YearChart | None:
    counts = sorted((int(value.value), value.count) for value in values if value.value.isdigit())
    if len(counts) < 2:
        return None
    first, last = counts[0][0], counts[-1][0]
    by_year = dict(counts)
    years = list(range(first, last + 1))
    width, height = 640, 90
    slot = width / len(years)
    top = max(count for _, count in counts)
    bars = []
    for index, year in enumerate(years):
        count = by_year.get(year, 0)
        bar_height = 0 if not count else max(2.0, (height - 14) * count / top)
        bars.append(
            Bar(
                str(year),
                count,
                round(index * slot + slot * 0.1, 2),
                round(height - 12 - bar_height, 2),
                round(bar_height, 2),
                state.toggle("year", str(year)),
            )
        )
    return YearChart(bars, width, height, round(slot * 0.8, 2), top)


@dataclass
class Pagination:
    page: int
    pages: int
    previous_url: str | None
    next_url: str | None
    last_url: str


def pagination(state: SearchState, pages: int) -> Pagination:
    return Pagination(
        state.page,
        pages,
        state.url(page=min(state.page - 1, pages)) if state.page > 1 else None,
        state.url(page=state.page + 1) if state.page < pages else None,
        state.url(page=pages),
    )
