"""Typed page contexts of the collections, verification and import pages."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CollectionRow:
    id: int
    name: str
    size: int
    updated_at: str
    url: str


@dataclass
class CollectionsPage:
    template = "collections.html"
    collections: list[CollectionRow]
    error: str = ""


@dataclass
class ExcerptRow:
    item: int  # the item's id, for its forms
    position: int
    locator: str  # ¶4, ¶4–6, or ¶4, characters 12–80
    doc: str
    title: str
    url: str  # the paragraph on its document page
    text: str | None  # None: the document is no longer readable to the viewer
    language: str
    citation: str  # formatted by `citation`, in the interface language
    note: str
    redacted: bool
    changed: bool = False  # the words at the place are no longer the ones collected


@dataclass
class CollectionPage:
    template = "collection.html"
    id: int
    name: str
    rows: list[ExcerptRow]
    left_out: int  # items whose documents the viewer can no longer read
    formats: list[tuple[str, str]]  # (format, label) for the export links
    added: int = 0
    already: int = 0
    back_url: str = ""


@dataclass
class PlaceChoice:
    value: str  # doc:para[-para][:chars], as the forms carry it
    label: str  # ¶4 of "Title"
    words: str  # the passage's first words


@dataclass
class CollectPage:
    """Where ticked paragraphs (or a selection) go: a collection of the viewer's, or a
    new one."""

    template = "collect.html"
    places: list[PlaceChoice]
    collections: list[CollectionRow]
    next_url: str
    problems: list[str] = field(default_factory=list)


@dataclass
class VerdictRow:
    number: int
    status: str  # faithful, redacted since, altered, missing
    label: str  # the status in the interface language
    where: str
    detail: str


@dataclass
class VerifyPage:
    template = "verify.html"
    max_megabytes: int
    checked: bool = False
    file_name: str = ""
    kind: str = ""  # json, bag, zipped bag
    rows: list[VerdictRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the bag's own
    error: str = ""
    forms = True  # anyone who may read may verify: the upload form needs a token

    @property
    def all_faithful(self) -> bool:
        return self.checked and not self.problems and all(
            row.status == "faithful" for row in self.rows
        )


@dataclass
class ImportFileRow:
    name: str  # as it was sent (never the server's path)
    new: int
    skipped: int  # already archived with the same text
    failed: int


@dataclass
class ImportPage:
    """The import form (for editors and administrators), and the report on the files
    sent: the one `testimony import` prints, per file."""

    template = "import.html"
    max_megabytes: int
    encoding: str = "utf-8"
    dry_run: bool = False
    skip_invalid: bool = False
    checked: bool = False
    summary: str = ""  # the report in a sentence or two
    files: list[ImportFileRow] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)  # "name:line: reason"
    more_refusals: int = 0  # not listed
    index_note: str = ""
    error: str = ""
