"""schemathesis against the live API: no 5xx, no answer outside the OpenAPI document.

A real server (werkzeug, a thread, 127.0.0.1, a free port) serves the app over
a database like the demo's: victimisation responses in three municipalities,
the demo benchmarks, two finished runs (one published) and one still queued,
an analyst and a partner organisation with API tokens. schemathesis reads the
document the app serves and sends generated requests (valid and invalid
query parameters, unsupported methods, missing or wrong credentials) with the
analyst's token, the partner's token and no token at all; every default check
runs on every answer: status codes, content types, headers and bodies
documented, no server error, invalid input refused.

One database: PostgreSQL when ``VIGIE_TEST_DATABASE_URL`` is set (the server
Vigie runs on in production), else SQLite.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from argon2 import PasswordHasher
from db_fixtures import POSTGRES_ENV, postgres_schema_url
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from sqlalchemy import text
from werkzeug.serving import make_server
from workspace_support import DEFS, add_responses

from demo import DEMO_BENCHMARKS_CSV
from observatory import EstimateRequest
from observatory.database import upgrade_database
from observatory.jobs import JobQueue, make_huey
from services import Settings, build_services
from storage.engine import make_engine
from webapp import create_app

SECRET = "api-schemathesis-secret-0123456789abcdef"
#: Generated requests per operation and identity (3 operations, 3 identities).
EXAMPLES = 20


@dataclass(frozen=True)
class LiveApi:
    base_url: str
    tokens: dict[str, str]
    published_run: int
    queued_run: int


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        yield f"sqlite:///{tmp_path_factory.mktemp('api') / 'vigie.db'}"
        return
    schema = f"vigie_test_{uuid.uuid4().hex}"
    admin = make_engine(server)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield postgres_schema_url(server, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def live_api(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    upgrade_database(database)
    add_responses(database, 60)
    instance = tmp_path_factory.mktemp("instance")
    settings_ = Settings(database_url=database, survey_defs=DEFS, secret_key=SECRET, testing=True)
    with build_services(settings_) as services:
        accounts = services.observatory.accounts
        accounts.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        analyst = accounts.create_user("ana@vigie.test", "analyst", password="correct horse b")
        partner = accounts.create_user(
            "partner@locataires.test", "partner", organisation="Locataires", password="x" * 16
        )
        tokens = {
            "analyst": accounts.issue_token(analyst.user, "schemathesis").secret,
            "partner": accounts.issue_token(partner.user, "schemathesis").secret,
        }
        services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
        now = make_huey(redis_url=None, instance_dir=instance, immediate=True)
        services._jobs = JobQueue(services.observatory, services.sessions, now)
        published = services.jobs.request_run(EstimateRequest("victimisation", replicates=3), "t")
        services.jobs.request_run(EstimateRequest("victimisation", replicates=3, seed=2), "t")
        services.jobs.publish(published.id)
        later = make_huey(redis_url=None, instance_dir=instance / "later")
        waiting = JobQueue(services.observatory, services.sessions, later)
        queued = waiting.request_run(EstimateRequest("victimisation", replicates=4), "t")
        assert services.jobs.run(queued.id).status == "queued"
        app = create_app(
            {
                "SECRET_KEY": SECRET,
                "VIGIE_TESTING": True,
                "SESSION_COOKIE_SECURE": False,
                "VIGIE_SERVICES": services,
            }
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield LiveApi(f"http://127.0.0.1:{server.server_port}", tokens, published.id, queued.id)
        finally:
            server.shutdown()
            thread.join(timeout=10)


@pytest.fixture(scope="module")
def api_schema(live_api: LiveApi) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{live_api.base_url}/api/v1/openapi.json")


HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=True,
)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("who", ["analyst", "partner", "anonymous"])
def test_every_answer_is_documented(
    api_schema: schemathesis.BaseSchema, live_api: LiveApi, who: str, mode: GenerationMode
) -> None:
    """Generated requests (fitting the document, or not) to every operation, every check."""
    headers = {}
    if who in live_api.tokens:
        headers["Authorization"] = f"Bearer {live_api.tokens[who]}"
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} == {
        "/api/v1/indicators",
        "/api/v1/runs",
        "/api/v1/estimates",
    }
    for operation in operations:

        @HYPOTHESIS
        @given(case=operation.as_strategy(mode, headers=headers or None))
        def exercise(case: schemathesis.Case) -> None:
            case.call_and_validate()

        exercise()


@pytest.mark.parametrize("channel", ["all", "web", "telegram"])
def test_stored_runs_answer_as_documented(
    api_schema: schemathesis.BaseSchema, live_api: LiveApi, channel: str
) -> None:
    """Generated run numbers rarely hit a stored run: the stored ones are asked by name."""
    operation = api_schema["/api/v1/estimates"]["GET"]
    headers = {"Authorization": f"Bearer {live_api.tokens['analyst']}"}
    done = operation.Case(query={"run": live_api.published_run, "channel": channel})
    answer = done.call_and_validate(headers=headers)
    assert answer.status_code == 200 and answer.json()["estimates"]
    queued = operation.Case(query={"run": live_api.queued_run, "channel": channel})
    answer = queued.call_and_validate(headers=headers)
    assert answer.status_code == 409 and answer.json()["code"] == "run_not_done"
