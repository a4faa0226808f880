"""Open searchers, reused across queries and refreshed when the index changes.

A Whoosh searcher is not thread-safe, so each thread keeps its own. The per-generation
document table (paragraph entry → document, document metadata) is built once per index
generation and shared, read-only, by every thread.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from ..errors import IndexMissing
from .entries import DocMeta
from .schema import DOCUMENT
from .writer import build_id, index_exists


@dataclass(frozen=True)
class DocTable:
    """For one index generation: which document each paragraph entry belongs to."""

    docs: list[DocMeta]
    ordinal_by_id: dict[str, int]
    doc_of_entry: array[int]  # entry docnum → document ordinal, -1 for document entries
    para_of_entry: array[int]  # entry docnum → paragraph number

    @classmethod
    def build(cls, searcher: Searcher) -> DocTable:
        reader = searcher.reader()
        docs: list[DocMeta] = []
        ordinal_by_id: dict[str, int] = {}
        for fields in searcher.documents(entry=DOCUMENT):
            meta = DocMeta.from_json(fields["meta"])
            ordinal_by_id[meta.id] = len(docs)
            docs.append(meta)
        doc_column = reader.column_reader("doc")
        para_column = reader.column_reader("para")
        size = reader.doc_count_all()
        doc_of_entry = array("i", [-1]) * size
        para_of_entry = array("i", [0]) * size
        for docnum in range(size):
            para = para_column[docnum]
            if para:
                doc_of_entry[docnum] = ordinal_by_id.get(doc_column[docnum], -1)
                para_of_entry[docnum] = para
        return cls(docs, ordinal_by_id, doc_of_entry, para_of_entry)


@dataclass
class _ThreadState:
    build: str
    searcher: Searcher


class IndexHandle:
    """The searchable index of one `var/` folder, for many queries and threads."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._local = threading.local()
        self._lock = threading.Lock()
        self._tables: dict[tuple[str, int], DocTable] = {}

    @contextmanager
    def searcher(self) -> Iterator[tuple[Searcher, DocTable]]:
        """A current searcher of this thread, and the document table of its generation."""
        searcher = self._current()
        yield searcher, self._table(searcher)

    def _current(self) -> Searcher:
        if not index_exists(self.index_dir):
            raise IndexMissing(self.index_dir)
        build = build_id(self.index_dir)
        state: _ThreadState | None = getattr(self._local, "state", None)
        if state is not None and state.build == build:
            if not state.searcher.up_to_date():
                state.searcher = state.searcher.refresh()
            return state.searcher
        if state is not None:
            state.searcher.close()
        ix = whoosh_index.open_dir(str(self.index_dir))
        self._local.state = _ThreadState(build, ix.searcher())
        return self._local.state.searcher

    def _table(self, searcher: Searcher) -> DocTable:
        key = (build_id(self.index_dir), searcher.reader().generation())
        table = self._tables.get(key)
        if table is None:
            with self._lock:
                table = self._tables.get(key)
                if table is None:
                    table = DocTable.build(searcher)
                    self._tables = {key: table}  # older generations are no longer needed
        return table

    def close(self) -> None:
        state: _ThreadState | None = getattr(self._local, "state", None)
        if state is not None:
            state.searcher.close()
            self._local.state = None
