"""The python-telegram-bot ``Application`` of Vigie, and how it runs.

:func:`build_application` wires the handlers (one per kind of update, each one
intake call) on an ``Application.builder()`` with the configured base URL, no
persistence (state is in the database, through intake) and an update
processor that keeps each chat's updates in order. :func:`run_polling` and
:func:`run_webhook` are what ``vigie bot`` and ``vigie bot --webhook URL`` call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import answers, buttons, commands, other_input, starting
from bot.context import Vigie
from bot.ordering import ChatOrderedProcessor
from bot.settings import BotSettings
from i18n import DEFAULT_LANGUAGE, LANGUAGES
from intake.service import IntakeService

LOG = logging.getLogger(__name__)
#: The updates the bot asks Telegram for.
ALLOWED_UPDATES: Final = ["message", "edited_message", "callback_query"]


class VigieApplication(Application):
    """python-telegram-bot's Application, whose shutdown also stops the intake threads."""

    async def shutdown(self) -> None:
        await super().shutdown()
        vigie = self.bot_data.get("vigie")
        if isinstance(vigie, Vigie):
            vigie.close()


async def _ignore(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Anything else (channel posts, members, reactions): silence."""


async def _log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    LOG.error("unhandled error on update %r", update, exc_info=context.error)


async def register_commands(application: Application) -> None:
    """``setMyCommands`` in every language (the default menu in the default language)."""
    bot = application.bot
    await bot.set_my_commands(commands.command_list(DEFAULT_LANGUAGE))
    for language in LANGUAGES:
        await bot.set_my_commands(commands.command_list(language), language_code=language)


def build_application(
    intake: IntakeService,
    settings: BotSettings,
    *,
    transport: Callable[[], BaseRequest] | None = None,
) -> VigieApplication:
    """The bot, ready to ``initialize``, poll or serve a webhook.

    ``transport`` makes the Bot API clients (one for ``getUpdates``, one for
    the rest) instead of python-telegram-bot's HTTP ones: the tests' fake
    server called in process, where thousands of updates are sent.
    """
    builder = (
        Application.builder()
        .token(settings.token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .concurrent_updates(ChatOrderedProcessor(settings.concurrency))
        .post_init(register_commands)
        .application_class(VigieApplication)
    )
    if transport is None:
        builder = builder.connection_pool_size(64)
    else:
        builder = builder.request(transport()).get_updates_request(transport())
    application = builder.build()
    assert isinstance(application, VigieApplication)
    application.bot_data["vigie"] = Vigie(intake, settings)
    private = filters.ChatType.PRIVATE
    message = filters.UpdateType.MESSAGE
    table = [
        ("start", starting.start),
        ("back", commands.back),
        ("skip", commands.skip),
        ("review", commands.review),
        ("pause", commands.pause),
        ("resume", commands.resume),
        ("language", commands.language),
        ("erase", commands.erase),
        ("exit", commands.quick_exit),
        ("help", commands.help_command),
    ]
    for name, handler in table:
        application.add_handler(CommandHandler(name, handler, filters=private & message))
    application.add_handler(
        MessageHandler(private & message & filters.COMMAND, commands.unknown_command)
    )
    application.add_handler(
        MessageHandler(private & message & filters.TEXT & ~filters.COMMAND, answers.typed_answer)
    )
    application.add_handler(CallbackQueryHandler(buttons.pressed))
    application.add_handler(
        MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, other_input.edited)
    )
    application.add_handler(MessageHandler(private & message, other_input.not_text))
    application.add_handler(TypeHandler(object, _ignore))
    application.add_error_handler(_log_error)
    return application


def run_polling(application: VigieApplication) -> None:
    """Long polling (drops the webhook first); returns on Ctrl+C or SIGTERM."""
    application.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)


def run_webhook(
    application: VigieApplication,
    url: str,
    *,
    secret_token: str,
    listen: str = "127.0.0.1",
    port: int = 8443,
) -> None:
    """Serve Telegram's webhook calls at ``url``'s path; the secret-token header is checked.

    python-telegram-bot's webhook server answers 403 to a request whose
    ``X-Telegram-Bot-Api-Secret-Token`` is not ``secret_token``. Several
    processes may serve the same URL behind a load balancer: state is in the
    database.
    """
    path = urlsplit(url).path.lstrip("/")
    application.run_webhook(
        listen=listen,
        port=port,
        url_path=path,
        webhook_url=url,
        secret_token=secret_token,
        allowed_updates=ALLOWED_UPDATES,
    )


__all__ = ["ALLOWED_UPDATES", "Update", "build_application", "run_polling", "run_webhook"]
