"""Each segment's postings as flat arrays on disk, beside the Whoosh index.

Whoosh keeps a term's postings in pickled blocks; reading a long list means unpickling
hundreds of them (a tuple of ids, one of weights and one of position strings each), and
that was most of an uncached search's time in a large archive. Segments never change
once written, so when the index is written each new segment's postings are also written
out once as arrays: every term's entry numbers and weights, and for fields with
positions, every posting's positions. A search holds each file's term directory in
memory and reads a term's postings with one `pread`: looking a term up is a search in a
sorted array, its postings one read, and the pages the operating system caches are
shared by every worker process (and not counted in any worker's own memory).

The files are derived, like the index itself: a segment without them (one written by an
earlier version, or while they were being written) is read from Whoosh's own blocks
(`postings_blocks`), and `write_tables` after every commit writes what is missing and
removes the tables of segments that are gone. The short postings Whoosh keeps inside a
term's entry (a term held by one entry) are read from there.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import pickle  # nosec B403: Whoosh's own positions (see postings_blocks)
import shutil
import tempfile
import threading
import weakref
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import accumulate, chain
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Existence, Positions
from whoosh.reading import IndexReader, SegmentReader

from .postings_blocks import FloatArray, IntArray, block_arrays

TABLES_DIR = "postings"  # inside the index folder: one file per segment
_MAGIC = b"testimony-archive postings 1\n"
_LOCK = ".lock"
_writing = threading.Lock()  # (the lock file's lock is per process: threads take this too)
PARALLEL_FROM_ENTRIES = 50_000  # segments this large get a process each, if there are two
log = logging.getLogger("testimony_archive.index")
_MAX_HEADER = 2**20
_DTYPES = {"hashes": "<u8", "order": "<i4", "names": "|u1", "name_bounds": "<i8",
           "bounds": "<i8", "ids": "<i4", "weights": "<f4", "position_bounds": "<i8",
           "positions": "<i4"}  # fmt: skip
_DIRECTORY = ("hashes", "order", "names", "name_bounds", "bounds")
_COLUMNS = ("ids", "weights", "position_bounds", "positions")
_ARRAYS = _DIRECTORY + _COLUMNS
Int64Array = npt.NDArray[np.int64]
_COUNT_SIZE = 4  # the frequency Whoosh writes before a posting's positions


class Column:
    """An array of a table: in memory, or in its file and read a slice at a time (a
    search reads a few terms' postings; the operating system's cache keeps the pages
    that are read often, for every worker, outside each worker's own memory)."""

    def __init__(self, array: npt.NDArray[Any] | None = None, *, file: int = -1,
                 offset: int = 0, dtype: str = "", size: int = 0) -> None:  # fmt: skip
        self.array = array
        self.file, self.offset = file, offset
        self.dtype = np.dtype(dtype) if array is None else array.dtype
        self.size = size if array is None else int(array.size)

    @property
    def end(self) -> int:
        """Where the column ends in its file."""
        return self.offset + self.size * self.dtype.itemsize

    def read(self, start: int, stop: int) -> npt.NDArray[Any]:
        if self.array is not None:
            return self.array[start:stop]
        item = self.dtype.itemsize
        data = os.pread(self.file, (stop - start) * item, self.offset + start * item)
        if len(data) != (stop - start) * item:  # (the file was cut short since it was read)
            raise OSError(f"a postings table ended early ({len(data)} bytes read)")
        return np.frombuffer(data, self.dtype)

    def whole(self) -> npt.NDArray[Any]:
        return self.read(0, self.size)


@dataclass(frozen=True)
class PostingsTable:
    """One segment's postings. Term `t` is named `names[name_bounds[t]:name_bounds[t+1]]`
    (its field, a zero byte and its text, in UTF-8) and holds postings `bounds[t]` to
    `bounds[t + 1]`; posting `p` holds positions `position_bounds[p]` to
    `position_bounds[p + 1]` (none, in a field without positions). A term is looked up by
    a hash of its name: `hashes` sorted, `order` the term of each. The term directory is
    held in memory; the postings and positions are read from the file as needed."""

    hashes: npt.NDArray[np.uint64]
    order: IntArray
    names: npt.NDArray[np.uint8]
    name_bounds: Int64Array
    bounds: Int64Array
    ids: Column
    weights: Column
    position_bounds: Column
    positions: Column

    def term(self, field_name: str, text: str) -> int | None:
        """The table's number for a term, or None if the table does not hold it (the
        segment has no such term, or Whoosh keeps its postings inline)."""
        name = _name(field_name, text)
        wanted = _hash(name)
        hashes = self.hashes
        at = int(hashes.searchsorted(np.uint64(wanted)))
        while at < hashes.size and int(hashes[at]) == wanted:
            term = int(self.order[at])
            if self.names[self.name_bounds[term] : self.name_bounds[term + 1]].tobytes() == name:
                return term
            at += 1  # (another name with the same hash)
        return None

    def postings(self, term: int) -> tuple[IntArray, FloatArray]:
        start, stop = int(self.bounds[term]), int(self.bounds[term + 1])
        return self.ids.read(start, stop), self.weights.read(start, stop)

    def positions_of(self, term: int, docnums: IntArray) -> dict[int, list[int]]:
        """The term's positions in each of `docnums` (sorted local entry numbers) that
        hold it."""
        low = int(self.bounds[term])
        ids = self.ids.read(low, int(self.bounds[term + 1]))
        at = ids.searchsorted(docnums)
        inside = at < ids.size
        found = np.zeros(docnums.size, np.bool_)
        found[inside] = ids[at[inside]] == docnums[inside]
        postings = at[found]
        if not postings.size:
            return {}
        first = int(postings[0])
        bounds = self.position_bounds.read(low + first, low + int(postings[-1]) + 2)
        base = int(bounds[0])
        positions = self.positions.read(base, int(bounds[-1]))
        starts = (bounds[postings - first] - base).tolist()
        ends = (bounds[postings - first + 1] - base).tolist()
        return {
            docnum: positions[start:end].tolist()
            for docnum, start, end in zip(docnums[found].tolist(), starts, ends, strict=True)
        }

    @classmethod
    def load(cls, path: Path) -> PostingsTable | None:
        """The table in a file: its term directory read, its postings left in the file
        (None if there is none, or if it is not a whole one this version wrote: a search
        then reads Whoosh's blocks, and the next `testimony index` writes it again)."""
        try:
            file = os.open(path, os.O_RDONLY)
        except OSError:
            return None
        try:
            table = cls._read(file, os.fstat(file).st_size)
        except Exception:  # noqa: BLE001 - whatever is wrong with it, it is not used
            log.warning("the postings table %s cannot be read; searches read the index", path)
            os.close(file)
            return None
        weakref.finalize(table, os.close, file)
        return table

    @classmethod
    def _read(cls, file: int, file_size: int) -> PostingsTable:
        head = os.pread(file, len(_MAGIC) + 8, 0)
        if len(head) < len(_MAGIC) + 8 or head[: len(_MAGIC)] != _MAGIC:
            raise ValueError("not a postings table")
        size = int.from_bytes(head[len(_MAGIC) :], "little")
        if size > min(file_size, _MAX_HEADER):
            raise ValueError("a header longer than the file")
        layout = json.loads(os.pread(file, size, len(_MAGIC) + 8))
        columns: dict[str, Column] = {}
        for name in _ARRAYS:
            dtype, offset, count = layout[name]
            if dtype != _DTYPES[name]:
                raise ValueError(f"{name}: {dtype}, not {_DTYPES[name]}")
            column = Column(file=file, offset=int(offset), dtype=dtype, size=int(count))
            if column.offset < 0 or column.size < 0 or column.end > file_size:
                raise ValueError(f"{name} reaches beyond the file")
            columns[name] = column
        memory = {name: columns[name].whole() for name in _DIRECTORY}
        terms = memory["order"].size
        postings = columns["ids"].size
        if not (
            memory["hashes"].size == terms
            and memory["name_bounds"].size == memory["bounds"].size == terms + 1
            and int(memory["name_bounds"][-1]) == memory["names"].size
            and int(memory["bounds"][-1]) == postings == columns["weights"].size
            and columns["position_bounds"].size == postings + 1
            and bool(np.all(np.diff(memory["bounds"]) >= 0))
            and bool(np.all((memory["order"] >= 0) & (memory["order"] < terms)))
        ):
            raise ValueError("its arrays do not agree")
        last = columns["position_bounds"].read(postings, postings + 1)
        if int(last[0]) != columns["positions"].size:
            raise ValueError("its positions do not agree")
        return cls(
            memory["hashes"], memory["order"], memory["names"], memory["name_bounds"],
            memory["bounds"], *(columns[name] for name in _COLUMNS),
        )  # fmt: skip

    def save(self, path: Path) -> None:
        """Write the table to a file (whole, or not at all: it is written beside and
        renamed)."""
        arrays = {
            name: np.ascontiguousarray(
                getattr(self, name).whole() if name in _COLUMNS else getattr(self, name)
            )
            for name in _ARRAYS
        }
        layout: dict[str, tuple[str, int, int]] = {}
        offset = 0
        for name, array in arrays.items():
            layout[name] = (array.dtype.str, offset, int(array.size))
            offset += _aligned(array.nbytes)
        header = json.dumps(layout).encode()
        start = _aligned(len(_MAGIC) + 8 + len(header) + 64)  # (room for the offsets' digits)
        layout = {name: (dtype, at + start, count) for name, (dtype, at, count) in layout.items()}
        header = json.dumps(layout).encode()
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.{os.getpid()}.", dir=path.parent
        )
        partial = Path(temporary)
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(_MAGIC + len(header).to_bytes(8, "little") + header)
                out.write(b"\0" * (start - out.tell()))
                for array in arrays.values():
                    out.write(array.tobytes())
                    out.write(b"\0" * (_aligned(array.nbytes) - array.nbytes))
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise


