"""The engine from one setting, SQLite connection settings, the schema check."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from storage import migrate
from storage.engine import (
    DEFAULT_DATABASE_URL,
    SchemaBehind,
    SchemaUnknownError,
    check_schema_current,
    database_url,
    make_engine,
)


def test_url_comes_from_argument_then_environment_then_default() -> None:
    env = {"DATABASE_URL": "sqlite:///elsewhere.db"}
    assert str(database_url("sqlite:///given.db", env)) == "sqlite:///given.db"
    assert str(database_url(None, env)) == "sqlite:///elsewhere.db"
    assert str(database_url(None, {})) == DEFAULT_DATABASE_URL


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgresql+psycopg"])
def test_postgresql_urls_use_psycopg_3(scheme: str) -> None:
    url = database_url(f"{scheme}://vigie:secret@db.example:5432/vigie", {})
    assert url.drivername == "postgresql+psycopg"
    assert url.database == "vigie"


def test_default_database_lives_in_a_created_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    engine = make_engine()
    try:
        assert (tmp_path / "instance").is_dir()
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        assert (tmp_path / "instance" / "vigie.db").exists()
    finally:
        engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'x.db'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() >= 1000
    finally:
        engine.dispose()


def test_schema_check_refuses_an_empty_database(empty_engine: Engine) -> None:
    with pytest.raises(SchemaBehind) as raised:
        check_schema_current(empty_engine)
    assert "vigie db upgrade" in str(raised.value)
    assert "vigie db upgrade" in raised.value.render("fr")
    assert raised.value.current is None
    assert raised.value.head == migrate.head_revision()


def test_schema_check_passes_after_upgrade(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    check_schema_current(empty_engine)
    assert migrate.current_revision(empty_engine) == migrate.head_revision()


def test_schema_check_refuses_a_database_at_an_older_revision(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The code has moved on past the first revision, where the database stays.
    migrate.upgrade(empty_engine, "0001")
    monkeypatch.setattr(migrate, "head_revision", lambda: "0002")
    with pytest.raises(SchemaBehind) as raised:
        check_schema_current(empty_engine)
    assert raised.value.current == "0001"
    assert "0002" in str(raised.value)
    assert "Run `vigie db upgrade`" in str(raised.value)


def test_schema_check_refuses_a_revision_the_code_does_not_know(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    with pytest.raises(SchemaUnknownError) as raised:
        check_schema_current(empty_engine)
    assert "from_the_future" in raised.value.render("fr")


def test_downgrade_to_base_leaves_the_database_behind(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    migrate.downgrade(empty_engine, "base")
    assert migrate.current_revision(empty_engine) is None
    with pytest.raises(SchemaBehind):
        check_schema_current(empty_engine)
