"""Long work in a huey queue: estimate runs (with progress and a cache), microdata exports
(:mod:`observatory.exports.queue`) and retention.

- Storage: SQLite by default (a file in the instance folder, nothing to run),
  Redis when a URL is given (``VIGIE_REDIS_URL``). ``vigie worker`` consumes.
- A run is kept in ``estimate_runs`` under a cache key: the questionnaire's
  versions, the data snapshot (responses, their last change), the benchmarks,
  the rules, replicates and seed. Asking again for the same key reuses the
  run; a new response changes the key.
- Results are written with ``status = done`` in one transaction. A worker
  killed mid-run leaves the run ``running`` with a heartbeat that stops; any
  worker that starts (and every minute, each worker) queues again the runs
  whose heartbeat is older than ``stale_after`` seconds. Same seed, same
  results.
- Retention runs every night at 03:00 UTC as a periodic task; exports older
  than their retention period are deleted every hour (at half past).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from huey import Huey, RedisHuey, SqliteHuey, crontab
from sqlalchemy.orm import Session, sessionmaker

from observatory.errors import N_, ObservatoryError
from observatory.estimates import EstimateRequest, StepCounter, check_request
from observatory.exports.queue import ExportQueue
from observatory.exports.store import DEFAULT_RETENTION_DAYS
from observatory.service import Observatory
from storage import estimate_runs
from storage.estimate_runs import RunRecord

if TYPE_CHECKING:
    import pandas as pd

CODES = (N_("observatory.no_run"),)
#: Seconds without a heartbeat after which a running job is taken as lost.
DEFAULT_STALE_AFTER = 60.0
#: Seconds between two heartbeats of a running job.
HEARTBEAT = 0.5


def make_huey(*, redis_url: str | None, instance_dir: Path, immediate: bool = False) -> Huey:
    """The queue: Redis at ``redis_url``, else SQLite in ``instance_dir/vigie-jobs.db``."""
    if redis_url:
        return RedisHuey("vigie", url=redis_url, immediate=immediate, results=False)
    instance_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(
        "vigie", filename=str(instance_dir / "vigie-jobs.db"), immediate=immediate, results=False
    )


def table_to_json(table: pd.DataFrame) -> dict[str, Any]:
    """A results table as ``{"columns": [...], "data": [[...], ...]}`` (NaN as null).

    Built from the columns' own Python values, not ``DataFrame.to_json``: that
    rounds floats to 10 significant digits (a queued run would then differ from
    a direct one) and costs a JSON encode and decode of the whole table.
    """
    import pandas as pd

    columns = []
    for name in table.columns:
        values = table[name].tolist()
        columns.append(
            [None if v is pd.NA or (isinstance(v, float) and v != v) else v for v in values]
        )
    return {
        "columns": [str(name) for name in table.columns],
        "data": [list(row) for row in zip(*columns, strict=True)],
    }


def table_from_json(document: dict[str, Any]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(document["data"], columns=document["columns"])


class JobQueue:
    """Estimate runs and retention through huey, over one observatory."""

    def __init__(
        self,
        observatory: Observatory,
        sessions: sessionmaker[Session],
        huey: Huey,
        *,
        stale_after: float = DEFAULT_STALE_AFTER,
        clock: Callable[[], float] = time.monotonic,
        export_dir: Path = Path("instance") / "exports",
        export_key: bytes = b"",
        export_retention_days: int = DEFAULT_RETENTION_DAYS,
    ) -> None:
        self.huey = huey
        self.observatory = observatory
        self._sessions = sessions
        self.stale_after = stale_after
        self._clock = clock
        self._estimate = huey.task(name="vigie.estimate_run")(self.execute)
        #: Microdata exports of finished runs: files in ``export_dir``, ids keyed by ``export_key``.
        self.exports = ExportQueue(self, export_dir, export_key, export_retention_days)
        self.exports.enqueue = huey.task(name="vigie.microdata_export")(self.exports.execute)
        huey.periodic_task(crontab(minute="0", hour="3"), name="vigie.retention")(self._retention)
        huey.periodic_task(crontab(minute="30"), name="vigie.export_retention")(self.exports.purge)
        huey.periodic_task(crontab(), name="vigie.requeue_stale")(self.requeue_stale)
        huey.on_startup(name="vigie.requeue_at_start")(self.requeue_stale)

    @property
    def session_factory(self) -> sessionmaker[Session]:
        return self._sessions

    # -- asking ---------------------------------------------------------------------

    def cache_key(self, request: EstimateRequest) -> str:
        """What the results depend on, hashed."""
        with self._sessions() as session:
            snapshot = estimate_runs.data_snapshot(session, request.survey_id)
        text = json.dumps({"request": asdict(request), "data": snapshot}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def request_run(self, request: EstimateRequest, requested_by: str) -> RunRecord:
        """The run for ``request`` on today's data: reused when it exists, else queued."""
        check_request(request)
        key = self.cache_key(request)
        total = StepCounter.total(request.replicates)
        with self._sessions.begin() as session:
            before = estimate_runs.find_run(session, key=key)
            estimate_runs.add_run(
                session, key, request.survey_id, asdict(request), total, requested_by
            )
            run = estimate_runs.find_run(session, key=key)
        assert run is not None
        if before is None or before.status == "failed":
            self._estimate(run.id)
        return run

    def run(self, run_id: int) -> RunRecord:
        """One run; ``no_run`` when there is none."""
        with self._sessions() as session:
            found = estimate_runs.find_run(session, run_id=run_id)
        if found is None:
            raise ObservatoryError("no_run", {"run": run_id})
        return found

    def runs(self, survey_id: str | None = None, *, published: bool = False) -> list[RunRecord]:
        with self._sessions() as session:
            return estimate_runs.list_runs(session, survey_id, published=published)

    def results(self, run_id: int) -> pd.DataFrame:
        """The results table of a finished run; ``no_run`` otherwise."""
        with self._sessions() as session:
            document = estimate_runs.run_results(session, run_id)
        if document is None:
            raise ObservatoryError("no_run", {"run": run_id})
        return table_from_json(document)

    def groups(self, run_id: int) -> pd.DataFrame | None:
        """A finished run's table by age group and gender; ``None`` when it has none
        (runs made before it was estimated, questionnaires without that margin)."""
        if self.run(run_id).status != "done":
            raise ObservatoryError("no_run", {"run": run_id})
        with self._sessions() as session:
            document = estimate_runs.run_groups(session, run_id)
        return None if document is None else table_from_json(document)

    def publish(self, run_id: int) -> RunRecord:
        """Show a finished run on the public results page."""
        with self._sessions.begin() as session:
            if not estimate_runs.publish_run(session, run_id):
                raise ObservatoryError("no_run", {"run": run_id})
        return self.run(run_id)

    # -- working (in the worker) ----------------------------------------------------

    def execute(self, run_id: int) -> None:
        """Run one queued estimate run to its end (the worker's task)."""
        with self._sessions.begin() as session:
            run = estimate_runs.find_run(session, run_id=run_id)
            if run is None or not estimate_runs.claim_run(session, run_id):
                return
        request = EstimateRequest(**run.request)
        steps = 0
        last_beat = self._clock()

        def advance(n: int) -> None:
            nonlocal steps, last_beat
            steps += n
            if self._clock() - last_beat >= HEARTBEAT:
                last_beat = self._clock()
                with self._sessions.begin() as beat_session:
                    estimate_runs.beat(beat_session, run_id, steps)

        try:
            outcome = self.observatory.estimate(request, progress=StepCounter(advance))
        except ObservatoryError as error:
            failure = {"code": error.code, "fr": error.render("fr"), "en": error.render("en")}
            with self._sessions.begin() as session:
                estimate_runs.finish_run(session, run_id, error=failure)
            return
        with self._sessions.begin() as session:
            groups = None if outcome.groups is None else table_to_json(outcome.groups)
            estimate_runs.finish_run(
                session, run_id, results=table_to_json(outcome.table), groups=groups
            )

    def requeue_stale(self) -> list[int]:
        """Queue again the runs (and exports) whose worker stopped beating; returns run ids."""
        self.exports.requeue_stale(self.stale_after)
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=self.stale_after)
        with self._sessions() as session:
            stale = estimate_runs.stale_runs(session, cutoff)
        for run in stale:
            with self._sessions.begin() as session:
                estimate_runs.touch(session, run.id)
            self._estimate(run.id)
        return [run.id for run in stale]

    def _retention(self) -> None:
        self.observatory.apply_retention()