def table_path(index_dir: Path, segment_id: str) -> Path:
    return index_dir / TABLES_DIR / f"{segment_id}.postings"


def _aligned(size: int) -> int:
    return (size + 7) // 8 * 8


@dataclass
class _TermPostings:
    name: bytes  # field, a zero byte, text
    ids: IntArray
    weights: FloatArray
    position_counts: Int64Array  # per posting (zeros in a field without positions)
    positions: IntArray  # all of them, posting after posting


def build_table(reader: SegmentReader) -> PostingsTable:
    """Read every postings list of a segment (not those Whoosh keeps inline), each
    term's positions into an array at once (a segment holds millions of them)."""
    terms = _terms(reader)
    postfile = terms._postfile
    schema = reader.schema
    found: list[_TermPostings] = []
    for (field_name, text), info in terms.items():
        field_format = schema[field_name].format
        if info.is_inlined() or type(field_format) is Existence:
            continue  # (identifiers and numbers are not scored: Whoosh reads them)
        start, length = info.extent()
        matcher = W3LeafMatcher(postfile, start, length, field_format)
        ids_parts, weight_parts, values = [], [], []
        for ids, weights, block_values in block_arrays(matcher):
            ids_parts.append(ids)
            weight_parts.append(weights)
            values.append(block_values)
        ids = np.concatenate(ids_parts)
        counts = np.zeros(ids.size, np.int64)
        flat = np.empty(0, np.int32)
        if field_format.supports("positions"):
            decode = (
                _decode_positions
                if type(field_format) is Positions
                else field_format.decode_positions
            )
            each = [decode(value) for value in chain.from_iterable(values)]
            counts = np.fromiter(map(len, each), np.int64, len(each))
            flat = np.fromiter(chain.from_iterable(each), np.int32, int(counts.sum()))
        name = field_name.encode("utf-8") + b"\0" + text
        found.append(_TermPostings(name, ids, np.concatenate(weight_parts), counts, flat))
    hashes = np.array([_hash(term.name) for term in found], np.uint64)
    order = np.argsort(hashes, kind="stable").astype(np.int32)
    return PostingsTable(
        hashes=hashes[order],
        order=order,
        names=np.frombuffer(b"".join(term.name for term in found), np.uint8),
        name_bounds=_bounds(np.array([len(term.name) for term in found], np.int64)),
        bounds=_bounds(np.array([term.ids.size for term in found], np.int64)),
        ids=Column(_joined([term.ids for term in found], np.int32)),
        weights=Column(_joined([term.weights for term in found], np.float32)),
        position_bounds=Column(
            _bounds(_joined([term.position_counts for term in found], np.int64))
        ),
        positions=Column(_joined([term.positions for term in found], np.int32)),
    )


