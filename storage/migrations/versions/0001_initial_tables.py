"""Initial tables: questionnaire versions, campaigns, responses, answers, benchmarks.

Revision ID: 0001
Revises:
Create Date: 2025-11-24

A migration is frozen history: it spells its types out instead of importing
them from storage.tables, which will change after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    """JSON documents: TEXT on SQLite (keeps 4.0 apart from 4), JSONB on PostgreSQL."""
    return sa.Text().with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "survey_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("survey_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("definition", _json(), nullable=False),
        sa.Column("registered_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_survey_versions"),
        sa.UniqueConstraint("survey_id", "content_hash", name="uq_survey_versions_hash"),
    )
    op.create_index("ix_survey_versions_survey_id", "survey_versions", ["survey_id"])

    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("survey_id", sa.String(length=64), nullable=False),
        sa.Column("municipality_code", sa.String(length=16), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_campaigns"),
        sa.UniqueConstraint("code", name="uq_campaigns_code"),
    )
    op.create_index("ix_campaigns_survey_id", "campaigns", ["survey_id"])

    op.create_table(
        "municipalities",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("code", name="pk_municipalities"),
    )

    op.create_table(
        "population_benchmarks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("municipality_code", sa.String(length=16), nullable=False),
        sa.Column("variable", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.CheckConstraint("count >= 0", name="ck_population_benchmarks_count_not_negative"),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipalities.code"],
            name="fk_population_benchmarks_municipality_code_municipalities",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_population_benchmarks"),
        sa.UniqueConstraint(
            "municipality_code",
            "variable",
            "category",
            "source",
            "year",
            name="uq_population_benchmarks_cell",
        ),
    )

    op.create_table(
        "responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("completed_at", _utc(), nullable=True),
        sa.Column("current_path", sa.String(length=200), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("resume_token_hash", sa.String(length=64), nullable=True),
        sa.Column("chat_key", sa.String(length=64), nullable=True),
        sa.Column("pending_warning", _json(), nullable=True),
        sa.CheckConstraint("channel IN ('web', 'telegram')", name="ck_responses_channel"),
        sa.CheckConstraint(
            "status IN ('in_progress', 'completed', 'screened_out', 'abandoned', 'erased')",
            name="ck_responses_status",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name="fk_responses_campaign_id_campaigns",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["survey_versions.id"],
            name="fk_responses_version_id_survey_versions",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_responses"),
        sa.UniqueConstraint("resume_token_hash", name="uq_responses_resume_token_hash"),
    )
    op.create_index("ix_responses_campaign_id", "responses", ["campaign_id"])
    op.create_index("ix_responses_chat_key", "responses", ["chat_key"])
    op.create_index("ix_responses_status_updated_at", "responses", ["status", "updated_at"])
    op.create_index("ix_responses_version_id", "responses", ["version_id"])

    op.create_table(
        "answers",
        sa.Column("response_id", sa.String(length=32), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("value", _json(), nullable=False),
        sa.Column("answered_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name="fk_answers_response_id_responses",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "path", name="pk_answers"),
    )


def downgrade() -> None:
    op.drop_table("answers")
    op.drop_index("ix_responses_version_id", table_name="responses")
    op.drop_index("ix_responses_status_updated_at", table_name="responses")
    op.drop_index("ix_responses_chat_key", table_name="responses")
    op.drop_index("ix_responses_campaign_id", table_name="responses")
    op.drop_table("responses")
    op.drop_table("population_benchmarks")
    op.drop_table("municipalities")
    op.drop_index("ix_campaigns_survey_id", table_name="campaigns")
    op.drop_table("campaigns")
    op.drop_index("ix_survey_versions_survey_id", table_name="survey_versions")
    op.drop_table("survey_versions")
