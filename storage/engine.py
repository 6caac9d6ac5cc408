"""One database from one setting: the engine, sessions and the schema check.

The only setting is ``DATABASE_URL``:

- unset: ``sqlite:///instance/vigie.db`` (the ``instance/`` folder is created);
- SQLite: WAL journal, foreign keys on, a busy timeout, set on every
  connection by a ``connect`` event listener;
- PostgreSQL: ``postgresql+psycopg://user:password@host:5432/name``
  (``postgres://`` and ``postgresql://`` are read as psycopg 3 URLs).

The web app and the bot call :func:`check_schema_current` at start-up and
refuse to start on a database whose schema is behind the code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from storage import migrate
from storage.messages import StorageError, render

#: Used when neither an argument nor ``DATABASE_URL`` gives a URL.
DEFAULT_DATABASE_URL = "sqlite:///instance/vigie.db"
#: Milliseconds a SQLite connection waits for another writer before failing.
SQLITE_BUSY_TIMEOUT_MS = 10_000


class SchemaBehind(StorageError):  # noqa: N818 - the name the channels catch
    """The database is at an older revision (or empty): run ``vigie db upgrade``."""

    def __init__(self, current: str | None, head: str) -> None:
        self.current = current
        self.head = head
        super().__init__("schema_behind", current=current, head=head)

    def render(self, language: str) -> str:
        """The message in ``language``; an empty database says so."""
        current = self.current or render("no_revision", {}, language)
        return render(self.code, {"current": current, "head": self.head}, language)


class SchemaUnknownError(StorageError):
    """The database is at a revision this version of Vigie does not know (newer)."""

    def __init__(self, current: str, head: str) -> None:
        super().__init__("schema_unknown", current=current, head=head)
        self.current = current
        self.head = head


def database_url(url: str | None = None, environ: Mapping[str, str] | None = None) -> URL:
    """The URL to use: ``url``, else ``DATABASE_URL``, else the default SQLite file.

    ``postgres://`` and ``postgresql://`` (no driver) become
    ``postgresql+psycopg://``, the driver Vigie installs.
    """
    env = os.environ if environ is None else environ
    text = url or env.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    parsed = make_url(text)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (see :func:`database_url`), with Vigie's connection settings.

    For a SQLite file, its folder is created. The caller disposes of the engine
    (``engine.dispose()``) when done.
    """
    parsed = database_url(url)
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        _create_sqlite_folder(parsed)
    else:
        options["pool_pre_ping"] = True
    engine = create_engine(parsed, **options)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _configure_sqlite_connection)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``.

    ``expire_on_commit=False``: repository functions copy what they return into
    plain records, so nothing needs reloading after a commit.
    """
    return sessionmaker(bind=engine, expire_on_commit=False)


def check_schema_current(engine: Engine) -> None:
    """Raise :class:`SchemaBehind` unless the database is at the newest migration.

    Raises :class:`SchemaUnknownError` when the database is at a revision the code
    does not know (created by a newer Vigie).
    """
    current = migrate.current_revision(engine)
    head = migrate.head_revision()
    if current == head:
        return
    if current is not None and current not in migrate.known_revisions():
        raise SchemaUnknownError(current, head)
    raise SchemaBehind(current, head)


def _create_sqlite_folder(url: URL) -> None:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    """WAL journal, foreign keys and a busy timeout on every new SQLite connection."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
