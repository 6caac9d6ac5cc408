"""``vigie worker``: consume the job queue (estimate runs, exports, nightly retention).

When the Telegram bot is configured (``TELEGRAM_BOT_TOKEN``), the worker also sends its
reminders every hour (:func:`bot.reminders.schedule_reminders`), one per response idle
longer than ``--remind-after`` hours.
"""

from __future__ import annotations

import datetime as dt
import os

import click

from vigie_cli.console import database_option, language, open_services
from vigie_cli.words import help_text


@click.command(name="worker", help=help_text("cli.help.worker"))
@click.option("--workers", default=1, show_default=True, help=help_text("cli.help.worker.workers"))
@click.option(
    "--remind-after",
    "hours",
    type=click.FloatRange(min=1),
    default=48,
    show_default=True,
    metavar="HOURS",
    help=help_text("cli.help.worker.remind_after"),
)
@database_option
def worker(workers: int, hours: float, database_url: str | None) -> None:
    settings = None
    if os.environ.get("TELEGRAM_BOT_TOKEN", "").strip():
        from bot.settings import BotConfigError, load_bot_settings

        try:
            settings = load_bot_settings()
        except BotConfigError as error:
            raise click.ClickException(str(error)) from None
    with open_services(language(), database_url=database_url) as services:
        if settings is not None:
            from bot.reminders import schedule_reminders

            idle = dt.timedelta(hours=hours)
            schedule_reminders(services.jobs.huey, services.intake, settings, idle)
        consumer = services.jobs.huey.create_consumer(workers=workers, periodic=True)
        consumer.run()
