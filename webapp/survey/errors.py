"""Every refusal is a page in the resident's language: never a traceback, never a 500 text.

A stale or missing CSRF token on an answer page (a page left open for hours)
brings the page back with what was typed and a sentence; elsewhere a short
page says what happened and where to go on.
"""

from __future__ import annotations

import logging

from flask import Response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from intake.errors import IntakeError, render_intake_error
from webapp.survey import survey
from webapp.survey.fields import posted_answers
from webapp.survey.pages import render_turn
from webapp.survey.state import forget, response_id, service
from webapp.words import page_language, t

LOG = logging.getLogger("vigie.web")

#: Status codes with a sentence of their own; others read as 400.
_KNOWN = frozenset({400, 403, 404, 405, 413, 429, 500, 503})


def error_page(status: int, text: str | None = None) -> tuple[str, int]:
    """A short page for ``status``, with ``text`` or the status's own sentence."""
    shown = status if status in _KNOWN else 400
    return render_template("survey/error.html", status=shown, text=text), status


@survey.app_errorhandler(CSRFError)
def stale_form(error: CSRFError) -> Response | BaseResponse | tuple[str, int]:
    """The answer page again with what was typed, and why it was not saved."""
    rid = response_id()
    if request.endpoint == "survey.answer" and rid is not None:
        try:
            turn = service().current(rid)
        except IntakeError:
            return error_page(400, t("web.error.stale_form"))
        if not turn.finished:
            typed = posted_answers(request.form)
            return render_turn(turn, typed=typed, note=t("web.error.stale_form"), status=400)
    return error_page(400, t("web.error.stale_form"))


@survey.app_errorhandler(IntakeError)
def intake_error(error: IntakeError) -> tuple[str, int]:
    """An operation the service refused (a response erased meanwhile, a busy database)."""
    language = page_language()
    if error.code == "response_not_found":
        forget()
        return error_page(404, render_intake_error(error, language))
    if error.code == "busy":
        return error_page(503, render_intake_error(error, language))
    return error_page(400, render_intake_error(error, language))


@survey.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[str, int]:
    return error_page(error.code or 400)


@survey.app_errorhandler(Exception)
def unexpected(error: Exception) -> tuple[str, int]:
    """A bug: logged for the operators, a plain apology for the resident."""
    if isinstance(error, HTTPException):
        return http_error(error)
    LOG.exception("unexpected error on %s", request.url_rule.rule if request.url_rule else "?")
    return error_page(500)
