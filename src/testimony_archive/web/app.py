"""The web application factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..collecting import CollectionDesk
from ..collections import Collections
from ..config import Settings
from ..instance import InstanceDatabase
from ..security.accounts import Accounts
from ..service import SearchService
from .errors import install_error_handlers
from .limits import BodySizeLimit
from .read_your_writes import ReadYourWrites
from .routes import (
    account,
    admin,
    api,
    collections,
    documents,
    importing,
    review,
    search,
    verify,
    vocabulary,
)
from .security import SecurityHeaders

FULL_COLLECTION_EVERY = 100  # collections of the middle generation (Python's default: 10)
# Each thread keeps its own Whoosh searcher (they are not thread-safe). The routes that
# search run in one more, when their turn comes (web/turns.py).
WORKER_THREADS = 2


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Pages are CPU-bound Python: more threads than this only add memory (one searcher
    # each) and contention for the interpreter lock, not speed; the searching routes even
    # take turns (web/turns.py). Run more processes instead.
    anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    await anyio.to_thread.run_sync(app.state.service.warm)
    # Full garbage-collector passes stop every thread (40 ms with a warm result cache);
    # young garbage is still collected as usual, old garbage ten times less often.
    young, middle, _old = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
    try:
        yield
    finally:
        app.state.service.close()
        app.state.database.close()


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(
        lifespan=lifespan,
        title="Testimony Archive",
        version=__version__,
        description="Search, read and cite witness testimonies and report excerpts.",
        docs_url=None,  # the interactive docs load scripts from a CDN: never here
        redoc_url=None,
    )
    database = InstanceDatabase(
        settings.database_url, settings.read_replicas, settings.replica_max_lag
    )
    database.prepare()  # a database that is behind is refused, with what to run
    service = SearchService.open(settings, database)
    app.state.settings = settings
    app.state.database = database
    app.state.service = service
    app.state.accounts = Accounts(
        database, service.audit, settings.session_idle, settings.session_lifetime
    )
    app.state.desk = CollectionDesk(service, Collections(database))
    if database.replicas is not None:  # a user's change read back on any server
        app.add_middleware(ReadYourWrites)
    app.add_middleware(BodySizeLimit)
    app.add_middleware(SecurityHeaders)  # the last added is outermost: on every answer
    app.mount("/static", StaticFiles(directory=settings.static_dir), name="static")
    for module in (search, documents, collections, verify, importing, vocabulary, review,
                   account, admin, api):  # fmt: skip
        app.include_router(module.router)
    install_error_handlers(app)
    return app


def create_app_from_env() -> FastAPI:
    """For running under uvicorn by hand (`uvicorn --factory
    testimony_archive.web.app:create_app_from_env`): settings from the environment."""
    return create_app(Settings.from_env())
