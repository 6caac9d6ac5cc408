"""Estimate runs kept by the job queue: claim, heartbeat, finish, publish, and the snapshot.

A run's results are written together with ``status = 'done'`` in one
transaction: a worker killed before that commit leaves the run ``running``
with no results, never a half-written table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.tables import PopulationBenchmarkModel, ResponseModel, SurveyVersionModel
from storage.upsert import affected_rows, insert_for, utc_now
from storage.workspace_tables import EstimateRunModel


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One estimate run (without its results table)."""

    id: int
    cache_key: str
    survey_id: str
    request: dict[str, Any]
    status: str
    done: int
    total: int
    error: dict[str, Any] | None
    requested_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    finished_at: dt.datetime | None
    published_at: dt.datetime | None


def _record(row: EstimateRunModel) -> RunRecord:
    return RunRecord(
        id=row.id,
        cache_key=row.cache_key,
        survey_id=row.survey_id,
        request=dict(row.request),
        status=row.status,
        done=row.done,
        total=row.total,
        error=row.error,
        requested_by=row.requested_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        finished_at=row.finished_at,
        published_at=row.published_at,
    )


def data_snapshot(session: Session, survey_id: str) -> dict[str, Any]:
    """What a run's results depend on in the database: versions, responses, benchmarks."""
    versions = session.execute(
        select(SurveyVersionModel.id, SurveyVersionModel.content_hash)
        .where(SurveyVersionModel.survey_id == survey_id)
        .order_by(SurveyVersionModel.id)
    ).all()
    version_ids = [row.id for row in versions]
    responses = session.execute(
        select(func.count(), func.max(ResponseModel.updated_at)).where(
            ResponseModel.version_id.in_(version_ids)
        )
    ).one()
    benchmarks = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(PopulationBenchmarkModel.count), 0),
            func.max(PopulationBenchmarkModel.id),
        )
    ).one()
    last = responses[1]
    return {
        "versions": [f"{row.id}:{row.content_hash}" for row in versions],
        "responses": [int(responses[0]), None if last is None else last.isoformat()],
        "benchmarks": [int(benchmarks[0]), int(benchmarks[1]), benchmarks[2]],
    }


def find_run(
    session: Session, *, run_id: int | None = None, key: str | None = None
) -> RunRecord | None:
    query = select(EstimateRunModel)
    query = (
        query.where(EstimateRunModel.id == run_id)
        if run_id is not None
        else query.where(EstimateRunModel.cache_key == key)
    )
    row = session.scalars(query).first()
    return None if row is None else _record(row)


def add_run(
    session: Session, key: str, survey_id: str, request: dict[str, Any], total: int, by: str
) -> None:
    """Queue a run for ``key`` unless one exists (a failed one is queued again)."""
    now = utc_now()
    values = {
        "cache_key": key,
        "survey_id": survey_id,
        "request": request,
        "status": "queued",
        "done": 0,
        "total": total,
        "requested_by": by,
        "created_at": now,
        "updated_at": now,
    }
    session.execute(insert_for(session, EstimateRunModel).values(values).on_conflict_do_nothing())
    session.execute(
        update(EstimateRunModel)
        .where(EstimateRunModel.cache_key == key, EstimateRunModel.status == "failed")
        .values(status="queued", done=0, error=None, updated_at=now, requested_by=by)
    )


def claim_run(session: Session, run_id: int) -> bool:
    """Mark a queued (or abandoned running) run as running now; ``False`` when done already."""
    result = session.execute(
        update(EstimateRunModel)
        .where(EstimateRunModel.id == run_id, EstimateRunModel.status.in_(("queued", "running")))
        .values(status="running", done=0, updated_at=utc_now())
    )
    return affected_rows(result) == 1


def beat(session: Session, run_id: int, done: int) -> None:
    session.execute(
        update(EstimateRunModel)
        .where(EstimateRunModel.id == run_id, EstimateRunModel.status == "running")
        .values(done=done, updated_at=utc_now())
    )


def finish_run(
    session: Session,
    run_id: int,
    *,
    results: dict[str, Any] | None = None,
    groups: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
) -> None:
    now = utc_now()
    values: dict[str, Any] = {"updated_at": now, "finished_at": now}
    if error is None:
        values |= {"status": "done", "results": results, "done": EstimateRunModel.total}
        values |= {"groups": groups}
    else:
        values |= {"status": "failed", "error": error}
    session.execute(
        update(EstimateRunModel)
        .where(EstimateRunModel.id == run_id, EstimateRunModel.status == "running")
        .values(**values)
    )


def run_results(session: Session, run_id: int) -> dict[str, Any] | None:
    query = select(EstimateRunModel.results).where(
        EstimateRunModel.id == run_id, EstimateRunModel.status == "done"
    )
    return session.scalar(query)


def run_groups(session: Session, run_id: int) -> dict[str, Any] | None:
    """The age group × gender table of a finished run (``None`` when it has none)."""
    query = select(EstimateRunModel.groups).where(
        EstimateRunModel.id == run_id, EstimateRunModel.status == "done"
    )
    return session.scalar(query)


def list_runs(
    session: Session, survey_id: str | None = None, *, published: bool = False
) -> list[RunRecord]:
    query = select(EstimateRunModel).order_by(EstimateRunModel.id.desc())
    if survey_id is not None:
        query = query.where(EstimateRunModel.survey_id == survey_id)
    if published:
        query = query.where(EstimateRunModel.published_at.is_not(None))
    return [_record(row) for row in session.scalars(query)]


def stale_runs(session: Session, older_than: dt.datetime) -> list[RunRecord]:
    """Runs queued or running whose last heartbeat is older than ``older_than``."""
    query = select(EstimateRunModel).where(
        EstimateRunModel.status.in_(("queued", "running")),
        EstimateRunModel.updated_at < older_than,
    )
    return [_record(row) for row in session.scalars(query)]


def publish_run(session: Session, run_id: int) -> bool:
    result = session.execute(
        update(EstimateRunModel)
        .where(EstimateRunModel.id == run_id, EstimateRunModel.status == "done")
        .values(published_at=utc_now())
    )
    return affected_rows(result) == 1


def touch(session: Session, run_id: int) -> None:
    """Restart the heartbeat clock of a queued or running run (it was queued again)."""
    session.execute(
        update(EstimateRunModel)
        .where(EstimateRunModel.id == run_id, EstimateRunModel.status.in_(("queued", "running")))
        .values(updated_at=utc_now())
    )
