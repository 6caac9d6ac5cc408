"""The respondent's state in the signed session cookie: a response id, a language.

Nothing else is kept: the answers live in the database, reached only through
the intake service.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from flask import current_app, request, session

from intake.service import IntakeService
from intake.turns import Turn
from webapp.services import intake
from webapp.words import set_page_language


def response_id() -> str | None:
    """The response this browser is answering, if any."""
    value = session.get("rid")
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None


def remember(turn: Turn) -> Turn:
    """Keep ``turn``'s response in the session (the browser comes back to it by itself).

    The cookie is signed and sent again only when it changes: another
    response or language, or a new day (``SESSION_REFRESH_EACH_REQUEST`` is
    off, so the day stamp is what keeps its 30 days counting from the last
    visit, to within a day). Most answer posts send no cookie at all.
    """
    if not session.permanent:
        session.permanent = True
    if session.get("rid") != turn.response_id:
        session["rid"] = turn.response_id
    today = dt.date.today().toordinal()
    if session.get("day") != today:
        session["day"] = today
    set_page_language(turn.language)
    return turn


def forget() -> None:
    """Forget the response and the language (quick exit, erase, end)."""
    session.clear()


def service() -> IntakeService:
    """The intake service."""
    return intake()


def guess_client() -> str:
    """Whom the resume-code guess limit counts: a keyed hash of the request's address.

    The address itself is never kept nor passed on: only
    HMAC-SHA256(secret key, "resume-guesses" NUL address), so the intake
    service's per-client budget (:mod:`intake.guesses`) cannot be dodged by
    dropping the cookie, and nothing in memory names a resident.
    """
    secret = str(current_app.config.get("SECRET_KEY") or "").encode()
    address = (request.remote_addr or "").encode()
    digest = hmac.new(secret, b"resume-guesses\0" + address, hashlib.sha256).hexdigest()
    return "web:" + digest[:32]
