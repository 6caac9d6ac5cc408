"""The bot's settings, read from the environment, checked at start-up.

A missing or malformed variable stops the start with a :class:`BotConfigError`
whose message names the variable, so that an operator sees at once what to fix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

#: A bot token as BotFather issues it: the bot's numeric id, a colon, a secret.
TOKEN_PATTERN: Final = re.compile(r"[0-9]{3,20}:[A-Za-z0-9_-]{30,64}")
#: Telegram's secret-token header accepts 1-256 of these characters.
SECRET_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{16,256}")
DEFAULT_BASE_URL: Final = "https://api.telegram.org/bot"
MAX_DATABASE_THREADS: Final = 64


class BotConfigError(Exception):
    """A setting the bot cannot start with; the message names the variable."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class BotSettings:
    """What the bot needs besides the intake service."""

    #: TELEGRAM_BOT_TOKEN.
    token: str
    #: TELEGRAM_BASE_URL: the Bot API's address (a local Bot API server, the tests' fake).
    base_url: str = DEFAULT_BASE_URL
    #: TELEGRAM_WEBHOOK_SECRET: checked against X-Telegram-Bot-Api-Secret-Token.
    webhook_secret: str | None = None
    #: VIGIE_PUBLIC_URL: where the web survey is served, for the sensitive-section hand-off.
    public_url: str = "http://127.0.0.1:5000"
    #: Updates handled at once (across chats; one chat's updates stay in order).
    concurrency: int = 256
    #: VIGIE_BOT_DB_THREADS: threads running intake's calls (each one database transaction).
    database_threads: int = 2

    @property
    def base_file_url(self) -> str:
        return self.base_url.rstrip("/").removesuffix("/bot") + "/file/bot"


def check_token(token: str | None) -> str:
    """The token, or :class:`BotConfigError` naming ``TELEGRAM_BOT_TOKEN``."""
    if token is None or not token.strip():
        raise BotConfigError(
            "TELEGRAM_BOT_TOKEN",
            "not set. Create a bot with @BotFather and put its token in this variable.",
        )
    token = token.strip()
    if TOKEN_PATTERN.fullmatch(token) is None:
        raise BotConfigError(
            "TELEGRAM_BOT_TOKEN",
            "malformed. A token looks like 123456789:AAE... (digits, a colon, then "
            "30 or more letters, digits, '-' or '_').",
        )
    return token


def check_webhook_secret(secret: str | None) -> str:
    """The webhook secret, or :class:`BotConfigError` naming ``TELEGRAM_WEBHOOK_SECRET``."""
    if secret is None or SECRET_PATTERN.fullmatch(secret.strip()) is None:
        raise BotConfigError(
            "TELEGRAM_WEBHOOK_SECRET",
            "required for --webhook: 16 to 256 letters, digits, '-' or '_'.",
        )
    return secret.strip()


def check_database_threads(value: str | None) -> int:
    """The number of intake threads, or :class:`BotConfigError` naming ``VIGIE_BOT_DB_THREADS``."""
    if value is None or not value.strip():
        return BotSettings.database_threads
    text = value.strip()
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_DATABASE_THREADS:
        raise BotConfigError(
            "VIGIE_BOT_DB_THREADS",
            f"a whole number from 1 to {MAX_DATABASE_THREADS} (default "
            f"{BotSettings.database_threads}), not {text[:20]!r}.",
        )
    return int(text)


def load_bot_settings(
    environ: Mapping[str, str] | None = None, *, webhook: bool = False
) -> BotSettings:
    """Read and check the bot's variables (``webhook``: the secret is required too)."""
    env = os.environ if environ is None else environ
    token = check_token(env.get("TELEGRAM_BOT_TOKEN"))
    base_url = env.get("TELEGRAM_BASE_URL", "").strip() or DEFAULT_BASE_URL
    if not base_url.startswith(("http://", "https://")):
        raise BotConfigError("TELEGRAM_BASE_URL", "must start with http:// or https://.")
    secret = env.get("TELEGRAM_WEBHOOK_SECRET")
    if webhook:
        secret = check_webhook_secret(secret)
    public_url = env.get("VIGIE_PUBLIC_URL", "").strip() or BotSettings.public_url
    if not public_url.startswith(("http://", "https://")):
        raise BotConfigError("VIGIE_PUBLIC_URL", "must start with http:// or https://.")
    return BotSettings(
        token=token,
        base_url=base_url,
        webhook_secret=secret or None,
        public_url=public_url.rstrip("/"),
        database_threads=check_database_threads(env.get("VIGIE_BOT_DB_THREADS")),
    )
