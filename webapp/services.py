"""The services the web app drives (intake, observatory), built once per process.

Tests hand them in through ``create_app({"VIGIE_INTAKE": service})`` or
``create_app({"VIGIE_SERVICES": services})``; otherwise they are composed by
:func:`services.build_services` from the settings (database URL,
questionnaires, secret) on first use.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from intake.service import IntakeService
from observatory import Observatory
from observatory.jobs import JobQueue
from services import Services, build_services, load_settings

_KEY = "vigie.intake"
_SERVICES = "vigie.services"
#: The shipped questionnaires (an editable install runs from the repository).
SURVEY_DIR = Path(__file__).resolve().parent.parent / "survey_defs"


def _compose(app: Flask) -> Services:
    settings = load_settings().overridden(
        database_url=app.config.get("DATABASE_URL"),
        survey_defs=Path(app.config.get("VIGIE_SURVEY_DIR") or SURVEY_DIR),
    )
    return build_services(settings, eager=False)


def install_services(app: Flask) -> None:
    """Attach the services given in the config; others are composed lazily on first use."""
    given = app.config.get("VIGIE_INTAKE")
    if given is not None:
        app.extensions[_KEY] = given
    bundle = app.config.get("VIGIE_SERVICES")
    if bundle is not None:
        app.extensions[_SERVICES] = bundle


def services() -> Services:
    """The composed services of the running app."""
    app = current_app
    bundle: Services | None = app.extensions.get(_SERVICES)
    if bundle is None:
        bundle = _compose(app._get_current_object())  # type: ignore[attr-defined]
        app.extensions[_SERVICES] = bundle
    return bundle


def intake() -> IntakeService:
    """The intake service of the running app."""
    service: IntakeService | None = current_app.extensions.get(_KEY)
    if service is None:
        service = services().intake
        current_app.extensions[_KEY] = service
    return service


def observatory() -> Observatory:
    """The analysts' operations of the running app."""
    return services().observatory


def jobs() -> JobQueue:
    """The job queue (estimate runs) of the running app."""
    return services().jobs
