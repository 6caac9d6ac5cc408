"""The packaged migrations create exactly the tables of the models."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from storage import migrate
from storage.tables import Base


def _differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_initial_migration_matches_the_models(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    assert _differences(empty_engine) == []


def test_migrations_create_every_model_table(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    tables = set(inspect(empty_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_an_empty_database_differs_from_the_models(empty_engine: Engine) -> None:
    # The comparison can fail: without migrations every table is missing.
    added = {diff[1].name for diff in _differences(empty_engine) if diff[0] == "add_table"}
    assert added == set(Base.metadata.tables)


def test_downgrade_to_base_removes_every_table(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    migrate.downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}


def test_the_migrations_have_a_single_head() -> None:
    assert migrate.head_revision() in migrate.known_revisions()
