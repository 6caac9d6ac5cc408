"""Sensitive sections go to the web: the chat explains why and gives a one-time link.

Intake decides when (every turn's :attr:`intake.turns.Turn.handoff`): the
response reached a sensitive section, which is asked only on the web (behind
its quick exit, with no history left in the chat), or it already went on on
the web. The bot then sends, instead of the next question, why the questions
move, a link that opens the same response on the web once (for
:data:`intake.handoff.HANDOFF_LIFETIME`), and that the questionnaire is
finished there. Any later message from the chat gets a fresh link.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Final

from bot.render import Outgoing
from bot.words import N_
from i18n import translate
from intake.handoff import HANDOFF_LIFETIME, HandoffReason
from intake.turns import Turn

if TYPE_CHECKING:
    from bot.context import Vigie

#: Minutes a link works, as the chat says it.
LINK_MINUTES: Final = int(HANDOFF_LIFETIME.total_seconds() // 60)
#: What the chat says first, by reason.
_WHY: Final = {
    HandoffReason.SENSITIVE_SECTION: N_("bot.handoff.why"),
    HandoffReason.ON_WEB: N_("bot.handoff.on_web"),
}


def handoff_reason(turn: Turn) -> HandoffReason | None:
    """Why ``turn`` is to go on on the web rather than in the chat, if it is.

    Intake decided it with the turn, from the same reads: nothing to ask again.
    """
    return None if turn.prompt is None else turn.handoff


def handoff_link(vigie: Vigie, token: str, language: str) -> str:
    """The web address that redeems ``token`` (its page then speaks ``language``)."""
    return f"{vigie.settings.public_url}/h/{token}?lang={language}"


async def handoff_messages(
    vigie: Vigie, turn: Turn, reason: HandoffReason, *, lead: tuple[str, ...] = ()
) -> list[Outgoing]:
    """The hand-off: why, a fresh one-time link, what happens next (no keyboard)."""
    language = turn.language
    token = await vigie.call(vigie.intake.issue_handoff, turn.response_id)
    link = escape(handoff_link(vigie, token, language), quote=True)
    follow = translate(language, N_("bot.handoff.open"))
    blocks = [
        *(line for line in lead if line),
        escape(translate(language, _WHY[reason])),
        f"{escape(follow)}\n{link}",
        escape(translate(language, "bot.handoff.once", minutes=LINK_MINUTES)),
    ]
    return [Outgoing("\n\n".join(blocks))]
