"""Export jobs kept as small JSON files beside their zip, in the exports folder.

``<folder>/<job id>.json`` holds the job (who asked, which run, format, progress, status) and
``<folder>/<job id>.zip`` the finished export. Both are written whole (a temporary file, then
a rename): a reader never sees half a job and a worker killed mid-export leaves no zip. Job
ids are 128 random bits. The folder is shared by the web app and the worker (the instance
folder, like the SQLite queue).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

_ID = re.compile(r"^[0-9a-f]{32}$")
#: Days an export (its job and its zip) is kept after its last change, unless configured.
DEFAULT_RETENTION_DAYS = 7


def export_key(secret: str) -> bytes:
    """The key of the respondent pseudonyms, derived from the app's secret."""
    return hashlib.sha256(f"vigie-export-respondent-ids:{secret}".encode()).digest()


@dataclass(frozen=True)
class ExportJob:
    """One asked-for microdata export."""

    id: str
    run_id: int
    survey_id: str
    fmt: str
    language: str
    requested_by: str
    #: queued, running, done or failed.
    status: str
    done: int
    total: int
    created_at: str
    updated_at: str
    finished_at: str | None = None
    #: ``{"code": ..., "fr": ..., "en": ...}`` of a failed job.
    error: dict[str, str] | None = None

    @property
    def filename(self) -> str:
        """The download's name: ``vigie-<survey>-run<id>-<format>.zip``."""
        return f"vigie-{self.survey_id}-run{self.run_id}-{self.fmt}.zip"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


class ExportStore:
    """Export jobs in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _json(self, job_id: str) -> Path:
        return self.folder / f"{job_id}.json"

    def archive(self, job_id: str) -> Path:
        """Where the finished zip of a job is."""
        return self.folder / f"{job_id}.zip"

    def create(
        self, run_id: int, survey_id: str, fmt: str, language: str, requested_by: str, total: int
    ) -> ExportJob:
        now = _now()
        job = ExportJob(
            secrets.token_hex(16), run_id, survey_id, fmt, language, requested_by,
            "queued", 0, total, now, now,
        )  # fmt: skip
        self.save(job)
        return job

    def save(self, job: ExportJob) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.folder, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(job), out)
        os.replace(name, self._json(job.id))

    def get(self, job_id: str) -> ExportJob | None:
        """The job, or ``None`` for an id that is not one (or not a job's)."""
        if not _ID.match(job_id):
            return None
        try:
            data: dict[str, Any] = json.loads(self._json(job_id).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return ExportJob(**data)

    def update(self, job: ExportJob, **changes: Any) -> ExportJob:
        changed = replace(job, updated_at=_now(), **changes)
        self.save(changed)
        return changed

    def purge(self, older_than: dt.datetime) -> list[str]:
        """Delete the jobs last changed before ``older_than`` (finished or not) with their
        zips, and any file of the folder (a zip without its job, a temporary file left by a
        killed worker) not modified since; returns the ids of the jobs deleted."""
        if not self.folder.is_dir():
            return []
        gone, kept = [], set()
        for job in self.jobs():
            if dt.datetime.fromisoformat(job.finished_at or job.updated_at) < older_than:
                self.archive(job.id).unlink(missing_ok=True)
                self._json(job.id).unlink(missing_ok=True)
                gone.append(job.id)
            else:
                kept.add(job.id)
        limit = older_than.timestamp()
        for path in self.folder.iterdir():
            if path.is_file() and path.stem not in kept and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        return gone

    def jobs(self) -> list[ExportJob]:
        """Every job, newest first."""
        if not self.folder.is_dir():
            return []
        found = [self.get(path.stem) for path in self.folder.glob("*.json")]
        return sorted((j for j in found if j is not None), key=lambda j: j.created_at, reverse=True)
