"""The administrator's database operations: migrate up or down, say where the schema stands.

These run before anything else can (an empty or older database), so they take
a database URL rather than built services. ``None`` means ``DATABASE_URL``,
then ``sqlite:///instance/vigie.db`` (:func:`storage.engine.database_url`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Engine

from observatory.errors import wrapped
from storage import migrate
from storage.engine import SchemaBehind, SchemaUnknownError, check_schema_current, make_engine


class SchemaStatus(StrEnum):
    """How a database's revision compares with the code's."""

    CURRENT = "current"
    BEHIND = "behind"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands."""

    #: The database URL, password hidden.
    url: str
    #: Its revision, ``None`` for an empty database.
    current: str | None
    #: The newest revision this code knows.
    head: str
    status: SchemaStatus


@contextmanager
def _engine(database_url: str | None) -> Iterator[Engine]:
    engine = make_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def upgrade_database(database_url: str | None, revision: str = "head") -> str | None:
    """Migrate up to ``revision``; return the revision reached."""
    with _engine(database_url) as engine:
        migrate.upgrade(engine, revision)
        return migrate.current_revision(engine)


def downgrade_database(database_url: str | None, revision: str) -> str | None:
    """Migrate down to ``revision`` (``base`` removes every table); return the revision reached."""
    with _engine(database_url) as engine:
        migrate.downgrade(engine, revision)
        return migrate.current_revision(engine)


def schema_state(database_url: str | None) -> SchemaState:
    """The database's revision beside the code's newest."""
    with _engine(database_url) as engine:
        current = migrate.current_revision(engine)
        head = migrate.head_revision()
        if current == head:
            status = SchemaStatus.CURRENT
        elif current is None or current in migrate.known_revisions():
            status = SchemaStatus.BEHIND
        else:
            status = SchemaStatus.UNKNOWN
        return SchemaState(
            url=engine.url.render_as_string(hide_password=True),
            current=current,
            head=head,
            status=status,
        )


def check_schema(engine: Engine) -> None:
    """Refuse a database whose schema is not the code's.

    Raises :class:`ObservatoryError` ``schema_behind`` (run ``vigie db
    upgrade``) or ``schema_unknown`` (created by a newer Vigie).
    """
    try:
        check_schema_current(engine)
    except (SchemaBehind, SchemaUnknownError) as error:
        raise wrapped(error, error.render) from error
