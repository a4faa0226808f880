"""What one index generation knows, in arrays, shared by every thread.

Whoosh's own matchers score one posting at a time in Python; a search here reads each
query term's postings once and scores them with numpy. Everything read from the index is
cached per *segment* (segments never change once written), so a new generation after a
small update only reads its new segment: a document is searchable within a second even
in a large archive. The snapshot maps every index entry to its document and paragraph
and holds the facet memberships, so that facet counts over the whole result set are a
few array sums.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from ..access import Scope
from .entries import DocMeta
from .phrases import phrase_at
from .postings_blocks import read_positions, read_postings
from .postings_table import PostingsTable, table_path
from .schema import CONFIRMED_SUFFIX, DOCUMENT, REDACTED_PARAGRAPH, UNREDACTED_PARAGRAPH

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]
TermScores = tuple[IntArray, FloatArray]  # a term's entries, and its score in each
T = TypeVar("T")
POSTINGS_CACHE_BYTES = 160 * 2**20  # all segments together
FILTER_CACHE_SIZE = 64
# Results of a generation, per search and scope, bounded by their estimated size (a
# results page is 20-60 KB pickled; `result_weight`). Each role has its own entries (a
# researcher's results are not an anonymous visitor's): the bound leaves room for the
# searches of several roles at once (a bound of 256 entries made two roles' 140
# searches evict each other).
RESULT_CACHE_BYTES = 48 * 2**20
# Each word's BM25 scores in a generation, per scope: new queries share their words (at
# ×10 a common word's scores weigh about 2 MB; most weigh a few KB).
TERM_SCORES_BYTES = 48 * 2**20
SEGMENT_CACHE_SIZE = 64
UNREDACTED, REDACTED = 1, 2  # `Snapshot.variant`


def scores_weight(pair: TermScores) -> int:
    """What a term's entries and scores weigh in the cache (the entries are often the
    postings cache's own array, counted again)."""
    return pair[0].nbytes + pair[1].nbytes + 800


def result_weight(result: Any) -> int:
    """What a results page weighs in the cache, estimated from its hits and facet values
    without walking it (fitted on the bench's queries to the size of the page pickled,
    about 1 KB + 1.5 KB a hit + 100 bytes a facet value, and doubled: the estimate falls
    short of the pickled size by up to 2.5 times, and a page in memory is larger still)."""
    facets = sum(len(values) for values in result.facets.values())
    return 2 * (1024 + 1536 * len(result.hits) + 128 * facets)


