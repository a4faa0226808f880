"""Building and updating the PostgreSQL index from the archive.

The archive folder stays the record; these tables are derived from it and rebuilt at
will. A rebuild writes fresh tables beside the live ones and swaps them in at the end
(searches go on meanwhile, on the old ones); an update re-reads only the files whose
size or modification time changed, exactly as the Whoosh writer does. Every write takes
the index's lock in the database (so that servers on several hosts take turns) and
raises the index's generation, which tells every server to read what changed.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from ..archive import Archive, FileState
from ..errors import ArchiveError, TestimonyError
from ..instance.database import InstanceDatabase
from .backend import Progress
from .entries import build_meta
from .pg_rows import DocumentRows, document_rows
from .writer import IndexReport, archive_changes, relative_path

# What the tables hold and how: an index of another format is rebuilt, not patched.
# 2: title terms counted too; 3: the metadata record says how confident its pending
# suggestions are; 4: the terms' trigrams indexed (pg_trgm), for fuzzy words
PG_INDEX_FORMAT = 4
INDEX_LOCK = 0x7E57_1DE5  # the advisory lock every index write takes
BATCH = 200  # documents per transaction in an update
WAIT = "5s"  # how long a single document's re-indexing waits for the lock
# Generations only grow, whatever happens to the table (a restore without it, a failover
# that lost writes): each is at least the clock's microseconds.
_FIRST_GENERATION = text(
    "SELECT greatest(:previous + 1, (extract(epoch FROM clock_timestamp()) * 1e6)::bigint)"
)
_NEXT_GENERATION = text(
    "UPDATE search_state SET generation = "
    "greatest(generation + 1, (extract(epoch FROM clock_timestamp()) * 1e6)::bigint) "
    "RETURNING generation"
)


class IndexBusy(TestimonyError):
    """Another writer (a rebuild) held the index longer than a single edit waits."""


def _refused(error: psycopg.Error) -> TestimonyError:
    """A PostgreSQL error while writing the index, said in one line."""
    reason = error.diag.message_primary or type(error).__name__
    return TestimonyError(f"PostgreSQL refused the search index's rows: {reason}")

_STATE = """
    CREATE TABLE IF NOT EXISTS search_state (
        id integer PRIMARY KEY CHECK (id = 1),
        format integer NOT NULL,
        build text NOT NULL,
        generation bigint NOT NULL
    )
"""


def _tables(suffix: str, build: str) -> list[str]:
    """The index's tables (named with `suffix` while they are built), their indexes
    named after the build, so that a new build's never clash with the live ones."""
    return [
        f"""CREATE TABLE search_documents{suffix} (
            id text COLLATE "C" NOT NULL,
            path text NOT NULL,
            mtime_ns bigint NOT NULL,
            size bigint NOT NULL,
            access text NOT NULL,
            meta text NOT NULL,
            details text NOT NULL,
            generation bigint NOT NULL,
            CONSTRAINT search_documents_{build} PRIMARY KEY (id)
        )""",
        f"""CREATE TABLE search_entries{suffix} (
            doc text COLLATE "C" NOT NULL,
            para integer NOT NULL,
            variant smallint NOT NULL,
            access text NOT NULL,
            terms tsvector NOT NULL,
            CONSTRAINT search_entries_{build} PRIMARY KEY (doc, para, variant)
        )""",
        f"""CREATE TABLE search_terms{suffix} (
            field text COLLATE "C" NOT NULL,
            term text COLLATE "C" NOT NULL,
            access text NOT NULL,
            variant smallint NOT NULL,
            entries integer NOT NULL
        )""",
    ]


def _indexes(suffix: str, build: str) -> list[str]:
    """Made after the rows are in (quicker than keeping them up to date row by row)."""
    return [
        f"CREATE INDEX search_entries_terms_{build} ON search_entries{suffix} USING gin (terms)",
        f"ALTER TABLE search_terms{suffix} ADD CONSTRAINT search_terms_{build} "
        "PRIMARY KEY (field, term, access, variant)",
        # Fuzzy words: the plain terms by their trigrams, the others apart (pg_lexicon).
        f"CREATE INDEX search_terms_trigrams_{build} ON search_terms{suffix} "
        "USING gin (term gin_trgm_ops) WHERE term ~ '^[a-z0-9]+$'",
        f"CREATE INDEX search_terms_others_{build} ON search_terms{suffix} (field, term) "
        "WHERE term !~ '^[a-z0-9]+$'",
        f"CREATE INDEX search_documents_generation_{build} "
        f"ON search_documents{suffix} (generation)",
        f"ANALYZE search_entries{suffix}",
        f"ANALYZE search_terms{suffix}",
    ]


