"""The link a Telegram chat gives for a sensitive section: ``/h/<token>``.

Opening it redeems the one-time token (:meth:`intake.service.IntakeService.redeem_handoff`):
the response goes on on the web, this browser's session now holds it, and the
resident lands on its current page (the first of the sensitive section). A
link that is unknown, already used, replaced by a newer one or expired gets a
short page saying how to get a fresh one from the chat. Failed links count
against the same limits as resume codes: the route's rate limit and intake's
guess limit, per browser.

The address is ``/h/`` rather than ``/r/`` because ``/r/<code>`` is the
resume-code link (:func:`webapp.survey.leaving.resume_link`).
"""

from __future__ import annotations

from werkzeug.wrappers import Response as BaseResponse

from intake.errors import IntakeError, render_intake_error
from webapp.security import limiter, respondent_key, start_rate_limit
from webapp.survey import survey
from webapp.survey.errors import error_page
from webapp.survey.pages import see_other
from webapp.survey.state import forget, remember, service
from webapp.words import page_language, t

#: Longest token read from the address (a token has 32 characters).
MAX_TOKEN_LENGTH = 64


@survey.get("/h/<token>")
@limiter.limit(start_rate_limit)
def handoff(token: str) -> BaseResponse | tuple[str, int]:
    """Go on on the web with the response a chat handed over."""
    try:
        turn = service().redeem_handoff(token[:MAX_TOKEN_LENGTH], client=respondent_key())
    except IntakeError as error:
        if error.code == "too_many_attempts":
            return error_page(429, render_intake_error(error, page_language()))
        if error.code != "unknown_handoff":
            raise
        text = render_intake_error(error, page_language()) + " " + t("web.handoff.again")
        return error_page(404, text)
    forget()
    remember(turn)
    return see_other("survey.end" if turn.finished else "survey.question")
