"""Responses remember the request that started them (idempotent start).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

``responses.request_key``: the SHA-256 (hex) of a channel's request key (a
web form token, a Telegram update id), unique, so that the same start sent
twice (a double click, a replayed update) finds the response it created
instead of opening a second one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("responses", sa.Column("request_key", sa.String(length=64), nullable=True))
    op.create_index("ix_responses_request_key", "responses", ["request_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_responses_request_key", table_name="responses")
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("request_key")
