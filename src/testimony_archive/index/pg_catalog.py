"""What every server holds in memory of a PostgreSQL index: its documents and their
entries, as the arrays a Whoosh `Snapshot` holds, so that filtering, ranking, grouping
and facet counting are the Whoosh backend's own code over the same numbers.

The catalog is read from `search_documents` (one row per document, with its entries'
paragraphs, lengths and tags) and follows the index's generation: a write anywhere
raises it, and the next search on any server reads the documents written since.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import query as wq
from whoosh.util.numeric import _length_byte_cache

from ..dates import parse_date
from ..fields import FACETS, TAG_FIELDS
from .analysis import FIELD_LANGUAGES
from .entries import DocMeta
from .pg_rows import TAG_COLUMNS, TITLE
from .schema import CONFIRMED_SUFFIX, text_field
from .snapshot import (
    LENGTHS,
    LRU,
    POSTINGS_CACHE_BYTES,
    BoolArray,
    FloatArray,
    IntArray,
    Members,
    Snapshot,
)

TEXT_NAMES = tuple(text_field(language) for language in FIELD_LANGUAGES)
_BYTE_LENGTHS = np.array(_length_byte_cache, np.int64)
Int64Array = npt.NDArray[np.int64]


class Codes:
    """Numbers for (column, value) pairs, shared by every catalog of the process, so
    that the members of a facet value are gathered with array operations."""

    def __init__(self) -> None:
        self.pairs: list[tuple[str, str]] = []
        self._numbers: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def of(self, column: str, value: str) -> int:
        number = self._numbers.get((column, value))
        if number is None:
            with self._lock:
                number = self._numbers.setdefault((column, value), len(self.pairs))
                if number == len(self.pairs):
                    self.pairs.append((column, value))
        return number


CODES = Codes()
DOCUMENT_COLUMN = "doc:"  # (the prefix of a facet counted by documents, as in Snapshot)


@dataclass(frozen=True)
class Record:
    """One document's row, read once: its metadata, its entries as an array, and the
    facet values of its entries and of itself, as codes."""

    meta: DocMeta
    rows: npt.NDArray[np.int64]  # [paragraph, variant, language index, text, title length]
    tag_codes: IntArray  # the (column, value) codes its entries carry...
    tag_entries: IntArray  # ...and which of its entries carries each (from 0)
    document_codes: IntArray  # the (facet, value) codes it is counted under
    redacted: bool  # whether some of its paragraphs have two entries

    @classmethod
    def of(cls, meta_json: str, details: str) -> Record:
        meta = DocMeta.from_json(meta_json)
        parsed: dict[str, Any] = json.loads(details)
        entries: list[list[int]] = parsed["entries"]
        rows = np.array([entry[:5] for entry in entries], np.int64).reshape(len(entries), 5)
        tag_set_of = np.array([entry[5] for entry in entries], np.int32)
        codes: list[IntArray] = []
        carriers: list[IntArray] = []
        for index, tags in enumerate(parsed["tags"]):
            members = np.flatnonzero(tag_set_of == index).astype(np.int32)
            for column, values in tags.items():
                for value in values:
                    codes.append(np.full(members.size, CODES.of(column, value), np.int32))
                    carriers.append(members)
        document = [
            CODES.of(DOCUMENT_COLUMN + name + (CONFIRMED_SUFFIX if confirmed else ""), value)
            for confirmed in (False, True)
            for name, values in meta.document_facets(confirmed).items()
            for value in values
        ]
        return cls(meta, rows, _joined(codes), _joined(carriers), np.array(document, np.int32),
                   bool(rows[:, 1].any()))  # fmt: skip


@dataclass
class Catalog(Snapshot):
    """A `Snapshot` made from document rows rather than Whoosh segments: every array
    and cache a search reads is filled in when it is built."""

    generation: int = 0
    build_id: str = ""
    first_entry: IntArray = field(default_factory=lambda: np.empty(0, np.int32))
    # Entry numbers of the documents whose entries are not simply their paragraphs in
    # order (those with redacted passages): (ordinal, paragraph, variant) → entry.
    irregular: dict[tuple[int, int, int], int] = field(default_factory=dict)
    irregular_documents: frozenset[int] = frozenset()
    # The postings of words fetched for a scope (`pg_postings`): words recur from one
    # search to the next (and their synonyms more), as in the Whoosh snapshot's cache.
    postings_cache: LRU = field(
        default_factory=lambda: LRU(POSTINGS_CACHE_BYTES, weigh=lambda p: p.weight())
    )

    @classmethod
    def of(cls, records: list[Record], generation: int, build: str) -> Catalog:
        records = sorted(records, key=lambda record: record.meta.id)
        docs = [record.meta for record in records]
        counts = np.array([len(record.rows) for record in records], np.int64)
        size = int(counts.sum())
        first = np.zeros(len(records), np.int64)
        if len(records) > 1:
            np.cumsum(counts[:-1], out=first[1:])
        rows = np.concatenate([record.rows for record in records]) if records else (
            np.empty((0, 5), np.int64))  # fmt: skip
        irregular: dict[tuple[int, int, int], int] = {}
        for ordinal, record in enumerate(records):
            if record.redacted:
                base = int(first[ordinal])
                for offset, (para, variant) in enumerate(record.rows[:, :2].tolist()):
                    irregular[(ordinal, para, variant)] = base + offset
        catalog = cls(
            docs=docs,
            ordinal_by_id={meta.id: ordinal for ordinal, meta in enumerate(docs)},
            doc_of_entry=np.repeat(np.arange(len(records), dtype=np.int32), counts),
            para_of_entry=rows[:, 0].astype(np.int32),
            live=np.ones(size, np.bool_),
            variant=rows[:, 1].astype(np.int8),
            segments=[],
            generation=generation,
            build_id=build,
            first_entry=first.astype(np.int32),
            irregular=irregular,
            irregular_documents=frozenset(ordinal for ordinal, _para, _variant in irregular),
        )
        for index, name in enumerate(TEXT_NAMES):
            catalog._lengths[name] = np.where(
                rows[:, 2] == index, _quantised(rows[:, 3]), np.float32(0)
            ).astype(np.float32)
        catalog._lengths[TITLE] = _quantised(rows[:, 4])
        for name in TAG_COLUMNS:  # (keywords: no lengths, as in Whoosh)
            catalog._lengths[name] = np.zeros(size, np.float32)
        tag_counts = [record.tag_entries.size for record in records]
        tagged = _grouped(
            _joined([record.tag_codes for record in records]),
            _joined([record.tag_entries for record in records])
            + np.repeat(first, tag_counts).astype(np.int32),
        )
        counted = _grouped(
            _joined([record.document_codes for record in records]),
            np.repeat(
                np.arange(len(records), dtype=np.int32),
                [record.document_codes.size for record in records],
            ),
        )
        for column in TAG_COLUMNS:
            name = column.removesuffix(CONFIRMED_SUFFIX)
            confirmed = column != name
            catalog._facets[(name, confirmed)] = Members.of(tagged.get(column, {}))
        for facet in FACETS:
            for confirmed in (False, True):
                column = DOCUMENT_COLUMN + facet.name + (CONFIRMED_SUFFIX if confirmed else "")
                catalog._facets[(DOCUMENT_COLUMN + facet.name, confirmed)] = Members.of(
                    counted.get(column, {})
                )
        return catalog

    def entry(self, ordinal: int, para: int, variant: int) -> int:
        """The entry number of a document's paragraph (in one variant), -1 if unknown."""
        if ordinal in self.irregular_documents:
            return self.irregular.get((ordinal, para, variant), -1)
        number = int(self.first_entry[ordinal]) + para - 1
        ends = self.first_entry[ordinal + 1] if ordinal + 1 < len(self.docs) else self.size
        if variant or not 0 <= number < ends or self.para_of_entry[number] != para:
            return -1
        return number

    def entries_of(
        self, ordinals: Int64Array, paras: Int64Array, variants: Int64Array
    ) -> Int64Array:
        """`entry` of many rows at once (an ordinal of -1: an unknown document)."""
        found = np.full(ordinals.size, -1, np.int64)
        known = ordinals >= 0
        if self.irregular_documents:
            odd = known & np.isin(ordinals, np.fromiter(self.irregular_documents, np.int64))
            for index in np.flatnonzero(odd).tolist():
                found[index] = self.entry(
                    int(ordinals[index]), int(paras[index]), int(variants[index])
                )
            known &= ~odd
        rows = np.flatnonzero(known & (variants == 0))
        documents = ordinals[rows]
        firsts = self.first_entry.astype(np.int64)
        numbers = firsts[documents] + paras[rows] - 1
        ends = np.append(firsts[1:], self.size)[documents]
        inside = (numbers >= firsts[documents]) & (numbers < ends)
        inside[inside] = self.para_of_entry[numbers[inside]] == paras[rows][inside]
        found[rows[inside]] = numbers[inside]
        return found

    def tagged(self, field_name: str, value: str) -> IntArray:
        """The entries carrying a tag (rolled up) in a tag field, sorted."""
        name = field_name.removesuffix(CONFIRMED_SUFFIX)
        members = self._facets[(name, field_name != name)]
        if value not in members.values:
            return np.empty(0, np.int32)
        ids: IntArray = members.ids[members.labels == members.values.index(value)]
        return ids

    def field_length(self, field_name: str) -> float:
        """The summed length of a text field over all entries (0: no entry has it)."""
        lengths = self._lengths.get(field_name)
        return float(lengths.sum()) if lengths is not None else 0.0

    # -- filters -----------------------------------------------------------------------

    def filter_mask(self, query: wq.Query) -> BoolArray:
        """The entries a filter (as `filters.facet_filter` and `request_filters` make
        them) lets through: what Whoosh's query matches in its index."""
        mask: BoolArray = self._filters.fetch(repr(query), lambda: self._filter_mask(query))
        return mask

    def _filter_mask(self, query: wq.Query) -> BoolArray:
        if isinstance(query, wq.Not):
            return ~self._filter_mask(query.query) & self.live
        if isinstance(query, wq.Term):
            name, value = query.fieldname, str(query.text)
            if name.removesuffix(CONFIRMED_SUFFIX) in TAG_FIELDS:
                mask = np.zeros(self.size, np.bool_)
                mask[self.tagged(name, value)] = True
                return mask
            if name == "doc":
                ordinal = self.ordinal_by_id.get(value, -2)
                same: BoolArray = self.doc_of_entry == ordinal
                return same
            return self._by_document(np.array([_text(meta, name) == value for meta in self.docs]))
        if isinstance(query, wq.NumericRange):
            values = self._numbers[query.fieldname]
            keep = values >= 0
            if query.start is not None:
                keep &= values >= int(query.start)
            if query.end is not None:
                keep &= values <= int(query.end)
            return self._by_document(keep)
        raise TypeError(f"no catalog filter for {query!r}")

    def _by_document(self, documents: npt.NDArray[np.bool_]) -> BoolArray:
        """Entry mask from a mask of documents."""
        extended = np.append(documents.astype(np.bool_), False)  # (-1 indexes the last)
        return extended[self.doc_of_entry]

    @cached_property
    def _numbers(self) -> dict[str, npt.NDArray[np.int64]]:
        """Each document's year, date and last day (yyyymmdd), -1 where it has no date."""
        years, dates, ends = [], [], []
        for meta in self.docs:
            if meta.date is None:
                years.append(-1)
                dates.append(-1)
                ends.append(-1)
                continue
            last = parse_date(meta.date).last_day
            years.append(meta.year if meta.year is not None else -1)
            dates.append(meta.sort_date if meta.sort_date is not None else -1)
            ends.append(last.year * 10000 + last.month * 100 + last.day)
        named = (("year", years), ("date", dates), ("date_end", ends))
        return {name: np.array(values, np.int64) for name, values in named}