def index_state(connection: Connection) -> tuple[int, str, int] | None:
    """(format, build, generation) of the index, or None if there is none."""
    exists = connection.execute(text("SELECT to_regclass('search_state')")).scalar()
    if exists is None:
        return None
    row = connection.execute(
        text("SELECT format, build, generation FROM search_state WHERE id = 1")
    ).first()
    return (int(row[0]), str(row[1]), int(row[2])) if row is not None else None


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection holding the index lock (waiting for another writer to finish)."""
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": INDEX_LOCK})
        connection.commit()
        try:
            yield connection
        finally:
            connection.rollback()
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": INDEX_LOCK})
            connection.commit()


def rebuild(
    database: InstanceDatabase, archive: Archive, progress: Progress | None = None
) -> IndexReport:
    """Build the index anew in tables beside the live ones, then swap them in."""
    report = IndexReport()
    build = uuid.uuid4().hex[:12]
    with _locked(database.engine) as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch"))
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        connection.execute(text(_STATE))
        for name in ("documents", "entries", "terms"):
            connection.execute(text(f"DROP TABLE IF EXISTS search_{name}_new"))
        for statement in _tables("_new", build):
            connection.execute(text(statement))
        state = index_state(connection)
        previous = {"previous": state[2] if state else 0}
        generation = int(connection.execute(_FIRST_GENERATION, previous).scalar_one())
        connection.commit()
        lexicon: Counter[tuple[str, str, str, int]] = Counter()
        batch: list[DocumentRows] = []
        for path in archive.paths():
            rows = _read(archive, path, FileState.of(path), report)
            if rows is not None:
                report.added += 1
                report.paragraphs += len(rows.entries)
                batch.append(rows)
                _count(lexicon, rows)
            if len(batch) >= BATCH:
                _copy(connection, "_new", batch, generation)
                connection.commit()
                batch = []
            if progress:
                progress(1)
        _copy(connection, "_new", batch, generation)
        _copy_terms(connection, "_new", lexicon)
        for statement in _indexes("_new", build):
            connection.execute(text(statement))
        connection.commit()
        for name in ("documents", "entries", "terms"):  # the swap: one transaction
            connection.execute(text(f"DROP TABLE IF EXISTS search_{name}"))
            connection.execute(text(f"ALTER TABLE search_{name}_new RENAME TO search_{name}"))
        connection.execute(
            text("""INSERT INTO search_state (id, format, build, generation)
                    VALUES (1, :format, :build, :generation)
                    ON CONFLICT (id) DO UPDATE SET format = EXCLUDED.format,
                        build = EXCLUDED.build, generation = EXCLUDED.generation"""),
            {"format": PG_INDEX_FORMAT, "build": build, "generation": generation},
        )
        connection.commit()
    if database.replicas is not None:
        database.replicas.wrote()
    return report


def update(
    database: InstanceDatabase, archive: Archive, progress: Progress | None = None
) -> IndexReport:
    """Bring the index up to date with the archive, reading only what changed."""
    with database.engine.connect() as connection:
        state = index_state(connection)
        if state is None or state[0] != PG_INDEX_FORMAT:
            connection.rollback()
            return rebuild(database, archive, progress)
        known = {
            doc_id: (path, FileState(int(mtime_ns), int(size)))
            for doc_id, path, mtime_ns, size in connection.execute(
                text("SELECT id, path, mtime_ns, size FROM search_documents")
            )
        }
    report = IndexReport()
    present = archive.file_states()
    if known and not present and not archive.documents_dir.is_dir():
        raise ArchiveError(  # (a network folder not mounted: not an archive emptied)
            "the archive's documents folder is missing; the search index is left as it is",
            path=archive.documents_dir,
        )
    changed, gone = archive_changes(archive, present, known, report, progress)
    report.removed += len(gone)
    if gone:
        write(database, archive, [], gone)
    for start in range(0, len(changed), BATCH):
        written: list[DocumentRows] = []
        removed: list[str] = []
        for doc_id, path, file_state in changed[start : start + BATCH]:
            rows = _read(archive, path, file_state, report)
            if rows is not None:
                written.append(rows)
                report.paragraphs += len(rows.entries)
                if doc_id in known:
                    report.updated += 1
                else:
                    report.added += 1
            elif doc_id in known:
                removed.append(doc_id)
                report.removed += 1  # now invalid: unsearchable until fixed
            if progress:
                progress(1)
        write(database, archive, written, removed)
    return report


def reindex_document(
    database: InstanceDatabase, archive: Archive, doc_id: str, wait: bool = False
) -> IndexReport:
    """Re-index one document at once (after a tag edit): searchable on every server
    within a second. With `wait`, IndexBusy if the index's lock is held longer than
    `WAIT` (by a rebuild)."""
    report = IndexReport()
    path = archive.path_for(doc_id)
    rows = _read(archive, path, FileState.of(path), report) if path.exists() else None
    if rows is not None:
        report.updated += 1
        report.paragraphs += len(rows.entries)
    written, removed = ([rows], []) if rows is not None else ([], [doc_id])
    write(database, archive, written, removed, wait=WAIT if wait else None)
    return report


def write(
    database: InstanceDatabase,
    archive: Archive,
    documents: list[DocumentRows],
    removed: list[str],
    wait: str | None = None,
) -> None:
    """Replace these documents' rows and remove others', in one transaction that raises
    the index's generation (on the primary: this server's later reads wait for a
    replica that has it). A document whose file changed since it was read is left to
    whoever read it after: no writer puts back an older version over a newer one."""
    try:
        with database.begin() as connection:
            if wait is not None:
                connection.execute(text(f"SET LOCAL lock_timeout = '{wait}'"))
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INDEX_LOCK})
            documents = [rows for rows in documents if _unchanged(archive, rows)]
            ids = [rows.meta.id for rows in documents] + removed
            if not ids:
                return
            generation = int(connection.execute(_NEXT_GENERATION).scalar_one())
            connection.execute(_FORGET_TERMS, {"ids": ids})
            connection.execute(text("DELETE FROM search_entries WHERE doc = ANY(:ids)"),
                               {"ids": ids})  # fmt: skip
            connection.execute(text("DELETE FROM search_documents WHERE id = ANY(:ids)"),
                               {"ids": ids})  # fmt: skip
            _copy(connection, "", documents, generation)
            lexicon: Counter[tuple[str, str, str, int]] = Counter()
            for rows in documents:
                _count(lexicon, rows)
            if lexicon:
                connection.execute(_ADD_TERMS, [
                    {"field": f, "term": t, "access": a, "variant": v, "entries": n}
                    for (f, t, a, v), n in sorted(lexicon.items())
                ])  # fmt: skip
    except OperationalError as error:
        if wait is not None and isinstance(error.orig, psycopg.errors.LockNotAvailable):
            raise IndexBusy("the search index is being rebuilt") from None
        raise


def _unchanged(archive: Archive, rows: DocumentRows) -> bool:
    """Whether the document's file is still as it was when these rows were made."""
    try:
        state = FileState.of(archive.root / rows.meta.path)
    except OSError:
        return False
    return (state.mtime_ns, state.size) == (rows.meta.mtime_ns, rows.meta.size)


