"""Security of every response: CSRF, headers, cookies, rate limits, error pages.

- CSRF tokens on every form (Flask-WTF); a stale token on an answer page is
  handled by the survey blueprint (the page comes back with what was typed).
- A strict Content-Security-Policy: only this app's own scripts and styles,
  forms post only here, no framing.
- ``Cache-Control: no-store`` on every page, so that the Back button after a
  quick exit does not show answers from the browser's cache.
- Rate limits kept in memory (:mod:`webapp.rate_limits`), or in Redis when
  ``VIGIE_REDIS_URL`` is set (any number of processes then share them). A
  respondent is counted by response (from the signed session), anyone else
  by a keyed hash of the address, which is never stored nor logged.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from flask import Flask, Response, abort, current_app, request, session
from flask.cli import NoAppException
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFProtect

from i18n import negotiate, translate
from webapp.rate_limits import parsed_limit, storage_uri

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def respondent_key() -> str:
    """Who a rate limit counts: the response in the session, else a keyed hash of the address."""
    response_id = session.get("rid")
    if isinstance(response_id, str):
        return f"r:{response_id}"
    secret = str(current_app.config.get("SECRET_KEY") or "").encode()
    address = (request.remote_addr or "").encode()
    return "a:" + hmac.new(secret, address, hashlib.sha256).hexdigest()[:24]


def check_answer_rate() -> None:
    """Count one answer post of this respondent; 429 once over ``VIGIE_ANSWER_RATE_LIMIT``.

    One hit in the limiter's storage (the decorators' counters, in memory or
    Redis), without the decorator's per-request resolution of the route's limits.
    """
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return
    item = parsed_limit(str(config["VIGIE_ANSWER_RATE_LIMIT"]))
    if not limiter.limiter.hit(item, "survey.answer", respondent_key()):
        abort(429)


def start_rate_limit() -> str:
    """The limit on starting responses and typing resume codes (``VIGIE_START_RATE_LIMIT``)."""
    return str(current_app.config["VIGIE_START_RATE_LIMIT"])


csrf = CSRFProtect()
limiter = Limiter(key_func=respondent_key, default_limits=[])


def install_security(app: Flask) -> None:
    """CSRF, rate limits and the headers of every response."""
    if not app.config.get("SECRET_KEY"):
        language = negotiate(os.environ.get("VIGIE_LANGUAGE"), os.environ.get("LANG"))
        raise NoAppException(translate(language, "web.config.no_secret"))
    csrf.init_app(app)
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config.get("RATELIMIT_STORAGE_URI"))
    # On unless this app says otherwise: Flask-Limiter would take the previous app's choice.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    _drop_app_wide_limit_check(app)
    every = [*HEADERS.items()]
    if app.config.get("SESSION_COOKIE_SECURE"):
        every.append(("Strict-Transport-Security", "max-age=31536000"))
    by_lower_name = tuple((name.lower(), name, value) for name, value in every)

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        present = {name.lower() for name, _value in headers.items()}  # a view's own ones stay
        headers.extend([(name, value) for low, name, value in by_lower_name if low not in present])
        if request.endpoint == "static":
            headers["Cache-Control"] = "public, max-age=3600"
        else:
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        return response


def _drop_app_wide_limit_check(app: Flask) -> None:
    """Remove Flask-Limiter's check before every request: it looks for app-wide limits only.

    Every limit of Vigie sits on its route (a decorator, or
    :func:`check_answer_rate`), which checks it; the check Flask-Limiter adds
    before each request only evaluates default and application limits, and
    there are none, so on every request it would resolve the route's limits
    for nothing. Should such limits ever be configured, the check stays.
    """
    app_wide = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")
    if any(app.config.get(name) for name in (*app_wide, "RATELIMIT_IN_MEMORY_FALLBACK")):
        return
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)
