"""The intake service the web form drives, built once per process.

Tests hand one in through ``create_app({"VIGIE_INTAKE": service})``; otherwise
it is composed from the settings (database URL, questionnaires, secret).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from intake.service import IntakeService

_KEY = "vigie.intake"
#: The shipped questionnaires (an editable install runs from the repository).
SURVEY_DIR = Path(__file__).resolve().parent.parent / "survey_defs"


def _compose(app: Flask) -> IntakeService:
    from intake.registry import SurveyRegistry
    from intake.settings import load_settings
    from storage.engine import make_engine, make_session_factory

    engine = make_engine(app.config.get("DATABASE_URL"))
    sessions = make_session_factory(engine)
    registry = SurveyRegistry.from_directory(
        sessions, Path(app.config.get("VIGIE_SURVEY_DIR") or SURVEY_DIR)
    )
    return IntakeService(sessions, registry, load_settings())


def install_services(app: Flask) -> None:
    """Attach the intake service (given in the config, or composed lazily on first use)."""
    given = app.config.get("VIGIE_INTAKE")
    if given is not None:
        app.extensions[_KEY] = given


def intake() -> IntakeService:
    """The intake service of the running app."""
    app = current_app
    service: IntakeService | None = app.extensions.get(_KEY)
    if service is None:
        service = _compose(app._get_current_object())  # type: ignore[attr-defined]
        app.extensions[_KEY] = service
    return service
