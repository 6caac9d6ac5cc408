"""One-time links from a Telegram chat to the web form; answers given once per request.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

``web_handoffs``: one row per Telegram response that was given a link to go
on on the web. Only a keyed hash of the token is kept (cleared once used),
with its expiry; ``redeemed_at`` records that the response went on on the web.

``answer_requests``: the requests (a Telegram update id, a form token) that
gave an answer, as hashes, kept a day: a request delivered twice answers once.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_handoffs",
        sa.Column("response_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name="fk_web_handoffs_response_id_responses",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", name="pk_web_handoffs"),
        sa.UniqueConstraint("token_hash", name="uq_web_handoffs_token_hash"),
    )

    op.create_table(
        "answer_requests",
        sa.Column("response_id", sa.String(length=32), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name="fk_answer_requests_response_id_responses",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "key_hash", name="pk_answer_requests"),
    )


def downgrade() -> None:
    op.drop_table("answer_requests")
    op.drop_table("web_handoffs")
