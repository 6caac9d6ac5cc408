"""Exports are kept a few days: older jobs and zips go (the periodic task of the queue), newer
ones stay, the audit log keeps every entry, and a removed export is a clear 404 page."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from workspace_support import add_responses, immediate_queue, sign_in

from demo import DEMO_BENCHMARKS_CSV
from observatory import EstimateRequest, ObservatoryError
from observatory.exports.store import ExportJob
from observatory.jobs import JobQueue
from services import Services, load_settings

DAYS = 3


@pytest.fixture
def queue(services: Services, tmp_path: Path) -> JobQueue:
    """A queue that works at once, its exports in ``tmp_path`` kept three days."""
    immediate_queue(
        services,
        tmp_path,
        export_dir=tmp_path / "exports",
        export_key=b"analyst-tests",
        export_retention_days=DAYS,
    )
    url = services.settings.database_url
    assert url is not None
    add_responses(url, 60)
    services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
    return services.jobs


def _age(queue: JobQueue, job: ExportJob, days: float) -> None:
    """Make ``job`` (and its zip) ``days`` days old."""
    when = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    queue.exports.store.save(
        replace(
            job,
            created_at=when.isoformat(),
            updated_at=when.isoformat(),
            finished_at=when.isoformat(),
        )
    )
    zipped = queue.exports.store.archive(job.id)
    os.utime(zipped, (when.timestamp(), when.timestamp()))


def test_old_exports_go_new_ones_stay_and_a_removed_one_is_a_clear_404(
    client: FlaskClient, services: Services, queue: JobQueue
) -> None:
    run = queue.request_run(EstimateRequest("victimisation", replicates=4), "ana")
    old = queue.exports.request(run.id, "csv", "fr", "ana@vigie.test")
    new = queue.exports.request(run.id, "csv", "en", "ana@vigie.test")
    recent = queue.exports.request(run.id, "csv", "en", "ana@vigie.test")
    assert {queue.exports.job(j.id).status for j in (old, new, recent)} == {"done"}
    assert sign_in(client, "ana@vigie.test") == 303
    download = client.get(f"/analyst/exports/{old.id}/download")
    assert download.status_code == 200
    download.close()
    _age(queue, queue.exports.job(old.id), DAYS + 0.5)
    _age(queue, queue.exports.job(recent.id), DAYS - 0.5)
    folder = queue.exports.store.folder
    left_over = folder / "tmpabc.part"  # a killed worker's temporary file, old
    left_over.write_text("half")
    long_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=DAYS + 1)).timestamp()
    os.utime(left_over, (long_ago, long_ago))
    fresh = folder / "tmpdef.part"  # one being written now
    fresh.write_text("half")

    assert queue.exports.purge() == [old.id]

    assert not (folder / f"{old.id}.json").exists() and not (folder / f"{old.id}.zip").exists()
    assert not left_over.exists() and fresh.exists()
    for kept in (new, recent):
        assert queue.exports.job(kept.id).status == "done"
        assert queue.exports.store.archive(kept.id).is_file()
    with pytest.raises(ObservatoryError):
        queue.exports.job(old.id)
    # The download and the job's page of the removed export: a page that says why, not a 500.
    for path in (f"/analyst/exports/{old.id}/download", f"/analyst/exports/{old.id}"):
        answer = client.get(f"{path}?lang=en")
        text = answer.get_data(as_text=True)
        assert answer.status_code == 404 and answer.mimetype == "text/html", path
        assert "There is no such export" in text and f"deleted {DAYS} days after" in text
    # The audit log keeps who asked for it and who downloaded it.
    (downloaded,) = services.observatory.accounts.audit_log(action="microdata_export")
    assert downloaded.detail["job"] == old.id
    # Purging again removes nothing more.
    assert queue.exports.purge() == []
    assert queue.exports.job(recent.id).status == "done"


def test_the_queue_purges_exports_every_hour(queue: JobQueue) -> None:
    periodic = {task.name for task in queue.huey._registry.periodic_tasks}
    assert {"vigie.export_retention", "vigie.retention"} <= periodic


def test_the_retention_period_is_a_setting() -> None:
    assert load_settings({}).export_retention_days == 7
    assert load_settings({"VIGIE_EXPORT_RETENTION_DAYS": "14"}).export_retention_days == 14
    for bad in ("0", "-2", "a week"):
        with pytest.raises(ObservatoryError) as refused:
            load_settings({"VIGIE_EXPORT_RETENTION_DAYS": bad})
        assert refused.value.code == "bad_export_days"
        assert "VIGIE_EXPORT_RETENTION_DAYS" in refused.value.render("en")
