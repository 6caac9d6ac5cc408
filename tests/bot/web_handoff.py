"""Following a chat's hand-off link on the web: the Flask test client on the bot's database.

The link is read from the chat as the resident sees it; opening it is the
web form's ``/h/<token>``; the pages after it are answered with the test
respondents' policy (:func:`bot_support.choose`), so that the stored answers
can be compared with the same respondent answering straight through intake.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from bot_support import choose
from flask import Flask

from intake.service import IntakeService
from questionnaire.definition.model import QuestionType

sys.path.append(str(Path(__file__).resolve().parents[1] / "webapp"))
from web_support import Resident as Browser
from web_support import make_test_app, send_answers

__all__ = ["Browser", "finish_on_web", "link_in", "make_test_app", "web_app"]

#: A hand-off link in a chat message (tests/bot/conftest.py's public URL).
LINK = re.compile(r"https://vigie\.example(/h/[A-Za-z0-9_-]+\?lang=[a-z]{2})")


def web_app(service: IntakeService) -> Flask:
    """The web form over the bot's intake service (same database, same clock)."""
    return make_test_app(service)


def link_in(text: str) -> str:
    """The path and query of the hand-off link in a chat message."""
    found = LINK.search(text)
    assert found is not None, f"no hand-off link in {text!r}"
    return found.group(1)


def finish_on_web(
    browser: Browser,
    service: IntakeService,
    response_id: str,
    language: str,
    overrides: dict[str, str],
) -> int:
    """Answer page after page of the open response, as ``choose`` says; pages answered."""
    for count in range(60):
        turn = service.current(response_id)
        if turn.finished:
            return count
        if turn.ready_to_finish:  # the web ends at "check your answers": send them
            assert send_answers(browser).status_code < 400, browser.text[:300]
            continue
        assert 'name="page"' in browser.page, browser.text[:300]
        fields: dict[str, Any] = {}
        for prompt in turn.page:
            if prompt.type is not QuestionType.NOTE:
                fields[prompt.path] = choose(prompt, language, overrides).raw
        browser.answer(fields)
        assert browser.status < 400, browser.text[:300]
    raise AssertionError("the web part does not end")
