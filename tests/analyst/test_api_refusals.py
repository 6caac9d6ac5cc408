"""The API's refusals: what was wrong and where, in JSON, never a server error."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient
from workspace_support import add_responses, sign_in

from demo import DEMO_BENCHMARKS_CSV
from observatory import EstimateRequest
from observatory.jobs import JobQueue, make_huey
from services import Services


@pytest.fixture
def analyst(client: FlaskClient) -> FlaskClient:
    assert sign_in(client, "ana@vigie.test") == 303
    return client


#: Queries of /api/v1/estimates and the parameter each gets refused for.
BAD_QUERIES = [
    ("?run=abc", "run"),
    ("?run=", "run"),
    ("", "run"),
    ("?run=0", "run"),
    ("?run=-3", "run"),
    ("?run=%C2%B2", "run"),  # a superscript two: a digit to str.isdigit, not a number
    ("?run=99999999999999999999999", "run"),
    ("?run=2147483648", "run"),
    ("?run=1&channel=fax", "channel"),
    ("?run=1&lang=de", "lang"),
]


def test_a_bad_query_parameter_is_named(analyst: FlaskClient) -> None:
    for query, parameter in BAD_QUERIES:
        answer = analyst.get("/api/v1/estimates" + query)
        assert answer.status_code == 400, query
        body = answer.get_json()
        assert body["code"] == "bad_parameter" and body["parameter"] == parameter, query
        assert parameter in body["message"]


def test_an_unknown_parameter_is_refused_with_those_known(analyst: FlaskClient) -> None:
    answer = analyst.get("/api/v1/estimates?run=1&chanel=web&lang=en")
    assert answer.status_code == 400
    assert answer.get_json() == {
        "code": "unknown_parameter",
        "parameter": "chanel",
        "message": "Unknown query parameter chanel; this address takes: run, channel, lang.",
    }


def test_an_unknown_language_is_refused_with_the_languages_offered(analyst: FlaskClient) -> None:
    for path in ("/api/v1/indicators", "/api/v1/runs"):
        answer = analyst.get(path + "?lang=xx")
        assert answer.status_code == 400
        body = answer.get_json()
        assert body["parameter"] == "lang"
        assert "fr, en" in body["message"]


def test_a_survey_that_cannot_be_an_id_is_refused(analyst: FlaskClient) -> None:
    """A NUL byte reached PostgreSQL, which refuses it in a text: a 500 before."""
    for path in ("/api/v1/indicators", "/api/v1/runs"):
        answer = analyst.get(path + "?survey=vic%00timisation")
        assert answer.status_code == 400
        assert answer.get_json()["parameter"] == "survey"
        assert analyst.get(path + "?survey=no_such_survey").status_code == 200


def test_the_largest_run_number_is_looked_up_not_overflowed(analyst: FlaskClient) -> None:
    answer = analyst.get("/api/v1/estimates?run=2147483647")
    assert answer.status_code == 404
    assert answer.get_json()["code"] == "not_found"


def test_a_run_not_finished_says_so(
    analyst: FlaskClient, services: Services, tmp_path: Path
) -> None:
    url = services.settings.database_url
    assert url is not None
    add_responses(url, 30)
    services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
    queue = JobQueue(
        services.observatory, services.sessions, make_huey(redis_url=None, instance_dir=tmp_path)
    )
    services._jobs = queue
    run = queue.request_run(EstimateRequest("victimisation", replicates=3), "t")
    answer = analyst.get(f"/api/v1/estimates?run={run.id}&lang=en")
    assert answer.status_code == 409
    body = answer.get_json()
    assert body["code"] == "run_not_done"
    assert body["message"] == f"Estimate run {run.id} has no estimates yet (status: queued)."


def test_other_methods_are_refused_with_the_allowed_ones(analyst: FlaskClient) -> None:
    answer = analyst.post("/api/v1/runs")
    assert answer.status_code == 405
    assert answer.get_json()["code"] == "method_not_allowed"
    assert "GET" in answer.headers["Allow"]


def test_refusals_speak_the_language_asked(client: FlaskClient) -> None:
    french = client.get("/api/v1/runs").get_json()["message"]
    english = client.get("/api/v1/runs?lang=en").get_json()["message"]
    assert english.startswith("Sign-in required") and french.startswith("Connexion requise")
