"""The OpenAPI 3.1 document validates, and the API's answers fit it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from workspace_support import add_responses, immediate_queue, sign_in

from demo import DEMO_BENCHMARKS_CSV
from observatory import EstimateRequest
from services import Services


def _document(client: FlaskClient) -> dict[str, Any]:
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    document = answer.get_json()
    assert isinstance(document, dict)
    return document


def _schema_for(document: dict[str, Any], path: str, status: int) -> dict[str, Any]:
    response = document["paths"][path]["get"]["responses"][str(status)]
    schema = response["content"]["application/json"]["schema"]
    return {"$defs": document["components"]["schemas"], **_rewrite(schema)}


def _rewrite(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (re.sub("^#/components/schemas/", "#/$defs/", v) if k == "$ref" else _rewrite(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return node


def test_the_document_is_valid_openapi_3_1(client: FlaskClient) -> None:
    document = _document(client)
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_answer_fits_the_document(
    client: FlaskClient, services: Services, tmp_path: Path
) -> None:
    url = services.settings.database_url
    assert url is not None
    add_responses(url, 60)
    services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
    immediate_queue(services, tmp_path)
    run = services.jobs.request_run(EstimateRequest("victimisation", replicates=3), "t")
    document = _document(client)
    anonymous = client.application.test_client()
    sign_in(client, "ana@vigie.test")
    asked = [
        ("/api/v1/indicators", "?lang=en", client),
        ("/api/v1/runs", "", client),
        ("/api/v1/estimates", f"?run={run.id}", client),
        ("/api/v1/estimates", f"?run={run.id}&channel=web", client),
        ("/api/v1/estimates", "?run=999", client),
        ("/api/v1/estimates", "?run=abc", client),
        ("/api/v1/runs", "", anonymous),
    ]
    for path, query, who in asked:
        answer = who.get(path + query)
        assert answer.status_code < 500
        schema = _schema_for(document, path, answer.status_code)
        errors = list(Draft202012Validator(schema).iter_errors(answer.get_json()))
        assert errors == [], (path, query, errors[:3])


@pytest.mark.parametrize("path", ["/api/v1/runs", "/api/v1/estimates?run=1"])
def test_partners_are_refused_in_the_documented_shape(client: FlaskClient, path: str) -> None:
    sign_in(client, "partner@locataires.test")
    answer = client.get(path)
    assert answer.status_code == 403
    assert answer.get_json()["code"] == "forbidden"
