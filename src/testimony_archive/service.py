"""The archive as its adapters see it: searches, documents, counts, tag changes,
redactions and imports, each asked for by a viewer.

The CLI and the web app hold one `SearchService` (and, for accounts, one
`security.Accounts`) and nothing else of the domain's: every method that returns a
document, a result or a count takes the viewer, asks the access policy (`access`) and
returns only what that viewer may see, redacted as it must be. What the audit trail must
hold is recorded here too: changes, imports and exports by anyone; searches and views of
restricted documents by signed-in web users.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import access, redaction, verification
from .access import Viewer
from .archive import Archive
from .citation import DEFAULT_ARCHIVE
from .config import Settings
from .document_file import serialize_document
from .errors import ArchiveError, IndexMissing, NotFound, UsageError
from .excerpts import Excerpt, Place, extract
from .history import History, TagChange
from .i18n import N_
from .import_readers import file_name_text
from .importer import ImportOptions, ImportReport, Progress, import_paths
from .index import (
    Counts,
    DocMeta,
    IndexReport,
    ParagraphHit,
    PostgresIndex,
    SearchBackend,
    SearchRequest,
    SearchResult,
    Span,
    WhooshIndex,
)
from .instance import InstanceDatabase, stamp
from .models import Document, Redaction
from .security.audit import AuditTrail
from .suggestions import paragraph_suggestions
from .tag_editing import SUGGESTION_ENGINE, Action, TagEditor
from .verification import STATUSES, Verdict
from .vocabulary import Vocabulary

if TYPE_CHECKING:  # the tagging package loads its lexicons only when it is used
    from .tagging import Suggestion, Tagger

MAX_MARKED_PARAGRAPHS = 100  # a query's matches marked on a document page
MAX_VERIFIED = 2_000  # excerpts in one verification
SOME_EDITOR = N_("an editor")  # in the tag history shown to those who do not edit
# What an audit entry of a search says besides the words (`q`, its target).
_RECORDED_FIELDS = tuple(
    each.name for each in dataclasses.fields(SearchRequest) if each.name not in ("q", "limit")
)


@dataclass(frozen=True)
class DocumentReading:
    """A document as one viewer reads it, with a query's matches marked."""

    document: Document  # redacted for the viewer
    hits: list[int]  # the paragraphs that match the query, in order
    spans: dict[int, list[Span]]  # paragraph number → the words to highlight
    history: list[TagChange]
    # For viewers who may review suggestions: paragraph → tag → the words behind it.
    evidence: dict[int, dict[str, str]]
    may_edit_tags: bool
    may_redact: bool = False
    # For those who may redact: for each redaction, where else its words stand in what
    # every reader sees (the title, a tag's label…).
    exposures: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class CitedFile:
    """An archive file as an evidence bundle carries it."""

    doc: str
    name: str  # the file's name in the bundle
    data: bytes
    exact: bool  # the archived file byte for byte (False: the document as shown)


WHOLE_DOCUMENT: tuple[access.Part, ...] = ("witness details", "exact dates", "redacted text")


