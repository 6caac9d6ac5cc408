"""Residents in real Chromium (Debian's, driven by Playwright): both questionnaires, both languages.

Every page met is checked by axe-core for WCAG 2.1 A/AA violations and for
horizontal scrolling at 320 px, error pages included. The answers end up in
the database as given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_flow import PageChecks, answer_page, is_question_page, submit
from browser_support import CHROMIUM, LiveServer, chromium
from web_support import TEST_SECRET, make_test_app, shipped_surveys

from intake.registry import SurveyRegistry
from intake.service import IntakeService
from intake.settings import IntakeSettings
from storage.answers import load_answers
from storage.engine import make_engine, make_session_factory
from storage.tables import Base

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
PHONE = {"width": 320, "height": 720}
#: What has the keyboard focus: tag, input type, field name, text.
FOCUSED = """(() => {
  const e = document.activeElement;
  return {tag: e.tagName, type: e.type || '', name: e.name || '', text: e.innerText || ''};
})()"""


class Site:
    """The app on a live server over one SQLite database, for one module of browser tests."""

    def __init__(self, folder: Path) -> None:
        self.engine = make_engine(f"sqlite:///{folder / 'browser.db'}")
        Base.metadata.create_all(self.engine)
        self.sessions = make_session_factory(self.engine)
        registry = SurveyRegistry(self.sessions)
        registry.register_all(shipped_surveys())
        settings = IntakeSettings(secret_key=TEST_SECRET, abandon_after_days=30, testing=True)
        self.service = IntakeService(self.sessions, registry, settings)
        self.server = LiveServer(make_test_app(self.service))
        self.server.app.config["VIGIE_EXIT_URL"] = self.url + "/static/vigie.css"

    @property
    def url(self) -> str:
        return self.server.url

    def answers(self, response_id: str) -> dict[str, Any]:
        with self.sessions() as session:
            return dict(load_answers(session, response_id))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    made = Site(tmp_path_factory.mktemp("browser"))
    with made.server:
        yield made
    made.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def checks() -> PageChecks:
    from axe_playwright_python.sync_playwright import Axe

    return PageChecks(Axe())


def session_data(context: Any) -> dict[str, Any]:
    """What the browser's signed session cookie holds (decoded with the test secret)."""
    import hashlib

    from itsdangerous import URLSafeTimedSerializer

    cookies = [c for c in context.cookies() if c["name"] == "vigie" and c["value"]]
    if not cookies:
        return {}
    serializer = URLSafeTimedSerializer(
        TEST_SECRET,
        salt="cookie-session",
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    )
    data: dict[str, Any] = serializer.loads(cookies[0]["value"])
    return data


def response_id(context: Any) -> str:
    """The response the browser is answering."""
    return str(session_data(context)["rid"])


