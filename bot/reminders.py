"""``vigie bot remind``: one reminder to each Telegram respondent idle for a while.

For a scheduler (cron, huey's periodic task); nothing is sent unless it runs.
Each reminder is claimed in the database before it is sent (at most once per
response, even with two runs at the same time); finished, erased and
abandoned responses are never reminded. A user who blocked the bot is skipped.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from html import escape

from telegram import Bot

from bot.render import Outgoing
from bot.sending import ChatGoneError, Sender
from bot.settings import BotSettings
from i18n import translate
from intake.service import IntakeService


async def send_reminders(intake: IntakeService, settings: BotSettings, idle: dt.timedelta) -> int:
    """Remind the responses idle longer than ``idle``; how many reminders were sent."""
    due = await asyncio.to_thread(intake.due_reminders, idle)
    sent = 0
    async with Bot(settings.token, base_url=settings.base_url) as bot:
        for reminder in due:
            if not await asyncio.to_thread(intake.claim_reminder, reminder.response_id):
                continue
            text = escape(translate(reminder.language, "bot.remind.text"))
            try:
                if await Sender(bot, reminder.chat_id).send(Outgoing(text)) is not None:
                    sent += 1
            except ChatGoneError:
                continue
    return sent
