"""What one index generation knows, in arrays: built once, shared by every thread.

Whoosh's own matchers score one posting at a time in Python; a search here reads each
query term's postings once (cached per generation) and scores them with numpy. The
snapshot also maps every index entry to its document and paragraph, and holds the facet
memberships, so that counting facets over the whole result set is a few array sums.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from .entries import DocMeta
from .schema import CONFIRMED_SUFFIX, DOCUMENT

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]
POSTINGS_CACHE_SIZE = 4096
FILTER_CACHE_SIZE = 256


class _LRU(OrderedDict[Any, Any]):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self.lock = threading.Lock()

    def fetch(self, key: Any, build: Any) -> Any:
        with self.lock:
            if key in self:
                self.move_to_end(key)
                return self[key]
        value = build()
        with self.lock:
            self[key] = value
            while len(self) > self.size:
                self.popitem(last=False)
        return value


@dataclass
class Snapshot:
    """Shared by threads; whatever it reads, it reads through the caller's own reader
    (Whoosh readers are not thread-safe)."""

    docs: list[DocMeta]
    ordinal_by_id: dict[str, int]
    doc_of_entry: IntArray  # entry docnum → document ordinal, -1 for other entries
    para_of_entry: IntArray  # entry docnum → paragraph number, 0 for other entries
    live: BoolArray  # entry docnum → a live paragraph entry (not deleted)
    _postings: _LRU = field(default_factory=lambda: _LRU(POSTINGS_CACHE_SIZE))
    _filters: _LRU = field(default_factory=lambda: _LRU(FILTER_CACHE_SIZE))
    _lengths: dict[str, tuple[FloatArray, float]] = field(default_factory=dict)
    _facets: dict[tuple[str, bool], dict[str, IntArray]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def size(self) -> int:
        return len(self.doc_of_entry)

    @classmethod
    def build(cls, searcher: Searcher) -> Snapshot:
        reader = searcher.reader()
        docs: list[DocMeta] = []
        ordinal_by_id: dict[str, int] = {}
        for fields in searcher.documents(entry=DOCUMENT):
            meta = DocMeta.from_json(fields["meta"])
            ordinal_by_id[meta.id] = len(docs)
            docs.append(meta)
        size = reader.doc_count_all()
        doc_column = reader.column_reader("doc")
        para_column = reader.column_reader("para")
        paras = np.fromiter((para_column[n] for n in range(size)), dtype=np.int32, count=size)
        ordinals = np.fromiter(
            (ordinal_by_id.get(doc_column[n], -1) if paras[n] else -1 for n in range(size)),
            dtype=np.int32,
            count=size,
        )
        live = ordinals >= 0
        if reader.has_deletions():
            for docnum in range(size):
                if live[docnum] and reader.is_deleted(docnum):
                    live[docnum] = False
        return cls(docs, ordinal_by_id, ordinals, paras, live)

    # -- term statistics ---------------------------------------------------------------

    def postings(
        self, reader: IndexReader, field_name: str, term: str
    ) -> tuple[IntArray, FloatArray]:
        """Entry numbers and weights (term frequencies × field boost) of a term."""

        def read() -> tuple[IntArray, FloatArray]:
            if (field_name, term) not in reader:
                return np.empty(0, np.int32), np.empty(0, np.float32)
            matcher = reader.postings(field_name, term)
            ids: list[int] = []
            weights: list[float] = []
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                matcher.next()
            return np.array(ids, np.int32), np.array(weights, np.float32)

        result: tuple[IntArray, FloatArray] = self._postings.fetch((field_name, term), read)
        return result

    def lengths(self, reader: IndexReader, field_name: str) -> tuple[FloatArray, float]:
        """Per-entry length of a text field, and its average over entries that have it."""
        cached = self._lengths.get(field_name)
        if cached is None:
            with self._lock:
                cached = self._lengths.get(field_name)
                if cached is None:
                    values = np.fromiter(
                        (reader.doc_field_length(n, field_name, 0) for n in range(self.size)),
                        dtype=np.float32,
                        count=self.size,
                    )
                    present = values[values > 0]
                    average = float(present.mean()) if present.size else 1.0
                    cached = self._lengths[field_name] = (values, average)
        return cached

    def idf(self, field_name: str, term: str, frequency: int) -> float:
        return math.log(self.size / (frequency + 1)) + 1

    # -- filters and facets ------------------------------------------------------------

    def mask(self, query: wq.Query, searcher: Searcher) -> BoolArray:
        """The live paragraph entries matching a filter query (cached)."""

        def build() -> BoolArray:
            result = np.zeros(self.size, np.bool_)
            ids = np.fromiter(searcher.docs_for_query(query), dtype=np.int64)
            result[ids] = True
            return result & self.live

        key = repr(query)
        mask: BoolArray = self._filters.fetch(key, build)
        return mask

    def paragraph_facets(
        self, reader: IndexReader, name: str, confirmed_only: bool
    ) -> dict[str, IntArray]:
        """Tag facet value → the entries carrying it (from the index's keyword fields)."""
        key = (name, confirmed_only)
        cached = self._facets.get(key)
        if cached is None:
            field_name = name + (CONFIRMED_SUFFIX if confirmed_only else "")
            values: dict[str, IntArray] = {}
            for value in reader.field_terms(field_name):
                text = value.decode("utf-8") if isinstance(value, bytes) else str(value)
                values[text] = self.postings(reader, field_name, text)[0]
            with self._lock:
                cached = self._facets.setdefault(key, values)
        return cached

    def document_facets(self, name: str, confirmed_only: bool) -> dict[str, IntArray]:
        """Facet value → the ordinals of the documents counted under it."""
        key = ("doc:" + name, confirmed_only)
        cached = self._facets.get(key)
        if cached is None:
            members: dict[str, list[int]] = {}
            for ordinal, meta in enumerate(self.docs):
                for value in meta.document_facets(confirmed_only).get(name, ()):
                    members.setdefault(value, []).append(ordinal)
            built = {value: np.array(ids, np.int32) for value, ids in members.items()}
            with self._lock:
                cached = self._facets.setdefault(key, built)
        return cached
