"""Helpers of the web tests: a resident driving the test client, and valid answers per prompt."""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from intake.service import IntakeService
from questionnaire.definition.model import Survey
from questionnaire.loader import load_survey
from webapp.app import create_app

ROOT = Path(__file__).resolve().parents[2]
SURVEY_DEFS = ROOT / "survey_defs"

#: Form fields that are not answers.
CONTROLS = frozenset({"csrf_token", "page", "confirm", "request_key", "code", "path"})
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_PAGE = re.compile(r'name="page" value="([^"]+)"')
_CONFIRM = re.compile(r'name="confirm" value="([^"]+)"')
_FIELD = re.compile(r'<(?:input|textarea)[^>]*\bname="([^"]+)"[^>]*>')


TEST_SECRET = "web-tests-secret-0123456789abcdef"


def make_test_app(service: IntakeService, **config: Any) -> Flask:
    """The app over ``service``, with test settings (plain-HTTP cookies, a fixed secret)."""
    settings = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_SSL_STRICT": False,
        "VIGIE_INTAKE": service,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    settings.update(config)
    return create_app(settings)


@cache
def _loaded() -> tuple[Survey, ...]:
    return tuple(load_survey(path) for path in sorted(SURVEY_DEFS.glob("*.yaml")))


def shipped_surveys() -> list[Survey]:
    """The shipped questionnaires, loaded once per test process."""
    return list(_loaded())


def text_of(page: str) -> str:
    """The visible text of a page (tags dropped, entities decoded, spaces collapsed)."""
    without = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", without))).strip()


def answer_names(page: str) -> list[str]:
    """The answer fields of a page, in order, each once."""
    names: list[str] = []
    for name in _FIELD.findall(page):
        name = html.unescape(name)
        if name not in CONTROLS and name not in names:
            names.append(name)
    return names


@dataclass
class Resident:
    """One browser: its cookies, its language, the last page it was shown."""

    client: FlaskClient
    language: str = "fr"
    page: str = ""
    status: int = 0
    history: list[str] = field(default_factory=list)

    def _keep(self, response: TestResponse) -> TestResponse:
        self.status = response.status_code
        self.page = response.get_data(as_text=True)
        self.history.append(self.page)
        return response

    @property
    def headers(self) -> dict[str, str]:
        return {"Accept-Language": self.language}

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        return self._keep(
            self.client.get(url, headers=self.headers, follow_redirects=True, **kwargs)
        )

    def token(self) -> str:
        match = _TOKEN.search(self.page)
        assert match is not None, "no CSRF token on the page"
        return match.group(1)

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        form = {"csrf_token": self.token(), **(data or {})}
        return self._keep(
            self.client.post(url, data=form, headers=self.headers, follow_redirects=True, **kwargs)
        )

    def page_path(self) -> str:
        match = _PAGE.search(self.page)
        assert match is not None, "not a question page"
        return html.unescape(match.group(1))

    def confirmations(self) -> list[str]:
        return [html.unescape(p) for p in _CONFIRM.findall(self.page)]

    def answer(self, fields: dict[str, Any], *, confirm: bool = True) -> TestResponse:
        """Post the page shown with ``fields`` (and the warnings shown, as confirmed)."""
        data: dict[str, Any] = {"page": self.page_path(), **fields}
        if confirm and self.confirmations():
            data["confirm"] = self.confirmations()
        return self.post("/survey", data)

    def answer_again(self, fields: dict[str, Any], times: int) -> list[int]:
        """Post the page shown with ``fields`` ``times`` times from the same page; the statuses."""
        page, statuses = self.page, []
        for _ in range(times):
            self.page = page
            statuses.append(self.answer(fields).status_code)
        return statuses

    def start(self, survey_id: str) -> TestResponse:
        self.get(f"/?lang={self.language}")
        return self.post(f"/s/{survey_id}", {"request_key": uuid.uuid4().hex})

    @property
    def text(self) -> str:
        return text_of(self.page)


_INPUT = re.compile(r"<input\b([^>]*)>")
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')


def page_inputs(page: str) -> list[dict[str, str]]:
    """Every answer ``<input>`` of a page as a dict of its attributes."""
    inputs = []
    for attrs in _INPUT.findall(page):
        found = {k: html.unescape(v) for k, v in _ATTR.findall(attrs)}
        if found.get("type") != "hidden" and "name" in found:
            inputs.append(found)
    return inputs


def base_name(path: str) -> str:
    """``incident[2].reported`` -> ``reported``."""
    return path.rsplit(".", 1)[-1]


def valid_answers(page: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Answers a careful resident would give to every field of ``page``.

    Yes/no questions get "no" (no incident loop) unless ``overrides`` (by
    question name) says otherwise; other choices take the first offered;
    numbers are small; months are this month.
    """
    import datetime as dt

    wanted = {"age": "34", "consent": "yes", **(overrides or {})}
    answers: dict[str, Any] = {}
    inputs = page_inputs(page)
    for name in answer_names(page):
        key = base_name(name)
        mine = [i for i in inputs if i["name"] == name]
        kinds = {i.get("type", "text") for i in mine} if mine else {"textarea"}
        if key in wanted:
            answers[name] = wanted[key]
        elif "radio" in kinds:
            values = [i["value"] for i in mine if i.get("type") == "radio"]
            answers[name] = "no" if {"yes", "no"} <= set(values) else values[0]
        elif kinds == {"checkbox"}:
            answers[name] = [mine[0]["value"]]
        elif key.endswith("month"):
            answers[name] = dt.date.today().strftime("%Y-%m")
        else:
            answers[name] = "1"
    return answers


#: The ``page`` field of the review's forms (``webapp.survey.pages.REVIEW``).
REVIEW_PAGE = "(review)"


def at_review_ready(resident: Resident) -> bool:
    """Whether the page shown is the review with the button that sends the answers."""
    return 'id="send-answers"' in resident.page


def send_answers(resident: Resident) -> TestResponse:
    """Press "Send my answers" on the review."""
    assert at_review_ready(resident), "not at the review, ready to send"
    return resident.post("/survey/finish", {"page": REVIEW_PAGE})


def walk_to_end(
    resident: Resident, overrides: dict[str, Any] | None = None, limit: int = 80
) -> int:
    """Answer page after page to the review, then send; returns the number of pages answered."""
    for count in range(limit):
        if at_review_ready(resident):
            send_answers(resident)
            return count
        if 'name="page"' not in resident.page:
            return count
        resident.answer(valid_answers(resident.page, overrides))
        assert resident.status < 500
    raise AssertionError("the questionnaire did not end")
