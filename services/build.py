"""One composition root: the engine, the schema check, the registry, the two seams.

Every entry point (the ``vigie`` command, ``create_app``, the bot) calls
:func:`build_services` once and hands its parts to the code that needs them;
nothing else creates an engine or a registry.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from intake.errors import IntakeError, render_intake_error
from intake.registry import SurveyRegistry
from intake.service import IntakeService
from observatory import Observatory, ObservatoryError
from observatory.database import check_schema
from observatory.errors import wrapped
from observatory.exports.store import export_key
from observatory.jobs import JobQueue, make_huey
from questionnaire.definition.errors import DefinitionErrors
from questionnaire.definition.model import Survey
from services.settings import Settings
from storage.engine import make_engine, make_session_factory


class Services:
    """What an entry point works with: ``intake``, ``observatory``, ``registry``, ``settings``.

    The registry and the intake service are built on first use unless
    :func:`build_services` is asked to build them at once (``eager``, the
    default): a long-running channel finds a broken definition or a missing
    secret at start-up, a one-off command pays only for what it uses.
    """

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self._clock = clock
        self.sessions: sessionmaker[Session] = make_session_factory(engine)
        self.observatory = Observatory(
            self.sessions,
            surveys=self._served_surveys,
            survey_defs=settings.survey_defs,
            abandon_after_days=settings.abandon_after_days,
            clock=clock,
        )
        self._lock = threading.RLock()
        self._registry: SurveyRegistry | None = None
        self._intake: IntakeService | None = None
        self._jobs: JobQueue | None = None

    @property
    def jobs(self) -> JobQueue:
        """The job queue (huey: Redis when configured, else SQLite in the instance folder)."""
        with self._lock:
            if self._jobs is None:
                settings = self.settings
                huey = make_huey(redis_url=settings.redis_url, instance_dir=settings.instance_dir)
                self._jobs = JobQueue(
                    self.observatory,
                    self.sessions,
                    huey,
                    stale_after=settings.job_stale_after,
                    export_dir=settings.instance_dir / "exports",
                    export_key=export_key(settings.secret_key),
                    export_retention_days=settings.export_retention_days,
                )
            return self._jobs

    @property
    def registry(self) -> SurveyRegistry:
        """The questionnaires served, loaded from ``settings.survey_defs`` and registered.

        Raises :class:`ObservatoryError` ``definitions_rejected`` (one problem per
        definition error; ``vigie survey check`` explains them) or the registry's
        ``duplicate_survey``.
        """
        with self._lock:
            if self._registry is None:
                self._registry = _load_registry(self.sessions, self.settings)
            return self._registry

    @property
    def intake(self) -> IntakeService:
        """The residents' seam; its settings (the secret) are checked when it is built."""
        registry = self.registry
        with self._lock:
            if self._intake is None:
                try:
                    settings = self.settings.intake_settings()
                    if self._clock is None:
                        self._intake = IntakeService(self.sessions, registry, settings)
                    else:
                        self._intake = IntakeService(
                            self.sessions, registry, settings, clock=self._clock
                        )
                except IntakeError as error:
                    raise _intake_failure(error) from error
            return self._intake

    def _served_surveys(self) -> Mapping[str, Survey]:
        registry = self.registry
        return {sid: registry.current(sid).survey for sid in registry.survey_ids()}

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Services:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def build_services(
    settings: Settings,
    *,
    eager: bool = True,
    clock: Callable[[], dt.datetime] | None = None,
) -> Services:
    """The engine for ``settings.database_url``, checked, with the seams built on it.

    ``clock`` (tests) replaces the intake service's clock (UTC now).

    Raises :class:`ObservatoryError`: ``schema_behind`` / ``schema_unknown`` (run
    ``vigie db upgrade``), and with ``eager`` the registry's and the intake
    service's refusals. The caller closes the services (``with`` or ``close()``).
    """
    engine = make_engine(settings.database_url)
    try:
        check_schema(engine)
        services = Services(settings, engine, clock=clock)
        if eager:
            _ = services.intake
    except BaseException:
        engine.dispose()
        raise
    return services


def _load_registry(sessions: sessionmaker[Session], settings: Settings) -> SurveyRegistry:
    try:
        return SurveyRegistry.from_directory(sessions, settings.survey_defs)
    except DefinitionErrors as failure:
        raise ObservatoryError(
            "definitions_rejected",
            {"folder": settings.survey_defs, "count": len(failure.errors)},
            problems=failure.errors,
        ) from failure
    except IntakeError as error:
        raise _intake_failure(error) from error


def _intake_failure(error: IntakeError) -> ObservatoryError:
    return wrapped(error, lambda language: render_intake_error(error, language))
