"""Database fixtures shared by every room's tests (storage, intake, webapp, analysis).

Import them into a ``conftest.py``::

    from db_fixtures import database_url, engine, session_factory  # noqa: F401

Each test gets its own database: a SQLite file in ``tmp_path`` and, when
``VIGIE_TEST_DATABASE_URL`` names a PostgreSQL server, also a fresh schema with
a unique name on that server (selected through ``search_path`` in the URL,
dropped after the test), so concurrent runs never see each other's tables.
Every engine is disposed of at the end of its test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from questionnaire.definition.model import Choice, Question, QuestionType, Section, Survey
from storage.engine import make_engine, make_session_factory
from storage.records import ResponseRecord, SurveyVersion
from storage.responses import create_response
from storage.surveys import register_survey_version
from storage.tables import Base

#: Set to a PostgreSQL URL to run every database test on PostgreSQL too.
POSTGRES_ENV = "VIGIE_TEST_DATABASE_URL"


def backend_params() -> list[Any]:
    """``sqlite`` always; ``postgresql`` when ``VIGIE_TEST_DATABASE_URL`` is set."""
    params = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get(POSTGRES_ENV):
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))
    return params


def postgres_schema_url(server_url: str, schema: str) -> str:
    """``server_url`` with every connection's ``search_path`` set to ``schema``."""
    separator = "&" if "?" in server_url else "?"
    return f"{server_url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=backend_params())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of its own, for this test only."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'vigie-test.db'}"
        return
    server_url = os.environ[POSTGRES_ENV]
    schema = f"vigie_test_{uuid.uuid4().hex}"
    admin = make_engine(server_url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield postgres_schema_url(server_url, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def empty_engine(database_url: str) -> Iterator[Engine]:
    """An engine on a database with no tables (for migration tests)."""
    engine = make_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a database holding every table of the models."""
    engine = make_engine(database_url)
    try:
        Base.metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on :func:`engine`; use ``with session_factory.begin() as session:``."""
    return make_session_factory(engine)


def make_survey(
    survey_id: str = "perceived_safety", version: str = "1.0", **changes: Any
) -> Survey:
    """A small valid questionnaire: one choice question, one integer, one text."""
    both = {"fr": "Texte", "en": "Text"}
    questions = [
        Question(
            name="walk_alone_dark",
            type=QuestionType.SINGLE_CHOICE,
            label=both,
            choices=[
                Choice(code="very_safe", label=both),
                Choice(code="very_unsafe", label=both),
            ],
        ),
        Question(name="times", type=QuestionType.INTEGER, label=both),
        Question(name="comment", type=QuestionType.TEXT, label=both),
    ]
    fields: dict[str, Any] = {
        "id": survey_id,
        "version": version,
        "languages": ["fr", "en"],
        "title": {"fr": "Sentiment de sécurité", "en": "Feeling safe"},
        "sections": [Section(name="perceptions", title=both, questions=questions)],
    }
    fields.update(changes)
    return Survey(**fields)


@pytest.fixture
def register_version(session_factory: sessionmaker[Session]) -> Callable[..., SurveyVersion]:
    """Factory: ``register_version(survey=None)`` stores a questionnaire version."""

    def register(survey: Survey | None = None) -> SurveyVersion:
        with session_factory.begin() as session:
            return register_survey_version(session, survey or make_survey())

    return register


@pytest.fixture
def make_response(
    session_factory: sessionmaker[Session], register_version: Callable[..., SurveyVersion]
) -> Callable[..., ResponseRecord]:
    """Factory: ``make_response(**create_response arguments)``, committed.

    Without ``version_id``, the response answers :func:`make_survey`'s questionnaire.
    """

    def make(**arguments: Any) -> ResponseRecord:
        arguments.setdefault("channel", "web")
        arguments.setdefault("language", "fr")
        if "version_id" not in arguments:
            arguments["version_id"] = register_version().id
        with session_factory.begin() as session:
            return create_response(session, **arguments)

    return make


@contextmanager
def statements(session_factory: sessionmaker[Session]) -> Iterator[list[str]]:
    """The SQL statements run meanwhile (one entry per statement sent to the database)."""
    seen: list[str] = []
    engine = session_factory.kw["bind"]

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)
