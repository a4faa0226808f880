"""Search on PostgreSQL: the same answers as the Whoosh index, shared by several servers
(an edit on one is found on the other at once), read from a replica that may lag or
stop, and derived from the archive (updated from its files as the Whoosh index is)."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import text

from testimony_archive.access import Scope
from testimony_archive.archive import Archive
from testimony_archive.cli import cli
from testimony_archive.config import Settings
from testimony_archive.importer import import_paths
from testimony_archive.index import (
    DocumentHit,
    PostgresIndex,
    SearchRequest,
    SearchResult,
    WhooshIndex,
    rebuild_index,
)
from testimony_archive.index.analysis import analyze
from testimony_archive.index.pg_lexicon import similarity_bound
from testimony_archive.index.pg_postings import plan_terms, tsquery
from testimony_archive.index.pg_tsquery import narrowing
from testimony_archive.instance import InstanceDatabase
from testimony_archive.service import SearchService
from testimony_archive.web.app import create_app

from .conftest import (
    ADMIN,
    DATA,
    EVERY_LEVEL,
    PASSWORD,
    PUBLIC,
    add_user,
    cli_args,
    copy_sample_archive,
    served,
)
from .postgres import Cluster, load_while_the_replica_restarts, wait_for_replica
from .test_postgres_replicas import replay_paused

pytestmark = pytest.mark.postgres

QUERIES = [
    "torture", "tortura", "migrantes deportados", '"electric shocks"', "tort*", "tortrue~",
    "extorsion~2", "police -torture", "-torture", "location:MX-CHP beating", "abuse:torture",
    "+immigration +agents", "agents AND beaten", "title:Chiapas", '"agentes de migración"~3',
    "", "Tapachula", "kidnapping OR secuestro", "year:2019", "NOT police", "comisaria",
    '"electric shocks"~2', "+agents -police", "title:Chiapas +torture",
    '"immigration agents beat"~4', '+Chiapas +torture -"electric shocks"',
    "location:MX-CHP +agents", "immigratoin~", "deportaton~ kidnaping~", "Tapachla~",
    "migracoin~", "O'Brein~", "incomunicado~", "organizacoines~",
]  # fmt: skip
# Fuzzy words long enough for the trigram index to be asked (`similarity_bound`).
TRIGRAM_WORDS = [("en", "incomunicado"), ("es", "organizacoines")]
# Queries that ask for more than any of their words: PostgreSQL fetches fewer entries.
NARROWED = ['"immigration agents"', "+immigration +agents", "police -torture",
            '"agentes de migración"~3', '"agentes de migración"', "+agents -police",
            "+migrantes +golpearon"]  # fmt: skip
SCOPES = [PUBLIC, EVERY_LEVEL, Scope(frozenset({"public", "restricted"}), False)]


def answer(result: SearchResult) -> tuple[object, ...]:
    """What a reader sees of a result: hits (ids, paragraphs, scores to the thousandth,
    highlights), the total, the facets and the notes."""
    hits: list[object] = []
    for hit in result.hits:
        paragraphs = hit.paragraphs if isinstance(hit, DocumentHit) else [hit]
        hits.append([(p.doc, p.para, round(p.score, 3), p.highlights) for p in paragraphs])
    facets = {name: [(v.value, v.count, v.parent) for v in values]
              for name, values in result.facets.items()}  # fmt: skip
    return result.total, hits, facets, [str(note) for note in result.notes]


def test_both_backends_answer_alike(pg_settings: Settings, tmp_path: Path) -> None:
    """Every query of the language, in both units and two orders, for three scopes:
    the same hits, scores, highlights, facets and notes from either backend."""
    archive = Archive(copy_sample_archive(tmp_path / "sample"))
    rebuild_index(archive, pg_settings.index_dir)
    whoosh = WhooshIndex(archive, pg_settings.index_dir)
    database = InstanceDatabase(pg_settings.database_url)
    postgres = PostgresIndex(archive, database)
    assert not postgres.exists()
    report = postgres.rebuild()
    assert postgres.exists() and report.added == len(archive.paths()) and not report.failed
    assert all(similarity_bound(analyze(lang, word)[0], 2) for lang, word in TRIGRAM_WORDS)
    compared = 0
    for q, unit, sort, scope in itertools.product(
        QUERIES, ("document", "paragraph"), ("relevance", "-date"), SCOPES
    ):
        request = SearchRequest(q=q, unit=unit, sort=sort)  # type: ignore[arg-type]
        expected = answer(whoosh.search(request, scope, cache=False))
        assert answer(postgres.search(request, scope, cache=False)) == expected, (q, unit, sort)
        compared += 1
    assert compared == len(QUERIES) * 12
    # Filters that let few documents through (their postings alone are fetched, the
    # words' frequencies counted apart: the scores must not move).
    some = archive.paths()[3].stem
    for q, filters in itertools.product(
        ("torture", "agentes migración", '"electric shocks"', "tort*", "-police", ""),
        ({"doc": some}, {"location": "GT"}, {"abuse_type": "torture.electric-shock"},
         {"year": 2016, "unit": "paragraph"}),
    ):  # fmt: skip
        request = SearchRequest(q=q, **filters)  # type: ignore[arg-type]
        for scope in SCOPES:
            expected = answer(whoosh.search(request, scope, cache=False))
            assert answer(postgres.search(request, scope, cache=False)) == expected, (q, filters)
    for scope in SCOPES:  # and what the pages show besides results
        assert postgres.counts(scope) == whoosh.counts(scope)
        assert postgres.pending(scope) == whoosh.pending(scope)
        assert postgres.highlight_terms("tort* agentes", scope) == whoosh.highlight_terms(
            "tort* agentes", scope
        )
    some = archive.paths()[0].stem
    assert postgres.indexed(some) == whoosh.indexed(some)
    whoosh.close()
    database.close()


def test_a_query_that_asks_for_more_than_its_words_reads_fewer_entries(
    pg_settings: Settings, tmp_path: Path
) -> None:
    """A phrase, required or excluded words: the query's tsquery lets through every
    paragraph the Whoosh index finds for it (all pages), and fewer than its words do; and
    a plan of plain words (some with multi-word synonyms) is not narrowed at all."""
    archive = Archive(copy_sample_archive(tmp_path / "sample"))
    rebuild_index(archive, pg_settings.index_dir)
    whoosh = WhooshIndex(archive, pg_settings.index_dir)
    database = InstanceDatabase(pg_settings.database_url)
    postgres = PostgresIndex(archive, database)
    postgres.rebuild()

    def entries(tsquery: str) -> set[tuple[str, int]]:
        rows = database.read(
            lambda connection: connection.execute(
                text("SELECT doc, para FROM search_entries WHERE terms @@ CAST(:q AS tsquery)"),
                {"q": tsquery},
            ).all()
        )
        return {(doc, para) for doc, para in rows}

    def found_by_whoosh(q: str) -> set[tuple[str, int]]:
        found: set[tuple[str, int]] = set()
        for page in itertools.count(1):
            request = SearchRequest(q=q, unit="paragraph", page=page)
            result = whoosh.search(request, EVERY_LEVEL, cache=False)
            found |= {(hit.doc, hit.para) for hit in result.hits}
            if not result.hits:
                assert len(found) == result.total, q
                return found
        raise AssertionError("unreachable")

    for q in NARROWED:
        built = postgres.built(q, EVERY_LEVEL)
        narrowed = narrowing(built.plan)
        assert narrowed is not None, q
        let_through = entries(narrowed)
        found = found_by_whoosh(q)
        assert found and found <= let_through, (q, found - let_through)
        assert len(let_through) < len(entries(tsquery(plan_terms(built.plan)))), q
    for q in ("torture", "police officers detained migrants", "secuestro Chiapas"):
        assert narrowing(postgres.built(q, EVERY_LEVEL).plan) is None, q
    whoosh.close()
    database.close()


def test_a_redacted_paragraph_answers_alike_on_both_backends(
    runner: CliRunner, pg_settings: Settings
) -> None:
    """A paragraph with a redacted passage is two entries (what may and may not be
    seen): words, phrases and required words in it, for every scope, answer as Whoosh
    does, the redacted word found only by those who may see it."""
    archive = Archive(pg_settings.archive_dir)
    assert not import_paths(archive, [DATA / "records.jsonl"]).failed
    redacted = runner.invoke(
        cli,
        cli_args(pg_settings, "redact", "r-es-004", "--para", "1", "--text", "tzeltal",
                 "--reason", "identifies a community"),  # fmt: skip
    )
    assert redacted.exit_code == 0, redacted.output
    rebuild_index(archive, pg_settings.index_dir)
    whoosh = WhooshIndex(archive, pg_settings.index_dir)
    database = InstanceDatabase(pg_settings.database_url)
    postgres = PostgresIndex(archive, database)
    postgres.rebuild()
    queries = ["tzeltal", '"habla tzeltal"', "+tzeltal +deportadas", '"agentes migratorios"',
               "personas -tzeltal", "mexicanas deportadas", "tzeltal~"]  # fmt: skip
    for q, unit, scope in itertools.product(queries, ("document", "paragraph"), SCOPES):
        request = SearchRequest(q=q, unit=unit)  # type: ignore[arg-type]
        expected = answer(whoosh.search(request, scope, cache=False))
        assert answer(postgres.search(request, scope, cache=False)) == expected, (q, unit, scope)
    assert postgres.search(SearchRequest(q="tzeltal", unit="paragraph"), EVERY_LEVEL).total
    whoosh.close()
    database.close()


def test_updates_read_only_what_changed_and_follow_the_files(
    pg_settings: Settings, tmp_path: Path
) -> None:
    archive = Archive(pg_settings.archive_dir)
    import_paths(archive, [DATA / "records.jsonl"])
    database = InstanceDatabase(pg_settings.database_url)
    postgres = PostgresIndex(archive, database)
    first = postgres.update()  # (no index yet: built)
    assert first.added == len(archive.paths())
    assert postgres.update().unchanged == first.added  # nothing read again
    path = archive.path_for("t-en-001")  # a new title, by hand (the front matter)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: Stopped at a checkpoint near Huixtla", "title: Stopped near Motozintla", 1
    ), encoding="utf-8")  # fmt: skip
    archive.path_for("r-en-003").unlink()
    assert postgres.search(SearchRequest(q="overcrowd*"), EVERY_LEVEL).total == 1
    report = postgres.update()
    assert (report.updated, report.removed, report.unchanged) == (1, 1, first.added - 2)
    assert postgres.search(SearchRequest(q="title:Motozintla"), EVERY_LEVEL).total == 1
    assert postgres.search(SearchRequest(q="title:checkpoint"), EVERY_LEVEL).total == 0
    assert postgres.search(SearchRequest(q="overcrowding"), EVERY_LEVEL).total == 0
    assert postgres.indexed("r-en-003") is None
    # A term no document holds any longer expands to nothing.
    assert postgres.search(SearchRequest(q="overcrowd*"), EVERY_LEVEL).total == 0
    database.close()


def test_two_servers_agree_and_an_edit_on_one_is_found_on_the_other_at_once(
    pg_settings: Settings,
) -> None:
    """Two server processes on one database (the second reading the replica too): the
    same answers, and a tag edit made on the first found on the second within a second
    of the first's answer."""
    archive = Archive(pg_settings.archive_dir)
    import_paths(archive, [DATA / "records.jsonl"])
    database = InstanceDatabase(pg_settings.database_url)
    database.upgrade()
    PostgresIndex(archive, database).rebuild()
    database.close()
    add_user(pg_settings, "ed", "editor")
    wanted = "/api/search?abuse_type=liberty.incommunicado&unit=paragraph"
    with served(pg_settings) as a, served(pg_settings) as b, requests.Session() as editor:
        first, second = Server(a, editor), Server(b, editor)  # (one browser, two servers)
        for path in ("/api/search?q=agentes", "/api/search?q=shocked&unit=paragraph", wanted):
            assert _found(first, path) == _found(second, path)
        assert ("t-en-001", 2) not in _found(second, wanted)
        sign_in_form = editor.get(f"{a}/sign-in").text
        signed_in = editor.post(f"{a}/sign-in", allow_redirects=False, data={
            "name": "ed", "password": PASSWORD, "csrf": _token(sign_in_form)})  # fmt: skip
        assert signed_in.status_code == 303
        edited = editor.post(
            f"{a}/documents/t-en-001/tags",
            data={"csrf": _token(editor.get(f"{a}/documents/t-en-001").text), "action": "add",
                  "para": "2", "value": "liberty.incommunicado"},
            allow_redirects=False,
        )  # fmt: skip
        assert edited.status_code == 303
        answered = time.monotonic()
        assert ("t-en-001", 2) in _found(first, wanted)  # its author's server: at once
        while ("t-en-001", 2) not in _found(second, wanted):
            assert time.monotonic() - answered < 1.0, "the edit did not reach the other server"
            time.sleep(0.02)
        for path in ("/api/search?q=agentes", wanted, "/api/search?q=taser&unit=paragraph"):
            assert _found(first, path) == _found(second, path)


