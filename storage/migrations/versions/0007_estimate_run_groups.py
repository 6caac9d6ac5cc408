"""Estimate runs keep their table by age group and gender.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

``estimate_runs.groups``: every indicator by age group × gender
(:mod:`analysis.pipeline.groups`), written with the results in the same
transaction; null for runs made before, and for questionnaires whose
weighting has no age group × gender margin.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("estimate_runs") as batch:
        batch.add_column(
            sa.Column(
                "groups",
                sa.Text().with_variant(postgresql.JSONB(none_as_null=True), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("estimate_runs") as batch:
        batch.drop_column("groups")
