"""Reading a segment's postings a block at a time, into arrays.

Whoosh stores a term's postings in blocks of up to 128, each a pickled tuple of id
deltas, weights and values (the positions, for text fields). Its matchers hand them out
one posting at a time, each step a few Python calls, and find a document by stepping
through a block's ids one by one: for a term held by tens of thousands of paragraphs that
is most of a search's time. Here a block is unpickled once and its ids and weights turned
into arrays; positions are decoded only for the postings asked for, and a block holding
none of them is skipped without unpickling its data.

What this reads is exactly what Whoosh's own matchers give (`tests/test_fast_paths.py`
compares them on every term of an index); a matcher of a kind this does not know (short
postings are kept inline in the term's entry) is read through its own interface.

Whoosh writes its blocks with pickle and reads them with pickle: what is unpickled here
is what Whoosh itself would unpickle, from the index folder this software writes (as
trusted as the code: whoever can write there can change what the server runs).
"""

from __future__ import annotations

import io
import pickle  # nosec B403: Whoosh's own index format (see the module's note)
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]
_BLOCK_LENGTH = struct.Struct("!i")  # as Whoosh's StructFile.write_int writes it
_MAX_ID = 1  # in a block's info tuple: (count, last id, max weight, compression, ...)
_COMPRESSION = 3


def read_postings(reader: IndexReader, field_name: str, term: str) -> tuple[IntArray, FloatArray]:
    """A segment's entry numbers and weights (term frequency × field boost) of a term,
    its deleted entries among them (deletions change from one generation to the next;
    the segment's postings do not)."""
    if (field_name, term) not in reader:
        return np.empty(0, np.int32), np.empty(0, np.float32)
    matcher = _unwrapped(reader.postings(field_name, term))
    if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
        return _read_one_by_one(matcher)
    ids_parts: list[IntArray] = []
    weight_parts: list[FloatArray] = []
    for ids, weights, _values in block_arrays(matcher):
        ids_parts.append(ids)
        weight_parts.append(weights)
    if not ids_parts:
        return np.empty(0, np.int32), np.empty(0, np.float32)
    return np.concatenate(ids_parts), np.concatenate(weight_parts)


def read_positions(
    reader: IndexReader, field_name: str, term: str, docnums: IntArray
) -> dict[int, list[int]]:
    """The positions of a term in each of a segment's entries `docnums` (sorted) that
    hold it (deleted or not)."""
    found: dict[int, list[int]] = {}
    if not docnums.size or (field_name, term) not in reader:
        return found
    matcher = _unwrapped(reader.postings(field_name, term))
    if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
        return _positions_one_by_one(matcher, docnums)
    decode = matcher.format.decode_positions
    wanted = docnums.astype(np.int64)
    start = 0  # the first wanted entry not yet looked for
    for info, data in _blocks(matcher):
        if start == wanted.size:
            break
        last_id = int(info[_MAX_ID])
        if wanted[start] > last_id:
            continue  # none of this block's postings is wanted: its data stays packed
        end = int(np.searchsorted(wanted, last_id, side="right"))
        ids, _weights, values = data()
        here = np.searchsorted(ids, wanted[start:end])
        here[here == ids.size] = 0
        for docnum, at in zip(wanted[start:end].tolist(), here.tolist(), strict=True):
            if ids[at] == docnum:
                found[docnum] = decode(values[at])
        start = end
    return found


class _Block:
    """A block's data, unpickled when first asked for."""

    __slots__ = ("_raw", "_offset", "_compressed", "_count")

    def __init__(self, raw: bytes, offset: int, compressed: bool, count: int) -> None:
        self._raw, self._offset, self._compressed, self._count = raw, offset, compressed, count

    def __call__(self) -> tuple[IntArray, FloatArray, Any]:
        packed = memoryview(self._raw)[self._offset :]
        data = zlib.decompress(packed) if self._compressed else packed
        id_deltas, weights, values = pickle.loads(data)  # nosec B301
        ids = np.cumsum(np.array(id_deltas, np.int64)).astype(np.int32)
        if weights is None:
            weight_array = np.ones(self._count, np.float32)
        elif isinstance(weights, float):
            weight_array = np.full(self._count, weights, np.float32)
        else:
            weight_array = np.array(weights, np.float32)
        return ids, weight_array, values


def block_arrays(matcher: W3LeafMatcher) -> Iterator[tuple[IntArray, FloatArray, Any]]:
    """Each block's ids, weights and (packed) values, in order."""
    for _info, data in _blocks(matcher):
        yield data()


def _blocks(matcher: W3LeafMatcher) -> Iterator[tuple[tuple[Any, ...], _Block]]:
    """Each block's info tuple, and its data to unpickle if needed."""
    postfile = matcher._postfile
    position = matcher._baseoffset
    while True:
        length = _BLOCK_LENGTH.unpack(postfile.get(position, _BLOCK_LENGTH.size))[0]
        raw = postfile.get(position + _BLOCK_LENGTH.size, abs(length))
        stream = io.BytesIO(raw)
        info = pickle.load(stream)  # nosec B301
        yield info, _Block(raw, stream.tell(), bool(info[_COMPRESSION]), int(info[0]))
        if length < 0:  # the last block
            return
        position += _BLOCK_LENGTH.size + length


def _unwrapped(matcher: Matcher) -> Matcher:
    """A segment's matcher without its filter of deleted entries."""
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        return matcher.child
    if isinstance(matcher, FilterMatcher):  # (a segment reader only ever excludes)
        raise TypeError("a filter that keeps only some entries")
    return matcher


def _read_one_by_one(matcher: Matcher) -> tuple[IntArray, FloatArray]:
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, np.int32), np.array(weights, np.float32)


def _positions_one_by_one(matcher: Matcher, docnums: IntArray) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for docnum in docnums.tolist():
        if not matcher.is_active():
            break
        matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            found[docnum] = list(matcher.value_as("positions"))
    return found
