"""Database fixtures for the storage tests (defined in tests/db_fixtures.py)."""

from db_fixtures import (  # noqa: F401
    database_url,
    empty_engine,
    engine,
    make_response,
    register_version,
    session_factory,
)
