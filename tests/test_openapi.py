"""The JSON API against its own OpenAPI document, fuzzed by schemathesis: no 5xx, and
every response matches the documented schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from testimony_archive.config import Settings
from testimony_archive.web.app import create_app

OPERATIONS = [
    "GET /api/search",
    "GET /api/documents/{doc_id}",
    "GET /api/documents/{doc_id}/paragraphs/{number}",
    "GET /healthz",
]


@pytest.fixture(scope="module")
def api_schema(web_settings: Settings) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(web_settings))


def test_the_api_operations_are_documented(api_schema: schemathesis.BaseSchema) -> None:
    labels = sorted(result.ok().label for result in api_schema.get_all_operations())
    assert set(OPERATIONS) <= set(labels)


@pytest.mark.slow
@pytest.mark.parametrize("label", OPERATIONS)
def test_api_conforms_and_never_fails(api_schema: schemathesis.BaseSchema, label: str) -> None:
    operation = next(
        result.ok() for result in api_schema.get_all_operations() if result.ok().label == label
    )

    @given(case=operation.as_strategy())
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        response = case.call()
        case.validate_response(response, checks=(not_a_server_error, response_schema_conformance))

    run()
