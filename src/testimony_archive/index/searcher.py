"""Open searchers, reused across queries and refreshed when the index changes.

A Whoosh searcher is not thread-safe, so each thread keeps its own. The snapshot of a
generation (entries → documents, cached postings and facets) is built once per index
generation and shared by every thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from whoosh.reading import ReaderClosed
from whoosh.searching import Searcher

from ..errors import IndexMissing, IndexOutdated
from .snapshot import Snapshot
from .writer import build_id, index_exists, open_index, schema_is_current


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
        self._snapshots: dict[tuple[str, int], Snapshot] = {}
        self._states: list[_ThreadState] = []  # every thread's, to close them all

    @contextmanager
    def searcher(self) -> Iterator[tuple[Searcher, Snapshot]]:
        """A current searcher of this thread, and the snapshot of its generation."""
        searcher = self._current()
        yield searcher, self._snapshot(searcher)

    def _current(self) -> Searcher:
        if not index_exists(self.index_dir):
            raise IndexMissing(self.index_dir)
        build = build_id(self.index_dir)
        state: _ThreadState | None = getattr(self._local, "state", None)
        if state is not None and state.build == build:
            if not state.searcher.up_to_date():
                state.searcher = state.searcher.refresh()
            return state.searcher
        if state is not None:  # the index was rebuilt
            self._local.state = None
            _close(state.searcher)
            with self._lock:
                self._states.remove(state)
        if not schema_is_current(self.index_dir):
            raise IndexOutdated(self.index_dir)
        state = _ThreadState(build, open_index(self.index_dir).searcher())
        with self._lock:
            self._states.append(state)
        self._local.state = state
        return state.searcher

    def _snapshot(self, searcher: Searcher) -> Snapshot:
        key = (build_id(self.index_dir), searcher.reader().generation())
        snapshot = self._snapshots.get(key)
        if snapshot is None:
            with self._lock:
                snapshot = self._snapshots.get(key)
                if snapshot is None:
                    snapshot = Snapshot.build(searcher)
                    self._snapshots = {key: snapshot}  # older generations are not needed
        return snapshot

    def close(self) -> None:
        """Close every thread's searcher (their files); a later search opens new ones."""
        with self._lock:
            states, self._states = self._states, []
            self._snapshots = {}
            self._local = threading.local()
        for state in states:
            _close(state.searcher)


def _close(searcher: Searcher) -> None:
    try:
        searcher.close()
    except ReaderClosed:  # its segments were closed by a refresh that replaced them
        pass
