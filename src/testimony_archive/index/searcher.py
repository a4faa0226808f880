"""Open searchers, reused across queries and refreshed when the index changes.

A Whoosh searcher is not thread-safe, so each thread keeps its own. The snapshot of a
generation (entries → documents, cached postings and facets) is built once per index
generation and shared by every thread.

Whether the index changed is asked of the file system once per request, cheaply: every
commit adds a file to the index folder and a rebuild replaces the folder, so a folder
whose inode and modification time are unchanged holds the same index. Because a
folder's time can be coarse, the full check (which lists the folder and reads the build
file) is also repeated at least every `RECHECK_S`.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.reading import ReaderClosed
from whoosh.searching import Searcher

from ..errors import IndexMissing, IndexOutdated
from .snapshot import Snapshot, close_tables
from .writer import build_id, latest_generation, open_index, schema_is_current

RECHECK_S = 0.2


@dataclass(frozen=True)
class Version:
    """Which index a folder holds: its build and its latest generation."""

    build: str
    generation: int


@dataclass(eq=False)  # compared by identity
class _ThreadState:
    """One thread's searcher, and the index it reads."""

    build: str
    generation: int
    searcher: Searcher
    thread: threading.Thread = field(default_factory=threading.current_thread)


@dataclass(frozen=True)
class _Checked:
    folder: tuple[int, int, int]  # the folder's device, inode and modification time
    at: float  # when the full check was made (monotonic clock)
    version: Version


class IndexHandle:
    """The searchable index of one `var/` folder, for many queries and threads."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._local = threading.local()
        self._lock = threading.Lock()
        self._snapshots: dict[Version, Snapshot] = {}
        self._states: list[_ThreadState] = []  # every thread's, to close them all
        self._checked: _Checked | None = None

    @contextmanager
    def searcher(self) -> Iterator[tuple[Searcher, Snapshot]]:
        """A current searcher of this thread, and the snapshot of its generation."""
        state = self._current(self.version())
        yield state.searcher, self._snapshot(state)

    def version(self) -> Version:
        """The index the folder holds now (raises IndexMissing if there is none)."""
        try:
            stat = os.stat(self.index_dir)
        except FileNotFoundError:
            raise IndexMissing(self.index_dir) from None
        folder = (stat.st_dev, stat.st_ino, stat.st_mtime_ns)
        checked = self._checked
        now = time.monotonic()
        if checked is not None and checked.folder == folder and now - checked.at < RECHECK_S:
            return checked.version
        try:
            generation = latest_generation(self.index_dir)  # (cheaper than opening it)
        except (FileNotFoundError, NotADirectoryError):
            generation = -1
        if generation < 0:
            raise IndexMissing(self.index_dir)
        version = Version(build_id(self.index_dir), generation)
        self._checked = _Checked(folder, now, version)
        return version

    def forget_version(self) -> None:
        """Make the next search check the folder in full."""
        self._checked = None

    def _current(self, version: Version) -> _ThreadState:
        state: _ThreadState | None = getattr(self._local, "state", None)
        if state is not None and (state.build, state.generation) == (
            version.build,
            version.generation,
        ):
            return state
        # A new generation, or a rebuilt index: a fresh searcher. (Whoosh's refresh()
        # reuses the readers of unchanged segments with their old deletions, so a
        # removed or re-indexed document would still be found.)
        if state is not None:
            self._local.state = None
            self._drop([state])
        self._drop_finished_threads()
        if not schema_is_current(self.index_dir):
            raise IndexOutdated(self.index_dir)
        state = self._open()
        with self._lock:
            self._states.append(state)
        self._local.state = state
        if (state.build, state.generation) != (version.build, version.generation):
            self.forget_version()  # the index changed since the last check: look again
        return state

    def _open(self) -> _ThreadState:
        """A searcher, and the build it reads (the build file is read before and after
        opening: a rebuild swapped in meanwhile means opening again)."""
        while True:
            before = build_id(self.index_dir)
            searcher = open_index(self.index_dir).searcher()
            if build_id(self.index_dir) == before:
                return _ThreadState(before, searcher.reader().generation(), searcher)
            _close(searcher)

    def _drop_finished_threads(self) -> None:
        """Close the searchers of threads that have ended (a server's pool ends idle
        threads and starts new ones: their files must not pile up)."""
        with self._lock:
            finished = [state for state in self._states if not state.thread.is_alive()]
        self._drop(finished)

    def _drop(self, states: list[_ThreadState]) -> None:
        with self._lock:
            self._states = [state for state in self._states if state not in states]
        for state in states:
            _close(state.searcher)

    def _snapshot(self, state: _ThreadState) -> Snapshot:
        key = Version(state.build, state.generation)
        snapshot = self._snapshots.get(key)
        if snapshot is None:
            with self._lock:
                snapshot = self._snapshots.get(key)
                if snapshot is None:
                    snapshot = Snapshot.build(state.searcher, self.index_dir)
                    self._snapshots = {key: snapshot}  # older generations are not needed
                    # What is loaded now lives until the index changes: out of the
                    # cyclic garbage collector's sight, whose full passes over it would
                    # stall every thread (0.1 s and more for a large archive). Garbage
                    # is collected first, so that none is kept for good.
                    gc.collect()
                    gc.freeze()
        return snapshot

    def close(self) -> None:
        """Close every thread's searcher (their files); a later search opens new ones."""
        with self._lock:
            states, self._states = self._states, []
            self._snapshots = {}
            self._checked = None
            self._local = threading.local()
        close_tables(self.index_dir)
        for state in states:
            _close(state.searcher)


def _close(searcher: Searcher) -> None:
    try:
        searcher.close()
    except ReaderClosed:  # its segments were closed by a refresh that replaced them
        pass
