"""The respondent's state in the signed session cookie: a response id, a language.

Nothing else is kept: the answers live in the database, reached only through
the intake service.
"""

from __future__ import annotations

from flask import session

from intake.service import IntakeService
from intake.turns import Turn
from webapp.services import intake
from webapp.words import set_page_language


def response_id() -> str | None:
    """The response this browser is answering, if any."""
    value = session.get("rid")
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None


def remember(turn: Turn) -> Turn:
    """Keep ``turn``'s response in the session (the browser comes back to it by itself)."""
    session.permanent = True
    session["rid"] = turn.response_id
    set_page_language(turn.language)
    return turn


def forget() -> None:
    """Forget the response and the language (quick exit, erase, end)."""
    session.clear()


def service() -> IntakeService:
    """The intake service."""
    return intake()