class SearchService:
    """One per process, shared by threads."""

    def __init__(
        self, archive: Archive, backend: SearchBackend, history: History, audit: AuditTrail,
        name: str = DEFAULT_ARCHIVE, base_url: str = "",
    ) -> None:  # fmt: skip
        self._archive = archive
        self._backend = backend
        self._history = history
        self.audit = audit
        self.name = name  # the archive's, in citations and exports
        self.base_url = base_url  # for permalinks made outside a request

    @classmethod
    def open(
        cls, settings: Settings, database: InstanceDatabase, archive: Archive | None = None
    ) -> SearchService:
        """The archive and index that the settings name, over an instance database."""
        archive = archive or Archive(settings.archive_dir, cache_dir=settings.cache_dir)
        backend: SearchBackend
        if settings.search_backend == "postgresql":
            if database.is_sqlite:
                raise UsageError(
                    "TESTIMONY_SEARCH=postgresql needs a PostgreSQL instance database: set "
                    "TESTIMONY_DATABASE_URL=postgresql://..."
                )
            backend = PostgresIndex(archive, database)
        else:
            backend = WhooshIndex(archive, settings.index_dir)
        audit = AuditTrail(database, settings.audit_head_file)
        return cls(archive, backend, History(database), audit, settings.archive_name,
                   settings.base_url)  # fmt: skip

    @property
    def vocabulary(self) -> Vocabulary:
        return self._archive.vocabulary

    @property
    def in_process(self) -> bool:
        """Whether searches are computed in this process (`SearchBackend.in_process`)."""
        return self._backend.in_process

    @cached_property
    def tagger(self) -> Tagger:
        """The suggestion engine (built on first use: about a second)."""
        from .tagging import Tagger

        return Tagger(self._archive.vocabulary)

    # -- reading -----------------------------------------------------------------------

    def search(self, request: SearchRequest, viewer: Viewer, cache: bool = True) -> SearchResult:
        result = self._backend.search(request, access.scope(viewer), cache)
        if _audited(viewer):
            filters = {name: getattr(request, name) for name in _RECORDED_FIELDS
                       if getattr(request, name)}  # fmt: skip
            self.audit.note(viewer, "search", request.q[:200], **filters)
        return result

    def document(self, doc_id: str, viewer: Viewer) -> Document:
        """A document this viewer may read, redacted for it; NotFound otherwise, in the
        same words, and in about the same time, as for a document that does not exist:
        the index says whether it may be read before its file is opened."""
        try:
            meta = self._backend.indexed(doc_id)
        except IndexMissing:
            meta = None
        if meta is not None and not access.may_see(viewer, meta.access):
            raise NotFound(f"no document with id {doc_id!r}")
        document = self._archive.get(doc_id)
        if not access.may_see(viewer, document.access):  # changed since it was indexed
            raise NotFound(f"no document with id {doc_id!r}")
        return access.redact(document, viewer)

    def open_document(self, doc_id: str, viewer: Viewer) -> Document:
        """`document`, for a person who reads it: a view of a restricted document by a
        signed-in user is recorded in the audit trail."""
        document = self.document(doc_id, viewer)
        if document.access != "public" and _audited(viewer):
            self.audit.note(viewer, "view", document.id)
        return document

    def documents(self, viewer: Viewer) -> Iterator[Document]:
        """Every document this viewer may read, in file order, redacted for it."""
        for document in self._archive:
            if access.may_see(viewer, document.access):
                yield access.redact(document, viewer)

    def reading(self, doc_id: str, viewer: Viewer, q: str = "") -> DocumentReading:
        """What the document page shows: the document, the paragraphs matching `q` with
        their words highlighted, the tag history and, for those who may edit tags, the
        words behind each pending suggestion."""
        document = self.open_document(doc_id, viewer)
        scope = access.scope(viewer)
        hits: list[int] = []
        spans: dict[int, list[Span]] = {}
        if q.strip():
            terms = self._backend.highlight_terms(q, scope)
            found = self._backend.search(
                SearchRequest(q=q, doc=document.id, unit="paragraph", limit=MAX_MARKED_PARAGRAPHS),
                scope,
            )
            hits = sorted(hit.para for hit in found.hits if isinstance(hit, ParagraphHit))
            for paragraph in document.paragraphs:
                found_spans = self._backend.spans(paragraph.text, document.language, terms)
                if found_spans:
                    spans[paragraph.number] = found_spans
        editing = access.may(viewer, "edit tags")
        return DocumentReading(
            document=document,
            hits=hits,
            spans=spans,
            history=self._shown_history(document.id, viewer),
            evidence=self._evidence(document) if editing else {},
            may_edit_tags=editing,
            may_redact=access.may(viewer, "redact"),
            exposures=self.exposures(document) if access.may(viewer, "redact") else [],
        )

    def excerpt(self, viewer: Viewer, place: Place, base_url: str = "") -> Excerpt:
        """The excerpt at a place, from the document as this viewer may see it; NotFound
        as `document` gives it, UsageError if the document has no such place."""
        document = self.document(place.doc, viewer)
        return extract(document, place, archive=self.name, at=stamp(),
                       base_url=self.base_url or base_url)  # fmt: skip

    def verify(
        self, viewer: Viewer, excerpts: list[Excerpt], what: str, sha256: str
    ) -> list[Verdict]:
        """Check each excerpt against the archive as this viewer may see it
        (`verification`), each document read once; recorded in the audit trail with the
        input's hash. UsageError for more than MAX_VERIFIED excerpts at once."""
        if len(excerpts) > MAX_VERIFIED:
            raise UsageError(f"{len(excerpts):,} excerpts: verify at most {MAX_VERIFIED:,} "
                             "at once (split the file)")  # fmt: skip
        views: dict[str, list[Document] | Verdict] = {}
        verdicts = []
        for number, excerpt in enumerate(excerpts, start=1):
            if excerpt.doc not in views:
                views[excerpt.doc] = self._views(viewer, excerpt)
            found = views[excerpt.doc]
            if isinstance(found, list):
                verdicts.append(verification.verify(number, excerpt, found))
            else:
                verdicts.append(dataclasses.replace(found, number=number, excerpt=excerpt))
        outcome = {status: sum(v.status == status for v in verdicts) for status in STATUSES}
        self.audit.record(viewer, "verify", what[:200], sha256=sha256, excerpts=len(verdicts),
                          **{status.replace(" ", "_"): count for status, count in outcome.items()
                             if count})  # fmt: skip
        return verdicts

    def _views(self, viewer: Viewer, excerpt: Excerpt) -> list[Document] | Verdict:
        """The document as the viewer sees it and, for a viewer who sees every word, as
        readers without that right see it; or the verdict for a document not there."""
        try:
            view = self.document(excerpt.doc, viewer)
        except NotFound:
            return verification.missing(0, excerpt)
        except ArchiveError as error:
            try:
                meta = self._backend.indexed(excerpt.doc)
            except IndexMissing:
                meta = None
            if meta is None or not access.may_see(viewer, meta.access):
                return verification.missing(0, excerpt)
            return verification.unreadable(0, excerpt, error.reason)
        if not view.redacted and view.redactions:
            return [view, redaction.redacted(view)]
        return [view]

    def cited_files(self, viewer: Viewer, doc_ids: list[str]) -> list[CitedFile]:
        """The archive files an export cites, for its evidence bundle: each exactly as it is
        in the archive where the viewer may see every part of it; otherwise the document
        as the viewer may see it (redacted, the witness by pseudonym), in the archive's
        format, and marked as not the archived file."""
        files: list[CitedFile] = []
        for doc_id in dict.fromkeys(doc_ids):
            shown = self.document(doc_id, viewer)
            whole = all(access.may_see(viewer, shown.access, part) for part in WHOLE_DOCUMENT)
            if whole and shown.path is not None:
                files.append(CitedFile(doc_id, f"{doc_id}.md", shown.path.read_bytes(), True))
            else:
                # `extra` may hold what identifies a witness (where the testimony was
                # taken): left out of what is not the archived file.
                text = serialize_document(dataclasses.replace(shown, extra={})).encode("utf-8")
                files.append(CitedFile(doc_id, f"{doc_id}.as-shown.md", text, False))
        return files

    def record_export(
        self, viewer: Viewer, what: str, format: str, output: bytes, excerpts: list[Excerpt]
    ) -> None:
        """An export in the audit trail: who, when, what, in which format, its hash, and
        which documents it quotes."""
        docs = sorted({excerpt.doc for excerpt in excerpts})
        self.audit.record(viewer, "export", what[:200], format=format, excerpts=len(excerpts),
                          documents=docs[:200], sha256=hashlib.sha256(output).hexdigest(),
                          size=len(output))  # fmt: skip

    def exposures(self, document: Document) -> list[list[str]]:
        """For each redaction of a document, where else its words stand in what every
        reader sees (`redaction.exposures`)."""
        vocabulary = self._archive.vocabulary

        def labels(name: str, value: str) -> list[str]:
            return [vocabulary.label(name, value, language) for language in ("en", "es")]

        return redaction.exposures(document, labels)

    def counts(self, viewer: Viewer) -> Counts:
        """How many documents and paragraphs this viewer may read, and their facets."""
        return self._backend.counts(access.scope(viewer))

    def pending(self, viewer: Viewer) -> list[DocMeta]:
        """Readable documents whose suggested tags wait for review: those with the most
        confident suggestion first, then those with the most (`DocMeta.review_rank`)."""
        return self._backend.pending(access.scope(viewer))

    def history(self, doc_id: str, viewer: Viewer) -> list[TagChange]:
        """Who changed which tag of a document, when: the names of the people only for
        those who edit tags themselves (an editor's name is theirs to give)."""
        return self._shown_history(self.document(doc_id, viewer).id, viewer)

    def _shown_history(self, doc_id: str, viewer: Viewer) -> list[TagChange]:
        changes = self._history.for_document(doc_id)
        if access.may(viewer, "edit tags"):
            return changes
        return [
            change if change.editor == SUGGESTION_ENGINE
            else dataclasses.replace(change, editor=SOME_EDITOR)
            for change in changes
        ]  # fmt: skip

    def suggestions(
        self, doc_id: str, viewer: Viewer, min_confidence: float = 0.0
    ) -> dict[int, Suggestion]:
        """What the machine suggests for each paragraph of a document, with evidence and
        confidence: only what it suggests with at least `min_confidence`."""
        return paragraph_suggestions(self.tagger, self.document(doc_id, viewer), min_confidence)

    def lookup(self, viewer: Viewer) -> Callable[[str], Document]:
        """`document` for one viewer, for code that reads documents by id."""
        return lambda doc_id: self.document(doc_id, viewer)

    def _evidence(self, document: Document) -> dict[int, dict[str, str]]:
        """For each paragraph with pending suggestions: tag → the words that suggest it."""
        if not any(segment.suggested for segment in document.segments.values()):
            return {}
        found: dict[int, dict[str, str]] = {}
        for number, suggestion in paragraph_suggestions(self.tagger, document).items():
            words: dict[str, list[str]] = {}
            for item in suggestion.evidence:
                words.setdefault(item.value, []).append(f"“{item.text}”")
            found[number] = {
                value: ", ".join(dict.fromkeys(texts)) for value, texts in words.items()
            }
        return found

    # -- changing ----------------------------------------------------------------------

    def edit_tags(
        self,
        viewer: Viewer,
        doc_id: str,
        action: Action,
        values: list[str],
        para: int | None = None,
        confidence: Mapping[str, float] | None = None,
    ) -> Document:
        """Apply a tag action for a viewer who may edit tags; the change is recorded under
        the viewer's name and searchable at once. Returns the document as written.
        `confidence`: for `suggest`, how sure the machine is of each value (kept in the
        document's front matter until the suggestion is accepted or rejected)."""
        editor = access.require(viewer, "edit tags")
        self.document(doc_id, viewer)  # NotFound for a document the viewer may not read
        updated = TagEditor(self._archive, self._history, editor).change(
            doc_id, action, values, para, confidence
        )
        self._backend.document_changed(doc_id)
        self.audit.record(viewer, "tag-edit", doc_id, change=action, values=values, para=para)
        return updated

    def redact(
        self, viewer: Viewer, doc_id: str, para: int, reason: str, *, chars: str = "",
        words: str = "",
    ) -> Document:  # fmt: skip
        """Hide a passage of one paragraph from readers who may not see it: characters
        `chars` ("12-25", counted from 1), or every place `words` stand. The archive
        file's front matter records it (the text is never touched); searchable as
        redacted at once."""
        editor = access.require(viewer, "redact")
        self.document(doc_id, viewer)
        if not reason.strip():
            raise UsageError("say why the passage is redacted (a reason)")
        if bool(chars.strip()) == bool(words.strip()):
            raise UsageError("give either the characters to redact (12-25) or the words")
        at = stamp()
        with self._archive.write_lock():
            document = self._archive.get(doc_id)
            paragraph = document.paragraph(para)
            if paragraph is None:
                raise UsageError(
                    f"{doc_id} has no paragraph {para} (it has {len(document.paragraphs)})"
                )
            ranges = [redaction.parse_chars(chars)] if chars.strip() else (
                redaction.occurrences(paragraph.text, words))  # fmt: skip
            added = [Redaction(para, start, end, reason.strip(), editor, at)
                     for start, end in ranges]  # fmt: skip
            for item in added:
                redaction.check(document, item)
            updated = dataclasses.replace(document, redactions=(*document.redactions, *added))
            self._archive.write(updated, document.path)
        self._backend.document_changed(doc_id)
        self.audit.record(viewer, "redact", doc_id, para=para,
                          chars=[item.chars for item in added], reason=reason.strip())  # fmt: skip
        return updated

    def unredact(
        self, viewer: Viewer, doc_id: str, number: int, expected: str | None = None
    ) -> Document:
        """Remove the document's redaction `number` (counted from 1, in file order). With
        `expected` ("para:chars" as the page showed it), refuse if that number is now
        another redaction (a form sent twice, or another editor's removal meanwhile)."""
        access.require(viewer, "redact")
        self.document(doc_id, viewer)
        with self._archive.write_lock():
            document = self._archive.get(doc_id)
            if not 1 <= number <= len(document.redactions):
                raise UsageError(
                    f"{doc_id} has {len(document.redactions)} redactions; there is no "
                    f"number {number}"
                )
            removed = document.redactions[number - 1]
            if expected is not None and expected != f"{removed.para}:{removed.chars}":
                raise UsageError("that redaction was changed or removed meanwhile; reload the page")
            kept = document.redactions[: number - 1] + document.redactions[number:]
            updated = dataclasses.replace(document, redactions=kept)
            self._archive.write(updated, document.path)
        self._backend.document_changed(doc_id)
        self.audit.record(viewer, "unredact", doc_id, para=removed.para, chars=removed.chars,
                          reason=removed.reason)  # fmt: skip
        return updated

    def import_files(
        self,
        viewer: Viewer,
        paths: list[Path],
        progress: Progress | None = None,
        suggest: bool = True,
        options: ImportOptions | None = None,
    ) -> ImportReport:
        """Import documents from files (see `importer`: all or nothing), recorded in the
        audit trail."""
        access.require(viewer, "import")
        options = options or ImportOptions()
        tagger = self.tagger if suggest and not options.dry_run else None
        report = import_paths(self._archive, paths, progress, tagger, options)
        names = ", ".join(file_name_text(path.name) for path in paths)
        self.audit.record(viewer, "import", names[:200],
                          imported=len(report.imported), skipped=len(report.skipped),
                          failed=len(report.failed),
                          **({"dry_run": True} if options.dry_run else {}))  # fmt: skip
        return report

    def record(self, viewer: Viewer, action: str, target: str = "", **detail: Any) -> None:
        """Record in the audit trail what an adapter did with what the service gave it
        (an export, say)."""
        self.audit.record(viewer, action, target, **detail)

    # -- the index ---------------------------------------------------------------------

    def index_exists(self) -> bool:
        return self._backend.exists()

    def update_index(
        self, rebuild: bool = False, progress: Callable[[int], None] | None = None
    ) -> IndexReport:
        """Bring the index up to date (only changed files are read), or rebuild it."""
        if rebuild or not self._backend.exists():
            return self._backend.rebuild(progress)
        return self._backend.update(progress)

    def warm(self) -> None:
        self._backend.warm()

    def close(self) -> None:
        self._backend.close()
        self.audit.close()


def _audited(viewer: Viewer) -> bool:
    """Whether a viewer's searches and reads are recorded: those of signed-in web users.
    (The command line's are not: whoever runs it holds the archive's files.)"""
    return viewer.signed_in and viewer.via == "web"
