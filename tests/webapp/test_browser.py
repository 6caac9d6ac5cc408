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
from browser_flow import (
    PageChecks,
    answer_page,
    is_question_page,
    layout_problems,
    shown_page,
    submit,
)
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


def first_page_errors(page: Any, language: str, checks: PageChecks) -> None:
    """An empty first page: the error summary takes the focus and links to each field."""
    checks.check(page, f"{language} first page")
    submit(page, language)
    assert page.evaluate("document.activeElement.id") == "error-summary"
    checks.check(page, f"{language} first page with errors")
    page.locator("#error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "f-age"


def back_step(page: Any, language: str, overrides: dict[str, Any]) -> None:
    """Answer the page, go Back to it: the answers are shown again; then on."""
    first = shown_page(page)
    answer_page(page, language, overrides)
    with page.expect_navigation():
        page.locator("button.back-link").click()
    assert shown_page(page) == first
    assert page.locator("form.answers input:checked").count() > 0
    answer_page(page, language, overrides)


def switch_language(page: Any, language: str, checks: PageChecks) -> None:
    """To the other language and back, mid-way: the same page, answers kept."""
    other = {"fr": "en", "en": "fr"}[language]
    shown = shown_page(page)
    with page.expect_navigation():
        page.locator(f'a[hreflang="{other}"]').click()
    assert page.locator("html").get_attribute("lang") == other
    assert shown_page(page) == shown
    checks.check(page, f"{other} after the switch")
    with page.expect_navigation():
        page.locator(f'a[hreflang="{language}"]').click()
    assert page.locator("html").get_attribute("lang") == language


def change_from_review(page: Any, site: Site, language: str, checks: PageChecks) -> None:
    """Check your answers, change the age there: back to the review, then on where the walk was."""
    shown = shown_page(page)
    page.goto(f"{site.url}/survey/review")
    checks.check(page, f"{language} review")
    with page.expect_navigation():
        page.locator('form[action="/survey/change"]:has(input[value="age"]) button').click()
    assert shown_page(page) == "age"
    page.fill("#f-age", "35")
    submit(page, language)
    assert page.url.endswith("/survey/review")
    assert page.locator("#send-answers").count() == 0  # questions are left: nothing to send
    with page.expect_navigation():
        page.locator("#continue-survey").click()
    assert shown_page(page) == shown


def send_from_review(page: Any, language: str, checks: PageChecks) -> None:
    """The last page leads to the review; its button sends the answers."""
    assert page.url.endswith("/survey/review"), page.url
    checks.check(page, f"{language} review before sending")
    with page.expect_navigation():
        page.locator("#send-answers").click()


def pause_and_resume(page: Any, site: Site, browser: Any, language: str, checks: PageChecks) -> Any:
    """Save, then go on in a new browser context (another device) with the code."""
    shown = shown_page(page)
    with page.expect_navigation():
        page.locator('form[action="/survey/pause"] button').click()
    checks.check(page, f"{language} paused")
    code = page.locator("#resume-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code)
    page.context.close()
    page = browser.new_context(viewport=PHONE, locale=language).new_page()
    page.goto(f"{site.url}/resume?lang={language}")
    checks.check(page, f"{language} resume form")
    page.fill("#code", "nope")
    with page.expect_navigation():
        page.locator('form[action="/resume"] button').click()
    checks.check(page, f"{language} resume form with an error")
    page.fill("#code", code.lower())
    with page.expect_navigation():
        page.locator('form[action="/resume"] button').click()
    assert shown_page(page) == shown
    return page


def complete(
    site: Site,
    browser: Any,
    checks: PageChecks,
    survey_id: str,
    language: str,
    overrides: dict[str, Any],
) -> tuple[dict[str, Any], Any]:
    """A whole walk with every detour; returns the answers stored and the last page."""
    context = browser.new_context(viewport=PHONE, locale=language)
    page = context.new_page()
    start(page, site, survey_id, language, checks)
    rid = response_id(context)
    first_page_errors(page, language, checks)
    answer_page(page, language, overrides)
    back_step(page, language, overrides)
    switch_language(page, language, checks)
    change_from_review(page, site, language, checks)
    page = pause_and_resume(page, site, browser, language, checks)
    for number in range(80):
        if not is_question_page(page):
            break
        checks.check(page, f"{language} {survey_id} page {number}")
        if number == 2:
            submit(page, language)  # whatever this page says about nothing answered
            checks.check(page, f"{language} {survey_id} page {number} with notices")
        answer_page(page, language, overrides)
    send_from_review(page, language, checks)
    checks.check(page, f"{language} {survey_id} end")
    assert page.locator(".panel-confirmation").count() == 1
    assert "CAVAC" in page.content()
    return site.answers(rid), page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_perceived_safety_from_start_to_end(
    site: Site, browser: Any, checks: PageChecks, language: str
) -> None:
    overrides = {"walk_alone_dark": "very_unsafe"}
    answers, page = complete(site, browser, checks, "perceived_safety", language, overrides)
    assert answers["age"] == 35 and answers["consent"] == "yes"
    assert answers["walk_alone_dark"] == "very_unsafe"
    assert checks.sensitive == 0
    page.context.close()
    assert checks.problems == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_victimisation_with_incidents_and_the_sensitive_module(
    site: Site, browser: Any, checks: PageChecks, language: str
) -> None:
    overrides = {
        "bicycle_theft": "yes",
        "bicycle_theft_times": "2",
        "series": "no",
        "has_partner": "yes",
    }
    answers, page = complete(site, browser, checks, "victimisation", language, overrides)
    assert answers["age"] == 35
    assert answers["bicycle_theft_times"] == 2
    assert "incident[2].incident_month" in answers
    month = answers["incident[1].incident_month"]
    assert (month.year, month.month) == (dt.date.today().year, dt.date.today().month)
    assert answers["has_partner"] == "yes"
    page.context.close()
    assert checks.pages > 12
    assert checks.sensitive > 0  # the partner-violence module explains history clearing
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
    for _ in range(400):  # the review: on to its button, which sends the answers
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "send-answers":
            with page.expect_navigation():
                page.keyboard.press("Enter")
            break
    assert not is_question_page(page)
    assert "Thank you" in page.content()
    answers = site.answers(rid)
    assert answers["age"] == 34 and answers["consent"] == "yes"
    context.close()


#: A 1280 px wide window at 200% zoom: 640 CSS pixels, each drawn as 2 device pixels.
ZOOMED = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}


def test_every_page_type_fits_a_1280_px_window_at_200_percent_zoom(
    site: Site, browser: Any
) -> None:
    """WCAG 1.4.4 and 1.4.10: nothing scrolls sideways, sticks out or is cut off at 200%."""
    context = browser.new_context(locale="fr", **ZOOMED)
    page = context.new_page()
    seen: list[str] = []
    problems: list[str] = []

    def look(label: str) -> None:
        assert page.evaluate("window.devicePixelRatio") == 2
        assert page.evaluate("window.innerWidth") == 640
        seen.append(label)
        problems.extend(layout_problems(page, label))

    page.goto(f"{site.url}/?lang=fr")
    look("welcome")
    for url, label in (("/c/nulle-part", "campaign"), ("/x", "404"), ("/resume", "resume")):
        page.goto(site.url + url)
        look(label)
    page.fill("#code", "ZZZZZ-ZZZZZ")
    with page.expect_navigation():
        page.locator('form[action="/resume"] button').click()
    look("resume with an error")
    page.goto(f"{site.url}/?lang=fr")
    with page.expect_navigation():
        page.locator('form[action="/s/victimisation"] button').click()
    submit(page, "fr")
    look("question page with errors")
    overrides = {"bicycle_theft": "yes", "bicycle_theft_times": "1", "has_partner": "yes"}
    answer_page(page, "fr", overrides)
    with page.expect_navigation():
        page.locator('form[action="/survey/pause"] button').click()
    look("paused")
    page.goto(f"{site.url}/survey/erase")
    look("erase, asked first")
    page.goto(f"{site.url}/survey/review")
    look("review, questions left")
    page.goto(f"{site.url}/survey")
    for number in range(80):
        if not is_question_page(page):
            break
        look(f"question page {number}")
        answer_page(page, "fr", overrides)
    look("review, ready to send")
    with page.expect_navigation():
        page.locator("#send-answers").click()
    look("end")
    page.goto(f"{site.url}/survey/erase")
    with page.expect_navigation():
        page.locator('form[action="/survey/erase"] button').click()
    look("erased")
    context.close()
    assert problems == []
    assert len(seen) >= 16 and "question page 4" in seen
