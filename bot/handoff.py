"""Sensitive sections go to the web: the chat explains and gives a one-time link.

Filled in once intake issues hand-off tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from intake.turns import Turn

if TYPE_CHECKING:
    from bot.context import Vigie


async def handoff_lead(vigie: Vigie, chat_id: int, turn: Turn) -> tuple[str, ...]:
    """Lines to show before ``turn`` when it passes a section asked only on the web."""
    return ()
