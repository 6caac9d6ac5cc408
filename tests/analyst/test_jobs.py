"""The job queue: estimate runs cached per data snapshot, and a worker killed mid-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from db_fixtures import database_url  # noqa: F401
from workspace_support import DEFS, add_responses

from demo import DEMO_BENCHMARKS_CSV
from observatory import EstimateRequest, ObservatoryError
from observatory.database import upgrade_database
from observatory.jobs import JobQueue, make_huey
from services import Services, Settings, build_services


@pytest.fixture
def data_url(database_url: str) -> str:  # noqa: F811
    upgrade_database(database_url)
    add_responses(database_url, 90)
    return database_url


def _services(url: str, tmp_path: Path) -> Services:
    settings = Settings(database_url=url, survey_defs=DEFS, instance_dir=tmp_path)
    services = build_services(settings, eager=False)
    services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
    return services


def test_a_run_is_computed_once_then_reused_until_new_responses(
    data_url: str, tmp_path: Path
) -> None:
    with _services(data_url, tmp_path) as services:
        huey = make_huey(redis_url=None, instance_dir=tmp_path, immediate=True)
        queue = JobQueue(services.observatory, services.sessions, huey)
        request = EstimateRequest("victimisation", replicates=5, seed=4)
        first = queue.request_run(request, "ana@vigie.test")
        done = queue.run(first.id)
        assert done.status == "done" and done.done == done.total
        direct = services.observatory.estimate(request).table
        pd.testing.assert_frame_equal(
            queue.results(first.id), direct, check_dtype=False, check_exact=True
        )
        again = queue.request_run(request, "ana@vigie.test")
        assert again.id == first.id and queue.run(first.id).finished_at == done.finished_at
        add_responses(data_url, 3, seed=1)
        fresh = queue.request_run(request, "ana@vigie.test")
        assert fresh.id != first.id


def _worker(url: str, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "DATABASE_URL": url,
        "VIGIE_INSTANCE_DIR": str(tmp_path),
        "VIGIE_SURVEY_DEFS": str(DEFS),
        "VIGIE_JOB_STALE_SECONDS": "1",
    }
    env.pop("VIGIE_REDIS_URL", None)
    command = [sys.executable, "-c", "from vigie_cli.main import cli; cli()", "worker"]
    with (tmp_path / "worker.log").open("ab") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def _wait(queue: JobQueue, run_id: int, ready: object, limit: float = 90.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        run = queue.run(run_id)
        if callable(ready) and ready(run):
            return
        time.sleep(0.02)
    raise AssertionError(f"run {run_id} never got there: {queue.run(run_id)}")


@pytest.mark.slow
def test_a_worker_killed_mid_run_leaves_no_result_and_the_run_completes_on_restart(
    data_url: str, tmp_path: Path
) -> None:
    if not data_url.startswith("sqlite"):
        pytest.skip("one backend is enough for a process test")
    add_responses(data_url, 600, seed=2)
    with _services(data_url, tmp_path) as services:
        queue = services.jobs
        request = EstimateRequest("victimisation", replicates=500, seed=7)
        run = queue.request_run(request, "ana@vigie.test")
        first = _worker(data_url, tmp_path)
        try:
            # Killed as soon as the worker has claimed the run: loading, weighting and
            # the replicates still lie ahead (on a quiet machine the whole run takes a
            # few seconds, so waiting for replicate progress could miss the window).
            _wait(queue, run.id, lambda r: r.status == "running")
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        killed = queue.run(run.id)
        assert killed.status == "running" and killed.done < killed.total
        with pytest.raises(ObservatoryError, match=r"no_run|No finished run"):
            queue.results(run.id)
        second = _worker(data_url, tmp_path)
        try:
            _wait(queue, run.id, lambda r: r.status in ("done", "failed"), limit=150)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(20)
        assert queue.run(run.id).status == "done", queue.run(run.id).error
        direct = services.observatory.estimate(request).table
        pd.testing.assert_frame_equal(
            queue.results(run.id), direct, check_dtype=False, check_exact=True
        )


def test_the_queue_runs_on_redis_when_configured(data_url: str, tmp_path: Path) -> None:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    with _services(data_url, tmp_path) as services:
        huey = make_huey(redis_url=url, instance_dir=tmp_path)
        huey.name = f"vigie-test-{os.getpid()}-{time.monotonic_ns()}"
        huey.storage = huey.create_storage()
        queue = JobQueue(services.observatory, services.sessions, huey)
        try:
            run = queue.request_run(EstimateRequest("victimisation", replicates=3), "ana@x.test")
            assert huey.pending_count() == 1
            assert queue.run(run.id).status == "queued"
            huey.execute(huey.dequeue())
            assert queue.run(run.id).status == "done"
        finally:
            huey.flush()
