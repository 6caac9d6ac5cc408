"""Ending, pausing, resuming, erasing and leaving in a hurry.

The quick exit is a plain link to :func:`quick_exit`, a server route that
clears the session and sends the browser to a neutral site: it works without
JavaScript, and a form post would be blocked by the ``form-action 'self'``
policy on the redirect. With JavaScript, the same route is opened with
``location.replace`` so the survey page leaves the Back history.
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from intake.errors import IntakeError, render_intake_error
from webapp.help import help_resources
from webapp.security import limiter, start_rate_limit
from webapp.survey import survey
from webapp.survey.pages import open_turn, see_other
from webapp.survey.state import forget, guess_client, remember, response_id, service
from webapp.words import page_language, set_page_language

#: Longest resume code accepted as typed (separators included).
MAX_CODE_LENGTH = 40

#: Refusals of a typed code shown on the form itself, with their HTTP status.
GUESS_REFUSALS = {"unknown_resume_code": 400, "too_many_attempts": 429}


@survey.get("/survey/end")
def end() -> str | BaseResponse:
    """Thanks (or the eligibility rule's message), help resources, and erasing."""
    turn = open_turn()
    if turn is None:
        return see_other("survey.welcome")
    if not turn.finished:
        return see_other("survey.question")
    set_page_language(turn.language)
    resources = help_resources(current_app.config.get("VIGIE_HELP_RESOURCES"), turn.language)
    return render_template("survey/end.html", turn=turn, resources=resources)


@survey.post("/survey/pause")
def pause() -> str | BaseResponse:
    """Save and come back later: a short code and a link, shown once."""
    rid = response_id()
    if rid is None:
        return see_other("survey.welcome")
    turn = remember(service().pause(rid))
    if turn.resume_code is None:
        return see_other("survey.question")
    link = url_for("survey.resume_link", code=turn.resume_code.replace("-", ""), _external=True)
    return render_template("survey/paused.html", turn=turn, link=link)


def _resume_form(
    code: str = "", error: str | None = None, status: int = 200, *, erase: bool = False
) -> tuple[str, int]:
    page = render_template(
        "survey/resume.html", code=code, error=error, has_error=bool(error), erase=erase
    )
    return page, status


@survey.get("/resume")
def resume_form() -> tuple[str, int]:
    """Type the code shown when pausing (on this device or another)."""
    return _resume_form()


@survey.get("/r/<code>")
def resume_link(code: str) -> tuple[str, int]:
    """The resume link: the form with the code filled in (nothing changes until it is sent)."""
    return _resume_form(code[:MAX_CODE_LENGTH])


@survey.post("/resume")
@limiter.limit(start_rate_limit)
def resume() -> BaseResponse | tuple[str, int]:
    """Go on with the response whose code was typed."""
    code = request.form.get("code", "")[:MAX_CODE_LENGTH]
    try:
        turn = service().resume_by_code(code, client=guess_client())
    except IntakeError as error:
        if error.code not in GUESS_REFUSALS:
            raise
        status = GUESS_REFUSALS[error.code]
        return _resume_form(code, render_intake_error(error, page_language()), status)
    remember(turn)
    return see_other("survey.question" if not turn.finished else "survey.end")


@survey.get("/erase-code")
def erase_code_form() -> tuple[str, int]:
    """Erase the answers saved under a code, from any device (the code is typed, then sent)."""
    return _resume_form(erase=True)


@survey.post("/erase-code")
@limiter.limit(start_rate_limit)
def erase_code() -> str | tuple[str, int]:
    """Erase every answer of the response whose code was typed (guesses limited per client)."""
    code = request.form.get("code", "")[:MAX_CODE_LENGTH]
    try:
        turn = service().erase_by_code(code, client=guess_client())
    except IntakeError as error:
        if error.code not in GUESS_REFUSALS:
            raise
        text = render_intake_error(error, page_language())
        return _resume_form(code, text, GUESS_REFUSALS[error.code], erase=True)
    if response_id() == turn.response_id:
        forget()
    set_page_language(turn.language)
    return render_template("survey/erased.html", turn=turn)


@survey.get("/survey/erase")
def erase_form() -> str | BaseResponse:
    """Ask before erasing every answer."""
    if response_id() is None:
        return see_other("survey.welcome")
    return render_template("survey/erase.html")


@survey.post("/survey/erase")
def erase() -> str | BaseResponse:
    """Erase every answer of this response; the browser forgets it."""
    rid = response_id()
    if rid is None:
        return see_other("survey.welcome")
    turn = service().erase(rid)
    forget()
    set_page_language(turn.language)
    return render_template("survey/erased.html", turn=turn)


@survey.get("/exit")
def quick_exit() -> BaseResponse:
    """Leave now: forget the session and go to a neutral site."""
    forget()
    response = redirect(current_app.config["VIGIE_EXIT_URL"], code=303)
    response.headers["Clear-Site-Data"] = '"cache", "cookies"'
    return response
