"""``vigie bot``: run the Telegram bot (long polling, or a webhook), send reminders.

Settings come from the environment: ``TELEGRAM_BOT_TOKEN`` (required),
``TELEGRAM_BASE_URL`` (a local Bot API server), ``TELEGRAM_WEBHOOK_SECRET``
(required with ``--webhook``), ``VIGIE_PUBLIC_URL`` (the web survey, for the
hand-off of sensitive sections), and the intake service's ``DATABASE_URL`` and
``VIGIE_SECRET_KEY``. A missing or malformed one stops the start with a
message naming it.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from bot.settings import BotConfigError, BotSettings, load_bot_settings
from i18n import translate
from vigie_cli.console import language, open_services
from vigie_cli.words import help_text

_DEFS_OPTION = click.option(
    "--survey-defs",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("survey_defs"),
    show_default=True,
    help=help_text("cli.help.bot.survey_defs"),
)


def _settings(*, webhook: bool) -> BotSettings:
    try:
        return load_bot_settings(webhook=webhook)
    except BotConfigError as error:
        raise click.ClickException(str(error)) from None


@click.group(
    name="bot",
    invoke_without_command=True,
    help=help_text("cli.help.bot"),
)
@click.option("--webhook", metavar="URL", default=None, help=help_text("cli.help.bot.webhook"))
@click.option(
    "--listen", default="0.0.0.0", show_default=True, help=help_text("cli.help.bot.listen")
)
@click.option(
    "--port",
    type=int,
    default=lambda: int(os.environ.get("PORT", "8443")),
    help=help_text("cli.help.bot.port"),
)
@_DEFS_OPTION
@click.pass_context
def bot(ctx: click.Context, webhook: str | None, listen: str, port: int, survey_defs: Path) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from bot.application import build_application, run_polling, run_webhook

    settings = _settings(webhook=webhook is not None)
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    if webhook is not None and not webhook.startswith(("https://", "http://127.0.0.1")):
        raise click.ClickException(translate(language(), "cli.bot.webhook_https", url=webhook))
    with open_services(language(), survey_defs=survey_defs) as services:
        application = build_application(services.intake, settings)
        if webhook is None:
            run_polling(application)
            return
        assert settings.webhook_secret is not None
        run_webhook(
            application, webhook, secret_token=settings.webhook_secret, listen=listen, port=port
        )


@bot.command(help=help_text("cli.help.bot.remind"))
@click.option(
    "--after",
    "hours",
    type=click.FloatRange(min=1),
    required=True,
    metavar="HOURS",
    help=help_text("cli.help.bot.remind.after"),
)
@_DEFS_OPTION
def remind(hours: float, survey_defs: Path) -> None:
    import asyncio
    import datetime as dt

    from bot.reminders import send_reminders

    settings = _settings(webhook=False)
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    idle = dt.timedelta(hours=hours)
    with open_services(language(), survey_defs=survey_defs) as services:
        sent = asyncio.run(send_reminders(services.intake, settings, idle))
    click.echo(translate(language(), "cli.bot.reminded", count=sent, hours=f"{hours:g}"))
