"""Each segment's postings as flat arrays on disk, beside the Whoosh index.

Whoosh keeps a term's postings in pickled blocks; reading a long list means unpickling
hundreds of them (a tuple of ids, one of weights and one of position strings each), and
that was most of an uncached search's time in a large archive. Segments never change
once written, so when the index is written each new segment's postings are also written
out once as arrays: every term's entry numbers and weights, and for fields with
positions, every posting's positions. A search maps these files (`numpy.load` with
`mmap_mode`): looking a term up is a search in a sorted array, its postings a slice, and
the pages the operating system keeps are shared by every worker process.

The files are derived, like the index itself: a segment without them (one written by an
earlier version, or while they were being written) is read from Whoosh's own blocks
(`postings_blocks`), and `write_tables` after every commit writes what is missing and
removes the tables of segments that are gone. The short postings Whoosh keeps inside a
term's entry (a term held by one entry) are read from there.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from dataclasses import dataclass
from itertools import accumulate, chain
from pathlib import Path

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Existence, Positions
from whoosh.reading import IndexReader, SegmentReader

from .postings_blocks import FloatArray, IntArray, block_arrays

TABLES_DIR = "postings"  # inside the index folder: one file per segment
_MAGIC = b"testimony-archive postings 1\n"
_ARRAYS = ("hashes", "order", "names", "name_bounds", "bounds", "ids", "weights",
           "position_bounds", "positions")  # fmt: skip
Int64Array = npt.NDArray[np.int64]
_COUNT_SIZE = 4  # the frequency Whoosh writes before a posting's positions


@dataclass(frozen=True)
class PostingsTable:
    """One segment's postings. Term `t` is named `names[name_bounds[t]:name_bounds[t+1]]`
    (its field, a zero byte and its text, in UTF-8) and holds postings `bounds[t]` to
    `bounds[t + 1]`; posting `p` holds positions `position_bounds[p]` to
    `position_bounds[p + 1]` (none, in a field without positions). A term is looked up by
    a hash of its name: `hashes` sorted, `order` the term of each."""

    hashes: npt.NDArray[np.uint64]
    order: IntArray
    names: npt.NDArray[np.uint8]
    name_bounds: Int64Array
    bounds: Int64Array
    ids: IntArray
    weights: FloatArray
    position_bounds: Int64Array
    positions: IntArray

    def term(self, field_name: str, text: str) -> int | None:
        """The table's number for a term, or None if the table does not hold it (the
        segment has no such term, or Whoosh keeps its postings inline)."""
        name = _name(field_name, text)
        wanted = _hash(name)
        hashes = self.hashes
        at = int(np.searchsorted(hashes, np.uint64(wanted)))
        while at < hashes.size and int(hashes[at]) == wanted:
            term = int(self.order[at])
            if self.names[self.name_bounds[term] : self.name_bounds[term + 1]].tobytes() == name:
                return term
            at += 1  # (another name with the same hash)
        return None

    def postings(self, term: int) -> tuple[IntArray, FloatArray]:
        span = slice(int(self.bounds[term]), int(self.bounds[term + 1]))
        return self.ids[span], self.weights[span]

    def positions_of(self, term: int, docnums: IntArray) -> dict[int, list[int]]:
        """The term's positions in each of `docnums` (sorted local entry numbers) that
        hold it."""
        low = int(self.bounds[term])
        ids = self.ids[low : int(self.bounds[term + 1])]
        at = np.searchsorted(ids, docnums)
        inside = at < ids.size
        found = np.zeros(docnums.size, np.bool_)
        found[inside] = ids[at[inside]] == docnums[inside]
        postings = at[found] + low
        starts = self.position_bounds[postings].tolist()
        ends = self.position_bounds[postings + 1].tolist()
        positions = self.positions
        return {
            docnum: positions[start:end].tolist()
            for docnum, start, end in zip(docnums[found].tolist(), starts, ends, strict=True)
        }

    @classmethod
    def load(cls, path: Path) -> PostingsTable | None:
        """The table in a file, mapped, not read (None if there is none, or if it is not
        one this version wrote)."""
        try:
            # (a plain array over the map: slicing a numpy memmap costs more)
            raw = np.memmap(path, dtype=np.uint8, mode="r").view(np.ndarray)
        except (FileNotFoundError, ValueError):
            return None
        header_end = len(_MAGIC) + 8
        if bytes(raw[: len(_MAGIC)]) != _MAGIC:
            return None
        size = int(raw[len(_MAGIC) : header_end].view("<u8")[0])
        layout = json.loads(bytes(raw[header_end : header_end + size]))
        arrays = {}
        for name in _ARRAYS:
            dtype, offset, count = layout[name]
            item = np.dtype(dtype).itemsize
            arrays[name] = raw[offset : offset + count * item].view(dtype)
        return cls(**arrays)

    def save(self, path: Path) -> None:
        """Write the table to a file (whole, or not at all: it is written beside and
        renamed)."""
        arrays = {name: np.ascontiguousarray(getattr(self, name)) for name in _ARRAYS}
        layout: dict[str, tuple[str, int, int]] = {}
        offset = 0
        for name, array in arrays.items():
            layout[name] = (array.dtype.str, offset, int(array.size))
            offset += _aligned(array.nbytes)
        header = json.dumps(layout).encode()
        start = _aligned(len(_MAGIC) + 8 + len(header) + 64)  # (room for the offsets' digits)
        layout = {name: (dtype, at + start, count) for name, (dtype, at, count) in layout.items()}
        header = json.dumps(layout).encode()
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        with partial.open("wb") as out:
            out.write(_MAGIC + len(header).to_bytes(8, "little") + header)
            out.write(b"\0" * (start - out.tell()))
            for array in arrays.values():
                out.write(array.tobytes())
                out.write(b"\0" * (_aligned(array.nbytes) - array.nbytes))
        os.replace(partial, path)


def table_path(index_dir: Path, segment_id: str) -> Path:
    return index_dir / TABLES_DIR / f"{segment_id}.postings"


def _aligned(size: int) -> int:
    return (size + 7) // 8 * 8


def build_table(reader: SegmentReader) -> PostingsTable:
    """Read every postings list of a segment (not those Whoosh keeps inline)."""
    terms = _terms(reader)
    postfile = terms._postfile
    schema = reader.schema
    found: list[tuple[bytes, IntArray, FloatArray, list[list[int]] | None]] = []
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
        positions = None
        if field_format.supports("positions"):
            decode = (
                _decode_positions
                if type(field_format) is Positions
                else field_format.decode_positions
            )
            positions = [decode(value) for value in chain.from_iterable(values)]
        name = field_name.encode("utf-8") + b"\0" + text
        found.append((name, np.concatenate(ids_parts), np.concatenate(weight_parts), positions))
    hashes = np.array([_hash(term[0]) for term in found], np.uint64)
    name_lengths = np.array([len(term[0]) for term in found], np.int64)
    counts = np.array([ids.size for _start, ids, _weights, _positions in found], np.int64)
    position_counts = np.array(
        [
            len(positions)
            for _start, ids, _weights, term_positions in found
            for positions in (term_positions if term_positions is not None else [[]] * ids.size)
        ],
        np.int64,
    )
    order = np.argsort(hashes, kind="stable").astype(np.int32)
    return PostingsTable(
        hashes=hashes[order],
        order=order,
        names=np.frombuffer(b"".join(term[0] for term in found), np.uint8),
        name_bounds=_bounds(name_lengths),
        bounds=_bounds(counts),
        ids=np.concatenate([term[1] for term in found]) if found else np.empty(0, np.int32),
        weights=(
            np.concatenate([term[2] for term in found]) if found else np.empty(0, np.float32)
        ),
        position_bounds=_bounds(position_counts),
        positions=np.fromiter(
            chain.from_iterable(
                chain.from_iterable(term[3]) for term in found if term[3] is not None
            ),
            np.int32,
            int(position_counts.sum()),
        ),
    )


def write_tables(index_dir: Path, reader: IndexReader) -> None:
    """Write the table of each segment of `reader` that has none, and remove the tables
    of segments no longer in it."""
    root = index_dir / TABLES_DIR
    root.mkdir(exist_ok=True)
    segments = {leaf.segment().segment_id(): leaf for leaf, _offset in reader.leaf_readers()}
    for segment_id, leaf in segments.items():
        path = table_path(index_dir, segment_id)
        if PostingsTable.load(path) is None:  # none yet, or one an earlier version wrote
            build_table(leaf).save(path)
    wanted = {table_path(index_dir, segment_id).name for segment_id in segments}
    for path in root.iterdir():
        if path.name in wanted or _in_progress_elsewhere(path):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _in_progress_elsewhere(path: Path) -> bool:
    """A table another process is writing now (named `.name.pid`)."""
    if not path.name.startswith("."):
        return False
    pid = path.name.rpartition(".")[2]
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
    return list(accumulate(pickle.loads(packed if packed.endswith(b".") else packed + b".")))


def _name(field_name: str, text: str) -> bytes:
    return f"{field_name}\0{text}".encode()


def _hash(name: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(name, digest_size=8).digest(), "little")


def _bounds(counts: Int64Array) -> Int64Array:
    bounds = np.zeros(counts.size + 1, np.int64)
    np.cumsum(counts, out=bounds[1:])
    return bounds