def start(page: Any, site: Site, survey_id: str, language: str, checks: PageChecks) -> None:
    page.goto(f"{site.url}/?lang={language}")
    checks.check(page, f"{language} welcome")
    with page.expect_navigation():
        page.locator(f'form[action="/s/{survey_id}"] button').click()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_perceived_safety_from_start_to_end(
    site: Site, browser: Any, checks: PageChecks, language: str
) -> None:
    other = {"fr": "en", "en": "fr"}[language]
    context = browser.new_context(viewport=PHONE, locale=language)
    page = context.new_page()
    start(page, site, "perceived_safety", language, checks)
    rid = response_id(context)
    # An empty first page: the error summary takes the focus and links to each field.
    checks.check(page, f"{language} first page")
    submit(page, language)
    assert page.evaluate("document.activeElement.id") == "error-summary"
    checks.check(page, f"{language} first page with errors")
    page.locator("#error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "f-age"
    answer_page(page, language)
    checks.check(page, f"{language} second page")
    answer_page(page, language, {"walk_alone_dark": "very_unsafe"})
    # Back, then forward again: the answers are kept.
    with page.expect_navigation():
        page.locator("button.back-link").click()
    assert page.locator('input[value="very_unsafe"]').is_checked()
    submit(page, language)
    # The language switches mid-way without losing answers, and back.
    with page.expect_navigation():
        page.locator(f'a[hreflang="{other}"]').click()
    assert page.locator("html").get_attribute("lang") == other
    checks.check(page, f"{other} after the switch")
    with page.expect_navigation():
        page.locator(f'a[hreflang="{language}"]').click()
    # Save and continue on another device with the code.
    with page.expect_navigation():
        page.locator('form[action="/survey/pause"] button').click()
    checks.check(page, f"{language} paused")
    code = page.locator("#resume-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code)
    context.close()
    phone = browser.new_context(viewport=PHONE, locale=language)
    page = phone.new_page()
    page.goto(f"{site.url}/resume?lang={language}")
    checks.check(page, f"{language} resume form")
    page.fill("#code", "nope")
    with page.expect_navigation():
        page.locator('form[action="/resume"] button').click()
    checks.check(page, f"{language} resume form with an error")
    page.fill("#code", code.lower())
    with page.expect_navigation():
        page.locator('form[action="/resume"] button').click()
    pages = 0
    while is_question_page(page) and pages < 20:
        checks.check(page, f"{language} page {page.locator('h1').inner_text()}")
        answer_page(page, language)
        pages += 1
    checks.check(page, f"{language} end")
    assert page.locator(".panel-confirmation").count() == 1
    assert "CAVAC" in page.content()
    answers = site.answers(rid)
    assert answers["age"] == 34 and answers["consent"] == "yes"
    assert answers["walk_alone_dark"] == "very_unsafe"
    phone.close()
    assert checks.problems == []


def test_the_quick_exit_leaves_no_survey_behind_the_back_button(
    site: Site, browser: Any, checks: PageChecks
) -> None:
    context = browser.new_context(viewport=PHONE, locale="en")
    page = context.new_page()
    start(page, site, "perceived_safety", "en", checks)
    answer_page(page, "en")
    assert is_question_page(page)
    with page.expect_navigation():
        page.locator("#quick-exit").click()
    assert page.url.endswith("/static/vigie.css")
    page.go_back()
    page.wait_for_load_state()
    assert not is_question_page(page)
    assert "Your neighbourhood" not in page.content()
    assert "rid" not in session_data(context)
    # The keyboard shortcuts leave too: Escape, and Shift three times.
    for keys in (["Escape"], ["Shift", "Shift", "Shift"]):
        start(page, site, "perceived_safety", "en", checks)
        with page.expect_navigation():
            for key in keys:
                page.keyboard.press(key)
        assert page.url.endswith("/static/vigie.css")
    context.close()


def test_perceived_safety_with_the_keyboard_alone(
    site: Site, browser: Any, checks: PageChecks
) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="en")
    page = context.new_page()
    start(page, site, "perceived_safety", "en", checks)
    rid = response_id(context)
    seen_groups: set[str] = set()
    for _ in range(400):
        if not is_question_page(page):
            break
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        choice = focused["type"] in ("radio", "checkbox")
        if choice and focused["name"] not in seen_groups:
            seen_groups.add(focused["name"])
            page.keyboard.press("Space")
        elif focused["type"] == "text" and focused["name"] == "age":
            page.keyboard.type("34")
        elif focused["tag"] == "BUTTON" and focused["text"].strip() == "Continue":
            with page.expect_navigation():
                page.keyboard.press("Enter")
            seen_groups.clear()
    assert not is_question_page(page)
    assert "Thank you" in page.content()
    answers = site.answers(rid)
    assert answers["age"] == 34 and answers["consent"] == "yes"
    context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_victimisation_with_incidents_and_the_sensitive_module(
    site: Site, browser: Any, checks: PageChecks, language: str
) -> None:
    context = browser.new_context(viewport=PHONE, locale=language)
    page = context.new_page()
    start(page, site, "victimisation", language, checks)
    rid = response_id(context)
    overrides = {
        "bicycle_theft": "yes",
        "bicycle_theft_times": "2",
        "series": "no",
        "has_partner": "yes",
    }
    advice_seen = False
    for number in range(80):
        if not is_question_page(page):
            break
        checks.check(page, f"{language} victimisation page {number}")
        advice_seen = advice_seen or page.locator("#history-advice").count() > 0
        if number == 3:
            submit(page, language)  # errors or warnings on a page of the screener
            checks.check(page, f"{language} victimisation page {number} with notices")
        answer_page(page, language, overrides)
    checks.check(page, f"{language} victimisation end")
    assert advice_seen
    answers = site.answers(rid)
    assert answers["bicycle_theft_times"] == 2
    assert "incident[2].incident_month" in answers
    month = answers["incident[1].incident_month"]
    assert (month.year, month.month) == (dt.date.today().year, dt.date.today().month)
    assert answers["has_partner"] == "yes"
    context.close()
    assert checks.problems == []
