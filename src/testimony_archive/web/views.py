"""What the pages show, computed from library results: facet trees, the year chart,
result and paragraph views. Pure functions, tested without a browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote, urlencode

from babel import Locale, UnknownLocaleError
from markupsafe import Markup, escape

from ..fields import BY_NAME, FACETS, TAG_FACETS, Facet
from ..i18n import N_, Translator
from ..index import DocMeta, DocumentHit, FacetValue, ParagraphHit, snippet
from ..vocabulary import Vocabulary
from .rendering import highlighted
from .search_state import SearchState

SNIPPET_CHARS = 420
SHOWN_PER_LEVEL = 12
RESULT_PLACES = 4
RESULT_TAGS = 6


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
    tick: Markup = Markup()  # the tick box that collects it; empty for who may not collect


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
    facets: dict[str, list[FacetValue]],
    state: SearchState,
    vocabulary: Vocabulary,
    translate: Translator,
) -> list[FacetGroup]:
    groups: list[FacetGroup] = []
    for name, values in facets.items():
        facet = BY_NAME[name]
        active = state.filter_value(facet.param)
        nodes = {
            value.value: FacetNode(
                value.value,
                "",  # the label and the link are set below, for the nodes shown only
                value.count,
                "",
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
            node.url = state.toggle(facet.param, node.value)
            node.label = facet_label(facet, node.value, vocabulary, translate)
            node.children = node.children[:SHOWN_PER_LEVEL]
            shown.extend(node.children)
        if roots:
            groups.append(FacetGroup(name, facet.param, translate.gettext(facet.title), roots))
    return groups


def facet_label(facet: Facet, value: str, vocabulary: Vocabulary, translate: Translator) -> str:
    """A facet value as the pages show it (a language by its name, in the reader's)."""
    if facet.name == "language":
        return language_name(value, translate.language)
    return facet.label(value, vocabulary, translate)


def language_name(code: str, in_language: str) -> str:
    """'es' → 'Spanish' (or 'español'), from Babel's locale data; the code if unknown."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(in_language)
    except (ValueError, UnknownLocaleError):
        return code
    return name or code


def chips(state: SearchState, vocabulary: Vocabulary, translate: Translator) -> list[Chip]:
    """The filters in force, each with a link that removes it."""
    result: list[Chip] = []
    for facet in FACETS:
        value = state.filter_value(facet.param)
        if value is None:
            continue
        text = facet_label(facet, value, vocabulary, translate)
        if not facet.is_tag:
            text = f"{translate.gettext(facet.title)}: {text}"
        result.append(Chip(text, state.toggle(facet.param, value)))
    for name, title in (("from", N_("From")), ("to", N_("To"))):
        value = state.filter_value(name)
        if value is not None:
            result.append(Chip(f"{translate.gettext(title)}: {value}", state.toggle(name, value)))
    return result


def result_views(
    hits: list[DocumentHit] | list[ParagraphHit],
    state: SearchState,
    vocabulary: Vocabulary,
    translate: Translator,
    collect: bool = False,
) -> list[ResultView]:
    """The result cards; with `collect`, each paragraph with its tick box, made here once
    rather than by the template: a page holds dozens and the viewer's role decides."""
    language = translate.language
    label = str(escape(translate.gettext("Collect"))) if collect else ""
    views: list[ResultView] = []
    for hit in hits:
        meta = hit.meta
        assert meta is not None
        paragraphs = hit.paragraphs if isinstance(hit, DocumentHit) else [hit]
        views.append(
            ResultView(
                doc=meta.id,
                title=meta.title,
                url=document_url(meta.id, state.request.q),
                kind=translate.kind(meta.kind),
                date=meta.date,
                language=meta.language,
                places=[
                    vocabulary.label("locations", code, language)
                    for code in _tags(meta, "locations")
                ][:RESULT_PLACES],
                tags=[
                    vocabulary.label(facet.name, value, language)
                    for facet in TAG_FACETS
                    if facet.name != "locations"
                    for value in _tags(meta, facet.name)
                ][:RESULT_TAGS],
                paragraphs=[
                    _paragraph_view(paragraph, state, label)
                    for paragraph in paragraphs
                    if paragraph.text
                ],
            )
        )
    return views


def _tags(meta: DocMeta, name: str) -> list[str]:
    """A document's confirmed, then suggested, tags of one field."""
    return list(dict.fromkeys(meta.tags.get(name, []) + meta.suggested.get(name, [])))


def _paragraph_view(hit: ParagraphHit, state: SearchState, collect_label: str) -> ParagraphView:
    text, spans = snippet(hit.text, hit.highlights, SNIPPET_CHARS)
    tick = Markup()
    if collect_label:  # (Markup.format would escape too, at four times the cost)
        # The label comes escaped and the id is escaped here; only our tags are added.
        tick = Markup(  # nosec B704
            '<label class="collect-tick"><input type="checkbox" form="collect" name="place" '
            f'value="{escape(hit.doc)}:{hit.para}"> {collect_label} ¶{hit.para}</label>'
        )
    return ParagraphView(
        hit.para, document_url(hit.doc, state.request.q, hit.para), highlighted(text, spans), tick
    )


def percent(score: float, translate: Translator) -> str:
    """A confidence (0..1) as people read it: 0.92 → "92%" ("92 %" in Spanish)."""
    return translate.gettext("%(percent)s%%") % {"percent": round(score * 100)}


def document_url(doc_id: str, q: str = "", para: int | None = None) -> str:
    url = f"/documents/{quote(doc_id)}"
    if q:
        url += "?" + _query_string(q)
    return url + (f"#p{para}" if para is not None else "")


@lru_cache(maxsize=256)
def _query_string(q: str) -> str:
    """"q=…" for the links of a results page: each of its paragraphs links with it."""
    return urlencode({"q": q})


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
    page = state.request.page
    return Pagination(
        page,
        pages,
        state.url(page=min(page - 1, pages)) if page > 1 else None,
        state.url(page=page + 1) if page < pages else None,
        state.url(page=pages),
    )
