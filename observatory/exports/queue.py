"""Microdata exports through the job queue: ask, work (in the worker), watch, download.

An export is asked for a finished estimate run whose data have not changed since (its cache
key still holds); the worker recomputes the run's weights (one step per replicate, reported
as progress with a heartbeat), writes the zip and marks the job done. A worker killed
mid-export leaves the job ``running`` with a heartbeat that stops; the queue's periodic
check queues it again, like an estimate run.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from i18n import LANGUAGES, N_
from observatory.errors import ObservatoryError
from observatory.estimates import EstimateRequest
from observatory.exports.store import DEFAULT_RETENTION_DAYS, ExportJob, ExportStore
from observatory.exports.writers import FORMATS

if TYPE_CHECKING:
    from observatory.jobs import JobQueue

CODES = (
    N_("observatory.export_run_not_done"),
    N_("observatory.export_run_outdated"),
    N_("observatory.export_bad_format"),
    N_("observatory.export_no_responses"),
    N_("observatory.no_export"),
    N_("observatory.export_failed"),
)
#: Seconds between two heartbeats of a running export.
HEARTBEAT = 0.5


class ExportQueue:
    """Export jobs over the estimate runs of one :class:`observatory.jobs.JobQueue`."""

    def __init__(
        self, jobs: JobQueue, folder: Path, key: bytes, retention_days: int = DEFAULT_RETENTION_DAYS
    ) -> None:
        self._jobs = jobs
        self.store = ExportStore(folder)
        self._key = key
        #: Days a job and its zip are kept after their last change (:meth:`purge`).
        self.retention_days = retention_days
        self.enqueue: Callable[[str], object] = self.execute

    def _check_run(self, run_id: int) -> tuple[EstimateRequest, str]:
        run = self._jobs.run(run_id)
        if run.status != "done":
            raise ObservatoryError("export_run_not_done", {"run": run_id})
        request = EstimateRequest(**run.request)
        if self._jobs.cache_key(request) != run.cache_key:
            raise ObservatoryError("export_run_outdated", {"run": run_id})
        return request, run.survey_id

    def request(self, run_id: int, fmt: str, language: str, requested_by: str) -> ExportJob:
        """Queue an export of run ``run_id`` in ``fmt`` with labels in ``language``.

        Codes: ``no_run``, ``export_run_not_done``, ``export_run_outdated``,
        ``export_bad_format``.
        """
        if fmt not in FORMATS or language not in LANGUAGES:
            raise ObservatoryError(
                "export_bad_format", {"format": fmt, "known": ", ".join(FORMATS)}
            )
        request, survey_id = self._check_run(run_id)
        total = request.replicates + 2
        job = self.store.create(run_id, survey_id, fmt, language, requested_by, total)
        self.enqueue(job.id)
        return job

    def job(self, job_id: str) -> ExportJob:
        """One job; ``no_export`` when there is none."""
        found = self.store.get(job_id)
        if found is None:
            raise ObservatoryError("no_export", {"days": self.retention_days})
        return found

    def archive(self, job_id: str) -> tuple[ExportJob, Path]:
        """A finished job and its zip; ``no_export`` otherwise."""
        job = self.job(job_id)
        path = self.store.archive(job.id)
        if job.status != "done" or not path.is_file():
            raise ObservatoryError("no_export", {"days": self.retention_days})
        return job, path

    def purge(self, now: dt.datetime | None = None) -> list[str]:
        """Delete the exports (jobs and zips) not changed for :attr:`retention_days` days
        (the queue's periodic task); the audit log keeps who asked and who downloaded."""
        moment = now or dt.datetime.now(dt.UTC)
        return self.store.purge(moment - dt.timedelta(days=self.retention_days))

    def execute(self, job_id: str) -> None:
        """Build one export (the worker's task)."""
        from observatory.exports.build import ExportSpec, build_export

        found = self.store.get(job_id)
        if found is None or found.status in ("done", "failed"):
            return
        job = self.store.update(found, status="running", done=0)
        clock = time.monotonic
        last = clock()
        steps = 0

        def advance(n: int) -> None:
            nonlocal steps, last, job
            steps += n
            if clock() - last >= HEARTBEAT:
                last = clock()
                job = self.store.update(job, done=steps)

        try:
            request, survey_id = self._check_run(job.run_id)
            spec = ExportSpec(
                job.run_id,
                survey_id,
                asdict(request),
                self._jobs.results(job.run_id),
                job.fmt,
                job.language,
            )
            build_export(
                self._jobs.session_factory,
                spec,
                self._key,
                self.store.archive(job.id),
                progress=advance,
            )
        except ObservatoryError as error:
            self.store.update(job, status="failed", error=_failure(error), finished_at=_now())
            return
        except Exception:  # said on the job page; the worker's log keeps the traceback
            failure = _failure(ObservatoryError("export_failed", {}))
            self.store.update(job, status="failed", error=failure, finished_at=_now())
            raise
        self.store.update(job, status="done", done=job.total, finished_at=_now())

    def requeue_stale(self, stale_after: float) -> list[str]:
        """Queue again the running exports whose heartbeat stopped."""
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=stale_after)
        stale = [
            job
            for job in self.store.jobs()
            if job.status == "running" and dt.datetime.fromisoformat(job.updated_at) < cutoff
        ]
        for job in stale:
            self.store.update(job, status="queued")
            self.enqueue(job.id)
        return [job.id for job in stale]


def _failure(error: ObservatoryError) -> dict[str, str]:
    return {"code": error.code, "fr": error.render("fr"), "en": error.render("en")}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()