def _joined(parts: list[IntArray]) -> IntArray:
    return np.concatenate(parts).astype(np.int32) if parts else np.empty(0, np.int32)


def _grouped(codes: IntArray, ids: IntArray) -> dict[str, dict[str, IntArray]]:
    """column → value → the ids (sorted) that carry the code of (column, value)."""
    if not codes.size:
        return {}
    order = np.argsort(codes, kind="stable")
    codes, ids = codes[order], ids[order]
    starts = np.flatnonzero(np.diff(codes, prepend=-1))
    grouped: dict[str, dict[str, IntArray]] = {}
    for start, end in zip(starts.tolist(), [*starts[1:].tolist(), codes.size], strict=True):
        column, value = CODES.pairs[int(codes[start])]
        grouped.setdefault(column, {})[value] = np.sort(ids[start:end])
    return grouped


def _quantised(lengths: npt.NDArray[np.int64]) -> FloatArray:
    """Lengths as Whoosh keeps them: a byte each, an approximation (`LENGTHS`)."""
    codes = np.minimum(np.searchsorted(_BYTE_LENGTHS, lengths, side="left"), 255)
    codes[lengths >= 106374] = 255
    quantised: FloatArray = LENGTHS[codes]
    return quantised


def _text(meta: DocMeta, name: str) -> str:
    value: str = getattr(meta, name)
    return value
