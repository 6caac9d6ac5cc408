"""Alembic migration environment of Vigie's database (see storage.migrate)."""
