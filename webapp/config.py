"""The web app's settings, read once from the environment.

| variable | default | meaning |
|---|---|---|
| ``VIGIE_SECRET_KEY`` | none | signs the session cookie (and keys the intake's chat hashes) |
| ``VIGIE_TESTING`` | off | ``1``: a development secret is accepted |
| ``VIGIE_REDIS_URL`` | unset | rate limits in Redis (shared by every process), not memory |
| ``VIGIE_ANSWER_RATE_LIMIT`` | ``60 per minute`` | answer posts allowed per respondent |
| ``VIGIE_START_RATE_LIMIT`` | ``30 per minute`` | starts and resume codes per address |
| ``VIGIE_EXIT_URL`` | ``https://www.google.com/`` | where the quick exit goes |
| ``VIGIE_HELP_RESOURCES`` | the shipped list | a JSON file of help resources shown at the end |
| ``VIGIE_SECURE_COOKIES`` | ``1`` | ``0``: the cookie also goes over plain HTTP (local serving) |
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

#: Used only when VIGIE_TESTING=1 and no secret is set.
DEVELOPMENT_SECRET = "vigie-development-secret-not-for-production"


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Flask settings from ``environ`` (the process environment by default)."""
    env = os.environ if environ is None else environ
    testing = _flag(env.get("VIGIE_TESTING"), False)
    secret = env.get("VIGIE_SECRET_KEY") or (DEVELOPMENT_SECRET if testing else None)
    secure = _flag(env.get("VIGIE_SECURE_COOKIES"), True)
    redis_url = env.get("VIGIE_REDIS_URL") or None
    return {
        "SECRET_KEY": secret,
        "VIGIE_TESTING": testing,
        "SESSION_COOKIE_NAME": "vigie",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(days=30),
        # The resident's cookie is sent again only when it changes (webapp.survey.state).
        "SESSION_REFRESH_EACH_REQUEST": False,
        "WTF_CSRF_TIME_LIMIT": 4 * 3600,
        "WTF_CSRF_SSL_STRICT": secure,
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "MAX_FORM_MEMORY_SIZE": 256 * 1024,
        "MAX_FORM_PARTS": 400,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        "VIGIE_ANSWER_RATE_LIMIT": env.get("VIGIE_ANSWER_RATE_LIMIT", "60 per minute"),
        "VIGIE_START_RATE_LIMIT": env.get("VIGIE_START_RATE_LIMIT", "30 per minute"),
        "VIGIE_EXIT_URL": env.get("VIGIE_EXIT_URL", "https://www.google.com/"),
        "VIGIE_HELP_RESOURCES": env.get("VIGIE_HELP_RESOURCES") or None,
        "VIGIE_SURVEY_DIR": env.get("VIGIE_SURVEY_DIR") or None,
        "DATABASE_URL": env.get("DATABASE_URL") or None,
    }
