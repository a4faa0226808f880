"""Page contexts of the collections pages, built from the desk and the service."""

from __future__ import annotations

from ..access import Viewer
from ..citation import format_citation
from ..collecting import CollectionDesk
from ..collections import CollectionSummary
from ..errors import NotFound, UsageError
from ..excerpts import Place, parse_place
from ..i18n import Translator
from ..service import SearchService
from .excerpt_contexts import (
    CollectionPage,
    CollectionRow,
    CollectionsPage,
    CollectPage,
    ExcerptRow,
    PlaceChoice,
)

FORMAT_LABELS = [("docx", "Word"), ("pdf", "PDF"), ("csv", "CSV"), ("json", "JSON"),
                 ("md", "Markdown")]  # fmt: skip
FIRST_WORDS = 14


def collections_page(desk: CollectionDesk, viewer: Viewer) -> CollectionsPage:
    return CollectionsPage([_row(summary) for summary in desk.list(viewer)])


def collection_page(
    desk: CollectionDesk, viewer: Viewer, collection_id: int, translate: Translator,
    base_url: str,
) -> CollectionPage:  # fmt: skip
    collection, held = desk.held(viewer, collection_id, base_url)
    rows: list[ExcerptRow] = []
    for item, excerpt, changed in held:
        rows.append(ExcerptRow(
            item=item.id,
            position=item.position,
            locator=locator(item.place, translate),
            doc=item.place.doc,
            title=excerpt.title if excerpt else item.place.doc,
            url=f"/documents/{item.place.doc}#p{item.place.first}",
            text=excerpt.text if excerpt else None,
            language=excerpt.language if excerpt else "",
            citation=format_citation(excerpt, "legal", translate) if excerpt else "",
            note=item.note,
            redacted=excerpt.redacted if excerpt else False,
            changed=changed and excerpt is not None,
        ))  # fmt: skip
    left_out = sum(row.text is None for row in rows)
    return CollectionPage(collection.id, collection.name, rows, left_out, FORMAT_LABELS)


def collect_page(
    desk: CollectionDesk, service: SearchService, viewer: Viewer, values: list[str],
    next_url: str,
) -> CollectPage:  # fmt: skip
    """The places to collect, each checked against what the viewer may read, and the
    viewer's collections to put them in (the most recently changed first)."""
    if not values:
        raise UsageError("Tick at least one paragraph to collect.")
    places: list[PlaceChoice] = []
    problems: list[str] = []
    for value in dict.fromkeys(values):
        try:
            place = parse_value(value)
            excerpt = service.excerpt(viewer, place)
        except (UsageError, NotFound) as error:
            problems.append(f"{value}: {error}")
            continue
        words = excerpt.text.split()
        places.append(PlaceChoice(
            value=value,
            label=f"{place.locator} · {excerpt.title}",
            words=" ".join(words[:FIRST_WORDS]) + (" …" if len(words) > FIRST_WORDS else ""),
        ))  # fmt: skip
    collections = sorted(desk.list(viewer), key=lambda each: each.updated_at, reverse=True)
    return CollectPage(places, [_row(each) for each in collections], next_url, problems)


def parse_value(value: str) -> Place:
    """A place as forms carry it: `doc:4`, `doc:4-6` or `doc:4:12-80`."""
    parts = value.split(":")
    if len(parts) not in (2, 3) or not all(parts[:2]):
        raise UsageError(f"{value!r} is not a place in a document")
    return parse_place(parts[0], parts[1], parts[2] if len(parts) == 3 else None)


def locator(place: Place, translate: Translator) -> str:
    return place.described(translate.gettext("characters"))


def _row(summary: CollectionSummary) -> CollectionRow:
    return CollectionRow(summary.id, summary.name, summary.size, summary.updated_at[:16]
                         .replace("T", " "), f"/collections/{summary.id}")  # fmt: skip
