"""``vigie bot remind``: one reminder to each Telegram respondent idle for a while.

For a scheduler: ``vigie worker`` runs it every hour as a periodic task of the
job queue when the bot is configured (:func:`schedule_reminders`), and
``vigie bot remind`` runs it once (cron). Nothing is sent unless one of them runs.
Each reminder is claimed in the database before it is sent (at most once per
response, even with two runs at the same time); finished, erased and
abandoned responses are never reminded. A user who blocked the bot is skipped.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from html import escape
from typing import TYPE_CHECKING, Any

from telegram import Bot

from bot.render import Outgoing
from bot.sending import ChatGoneError, Sender
from bot.settings import BotSettings
from i18n import translate
from intake.service import IntakeService

if TYPE_CHECKING:
    from huey import Huey

#: The periodic task's name in the job queue.
TASK_NAME = "vigie.bot_reminders"


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


def schedule_reminders(
    huey: Huey, intake: IntakeService, settings: BotSettings, idle: dt.timedelta
) -> Any:
    """Register :func:`send_reminders` as an hourly periodic task of ``huey`` (at :15).

    Only a consumer started with periodic tasks (``vigie worker``) runs it; two workers
    running it at once still remind each response at most once (the claim). Returns the
    task (``call_local()`` runs it now and returns how many reminders were sent).
    """
    from huey import crontab

    def remind() -> int:
        os.environ.setdefault("PTB_TIMEDELTA", "1")
        return asyncio.run(send_reminders(intake, settings, idle))

    return huey.periodic_task(crontab(minute="15"), name=TASK_NAME)(remind)
