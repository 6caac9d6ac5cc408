"""The deployment's settings, read once from the environment by every entry point.

===============================  ======================================================
variable                         meaning
===============================  ======================================================
``DATABASE_URL``                 the database (default ``sqlite:///instance/vigie.db``)
``VIGIE_SURVEY_DEFS``            folder of the questionnaire definitions served
                                 (default ``survey_defs``)
``VIGIE_SECRET_KEY``             key of the Telegram chat-key HMAC (see intake.settings)
``VIGIE_ABANDON_AFTER_DAYS``     days without activity before an unfinished response is
                                 abandoned (default 30)
``VIGIE_TESTING``                ``1``/``true``: testing mode
``VIGIE_REDIS_URL``              the job queue (and rate limits) in Redis; else SQLite
``VIGIE_INSTANCE_DIR``           folder of the SQLite job queue (default ``instance``)
``VIGIE_JOB_STALE_SECONDS``      seconds without a heartbeat before a running job is
                                 queued again (default 60)
``VIGIE_EXPORT_RETENTION_DAYS``  days a microdata export (job and zip) is kept after
                                 its last change (default 7)
===============================  ======================================================

Reading never refuses a secret: only the intake service needs one, and it
checks its own settings when it is built (a command that only estimates runs
without a secret).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from intake.settings import DEFAULT_ABANDON_AFTER_DAYS, DEVELOPMENT_SECRET_KEY, IntakeSettings
from observatory.errors import ObservatoryError
from observatory.exports.store import DEFAULT_RETENTION_DAYS

_TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class Settings:
    """Everything :func:`services.build_services` needs."""

    #: ``None``: ``DATABASE_URL``, then ``sqlite:///instance/vigie.db``.
    database_url: str | None = None
    survey_defs: Path = Path("survey_defs")
    secret_key: str = field(default=DEVELOPMENT_SECRET_KEY, repr=False)
    abandon_after_days: int = DEFAULT_ABANDON_AFTER_DAYS
    testing: bool = False
    #: The job queue's Redis; ``None``: SQLite in ``instance_dir``.
    redis_url: str | None = None
    instance_dir: Path = Path("instance")
    job_stale_after: float = 60.0
    export_retention_days: int = DEFAULT_RETENTION_DAYS

    def intake_settings(self) -> IntakeSettings:
        """The intake service's part (checked when the service is built)."""
        return IntakeSettings(
            secret_key=self.secret_key,
            abandon_after_days=self.abandon_after_days,
            testing=self.testing,
        )

    def overridden(self, **changes: Any) -> Settings:
        """A copy with the ``changes`` that are not ``None`` (a command's options)."""
        given = {key: value for key, value in changes.items() if value is not None}
        return replace(self, **given)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``environ`` (default ``os.environ``).

    Raises :class:`observatory.ObservatoryError` ``bad_idle_days`` when
    ``VIGIE_ABANDON_AFTER_DAYS`` is not a whole number of days of at least 1,
    ``bad_export_days`` when ``VIGIE_EXPORT_RETENTION_DAYS`` is not.
    """
    env = os.environ if environ is None else environ
    raw_days = env.get("VIGIE_ABANDON_AFTER_DAYS", "").strip()
    days = DEFAULT_ABANDON_AFTER_DAYS
    if raw_days:
        if not raw_days.isdigit() or int(raw_days) < 1:
            raise ObservatoryError("bad_idle_days", {"value": raw_days})
        days = int(raw_days)
    raw_exports = env.get("VIGIE_EXPORT_RETENTION_DAYS", "").strip()
    export_days = DEFAULT_RETENTION_DAYS
    if raw_exports:
        if not raw_exports.isdigit() or int(raw_exports) < 1:
            raise ObservatoryError("bad_export_days", {"value": raw_exports})
        export_days = int(raw_exports)
    return Settings(
        database_url=env.get("DATABASE_URL") or None,
        survey_defs=Path(env.get("VIGIE_SURVEY_DEFS", "").strip() or "survey_defs"),
        secret_key=env.get("VIGIE_SECRET_KEY", "") or DEVELOPMENT_SECRET_KEY,
        abandon_after_days=days,
        testing=env.get("VIGIE_TESTING", "").strip().lower() in _TRUE,
        redis_url=env.get("VIGIE_REDIS_URL") or None,
        instance_dir=Path(env.get("VIGIE_INSTANCE_DIR", "").strip() or "instance"),
        job_stale_after=float(env.get("VIGIE_JOB_STALE_SECONDS", "").strip() or 60.0),
        export_retention_days=export_days,
    )
