"""Shared fixtures: a real archive on disk, a real index, the real CLI."""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from testimony_archive.access import ANONYMOUS, Viewer, scope
from testimony_archive.archive import Archive
from testimony_archive.config import Settings
from testimony_archive.importer import import_paths
from testimony_archive.index import PostgresIndex, SearchBackend, WhooshIndex, rebuild_index
from testimony_archive.instance import InstanceDatabase
from testimony_archive.service import SearchService

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ADMIN = Viewer.administrator("tests")
PUBLIC = scope(ANONYMOUS)  # what anonymous visitors may search
EVERY_LEVEL = scope(ADMIN)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(archive_dir=tmp_path / "archive", var_dir=tmp_path / "var")


@pytest.fixture
def archive(settings: Settings) -> Archive:
    """An archive imported from tests/data/records.jsonl."""
    archive = Archive(settings.archive_dir)
    report = import_paths(archive, [DATA / "records.jsonl"])
    assert not report.failed, report.failed
    return archive


@pytest.fixture
def backend(archive: Archive, settings: Settings) -> Iterator[WhooshIndex]:
    """The Whoosh search backend over an index of tests/data/records.jsonl."""
    rebuild_index(archive, settings.index_dir)
    backend = WhooshIndex(archive, settings.index_dir)
    yield backend
    backend.close()


# Each backend in turn: the search suite runs on both (PostgreSQL's tests skip, with the
# reason, where it is not installed).
BACKENDS = ["whoosh", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend_settings(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Settings]:
    """`settings`, searching with one backend and then the other: PostgreSQL in a new
    database on the test primary."""
    if request.param == "whoosh":
        yield settings
        return
    from .postgres import Cluster

    cluster = request.getfixturevalue("pg_cluster")
    assert isinstance(cluster, Cluster)
    name = cluster.new_database()
    yield dataclasses.replace(settings, database=cluster.url(name))
    cluster.drop_database(name)


@pytest.fixture
def any_backend(archive: Archive, backend_settings: Settings) -> Iterator[SearchBackend]:
    """Each search backend in turn, over an index of tests/data/records.jsonl."""
    database = instance_database(backend_settings)
    searched: SearchBackend
    if backend_settings.search_backend == "postgresql":
        searched = PostgresIndex(archive, database)
    else:
        searched = WhooshIndex(archive, backend_settings.index_dir)
    searched.rebuild()
    yield searched
    searched.close()
    database.close()


@pytest.fixture(scope="session")
def sample_archive() -> Path:
    return REPO / "archive"


@pytest.fixture
def service(archive: Archive, backend_settings: Settings) -> Iterator[SearchService]:
    """The service over an index of tests/data/records.jsonl and a new instance database,
    with each search backend in turn."""
    database = instance_database(backend_settings)
    service = SearchService.open(backend_settings, database, archive)
    service.update_index(rebuild=True)
    yield service
    service.close()
    database.close()


def instance_database(settings: Settings) -> InstanceDatabase:
    """The settings' instance database, created (migrated) if new."""
    database = InstanceDatabase(settings.database_url)
    database.prepare()
    return database


PASSWORD = "correct horse battery staple"


def add_user(settings: Settings, name: str, role: str, password: str = PASSWORD) -> None:
    from testimony_archive.security.users import Users

    database = instance_database(settings)
    Users(database).add(name, role, password)
    database.close()


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> None:
    """Sign in through the real form (its CSRF token from the page, the cookie kept)."""
    import re

    page = client.get("/sign-in")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, "the sign-in page has no CSRF token"
    response = client.post(
        "/sign-in",
        data={"name": name, "password": password, "csrf": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert "session" in client.cookies


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def cli_args(settings: Settings, *args: str) -> list[str]:
    return ["--archive", str(settings.archive_dir), "--var", str(settings.var_dir), *args]


def copy_sample_archive(target: Path) -> Path:
    shutil.copytree(REPO / "archive", target, ignore=shutil.ignore_patterns(".lock"))
    return target


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The sample archive, copied and indexed once per test session."""
    root = tmp_path_factory.mktemp("web")
    settings = Settings(archive_dir=copy_sample_archive(root / "archive"), var_dir=root / "var")
    rebuild_index(Archive(settings.archive_dir), settings.index_dir)
    return settings


@pytest.fixture(scope="session")
def client(web_settings: Settings) -> Iterator[TestClient]:
    from testimony_archive.web.app import create_app

    with TestClient(create_app(web_settings)) as test_client:
        yield test_client


# -- the browser tests -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served(settings: Settings) -> Iterator[str]:
    """The archive of `settings` served by uvicorn in its own process; its address."""
    port = free_port()
    env = {
        **os.environ,
        "TESTIMONY_ARCHIVE": str(settings.archive_dir),
        "TESTIMONY_VAR": str(settings.var_dir),
    }
    if settings.database is not None:
        env["TESTIMONY_DATABASE_URL"] = settings.database
    if settings.read_replicas:
        env["TESTIMONY_READ_REPLICAS"] = ",".join(settings.read_replicas)
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "testimony_archive.web.app:create_app_from_env",
         "--factory", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("the server did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, driven by Playwright (never a downloaded browser)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


# -- PostgreSQL (tests marked `postgres`) ----------------------------------------------


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """A primary and a streaming replica for the session (see tests/postgres.py)."""
    from .postgres import running_cluster, why_not

    reason = why_not()
    if reason is not None:
        pytest.skip(reason)
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture
def pg_settings(pg_cluster: object, tmp_path: Path) -> Iterator[Settings]:
    """Settings whose instance database is a new database on the test primary."""
    from .postgres import Cluster

    assert isinstance(pg_cluster, Cluster)
    name = pg_cluster.new_database()
    yield Settings(archive_dir=tmp_path / "archive", var_dir=tmp_path / "var",
                   database=pg_cluster.url(name))  # fmt: skip
    pg_cluster.drop_database(name)
