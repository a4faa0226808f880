"""The JSON API against its own OpenAPI document, fuzzed by schemathesis as signed-in
users call it (a researcher, an administrator: their session cookie on every call), over
an archive with a restricted document and a redacted passage: no 5xx, and every response
matches the documented schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from testimony_archive.access import Role

from .test_access_matrix import open_world
from .test_openapi import OPERATIONS

SIGNED_IN: tuple[Role, ...] = ("researcher", "admin")


@pytest.fixture(scope="module")
def fuzzed(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[schemathesis.BaseSchema, dict[Role, str]]]:
    """The app's schema, and the session cookie of each signed-in role."""
    with open_world(tmp_path_factory.mktemp("fuzzed")) as world:
        schema = schemathesis.openapi.from_asgi("/openapi.json", world.app)
        yield schema, {role: world.clients[role].cookies["session"] for role in SIGNED_IN}


def operation(
    schema: schemathesis.BaseSchema, label: str
) -> schemathesis.APIOperation[Any, Any, Any, Any]:
    method, path = label.split(" ", 1)
    found: schemathesis.APIOperation[Any, Any, Any, Any] = schema[path][method]
    return found


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_fuzzer_calls_the_api_signed_in(
    fuzzed: tuple[schemathesis.BaseSchema, dict[Role, str]], role: Role
) -> None:
    """The cookie is what makes the calls a signed-in user's: with it, the restricted
    document is there; without it, it is not."""
    schema, sessions = fuzzed
    case = operation(schema, "GET /api/documents/{doc_id}").Case(
        path_parameters={"doc_id": "t-res-002"}
    )
    assert case.call(cookies={"session": sessions[role]}).status_code == 200
    assert case.call().status_code == 404
    health = operation(schema, "GET /healthz").Case().call(cookies={"session": sessions[role]})
    assert health.json()["documents"] == 3


@pytest.mark.slow
@pytest.mark.parametrize("role", SIGNED_IN)
@pytest.mark.parametrize("label", OPERATIONS)
def test_api_conforms_and_never_fails_for_signed_in_users(
    fuzzed: tuple[schemathesis.BaseSchema, dict[Role, str]], label: str, role: Role
) -> None:
    schema, sessions = fuzzed
    cookies = {"session": sessions[role]}

    @given(case=operation(schema, label).as_strategy())
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case[Any]) -> None:
        response = case.call(cookies=cookies)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()
