"""The collections desk: collections of excerpts as a viewer keeps, reads and exports
them (what the CLI and the web app call; `collections.Collections` only stores).

Every method takes the viewer. Who may collect is `access`'s answer ("collect": signed-in
users); a collection belongs to its viewer's name. A place is added only if the viewer
may read its document and the document has it. A collection's excerpts are taken from
the documents as the viewer may see them *now*: an item whose document the viewer can
no longer read is left out, and counted. Exports and evidence bundles are recorded in
the audit trail with their hash (`SearchService.record_export`).
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from . import __version__, access
from .access import Viewer
from .collections import Collection, Collections, CollectionSummary, Item
from .errors import NotFound, UsageError
from .excerpts import Excerpt, Place, extract
from .export import FORMATS, ExportRequest, filename, media_type, render
from .export.bundle import bundle_filename, bundle_zip, write_bundle
from .index import ParagraphHit, SearchRequest
from .instance import stamp
from .models import Document
from .service import SearchService

MAX_SEARCH_PARAGRAPHS = 200  # a search's export: its best paragraphs
_SEARCH_PAGE = 100  # the most a search request returns at once
BUNDLE = "bundle"
ZIP = "application/zip"


class Gathered(builtins.list[Excerpt]):
    """A collection's excerpts as its viewer may read them now, and how many of its items
    were left out because their documents are no longer readable to the viewer."""

    def __init__(
        self, excerpts: builtins.list[Excerpt], left_out: int = 0, changed: int = 0
    ) -> None:
        super().__init__(excerpts)
        self.left_out = left_out
        self.changed = changed  # left out too: their words are not the ones collected


@dataclass(frozen=True)
class Collected:
    """What `CollectionDesk.collect` did: into which collection, how many places were
    added, and how many were there already."""

    collection: int
    added: int
    already: int


class CollectionDesk:
    def __init__(self, service: SearchService, collections: Collections) -> None:
        self._service = service
        self._collections = collections

    # -- keeping ------------------------------------------------------------------------

    def create(self, viewer: Viewer, name: str) -> Collection:
        return self._collections.create(_owner(viewer), name)

    def list(self, viewer: Viewer) -> builtins.list[CollectionSummary]:
        return self._collections.list(_owner(viewer))

    def get(self, viewer: Viewer, collection_id: int) -> Collection:
        return self._collections.get(_owner(viewer), collection_id)

    def find(self, viewer: Viewer, reference: str) -> Collection:
        """A collection by its id or its name."""
        return self._collections.find(_owner(viewer), reference)

    def rename(self, viewer: Viewer, collection_id: int, name: str) -> Collection:
        return self._collections.rename(_owner(viewer), collection_id, name)

    def delete(self, viewer: Viewer, collection_id: int) -> None:
        self._collections.delete(_owner(viewer), collection_id)

    def add(self, viewer: Viewer, collection_id: int, place: Place, note: str = "") -> Item:
        """Add a place the viewer may read (NotFound otherwise, as for a missing document;
        UsageError if the document has no such place)."""
        owner = _owner(viewer)
        self._collections.get(owner, collection_id)  # a missing collection says so first
        words = self._service.excerpt(viewer, place)
        return self._collections.add(owner, collection_id, place, note, words.sha256)

    def collect(
        self, viewer: Viewer, places: Sequence[Place], collection_id: int = 0,
        new_name: str = "", note: str = "",
    ) -> Collected:  # fmt: skip
        """Add places to one of the viewer's collections, or to a new one named
        `new_name`; a place already there is counted, not added again. Every place is
        checked before anything is written."""
        if not places:
            raise UsageError("Tick at least one paragraph to collect.")
        if not new_name.strip() and not collection_id:
            raise UsageError("Choose a collection, or give a name for a new one.")
        words = {place: self._service.excerpt(viewer, place).sha256 for place in places}
        if new_name.strip():
            collection_id = self.create(viewer, new_name).id
        held = {item.place for item in self.get(viewer, collection_id).items}
        fresh = [place for place in words if place not in held]
        for place in fresh:
            self._collections.add(_owner(viewer), collection_id, place, note, words[place])
        return Collected(collection_id, len(fresh), len(places) - len(fresh))

    def annotate(self, viewer: Viewer, collection_id: int, item_id: int, note: str) -> Item:
        return self._collections.annotate(_owner(viewer), collection_id, item_id, note)

    def move(self, viewer: Viewer, collection_id: int, item_id: int, position: int) -> Item:
        return self._collections.move(_owner(viewer), collection_id, item_id, position)

    def remove(self, viewer: Viewer, collection_id: int, item_id: int) -> None:
        self._collections.remove(_owner(viewer), collection_id, item_id)

    # -- reading and exporting -------------------------------------------------------------

    def excerpts(self, viewer: Viewer, collection_id: int, base_url: str = "") -> Gathered:
        """Each item's excerpt, from its document as the viewer may see it now, with the
        item's note; items whose document the viewer can no longer read are left out."""
        collection = self.get(viewer, collection_id)
        return self._gather(viewer, _places(collection), base_url)

    def held(
        self, viewer: Viewer, collection_id: int, base_url: str = ""
    ) -> tuple[Collection, builtins.list[tuple[Item, Excerpt | None, bool]]]:
        """A collection and, for each item, its excerpt as the viewer may read it now
        (None if it cannot) and whether its words changed since it was collected: what
        the collection's page shows."""
        collection = self.get(viewer, collection_id)
        taken = self._taken(viewer, _places(collection), base_url)
        return collection, [(item, excerpt, changed) for item, (excerpt, changed)
                            in zip(collection.items, taken, strict=True)]  # fmt: skip

    def export(
        self, viewer: Viewer, collection_id: int, format: str, language: str = "en",
        base_url: str = "",
    ) -> tuple[str, str, bytes]:  # fmt: skip
        """(file name, media type, content) of a collection exported in a format of
        `export.FORMATS`; recorded in the audit trail."""
        _check_format(format)
        collection = self.get(viewer, collection_id)
        request = self._request(viewer, collection, language, base_url)
        return self._rendered(viewer, _what(collection), request, format)

    @overload
    def bundle(
        self, viewer: Viewer, collection_id: int, destination: Path, language: str = ...,
        base_url: str = ...,
    ) -> Path: ...  # fmt: skip
    @overload
    def bundle(
        self, viewer: Viewer, collection_id: int, destination: None = ..., language: str = ...,
        base_url: str = ...,
    ) -> tuple[str, str, bytes]: ...  # fmt: skip
    def bundle(
        self, viewer: Viewer, collection_id: int, destination: Path | None = None,
        language: str = "en", base_url: str = "",
    ) -> Path | tuple[str, str, bytes]:  # fmt: skip
        """An evidence bundle (a BagIt bag) of a collection: written to `destination` (a
        directory, returned), or else zipped: (file name, media type, zip). Recorded in
        the audit trail as format "bundle", with the hash of its manifest (a directory)
        or of the zip."""
        collection = self.get(viewer, collection_id)
        request = self._request(viewer, collection, language, base_url)
        cited = self._service.cited_files(viewer, [e.doc for e in request.excerpts])
        if destination is not None:
            bag = write_bundle(request, cited, destination)
            # hashed as `verify` hashes a bag folder: its manifest
            manifest = (bag / "manifest-sha256.txt").read_bytes()
            self._service.record_export(viewer, _what(collection), BUNDLE, manifest,
                                        request.excerpts)  # fmt: skip
            return bag
        data = bundle_zip(request, cited)
        self._service.record_export(viewer, _what(collection), BUNDLE, data,
                                    request.excerpts)  # fmt: skip
        return bundle_name(request.title), ZIP, data

    def export_search_results(
        self, viewer: Viewer, request: SearchRequest, format: str, language: str = "en",
        base_url: str = "",
    ) -> tuple[str, str, bytes]:  # fmt: skip
        """A search's best paragraphs (at most 200) exported like a collection, titled
        "Search: <q>", described by the query and its filters."""
        _check_format(format)
        places: builtins.list[tuple[Place, str, str]] = []
        for page in range(1, MAX_SEARCH_PARAGRAPHS // _SEARCH_PAGE + 1):
            asked = dataclasses.replace(request, unit="paragraph", limit=_SEARCH_PAGE, page=page)
            result = self._service.search(asked, viewer)
            places += [(Place(hit.doc, hit.para, hit.para), "", "") for hit in result.hits
                       if isinstance(hit, ParagraphHit)]  # fmt: skip
            if len(result.hits) < _SEARCH_PAGE:
                break
        excerpts = self._gather(viewer, places[:MAX_SEARCH_PARAGRAPHS], base_url)
        export = self._new_request(viewer, f"Search: {request.q}", excerpts, language,
                                   describe_search(request))  # fmt: skip
        return self._rendered(viewer, f"search {request.q}", export, format)

    # -- helpers -----------------------------------------------------------------------

    def _gather(
        self, viewer: Viewer, places: builtins.list[tuple[Place, str, str]], base_url: str
    ) -> Gathered:
        """The excerpts of (place, note, SHA-256 of the words collected) as the viewer may
        read them now; left out: those no longer readable to the viewer, and those whose
        words are no longer the ones collected (a redaction or a correction since)."""
        taken = self._taken(viewer, places, base_url)
        return Gathered(
            [excerpt for excerpt, changed in taken if excerpt is not None and not changed],
            left_out=sum(excerpt is None and not changed for excerpt, changed in taken),
            changed=sum(changed for _excerpt, changed in taken),
        )

    def _taken(
        self, viewer: Viewer, places: builtins.list[tuple[Place, str, str]], base_url: str
    ) -> builtins.list[tuple[Excerpt | None, bool]]:
        """For each (place, note, SHA-256 of the words collected): its excerpt now, with
        the note (None where the document is no longer readable to the viewer, or no
        longer has the place), and whether its words changed since they were collected.
        Each document is read once."""
        access.require(viewer, "collect")
        documents: dict[str, Document | None] = {}
        taken: builtins.list[tuple[Excerpt | None, bool]] = []
        at = stamp()
        for place, note, collected in places:
            if place.doc not in documents:
                try:
                    documents[place.doc] = self._service.document(place.doc, viewer)
                except NotFound:
                    documents[place.doc] = None
            document = documents[place.doc]
            if document is None:
                taken.append((None, False))
                continue
            try:
                excerpt = extract(document, place, archive=self._service.name, at=at,
                                  base_url=self._service.base_url or base_url)  # fmt: skip
            except UsageError:  # the place is no longer in the document
                taken.append((None, True))
                continue
            changed = bool(collected) and excerpt.sha256 != collected
            taken.append((dataclasses.replace(excerpt, note=note), changed))
        return taken

    def _request(
        self, viewer: Viewer, collection: Collection, language: str, base_url: str
    ) -> ExportRequest:
        excerpts = self._gather(viewer, _places(collection), base_url)
        return self._new_request(viewer, collection.name, excerpts, language,
                                 left_out_note(excerpts.left_out, excerpts.changed))  # fmt: skip

    def _new_request(
        self, viewer: Viewer, title: str, excerpts: builtins.list[Excerpt], language: str,
        description: str,
    ) -> ExportRequest:  # fmt: skip
        return ExportRequest(title=title, excerpts=builtins.list(excerpts),
                             archive=self._service.name, exported_by=_owner(viewer),
                             exported_at=stamp(), language=language,
                             software=f"testimony-archive {__version__}",
                             description=description)  # fmt: skip

    def _rendered(
        self, viewer: Viewer, what: str, request: ExportRequest, format: str
    ) -> tuple[str, str, bytes]:
        data = render(request, format)
        self._service.record_export(viewer, what, format, data, request.excerpts)
        return filename(request, format), media_type(format), data


def _owner(viewer: Viewer) -> str:
    access.require(viewer, "collect")
    if not viewer.name:
        raise UsageError("a collection belongs to a named user; sign in")
    return viewer.name


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise UsageError(f"{format!r}: export as one of {', '.join(FORMATS)}")


def _what(collection: Collection) -> str:
    return f"collection {collection.id}: {collection.name}"


def bundle_name(title: str) -> str:
    """The file name of a zipped bundle titled so (a bundle folder's, without `.zip`)."""
    named = ExportRequest(title=title, excerpts=[], archive="", exported_by="",
                          exported_at=stamp())  # fmt: skip
    return bundle_filename(named)


def _places(collection: Collection) -> builtins.list[tuple[Place, str, str]]:
    """What `_gather` takes of a collection's items: place, note, the words' SHA-256."""
    return [(item.place, item.note, item.sha256) for item in collection.items]


def left_out_note(count: int, changed: int = 0) -> str:
    notes = []
    if count:
        notes.append(f"{count} excerpt{'s' if count != 1 else ''} left out: "
                     f"{'their documents are' if count != 1 else 'its document is'} no "
                     "longer readable to you.")  # fmt: skip
    if changed:
        notes.append(f"{changed} excerpt{'s' if changed != 1 else ''} left out: the words "
                     "at {} place are no longer the ones collected (a redaction or a "
                     "correction since); collect {} again.".format(
                         *(("their", "them") if changed != 1 else ("its", "it"))))  # fmt: skip
    return " ".join(notes)


def describe_search(request: SearchRequest) -> str:
    """The query and its filters, as a sentence: `Query: shocks; location: MX-CHP`."""
    shown = {"Query": request.q, "location": request.location,
             "abuse type": request.abuse_type, "perpetrator": request.perpetrator,
             "kind": request.kind, "language": request.language, "year": request.year,
             "from": request.date_from, "to": request.date_to,
             "confirmed tags only": "yes" if request.confirmed_only else None}  # fmt: skip
    return "; ".join(f"{name}: {value}" for name, value in shown.items() if value)


