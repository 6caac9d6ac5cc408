"""The resident's way through: welcome, campaign links, one section per page, back.

Each view parses the request, calls one intake method and renders the turn it
returns; every rule about answers stays in the service.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Final

from flask import Response, abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as BaseResponse

from intake.errors import IntakeError
from intake.turns import Turn
from webapp.security import check_answer_rate, limiter, start_rate_limit
from webapp.survey import survey
from webapp.survey.fields import Raw, confirmed_paths, field_id, posted_answers, shown_values
from webapp.survey.state import forget, remember, response_id, service
from webapp.words import page_language, set_page_language

#: The ``page`` field of the review's forms (back, send): no answer path is spelled so.
REVIEW: Final = "(review)"

#: What a campaign code or a survey id in an address may look like.
_CODE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def _request_key() -> str | None:
    key = request.form.get("request_key", "")
    return key if re.fullmatch(r"[0-9a-f]{32}", key) else None


def see_other(endpoint: str, **values: Any) -> BaseResponse:
    return redirect(url_for(endpoint, **values), code=303)


def render_turn(
    turn: Turn,
    *,
    typed: dict[str, Raw] | None = None,
    note: str | None = None,
    status: int = 200,
    more: bool = False,
) -> Response | BaseResponse:
    """The page of ``turn``: its questions, their errors and warnings, progress, actions."""
    if turn.finished:
        return see_other("survey.end")
    if turn.ready_to_finish:
        return see_other("survey.review")  # nothing left to answer: check, then send
    set_page_language(turn.language)
    page = list(turn.page) or ([turn.prompt] if turn.prompt is not None else [])
    problems = [
        (prompt, turn.field_errors[prompt.path])
        for prompt in page
        if prompt.path in turn.field_errors
    ]
    has_error = turn.error is not None or any(not notice.soft for _, notice in problems)
    html = render_template(
        "survey/page.html",
        turn=turn,
        page=page,
        values=shown_values(list(page), typed),
        problems=problems,
        has_error=has_error,
        warned=[notice.path for _, notice in problems if notice.soft and notice.path],
        note=note,
        field_id=field_id,
        sensitive=any(prompt.sensitive for prompt in page),
        percent=round(turn.progress * 100),
        more=more,
    )
    return Response(html, status=status)


def open_turn() -> Turn | None:
    rid = response_id()
    if rid is None:
        return None
    try:
        return service().current(rid)
    except IntakeError as error:
        if error.code != "response_not_found":
            raise
        forget()
        return None


@survey.get("/")
def welcome() -> str:
    """The open questionnaires, a way back to one in progress, and resuming by code."""
    language = page_language()
    turn = open_turn()
    ongoing = turn if turn is not None and not turn.finished else None
    return render_template(
        "survey/welcome.html",
        offers=service().offer(language),
        ongoing=ongoing,
        request_key=uuid.uuid4().hex,
    )


@survey.post("/s/<survey_id>")
@limiter.limit(start_rate_limit)
def start(survey_id: str) -> BaseResponse:
    """Start a questionnaire from the welcome page."""
    if not _CODE.fullmatch(survey_id):
        abort(404)
    turn = service().start(survey_id, "web", page_language(), request_key=_request_key())
    remember(turn)
    return see_other("survey.question")


@survey.get("/c/<code>")
def campaign(code: str) -> str | tuple[str, int]:
    """A community organisation's link: a start page for its questionnaire."""
    if not _CODE.fullmatch(code):
        return render_template("survey/campaign_unknown.html"), 404
    turn = open_turn()
    ongoing = turn if turn is not None and not turn.finished else None
    return render_template(
        "survey/campaign.html", code=code, ongoing=ongoing, request_key=uuid.uuid4().hex
    )


@survey.post("/c/<code>")
@limiter.limit(start_rate_limit)
def start_campaign(code: str) -> BaseResponse | tuple[str, int]:
    """Start the campaign's questionnaire (its municipality preset); a closed one is explained."""
    if not _CODE.fullmatch(code):
        return render_template("survey/campaign_unknown.html"), 404
    try:
        turn = service().start_from_campaign(
            code, "web", page_language(), request_key=_request_key()
        )
    except IntakeError as error:
        if error.code in {"unknown_campaign", "inactive_campaign", "campaign_other_survey"}:
            closed = error.code == "inactive_campaign"
            return render_template("survey/campaign_unknown.html", closed=closed), 404
        raise
    remember(turn)
    return see_other("survey.question")