class LRU:
    """A thread-safe least-recently-used cache, bounded by a count of items or, with
    `weigh`, by their total weight (bytes)."""

    def __init__(self, size: int, weigh: Callable[[Any], int] | None = None) -> None:
        self.size = size
        self.weigh = weigh or (lambda _value: 1)
        self.total = 0
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._weights: dict[Any, int] = {}  # weighed once, when the item comes in
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        """The value kept under `key` (now the most recently used), or None."""
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def fetch(self, key: Any, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                value: T = self._items[key]
                return value
        value = build()
        weight = self.weigh(value)
        with self._lock:
            if key not in self._items:
                self._items[key] = value
                self._weights[key] = weight
                self.total += weight
            while self.total > self.size and len(self._items) > 1:
                dropped, _value = self._items.popitem(last=False)
                self.total -= self._weights.pop(dropped)
        return value


@dataclass
class SegmentData:
    """What one immutable segment holds, read once."""

    size: int
    metas: list[tuple[int, DocMeta]]  # (local entry number, metadata) of document entries
    doc_ids: list[str]  # the distinct document ids of its paragraph entries
    doc_index: IntArray  # local entry → index into doc_ids, -1 for other entries
    paras: IntArray  # local entry → paragraph number, 0 for other entries
    # Local entries of paragraphs with redacted passages: their whole text, and their
    # text without the passages (`schema.REDACTED_PARAGRAPH`).
    unredacted: IntArray
    redacted: IntArray
    lengths: dict[str, FloatArray] = field(default_factory=dict)

    @classmethod
    def read(cls, reader: IndexReader) -> SegmentData:
        size = reader.doc_count_all()
        metas = []
        if ("entry", DOCUMENT) in reader:
            for local in reader.postings("entry", DOCUMENT).all_ids():
                metas.append((local, DocMeta.from_json(reader.stored_fields(local)["meta"])))
        doc_column = reader.column_reader("doc")
        para_column = reader.column_reader("para")
        paras = np.fromiter((para_column[n] for n in range(size)), dtype=np.int32, count=size)
        doc_ids: list[str] = []
        positions: dict[str, int] = {}
        doc_index = np.full(size, -1, np.int32)
        for local in np.flatnonzero(paras).tolist():
            doc_id = doc_column[local]
            index = positions.get(doc_id)
            if index is None:
                index = positions[doc_id] = len(doc_ids)
                doc_ids.append(doc_id)
            doc_index[local] = index
        unredacted, redacted = (
            np.fromiter(reader.postings("entry", value).all_ids(), dtype=np.int32)
            if ("entry", value) in reader
            else np.empty(0, np.int32)
            for value in (UNREDACTED_PARAGRAPH, REDACTED_PARAGRAPH)
        )
        return cls(size, metas, doc_ids, doc_index, paras, unredacted, redacted)


_segments = LRU(SEGMENT_CACHE_SIZE)
# (an entry costs its arrays, two numpy headers of about 100 bytes, a tuple, its key and
# the dictionary's slots: about 800 bytes besides the arrays, counted, so that words no
# segment holds, which visitors may type at will, weigh what they cost)
_postings = LRU(POSTINGS_CACHE_BYTES, weigh=lambda pair: pair[0].nbytes + pair[1].nbytes + 800)


RETRY_S = 1.0
# Tables open in this process, by file, with the file's identity when it was read: kept
# from one generation to the next (each holds a segment's term directory in memory, and
# an open file), dropped when their segment leaves the index or the index is closed.
_open: dict[str, tuple[tuple[int, int, int], PostingsTable]] = {}
_open_lock = threading.Lock()


def open_tables(index_dir: Path, segment_ids: list[str]) -> dict[str, PostingsTable]:
    """The tables of these segments that are written (the others are looked for again
    next time), forgetting those of the folder's other segments."""
    found: dict[str, PostingsTable] = {}
    with _open_lock:
        for sid in segment_ids:
            path = table_path(index_dir, sid)
            try:
                stat = path.stat()
            except OSError:
                continue
            identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
            known = _open.get(str(path))
            if known is None or known[0] != identity:
                table = PostingsTable.load(path)
                if table is None:
                    continue
                known = _open[str(path)] = (identity, table)
            found[sid] = known[1]
        if len(segment_ids) > 1:  # (a whole generation: the folder's other tables are gone)
            kept = {str(table_path(index_dir, sid)) for sid in segment_ids}
            folder = str(table_path(index_dir, "x").parent)
            for key in [key for key in _open if key not in kept]:
                if str(Path(key).parent) == folder:
                    del _open[key]
    return found


def close_tables(index_dir: Path) -> None:
    """Forget the tables of an index (their files close with the last snapshot)."""
    folder = str(table_path(index_dir, "x").parent)
    with _open_lock:
        for key in [key for key in _open if str(Path(key).parent) == folder]:
            del _open[key]


def _segment(segment_id: str, reader: IndexReader) -> SegmentData:
    segment: SegmentData = _segments.fetch(segment_id, partial(SegmentData.read, reader))
    return segment


def _leaves(reader: IndexReader) -> list[tuple[str, int, IndexReader]]:
    """(segment id, offset of its first entry, its reader) for each segment."""
    return [(leaf.segment().segment_id(), offset, leaf) for leaf, offset in reader.leaf_readers()]


@dataclass
class Snapshot:
    """Shared by threads; whatever it reads, it reads through the caller's own reader
    (Whoosh readers are not thread-safe)."""

    docs: list[DocMeta]
    ordinal_by_id: dict[str, int]
    doc_of_entry: IntArray  # entry docnum → document ordinal, -1 for other entries
    para_of_entry: IntArray  # entry docnum → paragraph number, 0 for other entries
    live: BoolArray  # entry docnum → a live paragraph entry (not deleted)
    # Entry docnum → the whole text of a paragraph with redacted passages (1), the text
    # without them (2), or a paragraph without redactions (0).
    variant: npt.NDArray[np.int8]
    segments: list[tuple[str, int]]  # (segment id, offset)
    # Each segment's postings as arrays (`postings_table`), where they have been written,
    # and its deleted entries in this generation (sorted).
    tables: dict[str, PostingsTable] = field(default_factory=dict)
    deleted: dict[str, IntArray] = field(default_factory=dict)
    index_dir: Path | None = None
    _looked_for: dict[str, float] = field(default_factory=dict)  # a missing table, when
    _filters: LRU = field(default_factory=lambda: LRU(FILTER_CACHE_SIZE))
    results: LRU = field(default_factory=lambda: LRU(RESULT_CACHE_BYTES, weigh=result_weight))
    _scored: LRU = field(default_factory=lambda: LRU(TERM_SCORES_BYTES, weigh=scores_weight))
    _facets: dict[tuple[str, bool], Members] = field(default_factory=dict)
    _readable: dict[Scope, BoolArray] = field(default_factory=dict)
    _population: dict[Scope, int] = field(default_factory=dict)
    _lengths: dict[str, FloatArray] = field(default_factory=dict)
    _averages: dict[tuple[str, Scope], float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def size(self) -> int:
        return len(self.doc_of_entry)

    def readable(self, scope: Scope) -> BoolArray:
        """The live paragraph entries of documents of the scope's access levels, each
        paragraph with redacted passages in the one form the scope may search (computed,
        not searched: the access filter is on every search, and this costs no index
        read)."""
        mask = self._readable.get(scope)
        if mask is None:
            doc_readable = self.readable_documents(scope.levels).tolist() + [False]
            mask = np.array(doc_readable, np.bool_)[self.doc_of_entry] & self.live  # -1 → False
            mask &= self.variant != (REDACTED if scope.unredacted else UNREDACTED)
            with self._lock:
                self._readable[scope] = mask
        return mask

    def population(self, scope: Scope) -> int:
        """How many entries of the index the scope may search: its paragraph entries and
        the metadata entries of the documents it may read (never a deleted entry: an
        edit leaves the old entries in their segment until a merge)."""
        cached = self._population.get(scope)
        if cached is None:
            documents = int(self.readable_documents(scope.levels).sum())
            cached = int(self.readable(scope).sum()) + documents
            with self._lock:
                self._population[scope] = cached
        return cached

    def readable_documents(self, levels: frozenset[str]) -> BoolArray:
        """Document ordinal → whether its access level is one of these."""
        return np.array([meta.access in levels for meta in self.docs], np.bool_)

    @cached_property
    def dates(self) -> npt.NDArray[np.int64]:
        """Each document's date as yyyymmdd (0 where it has none), for sorting by date."""
        return np.array([meta.sort_date or 0 for meta in self.docs], np.int64)

    @cached_property
    def doc_rank(self) -> npt.NDArray[np.int64]:
        """Each document's place in the order of ids: ties in ranking are broken by it,
        so that results do not depend on how the index is split into segments."""
        rank = np.empty(len(self.docs), np.int64)
        rank[sorted(range(len(self.docs)), key=lambda ordinal: self.docs[ordinal].id)] = np.arange(
            len(self.docs), dtype=np.int64
        )
        return rank

    @cached_property
    def entry_rank(self) -> npt.NDArray[np.int64]:
        """Each paragraph entry's place in the order of (document id, paragraph number)."""
        rank: npt.NDArray[np.int64] = self.doc_rank[self.doc_of_entry] * 2**32 + self.para_of_entry
        return rank

    @classmethod
    def build(cls, searcher: Searcher, index_dir: Path | None = None) -> Snapshot:
        reader = searcher.reader()
        size = reader.doc_count_all()
        leaves = _leaves(reader)
        data = [(_segment(sid, leaf), offset, leaf) for sid, offset, leaf in leaves]
        docs: list[DocMeta] = []
        ordinal_by_id: dict[str, int] = {}
        live = np.zeros(size, np.bool_)
        deleted_sets = []
        for segment, _offset, leaf in data:
            deleted = _deleted(leaf)
            deleted_sets.append(deleted)
            for local, meta in segment.metas:
                if local not in deleted:
                    ordinal_by_id[meta.id] = len(docs)
                    docs.append(meta)
        doc_of_entry = np.full(size, -1, np.int32)
        para_of_entry = np.zeros(size, np.int32)
        variant = np.zeros(size, np.int8)
        for (segment, offset, _leaf), deleted in zip(data, deleted_sets, strict=True):
            ordinals = np.array(
                [ordinal_by_id.get(doc_id, -1) for doc_id in segment.doc_ids] + [-1], np.int32
            )
            local_ordinals = ordinals[segment.doc_index]  # -1 indexes the trailing -1
            span = slice(offset, offset + segment.size)
            doc_of_entry[span] = local_ordinals
            para_of_entry[span] = segment.paras
            variant[segment.unredacted + offset] = UNREDACTED
            variant[segment.redacted + offset] = REDACTED
            segment_live = local_ordinals >= 0
            if deleted:
                segment_live[np.fromiter(deleted, dtype=np.int64)] = False
            live[span] = segment_live
        doc_of_entry[~live] = -1
        sids = [sid for sid, _offset, _leaf in leaves]
        tables = open_tables(index_dir, sids) if index_dir is not None else {}
        deleted_entries = {
            sid: np.array(sorted(gone), np.int32)
            for (sid, _offset, _leaf), gone in zip(leaves, deleted_sets, strict=True)
            if gone
        }
        segments = [(sid, offset) for sid, offset, _ in leaves]
        return cls(docs, ordinal_by_id, doc_of_entry, para_of_entry, live, variant, segments,
                   tables, deleted_entries, index_dir)  # fmt: skip

    # -- term statistics ---------------------------------------------------------------

    def postings(
        self, reader: IndexReader, field_name: str, term: str
    ) -> tuple[IntArray, FloatArray]:
        """Entry numbers and weights (term frequencies × field boost) of a term, without
        the entries deleted in this generation."""
        ids: list[IntArray] = []
        weights: list[FloatArray] = []
        for sid, offset, leaf in _leaves(reader):
            local_ids, local_weights = self._segment_postings(sid, leaf, field_name, term)
            if local_ids.size:
                ids.append(local_ids + np.int32(offset) if offset else local_ids)
                weights.append(local_weights)
        if not ids:
            return np.empty(0, np.int32), np.empty(0, np.float32)
        if len(ids) == 1:
            return ids[0], weights[0]
        return np.concatenate(ids), np.concatenate(weights)

    def _segment_postings(
        self, sid: str, leaf: IndexReader, field_name: str, term: str
    ) -> tuple[IntArray, FloatArray]:
        table = self.tables.get(sid) or self._late_table(sid)
        number = table.term(field_name, term) if table is not None else None
        if table is not None and number is not None:
            ids, weights = table.postings(number)
        else:
            ids, weights = _postings.fetch(
                (sid, field_name, term), partial(read_postings, leaf, field_name, term)
            )
        deleted = self.deleted.get(sid)
        if deleted is not None and ids.size:
            keep = ~np.isin(ids, deleted)
            ids, weights = ids[keep], weights[keep]
        return ids, weights

    def _late_table(self, sid: str) -> PostingsTable | None:
        """A table written after this generation's snapshot was made (looked for at most
        once a second; until then the segment is read from Whoosh's blocks)."""
        if self.index_dir is None:
            return None
        now = time.monotonic()
        if now - self._looked_for.get(sid, -RETRY_S) < RETRY_S:
            return None
        self._looked_for[sid] = now
        table = open_tables(self.index_dir, [sid]).get(sid)
        if table is not None:
            self.tables[sid] = table
        return table

    def positions(
        self, reader: IndexReader, field_name: str, term: str, docnums: IntArray
    ) -> dict[int, list[int]]:
        """The positions of a term in each of the entries `docnums` (sorted) that hold
        it (not deleted)."""
        found: dict[int, list[int]] = {}
        for sid, offset, leaf in _leaves(reader):
            local = docnums[(docnums >= offset) & (docnums < offset + leaf.doc_count_all())]
            if not local.size:
                continue
            local = (local - offset).astype(np.int32)
            deleted = self.deleted.get(sid)
            if deleted is not None:
                local = local[~np.isin(local, deleted)]
            here = self._segment_positions(sid, leaf, field_name, term, local)
            found.update((docnum + offset, positions) for docnum, positions in here.items())
        return found

    def _segment_positions(
        self, sid: str, leaf: IndexReader, field_name: str, term: str, local: IntArray
    ) -> dict[int, list[int]]:
        """A term's positions in a segment's entries `local`, from its table where it
        has one."""
        table = self.tables.get(sid) or self._late_table(sid)
        number = table.term(field_name, term) if table is not None else None
        if table is not None and number is not None:
            return table.positions_of(number, local)
        return read_positions(leaf, field_name, term, local)

    def phrase(
        self, reader: IndexReader, field_name: str, terms: tuple[str, ...], slop: int
    ) -> IntArray:
        """The entries (not deleted) where the terms stand in this order, each within
        `slop` positions of the one before: what Whoosh's `Phrase` query matches (the
        entries holding every term first, from their postings; then positions, of those
        only)."""
        matched: list[IntArray] = []
        for sid, offset, leaf in _leaves(reader):
            common: IntArray | None = None
            for term in dict.fromkeys(terms):
                ids = self._segment_postings(sid, leaf, field_name, term)[0]
                common = ids if common is None else np.intersect1d(common, ids, assume_unique=True)
                if not common.size:
                    break
            if common is None or not common.size:
                continue
            local = common.astype(np.int32)
            where = {
                term: self._segment_positions(sid, leaf, field_name, term, local)
                for term in dict.fromkeys(terms)
            }
            found = [
                docnum
                for docnum in local.tolist()
                if phrase_at([where[term].get(docnum, []) for term in terms], slop)
            ]
            if found:
                matched.append(np.array(found, np.int32) + np.int32(offset))
        return np.concatenate(matched) if matched else np.empty(0, np.int32)

    def lengths(
        self, reader: IndexReader, field_name: str, scope: Scope
    ) -> tuple[FloatArray, float]:
        """Per-entry length of a text field, and its average over the entries the scope
        may search that have it."""
        values = self._all_lengths(reader, field_name)
        key = (field_name, scope)
        average = self._averages.get(key)
        if average is None:
            present = values[(values > 0) & self.readable(scope)]
            average = float(present.mean()) if present.size else 1.0
            with self._lock:
                self._averages[key] = average
        return values, average

    def _all_lengths(self, reader: IndexReader, field_name: str) -> FloatArray:
        cached = self._lengths.get(field_name)
        if cached is None:
            values = np.zeros(self.size, np.float32)
            for sid, offset, leaf in _leaves(reader):
                segment = _segment(sid, leaf)
                local = segment.lengths.get(field_name)
                if local is None:
                    local = segment.lengths[field_name] = _field_lengths(
                        leaf, field_name, segment.size
                    )
                values[offset : offset + segment.size] = local
            cached = values
            with self._lock:
                self._lengths[field_name] = cached
        return cached

    def idf(self, frequency: int, population: int) -> float:
        """Inverse document frequency of a term held by `frequency` of `population`
        entries (those a scope may search; a term none of them holds is not scored)."""
        return math.log(max(population, 1) / (frequency + 1)) + 1

    def frequency(
        self, reader: IndexReader, field_name: str, term: str, scope: Scope, ids: IntArray
    ) -> int:
        """How many entries the scope may search hold a term: those of its visible
        postings, `ids` (a backend that fetched some postings only counts otherwise)."""
        return int(ids.size)

    def scored(
        self, scope: Scope, field_name: str, term: str, score: Callable[[], TermScores]
    ) -> TermScores:
        """A term's BM25 scores for a scope (`score` computes them), kept for this
        generation: they depend on nothing else. Read-only: every search shares them."""

        def build() -> TermScores:
            ids, scores = score()
            ids, scores = ids.view(), scores.view()  # (a view: the postings stay writable)
            ids.flags.writeable = scores.flags.writeable = False
            return ids, scores

        found: TermScores = self._scored.fetch((scope, field_name, term), build)
        return found

    def visible_postings(
        self, reader: IndexReader, field_name: str, term: str, scope: Scope
    ) -> tuple[IntArray, FloatArray]:
        """`postings`, of the entries the scope may search only: what a scope's scores,
        statistics and word expansions are made of."""
        ids, weights = self.postings(reader, field_name, term)
        if self.population(scope) == self.size:  # nothing hidden, nothing deleted
            return ids, weights
        keep = self.readable(scope)[ids]
        return ids[keep], weights[keep]

    # -- filters and facets ------------------------------------------------------------

    def mask(self, query: wq.Query, searcher: Searcher) -> BoolArray:
        """The live paragraph entries matching a filter query (cached)."""

        def build() -> BoolArray:
            result = np.zeros(self.size, np.bool_)
            if isinstance(query, wq.Term) and isinstance(query.text, str):  # from postings
                result[self.postings(searcher.reader(), query.fieldname, query.text)[0]] = True
            else:
                result[np.fromiter(searcher.docs_for_query(query), dtype=np.int64)] = True
            return result & self.live

        mask: BoolArray = self._filters.fetch(repr(query), build)
        return mask

    def paragraph_members(
        self, reader: IndexReader, name: str, confirmed_only: bool
    ) -> Members:
        """A tag facet's values and the entries carrying each (from the index's keyword
        fields)."""
        key = (name, confirmed_only)
        cached = self._facets.get(key)
        if cached is None:
            field_name = name + (CONFIRMED_SUFFIX if confirmed_only else "")
            values: dict[str, IntArray] = {}
            for value in reader.field_terms(field_name):
                text = value.decode("utf-8") if isinstance(value, bytes) else str(value)
                values[text] = self.postings(reader, field_name, text)[0]
            with self._lock:
                cached = self._facets.setdefault(key, Members.of(values))
        return cached

    def document_members(self, name: str, confirmed_only: bool) -> Members:
        """A facet's values and the ordinals of the documents counted under each."""
        key = ("doc:" + name, confirmed_only)
        cached = self._facets.get(key)
        if cached is None:
            members: dict[str, list[int]] = {}
            for ordinal, meta in enumerate(self.docs):
                for value in meta.document_facets(confirmed_only).get(name, ()):
                    members.setdefault(value, []).append(ordinal)
            built = Members.of({value: np.array(ids, np.int32) for value, ids in members.items()})
            with self._lock:
                cached = self._facets.setdefault(key, built)
        return cached


@dataclass(frozen=True)
class Members:
    """A facet's values, and the entries (or documents) of each, side by side: member
    `i` is `ids[i]`, of value `values[labels[i]]`; counting is one gather and one sum."""

    values: list[str]
    ids: IntArray
    labels: IntArray

    @classmethod
    def of(cls, members: dict[str, IntArray]) -> Members:
        values = list(members)
        ids = [members[value] for value in values]
        return cls(
            values,
            np.concatenate(ids).astype(np.int32) if ids else np.empty(0, np.int32),
            np.repeat(np.arange(len(values), dtype=np.int32), [part.size for part in ids]),
        )

    def count(self, matched: BoolArray) -> npt.NDArray[np.int64]:
        """How many matched members each value has."""
        return np.bincount(self.labels[matched[self.ids]], minlength=len(self.values))

    def total(self, per_member: IntArray) -> npt.NDArray[np.int64]:
        """Each value's sum of a number per member."""
        summed = np.bincount(self.labels, weights=per_member[self.ids], minlength=len(self.values))
        return summed.astype(np.int64)


LENGTHS = np.array([0.0] + [byte_to_length(code) for code in range(1, 256)], np.float32)


def _field_lengths(reader: IndexReader, field_name: str, size: int) -> FloatArray:
    """Each entry's length in a field, as `doc_field_length` gives it (Whoosh keeps a
    byte per entry, an approximate length; 0 where the entry has none, or the segment
    no entry with the field), read in one pass rather than a call per entry."""
    column = reader._perdoc._cached_reader(_lenfield(field_name), LENGTHS_COLUMN)  # noqa: SLF001
    if column is None:
        return np.zeros(size, np.float32)
    codes = np.fromiter(iter(column), np.uint8, size)
    return LENGTHS[codes]


def _deleted(reader: IndexReader) -> set[int]:
    if not reader.has_deletions():
        return set()
    deleted = reader.deleted_docs_set  # a property of segment readers in whoosh-reloaded
    return set(deleted() if callable(deleted) else deleted)
