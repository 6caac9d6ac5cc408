"""Helpers of the workspace tests: CSRF tokens from pages, signing in."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from observatory.jobs import JobQueue, make_huey
from services import Services

#: The shipped questionnaires (perceived_safety, victimisation).
DEFS = Path(__file__).resolve().parents[2] / "survey_defs"
PASSWORD = "correct horse battery"


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on ``path``."""
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None, page[:500]
    return found.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> int:
    """Sign ``client`` in; returns the response's status (303 when it worked)."""
    token = csrf_token(client, "/analyst/login")
    answer = client.post(
        "/analyst/login", data={"email": email, "password": password, "csrf_token": token}
    )
    return answer.status_code


MUNICIPALITIES = ("2466023", "2423027", "2499901")


def add_responses(
    url: str, n: int, *, seed: int = 0, municipalities: tuple[str, ...] = MUNICIPALITIES
) -> None:
    """Store ``n`` completed victimisation responses (straight into the tables)."""
    import numpy as np

    from questionnaire.loader import load_survey
    from storage.answers import record_answer
    from storage.engine import make_engine, make_session_factory
    from storage.responses import create_response, update_response_state
    from storage.surveys import register_survey_version

    rng = np.random.default_rng(seed)
    survey = load_survey(DEFS / "victimisation.yaml")
    engine = make_engine(url)
    try:
        with make_session_factory(engine).begin() as session:
            version = register_survey_version(session, survey)
            for i in range(n):
                channel = "telegram" if i % 3 == 0 else "web"
                response = create_response(
                    session, version_id=version.id, channel=channel, language="fr"
                )
                answers = {
                    "age": int(rng.integers(15, 90)),
                    "gender": ("woman", "man")[i % 2],
                    "municipality": municipalities[i % len(municipalities)],
                    "household_size": ("p1", "p2", "p3_plus")[int(rng.integers(3))],
                    "language_spoken": ("french", "english")[int(rng.integers(2))],
                    "walk_alone_dark": ("very_safe", "somewhat_unsafe")[int(rng.integers(2))],
                }
                for path, value in answers.items():
                    record_answer(session, response.id, path, value)
                update_response_state(
                    session, response.id, expected_row_version=1, status="completed"
                )
    finally:
        engine.dispose()


@contextmanager
def queue_worker(huey: Any) -> Iterator[None]:
    """A thread consuming ``huey``'s queue meanwhile, as ``vigie worker`` would."""
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            task = huey.dequeue()
            if task is None:
                time.sleep(0.05)
            else:
                huey.execute(task)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=60)


def immediate_queue(services: Services, instance_dir: Path, **options: Any) -> JobQueue:
    """Give ``services`` a job queue that runs each job as it is queued, and return it.

    ``options`` go to :class:`observatory.jobs.JobQueue` (``export_dir``, ``export_key``,
    ``export_retention_days``).
    """
    huey = make_huey(redis_url=None, instance_dir=instance_dir, immediate=True)
    services._jobs = JobQueue(  # type: ignore[attr-defined]
        services.observatory, services.sessions, huey, **options
    )
    return services.jobs
