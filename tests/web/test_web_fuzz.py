"""Schemathesis generates requests for every operation of the OpenAPI document, valid ones and
deliberately invalid ones (negative mode): none may answer 5xx, and every error must be JSON.
Writes are fuzzed too, with the token, so generated bodies reach the parser and the extractor.

Schemathesis's pytest plugin does not load under pytest 9, so operations are driven through its
Python API with Hypothesis directly.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from web_fixtures import TOKEN

from claimledger.outputs.api import create_app

_DOC = create_app(None).openapi()
OPERATIONS = [op.ok().label for op in schemathesis.openapi.from_dict(_DOC).get_all_operations()]
# negative generation needs something to break: operations with parameters or a body
TAKES_INPUT = {f"{method.upper()} {path}" for path, item in _DOC["paths"].items() for method, spec in item.items()
               if spec.get("parameters") or spec.get("requestBody")}
CASES = [(label, GenerationMode.POSITIVE) for label in OPERATIONS] + \
        [(label, GenerationMode.NEGATIVE) for label in OPERATIONS if label in TAKES_INPUT]


@pytest.fixture(scope="module")
def api_schema(ledger_url):
    return schemathesis.openapi.from_asgi("/api/openapi.json", create_app(ledger_url, token=TOKEN))


def test_every_endpoint_is_fuzzed():
    assert {"GET /api/events", "GET /api/events/{event_id}", "GET /api/claims", "GET /api/map",
            "GET /api/places", "GET /api/summary", "POST /api/documents"} <= set(OPERATIONS)


@pytest.mark.parametrize("label, mode", CASES)
def test_no_server_errors(api_schema, label, mode):
    op = next(r.ok() for r in api_schema.get_all_operations() if r.ok().label == label)
    headers = {"Authorization": f"Bearer {TOKEN}"} if op.method.upper() == "POST" else None
    seen: list[int] = []

    @given(case=op.as_strategy(generation_mode=mode))
    @settings(max_examples=30 if op.method.upper() == "POST" else 60, deadline=None, derandomize=True,
              database=None, suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call(headers=headers)
        seen.append(response.status_code)
        assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}: {response.text[:300]}"
        if response.status_code >= 400:
            body = response.json()
            assert body["status"] == response.status_code and body["error"]

    check()
    assert seen, "hypothesis generated no request"
