"""Reminders of idle Telegram respondents: one per response, never twice.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

``chat_reminders``: one row per Telegram response that may be reminded. To
send a message a bot must know the chat, which the responses table keeps only
as a keyed hash; so the chat id is kept here sealed (encrypted with a key
derived from the server secret, bound to the response), only until the
reminder is sent or the response ends or is erased. ``reminded_at`` records
the one reminder: a run claims a row by setting it, so two runs never send
the same reminder.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_reminders",
        sa.Column("response_id", sa.String(length=32), nullable=False),
        sa.Column("chat_seal", sa.String(length=64), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name="fk_chat_reminders_response_id_responses",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", name="pk_chat_reminders"),
    )


def downgrade() -> None:
    op.drop_table("chat_reminders")
