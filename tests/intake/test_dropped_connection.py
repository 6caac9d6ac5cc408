"""A PostgreSQL connection lost under the service: one retry, else the service's own error.

The backend serving the service is killed with ``pg_terminate_backend`` from
another connection, as a server restart or an administrator would. PostgreSQL
only (SQLite has no connection to lose): set ``VIGIE_TEST_DATABASE_URL``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from intake.errors import IntakeError
from intake.service import IntakeService
from storage.answers import load_answers
from storage.tables import AnswerModel, ResponseModel

pytestmark = pytest.mark.postgres


@pytest.fixture
def admin(database_url: str) -> Iterator[Engine]:
    """A connection of its own, to terminate the service's backends from outside."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a dropped connection is a PostgreSQL matter")
    engine = create_engine(database_url, poolclass=None)
    try:
        yield engine
    finally:
        engine.dispose()


def _terminate(admin: Engine, pid: int) -> None:
    with admin.begin() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def _stored(session_factory: sessionmaker[Session]) -> list[tuple[object, ...]]:
    with session_factory() as session:
        rows = [
            *session.execute(select(ResponseModel.__table__)).all(),
            *session.execute(select(AnswerModel.__table__).order_by("path")).all(),
        ]
    return [tuple(row) for row in rows]


class _Killer:
    """Terminates the backend running the next statements that match, ``times`` times."""

    def __init__(self, engine: Engine, admin: Engine, match: str, times: int) -> None:
        self.admin = admin
        self.match = match
        self.left = times
        event.listen(engine, "before_cursor_execute", self)

    def __call__(self, connection: Any, cursor: Any, statement: str, *_: Any) -> None:
        if self.left > 0 and statement.lstrip().upper().startswith(self.match):
            self.left -= 1
            _terminate(self.admin, connection.connection.dbapi_connection.info.backend_pid)


def test_a_connection_that_died_idle_is_replaced_before_use(
    service: IntakeService,
    session_factory: sessionmaker[Session],
    engine: Engine,
    admin: Engine,
) -> None:
    turn = service.start("short_safety", "web", "fr")
    with engine.connect() as connection:  # the pooled connection the service will reuse
        pid = connection.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
    _terminate(admin, pid)
    after = service.submit(turn.response_id, "age_15_plus", "oui")
    assert after.error is None and after.prompt is not None
    assert after.prompt.path == "walk_alone_dark"
    with session_factory() as session:
        assert load_answers(session, turn.response_id) == {"age_15_plus": "yes"}


def test_a_connection_lost_during_a_step_is_retried_once_on_a_fresh_one(
    service: IntakeService,
    session_factory: sessionmaker[Session],
    engine: Engine,
    admin: Engine,
) -> None:
    turn = service.start("short_safety", "web", "fr")
    killer = _Killer(engine, admin, "UPDATE RESPONSES", times=1)
    after = service.submit(turn.response_id, "age_15_plus", "oui")
    assert killer.left == 0
    assert after.error is None and after.prompt is not None
    assert after.prompt.path == "walk_alone_dark"
    with session_factory() as session:
        assert load_answers(session, turn.response_id) == {"age_15_plus": "yes"}
        versions = session.scalars(select(ResponseModel.row_version)).all()
    assert versions == [3]  # created, positioned, answered once: the lost attempt left nothing


def test_a_connection_lost_twice_gives_the_service_error_and_changes_nothing(
    service: IntakeService,
    session_factory: sessionmaker[Session],
    engine: Engine,
    admin: Engine,
) -> None:
    turn = service.start("short_safety", "web", "fr")
    before = _stored(session_factory)
    _Killer(engine, admin, "UPDATE RESPONSES", times=2)
    with pytest.raises(IntakeError) as caught:
        service.submit(turn.response_id, "age_15_plus", "oui")
    assert caught.value.code == "unavailable"
    assert "moment" in str(caught.value)
    assert _stored(session_factory) == before
    # The next call, on a fresh connection, goes through.
    assert service.submit(turn.response_id, "age_15_plus", "oui").error is None