# A removed document's terms, counted off: from its rows' tsvectors.
_FORGET_TERMS = text("""
    UPDATE search_terms AS t SET entries = t.entries - g.n
    FROM (
        SELECT split_part(u.lexeme, ':', 1) AS field,
               substr(u.lexeme, strpos(u.lexeme, ':') + 1) AS term,
               e.access, e.variant, count(*) AS n
        FROM search_entries AS e CROSS JOIN LATERAL unnest(e.terms) AS u
        WHERE e.doc = ANY(:ids)
        GROUP BY 1, 2, 3, 4
    ) AS g
    WHERE t.field = g.field AND t.term = g.term AND t.access = g.access
      AND t.variant = g.variant
""")
_ADD_TERMS = text("""
    INSERT INTO search_terms (field, term, access, variant, entries)
    VALUES (:field, :term, :access, :variant, :entries)
    ON CONFLICT (field, term, access, variant)
    DO UPDATE SET entries = search_terms.entries + EXCLUDED.entries
""")


def _read(
    archive: Archive, path: Path, state: FileState, report: IndexReport
) -> DocumentRows | None:
    try:
        document = archive.load(path)
    except ArchiveError as error:
        report.failed.append((str(path), str(error)))
        return None
    meta = build_meta(document, archive.vocabulary, relative_path(archive, path), state)
    return document_rows(document, meta, archive.vocabulary)


def _count(lexicon: Counter[tuple[str, str, str, int]], rows: DocumentRows) -> None:
    """Add a document's terms to the counts by access level and variant."""
    access = rows.meta.access
    for (field_name, term, variant), count in rows.lexicon.items():
        lexicon[(field_name, term, access, variant)] += count


def _copy(
    connection: Connection, suffix: str, documents: list[DocumentRows], generation: int
) -> None:
    """Write documents' rows with COPY (the quickest way in)."""
    if not documents:
        return
    try:
        _copy_rows(_driver(connection).cursor(), suffix, documents, generation)
    except psycopg.Error as error:
        raise _refused(error) from None


def _copy_rows(cursor: Any, suffix: str, documents: list[DocumentRows], generation: int) -> None:
    columns = "id, path, mtime_ns, size, access, meta, details, generation"
    with cursor.copy(f"COPY search_documents{suffix} ({columns}) FROM STDIN") as copy:
        for rows in documents:
            meta = rows.meta
            copy.write_row((meta.id, meta.path, meta.mtime_ns, meta.size, meta.access,
                            meta.to_json(), rows.details, generation))  # fmt: skip
    columns = "doc, para, variant, access, terms"
    with cursor.copy(f"COPY search_entries{suffix} ({columns}) FROM STDIN") as copy:
        for rows in documents:
            for entry in rows.entries:
                copy.write_row((rows.meta.id, entry.para, entry.variant, rows.meta.access,
                                entry.terms))  # fmt: skip


def _copy_terms(
    connection: Connection, suffix: str, lexicon: Counter[tuple[str, str, str, int]]
) -> None:
    columns = "field, term, access, variant, entries"
    try:
        with _driver(connection).cursor().copy(
            f"COPY search_terms{suffix} ({columns}) FROM STDIN"
        ) as copy:
            for key, count in lexicon.items():
                copy.write_row((*key, count))
    except psycopg.Error as error:
        raise _refused(error) from None


def _driver(connection: Connection) -> Any:
    """The psycopg connection under SQLAlchemy's, for COPY."""
    return connection.connection.driver_connection