def _joined(parts: list[npt.NDArray[Any]], dtype: type[np.generic]) -> npt.NDArray[Any]:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype)


def write_tables(index_dir: Path, reader: IndexReader) -> None:
    """Write the table of each segment of `reader` that has none, and remove the tables
    of segments no longer in the index. One writer at a time, across threads and
    processes (a lock file in the tables' folder)."""
    root = index_dir / TABLES_DIR
    root.mkdir(exist_ok=True)
    with _writing, (root / _LOCK).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        segments = {leaf.segment().segment_id(): leaf for leaf, _ in reader.leaf_readers()}
        missing = [  # none yet, or one an earlier version wrote
            segment_id
            for segment_id in segments
            if PostingsTable.load(table_path(index_dir, segment_id)) is None
        ]
        large = [sid for sid in missing if segments[sid].doc_count_all() >= PARALLEL_FROM_ENTRIES]
        processes = min(len(large), len(os.sched_getaffinity(0)))
        if processes > 1:  # (a parallel build's segments: one process each, as they were written)
            with ProcessPoolExecutor(processes, mp_context=get_context("spawn")) as pool:
                list(pool.map(_write_one, [index_dir] * len(large), large))
            missing = [segment_id for segment_id in missing if segment_id not in large]
        for segment_id in missing:
            build_table(segments[segment_id]).save(table_path(index_dir, segment_id))
        # The index may have moved on since `reader` was opened: what is in it now stays.
        wanted = {table_path(index_dir, sid).name for sid in [*segments, *_segment_ids(index_dir)]}
        for path in root.iterdir():
            if path.name in wanted or path.name == _LOCK or _in_progress_elsewhere(path):
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _segment_ids(index_dir: Path) -> list[str]:
    index = FileStorage(str(index_dir), supports_mmap=False).open_index()
    return [segment.segment_id() for segment in index._segments()]  # noqa: SLF001