@dataclass(frozen=True)
class Server:
    """A server's address, and the browser session that asks it."""

    url: str
    session: requests.Session

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.url + path, timeout=30)


def _token(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _found(client: Server | TestClient, path: str) -> list[tuple[str, int]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return [(hit["doc"], para) for hit in data["results"]
            for para in hit.get("paras", [hit.get("para")])]  # fmt: skip


@pytest.fixture
def replicated_settings(pg_cluster: Cluster, tmp_path: Path) -> Any:
    """Settings over a new database with the replica, the records imported and indexed."""
    name = pg_cluster.new_database()
    settings = Settings(archive_dir=tmp_path / "archive", var_dir=tmp_path / "var",
                        database=pg_cluster.url(name),
                        read_replicas=(pg_cluster.replica_url(name),))  # fmt: skip
    archive = Archive(settings.archive_dir)
    import_paths(archive, [DATA / "records.jsonl"])
    database = InstanceDatabase(settings.database_url)
    database.upgrade()
    PostgresIndex(archive, database).rebuild()
    database.close()
    wait_for_replica(pg_cluster, name)
    yield pg_cluster, name, settings
    pg_cluster.drop_database(name)


def test_searches_read_the_replica_and_an_author_sees_an_edit_at_once(
    replicated_settings: tuple[Cluster, str, Settings],
) -> None:
    cluster, name, settings = replicated_settings
    database = InstanceDatabase(settings.database_url, settings.read_replicas)
    service = SearchService.open(settings, database)
    tagged = SearchRequest(abuse_type="liberty.incommunicado", unit="paragraph")
    assert service.search(tagged, ADMIN).total == 0
    assert database.replicas is not None and database.replicas.replicas[0].reads > 0
    with replay_paused(cluster, name):
        service.edit_tags(ADMIN, "t-en-001", "add", ["liberty.incommunicado"], 2)
        # The replica has not applied it: this server reads the primary meanwhile.
        assert service.search(tagged, ADMIN).total == 1
    service.close()
    database.close()


def test_an_edit_is_read_back_at_once_by_its_author_on_another_server(
    replicated_settings: tuple[Cluster, str, Settings],
) -> None:
    """No sticky sessions: with the replica's replay paused, an editor's tag edit made on
    one server is found at once when their next search goes to another server (which
    reads the primary for them), while a visitor on that server still reads the replica."""
    cluster, name, settings = replicated_settings
    add_user(settings, "ed", "editor")
    wanted = "/api/search?abuse_type=liberty.incommunicado&unit=paragraph"
    with served(settings) as a, served(settings) as b, requests.Session() as editor, \
            requests.Session() as visitor:  # fmt: skip
        first, second = Server(a, editor), Server(b, editor)
        assert ("t-en-001", 2) not in _found(second, wanted)
        sign_in_form = editor.get(f"{a}/sign-in").text
        editor.post(f"{a}/sign-in", allow_redirects=False, data={
            "name": "ed", "password": PASSWORD, "csrf": _token(sign_in_form)})  # fmt: skip
        with replay_paused(cluster, name):
            edited = editor.post(
                f"{a}/documents/t-en-001/tags",
                data={"csrf": _token(editor.get(f"{a}/documents/t-en-001").text),
                      "action": "add", "para": "2", "value": "liberty.incommunicado"},
                allow_redirects=False,
            )  # fmt: skip
            assert edited.status_code == 303
            assert int(editor.cookies["written"]) > 0  # where the primary stood after it
            assert ("t-en-001", 2) not in _found(Server(b, visitor), wanted)  # the replica
            assert ("t-en-001", 2) in _found(second, wanted)  # its author: at once
            assert ("t-en-001", 2) in _found(first, wanted)


def test_a_replica_stopped_under_search_load_costs_no_request(
    replicated_settings: tuple[Cluster, str, Settings],
) -> None:
    """Two threads search (distinct words each time) while the replica stops and starts
    again: every answer is a 200, from the replica while it ran and the primary while
    it did not."""
    cluster, _name, settings = replicated_settings
    words = itertools.cycle(["agents", "taser", "comisaria", "overcrowding", "bus",
                             "golpearon", "papers", "checkpoint", "food", "station"])  # fmt: skip
    asked = itertools.count(1)
    with TestClient(create_app(settings)) as client:

        def ask(worker: int) -> int:
            path = f"/search?q={next(words)}&page={next(asked) % 3 + 1}&w={worker}"
            return client.get(path).status_code

        statuses = load_while_the_replica_restarts(cluster, ask)
        replicas = client.app.state.database.replicas  # type: ignore[attr-defined]
    assert len(statuses) > 50
    assert set(statuses) == {200}
    assert replicas.replicas[0].reads > 0 and replicas.primary_reads > 0


def test_the_index_commands_on_postgresql(runner: CliRunner, pg_settings: Settings) -> None:
    env = {"TESTIMONY_DATABASE_URL": pg_settings.database_url}
    assert runner.invoke(cli, cli_args(pg_settings, "db", "upgrade"), env=env).exit_code == 0
    imported = runner.invoke(cli, cli_args(pg_settings, "import", str(DATA / "records.jsonl")),
                             env=env)  # fmt: skip
    assert imported.exit_code == 0, imported.stderr
    built = runner.invoke(cli, cli_args(pg_settings, "index", "--rebuild"), env=env)
    assert built.exit_code == 0 and "added" in built.stdout, built.stderr
    assert not pg_settings.index_dir.exists()  # nothing of it in a Whoosh folder
    found = runner.invoke(cli, cli_args(pg_settings, "search", "taser", "--json"), env=env)
    assert found.exit_code == 0 and '"t-en-001"' in found.stdout
    whoosh = runner.invoke(cli, cli_args(pg_settings, "search", "taser"),
                           env={**env, "TESTIMONY_SEARCH": "whoosh"})  # fmt: skip
    assert whoosh.exit_code == 2 and "testimony index" in whoosh.stderr  # its own index
    wrong = runner.invoke(cli, cli_args(pg_settings, "search", "x"),
                          env={"TESTIMONY_SEARCH": "postgresql"})  # fmt: skip
    assert wrong.exit_code == 2
    [line] = wrong.stderr.strip().splitlines()
    assert "TESTIMONY_DATABASE_URL=postgresql://" in line


def test_a_backend_named_wrong_is_one_clear_line() -> None:
    from testimony_archive.errors import UsageError

    with pytest.raises(UsageError, match="TESTIMONY_SEARCH='solr'"):
        Settings.from_env({"TESTIMONY_SEARCH": "solr"})
    assert Settings.from_env({"TESTIMONY_DATABASE_URL": "postgresql://a@b/c"}).search_backend == (
        "postgresql"
    )
    assert Settings.from_env({}).search_backend == "whoosh"
    settings = Settings.from_env(
        {"TESTIMONY_DATABASE_URL": "postgresql://a@b/c", "TESTIMONY_SEARCH": "whoosh"}
    )
    assert replace(settings).search_backend == "whoosh"


def test_a_replica_behind_this_servers_index_is_read_around(
    replicated_settings: tuple[Cluster, str, Settings],
) -> None:
    """A server whose catalog is newer than what the replica has replayed reads the
    primary instead (never an older index's words and postings under its newer one)."""
    cluster, name, settings = replicated_settings
    archive = Archive(settings.archive_dir)
    writer_db = InstanceDatabase(settings.database_url)
    reader_db = InstanceDatabase(settings.database_url, settings.read_replicas)
    reader = PostgresIndex(archive, reader_db)
    tagged = SearchRequest(abuse_type="liberty.incommunicado", unit="paragraph")
    assert reader.search(tagged, EVERY_LEVEL).total == 0
    with replay_paused(cluster, name):
        service = SearchService.open(settings, writer_db, archive)
        service.edit_tags(ADMIN, "t-en-001", "add", ["liberty.incommunicado"], 2)
        with reader_db.engine.begin() as connection:  # (as after a read on the primary)
            reader._current(connection, primary=True)
        replica_reads = reader_db.replicas.replicas[0].reads  # type: ignore[union-attr]
        assert reader.search(tagged, EVERY_LEVEL, cache=False).total == 1
        assert reader_db.replicas.replicas[0].reads == replica_reads  # type: ignore[union-attr]
        service.close()
    reader_db.close()
    writer_db.close()


@pytest.fixture
def records_indexed(pg_settings: Settings) -> Iterator[tuple[Archive, PostgresIndex]]:
    """tests/data/records.jsonl imported, and indexed in a new database on the primary."""
    archive = Archive(pg_settings.archive_dir)
    import_paths(archive, [DATA / "records.jsonl"])
    database = InstanceDatabase(pg_settings.database_url)
    postgres = PostgresIndex(archive, database)
    postgres.rebuild()
    yield archive, postgres
    database.close()


def test_an_index_rebuilt_or_restored_is_read_whatever_its_generation(
    records_indexed: tuple[Archive, PostgresIndex],
) -> None:
    archive, serving = records_indexed
    database = serving.database
    assert serving.search(SearchRequest(q="overcrowding"), EVERY_LEVEL).total == 1
    archive.path_for("r-en-003").unlink()
    PostgresIndex(archive, database).rebuild()  # another server's rebuild
    with database.engine.begin() as connection:  # (as a restore might leave it)
        connection.exec_driver_sql("UPDATE search_state SET generation = 1")
    assert serving.search(SearchRequest(q="overcrowding"), EVERY_LEVEL).total == 0


def test_a_document_restricted_by_hand_lends_no_word_to_the_public(
    records_indexed: tuple[Archive, PostgresIndex],
) -> None:
    """Its words leave the public's counts: no prefix or fuzzy word expands to them."""
    archive, postgres = records_indexed
    assert postgres.search(SearchRequest(q="Huixtl*"), PUBLIC).total == 1
    path = archive.path_for("t-en-001")
    text = path.read_text(encoding="utf-8")
    assert "access: public" in text
    path.write_text(text.replace("access: public", "access: restricted", 1), encoding="utf-8")
    assert postgres.update().updated == 1
    for q in ("Huixtl*", "Huixtal~", "huixtla"):
        result = postgres.search(SearchRequest(q=q), PUBLIC)
        assert (result.total, result.notes) == (0, []), q
        if q[-1] in "*~":  # (expanded to no word of it: only what was typed is left)
            expanded = {term for _f, term in postgres.highlight_terms(q, PUBLIC).strong}
            assert "huixtla" not in expanded, (q, expanded)
    assert postgres.search(SearchRequest(q="Huixtl*"), EVERY_LEVEL).total == 1


def test_words_with_apostrophes_and_words_too_long(pg_settings: Settings, tmp_path: Path) -> None:
    source = tmp_path / "names.jsonl"
    source.write_text(
        '{"id": "n-1", "kind": "testimony", "title": "O\'Brien\'s account", "language": "en",'
        ' "text": "Officer O\'Brien said: don\'t move. ' + "z" * 3000 + '"}\n',
        encoding="utf-8",
    )
    archive = Archive(pg_settings.archive_dir)
    assert not import_paths(archive, [source]).failed
    database = InstanceDatabase(pg_settings.database_url)
    postgres = PostgresIndex(archive, database)
    assert not postgres.rebuild().failed  # (a word PostgreSQL cannot hold is left out)
    for q in ("O'Brien", "o'bri*", "don't", '"officer o\'brien"', "title:O'Brien's",
              '"don\'t move"', "+o'brien +officer -z"):  # fmt: skip
        assert postgres.search(SearchRequest(q=q), EVERY_LEVEL).total == 1, q
    for q in ("z" * 3000, "z" * 300 + "~", "z" * 3000 + "*"):
        assert postgres.search(SearchRequest(q=q), EVERY_LEVEL).total == 0, q[:5]
    database.close()


def test_a_database_that_does_not_answer_is_said_so(tmp_path: Path) -> None:
    from testimony_archive.instance.database import DatabaseUnavailable

    archive = Archive(tmp_path / "archive")
    database = InstanceDatabase("postgresql+psycopg://testimony@127.0.0.1:1/nothing")
    postgres = PostgresIndex(archive, database)
    with pytest.raises(DatabaseUnavailable, match="does not answer") as raised:
        postgres.search(SearchRequest(q="x"), PUBLIC)
    assert "127.0.0.1" not in str(raised.value)  # (the address is the operator's business)
    with pytest.raises(DatabaseUnavailable):
        postgres.exists()
    database.close()
