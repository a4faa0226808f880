"""Each server's catalog of the PostgreSQL index (`index/pg_catalog.py`): the entry
numbers postings are read into, for rows PostgreSQL names by document, paragraph and
variant. Built here from the rows the index writer would store, without a database."""

from __future__ import annotations

import numpy as np
from click.testing import CliRunner

from testimony_archive.archive import Archive, FileState
from testimony_archive.cli import cli
from testimony_archive.config import Settings
from testimony_archive.index.entries import build_meta
from testimony_archive.index.pg_catalog import Catalog, Record
from testimony_archive.index.pg_rows import document_rows
from testimony_archive.index.writer import relative_path

from .conftest import cli_args


def catalog_of(archive: Archive) -> Catalog:
    records = []
    for path in archive.paths():
        document = archive.load(path)
        meta = build_meta(
            document, archive.vocabulary, relative_path(archive, path), FileState.of(path)
        )
        rows = document_rows(document, meta, archive.vocabulary)
        records.append(Record.of(meta.to_json(), rows.details))
    return Catalog.of(records, generation=1, build="test")


def test_many_rows_are_numbered_as_one_at_a_time(
    runner: CliRunner, settings: Settings, archive: Archive
) -> None:
    """Every entry, a redacted paragraph's two variants among them, and keys no entry
    has (an unknown document, a paragraph past the end, a variant a plain paragraph
    lacks): the same numbers from `entries_of` as from `entry`."""
    redacted = runner.invoke(
        cli,
        cli_args(
            settings,
            "redact",
            "r-es-004",
            "--para",
            "1",
            "--chars",
            "1-5",
            "--reason",
            "identifies a community",
        ),  # fmt: skip
    )
    assert redacted.exit_code == 0, redacted.output
    catalog = catalog_of(archive)
    assert catalog.irregular_documents  # (the redacted document's entries)
    ordinals = catalog.doc_of_entry.astype(np.int64)
    paras = catalog.para_of_entry.astype(np.int64)
    variants = catalog.variant.astype(np.int64)
    strange = (
        np.array([-1, 0, 0, len(catalog.docs) - 1], np.int64),
        np.array([1, 0, 999, 1], np.int64),
        np.array([0, 0, 0, 2], np.int64),
    )
    for keys in ((ordinals, paras, variants), strange):
        one_at_a_time = [
            catalog.entry(*row) if row[0] >= 0 else -1 for row in zip(*map(list, keys), strict=True)
        ]
        assert catalog.entries_of(*keys).tolist() == one_at_a_time
    assert catalog.entries_of(ordinals, paras, variants).tolist() == list(range(catalog.size))