@survey.get("/survey")
def question() -> Response | BaseResponse:
    """The page the respondent is on; ``?lang=`` switches language without losing answers."""
    turn = open_turn()
    if turn is None:
        return see_other("survey.welcome")
    asked = request.args.get("lang")
    if asked and asked != turn.language and not turn.finished:
        try:
            turn = service().change_language(turn.response_id, asked)
        except IntakeError as error:
            if error.code != "unknown_language":
                raise
    more = bool(session.pop("more", False))
    return render_turn(remember(turn), more=more)


@survey.post("/survey")
def answer() -> Response | BaseResponse:
    """Answer the page shown: errors come back next to each field, else the next page."""
    check_answer_rate()
    rid = response_id()
    if rid is None:
        return see_other("survey.welcome")
    page_path = request.form.get("page", "")
    fields = posted_answers(request.form)
    if not page_path or len(page_path) > 200:
        return render_turn(remember(service().current(rid)), status=400)
    confirm = confirmed_paths(request.form)
    to_review = bool(session.get("to_review"))
    turn = service().submit_page(rid, page_path, fields, confirm=confirm, to_review=to_review)
    remember(turn)
    if turn.error is not None or turn.field_errors:
        status = 200 if turn.field_errors else 400
        return render_turn(turn, typed=fields if turn.field_errors else None, status=status)
    if turn.finished:
        return see_other("survey.end")
    if any(prompt.path == page_path for prompt in turn.page):
        session["more"] = True  # the answers opened more questions on this page
        return see_other("survey.question")
    if to_review or turn.ready_to_finish:
        return see_other("survey.review")  # a change from the review, or nothing left
    return see_other("survey.question")


@survey.post("/survey/back")
def back() -> BaseResponse:
    """The previous page (answers kept); only from the page the form was on (no double step)."""
    rid = response_id()
    if rid is None:
        return see_other("survey.welcome")
    turn = service().current(rid)
    shown_from = request.form.get("page", "")
    at_review = turn.ready_to_finish and shown_from == REVIEW
    if at_review or any(prompt.path == shown_from for prompt in turn.page):
        service().back(rid, page=True)
    return see_other("survey.question")


@survey.get("/survey/review")
def review() -> str | BaseResponse:
    """Check your answers: every answer given so far, each with a way to change it."""
    rid = response_id()
    if rid is None:
        return see_other("survey.welcome")
    asked = request.args.get("lang")
    if asked:
        try:
            service().change_language(rid, asked)  # the language link, answers kept
        except IntakeError as error:
            if error.code not in {"unknown_language", "response_closed"}:
                raise
    reviewed = service().review(rid)
    session.pop("to_review", None)  # back at the review: the change is done
    set_page_language(reviewed.language)
    actions = {action.name.value: action.label for action in reviewed.actions}
    return render_template(
        "survey/review.html", review=reviewed, actions=actions, review_page=REVIEW
    )


@survey.post("/survey/change")
def change() -> BaseResponse:
    """Go back to one answered question from the review page, through the normal rules."""
    rid = response_id()
    if rid is None:
        return see_other("survey.welcome")
    path = request.form.get("path", "")
    if 0 < len(path) <= 200:
        turn = service().change_answer(rid, path)
        if turn.error is None and not turn.finished:
            session["to_review"] = True  # once the page is answered, back to the review
    return see_other("survey.question")


@survey.post("/survey/finish")
def finish() -> BaseResponse:
    """Send the answers, from the review once nothing is left to answer; else no change.

    Only the review's button ends a response on the web: a double click, or a
    post while a question is still open, leads back to where the respondent is.
    """
    rid = response_id()
    if rid is None:
        return see_other("survey.welcome")
    turn = service().current(rid)
    if turn.ready_to_finish and request.form.get("page") == REVIEW:
        turn = service().finish(rid)
    return see_other("survey.end" if turn.finished else "survey.question")
