"""What every server holds in memory of a PostgreSQL index: its documents and their
entries, as the arrays a Whoosh `Snapshot` holds, so that filtering, ranking, grouping
and facet counting are the Whoosh backend's own code over the same numbers.

The catalog is read from `search_documents` (one row per document, with its entries'
paragraphs, lengths and tags) and follows the index's generation: a write anywhere
raises it, and the next search on any server reads the documents written since.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import query as wq
from whoosh.util.numeric import _length_byte_cache

from ..dates import parse_date
from ..fields import TAG_FIELDS
from .analysis import FIELD_LANGUAGES
from .entries import DocMeta
from .pg_rows import TITLE
from .schema import CONFIRMED_SUFFIX, text_field
from .snapshot import _LENGTHS, BoolArray, FloatArray, IntArray, Members, Snapshot

TEXT_NAMES = tuple(text_field(language) for language in FIELD_LANGUAGES)
_BYTE_LENGTHS = np.array(_length_byte_cache, np.int64)


@dataclass(frozen=True)
class Record:
    """One document's row: its metadata and its entries."""

    meta: DocMeta
    # [paragraph, variant, language index, text length, title length, tag set] each
    entries: list[list[int]]
    tag_sets: list[dict[str, list[str]]]

    @classmethod
    def of(cls, meta: str, details: str) -> Record:
        parsed: dict[str, Any] = json.loads(details)
        return cls(DocMeta.from_json(meta), parsed["entries"], parsed["tags"])


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

    @classmethod
    def of(cls, records: list[Record], generation: int, build: str) -> Catalog:
        records = sorted(records, key=lambda record: record.meta.id)
        docs = [record.meta for record in records]
        counts = np.array([len(record.entries) for record in records], np.int64)
        size = int(counts.sum())
        first = np.zeros(len(records), np.int64)
        if len(records) > 1:
            np.cumsum(counts[:-1], out=first[1:])
        rows = np.array(
            [entry[:5] for record in records for entry in record.entries], np.int64
        ).reshape(size, 5)
        irregular: dict[tuple[int, int, int], int] = {}
        members: dict[str, dict[str, list[IntArray]]] = {name: {} for name in _TAG_COLUMNS}
        for ordinal, record in enumerate(records):
            base = int(first[ordinal])
            if any(entry[1] for entry in record.entries):  # (redacted passages)
                for offset, entry in enumerate(record.entries):
                    irregular[(ordinal, entry[0], entry[1])] = base + offset
            for tag_set, ids in _by_tag_set(record.entries, base).items():
                for name, values in record.tag_sets[tag_set].items():
                    for value in values:
                        members[name].setdefault(value, []).append(ids)
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
        )
        for index, name in enumerate(TEXT_NAMES):
            catalog._lengths[name] = np.where(rows[:, 2] == index, _quantised(rows[:, 3]), 0)
        catalog._lengths[TITLE] = _quantised(rows[:, 4])
        for name in _TAG_COLUMNS:  # (keywords: no lengths, as in Whoosh)
            catalog._lengths[name] = np.zeros(size, np.float32)
        for name, by_value in members.items():
            confirmed = name.endswith(CONFIRMED_SUFFIX)
            facet = name.removesuffix(CONFIRMED_SUFFIX)
            catalog._facets[(facet, confirmed)] = Members.of(
                {value: np.sort(np.concatenate(parts)) for value, parts in by_value.items()}
            )
        return catalog

    def entry(self, ordinal: int, para: int, variant: int) -> int:
        """The entry number of a document's paragraph (in one variant), -1 if unknown."""
        if self.irregular and (ordinal, para, variant) in self.irregular:
            return self.irregular[(ordinal, para, variant)]
        number = int(self.first_entry[ordinal]) + para - 1
        ends = self.first_entry[ordinal + 1] if ordinal + 1 < len(self.docs) else self.size
        if variant or not 0 <= number < ends or self.para_of_entry[number] != para:
            return -1
        return number

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


_TAG_COLUMNS = tuple(name + suffix for name in TAG_FIELDS for suffix in ("", CONFIRMED_SUFFIX))


def _by_tag_set(entries: list[list[int]], base: int) -> dict[int, IntArray]:
    """A document's entry numbers, by the tag set they carry."""
    grouped: dict[int, list[int]] = {}
    for offset, entry in enumerate(entries):
        grouped.setdefault(entry[5], []).append(base + offset)
    return {tag_set: np.array(ids, np.int32) for tag_set, ids in grouped.items()}


def _quantised(lengths: npt.NDArray[np.int64]) -> FloatArray:
    """Lengths as Whoosh keeps them: a byte each, an approximation (`_LENGTHS`)."""
    codes = np.minimum(np.searchsorted(_BYTE_LENGTHS, lengths, side="left"), 255)
    codes[lengths >= 106374] = 255
    quantised: FloatArray = _LENGTHS[codes]
    return quantised


def _text(meta: DocMeta, name: str) -> str:
    value: str = getattr(meta, name)
    return value