def _write_one(index_dir: Path, segment_id: str) -> None:
    """Write one segment's table (in a process of its own)."""
    index = FileStorage(str(index_dir), supports_mmap=False).open_index()
    with index.reader() as reader:
        for leaf, _offset in reader.leaf_readers():
            if leaf.segment().segment_id() == segment_id:
                build_table(leaf).save(table_path(index_dir, segment_id))


def _in_progress_elsewhere(path: Path) -> bool:
    """A table another process is writing now (named `.name.pid.random`)."""
    parts = path.name.split(".")
    if not path.name.startswith(".") or len(parts) < 4:
        return False
    pid = parts[-2]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _terms(reader: IndexReader):  # type: ignore[no-untyped-def]
    """A segment reader's term dictionary (Whoosh's W3TermsReader)."""
    return reader._terms  # noqa: SLF001


def _decode_positions(value: bytes) -> list[int]:
    """Whoosh's `Positions.decode_positions`: a count, then the pickled position deltas
    without their final STOP, added up here in C rather than in a Python loop."""
    packed = value[_COUNT_SIZE:]
    stopped = packed if packed.endswith(b".") else packed + b"."
    return list(accumulate(pickle.loads(stopped)))  # nosec B301


def _name(field_name: str, text: str) -> bytes:
    return f"{field_name}\0{text}".encode()


def _hash(name: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(name, digest_size=8).digest(), "little")


def _bounds(counts: Int64Array) -> Int64Array:
    bounds = np.zeros(counts.size + 1, np.int64)
    np.cumsum(counts, out=bounds[1:])
    return bounds
