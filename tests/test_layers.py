"""The layers hold: one import path into the search package, a domain that knows no web or
CLI framework, and no route that reaches a document, a search or a count without the
viewer that the access policy decides for."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import get_args

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from testimony_archive.config import Settings
from testimony_archive.web import deps
from testimony_archive.web.app import create_app
from testimony_archive.web.routes import collections, vocabulary

from .conftest import REPO

PACKAGE = REPO / "src" / "testimony_archive"
ROUTES = PACKAGE / "web" / "routes"


def imports(path: Path) -> list[str]:
    """The absolute names of the modules a file imports (relative imports resolved)."""
    root = REPO / "src" if REPO / "src" in path.parents else REPO
    package = path.relative_to(root).with_suffix("").parts[:-1]
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            name = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.append(name)
            found += [f"{name}.{alias.name}" for alias in node.names]
    return found


def python_files(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*.py"))


OUTSIDE_INDEX = [
    path
    for path in python_files(PACKAGE, REPO / "bench", REPO / "scripts")
    if PACKAGE / "index" not in path.parents
]


@pytest.mark.parametrize("path", OUTSIDE_INDEX, ids=lambda path: str(path.relative_to(REPO)))
def test_the_search_package_is_reached_through_its_seam_only(path: Path) -> None:
    from testimony_archive import index

    exported = {f"testimony_archive.index.{name}" for name in index.__all__}
    reached = [
        name
        for name in imports(path)
        if name.startswith("testimony_archive.index.") and name not in exported
    ]
    # Whoosh's stemmers are a language library (text_folding uses them for the tagger
    # and places as well); everything else of Whoosh stays behind the seam.
    whoosh = [
        name
        for name in imports(path)
        if name.split(".")[0] == "whoosh" and not name.startswith("whoosh.lang")
    ]
    assert not reached and not whoosh, f"{path.name} reaches past the seam: {reached + whoosh}"


DOMAIN = [
    path
    for path in python_files(PACKAGE)
    if not {PACKAGE / "web", PACKAGE / "cli"} & set(path.parents) and path.name != "__main__.py"
]


@pytest.mark.parametrize("path", DOMAIN, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_the_domain_knows_no_web_or_cli(path: Path) -> None:
    adapters = ("fastapi", "starlette", "jinja2", "click", "uvicorn", "testimony_archive.web",
                "testimony_archive.cli")  # fmt: skip
    if path.relative_to(PACKAGE).as_posix() == "export/pdf_export.py":
        # The PDF is a document written from a template (WeasyPrint reads HTML): Jinja
        # is how the library writes it, not a web page.
        adapters = tuple(name for name in adapters if name != "jinja2")
    found = [name for name in imports(path) if name.split(".")[0] in adapters or
             name.startswith(adapters[-2:])]  # fmt: skip
    assert not found, f"{path.name} imports {found}"


def test_web_and_cli_adapters_do_not_import_each_other() -> None:
    for path in python_files(PACKAGE / "web"):
        wrong = [n for n in imports(path) if n.startswith("testimony_archive.cli")]
        assert not wrong, f"{path.relative_to(PACKAGE)} imports {wrong}"
    for path in python_files(PACKAGE / "cli"):
        wrong = [
            n
            for n in imports(path)
            if n.startswith("testimony_archive.web") and not n.startswith(SERVED)
        ]
        assert not wrong, f"{path.relative_to(PACKAGE)} imports {wrong}"


SERVED = "testimony_archive.web.app"  # `testimony serve` starts the app, and that is all


def _calls(dependant: Dependant) -> set[object]:
    found: set[object] = {dependant.call}
    for sub in dependant.dependencies:
        found |= _calls(sub)
    return found


def api_routes(routes: list[BaseRoute]) -> list[APIRoute]:
    """Every route of the app, inside the routers it includes too."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        included = getattr(route, "original_router", None)
        if included is not None:
            found += api_routes(included.routes)
    return found


def test_every_route_that_uses_the_service_takes_the_viewer(tmp_path: Path) -> None:
    app = create_app(Settings(archive_dir=tmp_path / "archive", var_dir=tmp_path / "var"))
    routes = api_routes(app.routes)
    assert len(routes) >= 9
    for route in routes:
        calls = _calls(route.dependant)
        if calls & {deps.get_service, collections.get_desk}:
            assert calls & {deps.get_viewer, deps.get_visitor, deps.get_signed_in}, (
                f"{route.path} uses the service without a viewer"
            )


@pytest.mark.parametrize("path", python_files(ROUTES), ids=lambda path: path.name)
def test_routes_open_no_record_or_index_of_their_own(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    for reach in ("._archive", "._backend", ".handle", "snapshot", "Archive(", "History(",
                  "TagEditor", "access ==", "\"public\"", "\"restricted\""):  # fmt: skip
        assert reach not in source, f"{path.name} reaches {reach!r}"
    imported = imports(path)
    assert not [name for name in imported if name.startswith("testimony_archive.web.routes.")]


def test_routes_are_thin() -> None:
    for path in python_files(ROUTES):
        module = ast.parse(path.read_text(encoding="utf-8"))
        for node in module.body:
            if isinstance(node, ast.FunctionDef) and node.decorator_list:
                body = [n for n in node.body if not isinstance(n, ast.Expr)]
                assert len(body) <= 8, f"{path.name}: {node.name} has {len(body)} statements"


def test_the_vocabulary_pages_are_the_declared_sections() -> None:
    assert set(get_args(vocabulary.Section)) == set(vocabulary.FACET_OF_SECTION)
    assert "viewer" in inspect.signature(vocabulary.vocabulary_page).parameters
