"""Check your answers before sending, section introductions, and the resume-code guess limit.

Through the test client: the last page leads to the review, and only its
"Send my answers" button ends the response; a change made from the review
comes back to it. Each resume-code guess is counted per client, named by a
keyed hash of the address (never the address).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from test_leaving import paused_code
from web_support import REVIEW_PAGE, Resident, at_review_ready, send_answers, valid_answers

from intake.service import IntakeService
from storage.records import ResponseStatus
from storage.responses import get_response


def rid_of(someone: Resident) -> str:
    with someone.client.session_transaction() as session:
        rid = session["rid"]
    assert isinstance(rid, str)
    return rid


def status_of(session_factory: sessionmaker[Session], rid: str) -> ResponseStatus:
    with session_factory() as session:
        record = get_response(session, rid)
    assert record is not None
    return record.status


def to_review(someone: Resident) -> int:
    """Answer every page until the review offers to send; the number of pages answered."""
    for count in range(80):
        if at_review_ready(someone):
            return count
        someone.answer(valid_answers(someone.page))
        assert someone.status == 200
    raise AssertionError("no review at the end")


def test_the_last_page_leads_to_the_review_and_only_send_ends(
    resident: Callable[[str], Resident], session_factory: sessionmaker[Session]
) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    rid = rid_of(someone)
    assert to_review(someone) >= 3
    assert "Check your answers" in someone.text and "Send my answers" in someone.text
    assert status_of(session_factory, rid) is ResponseStatus.IN_PROGRESS
    # The question page, asked for, is the review again; so is a "finish" from elsewhere.
    response = someone.client.get("/survey")
    assert response.status_code == 303 and response.location.endswith("/survey/review")
    someone.post("/survey/finish", {"page": "age"})
    assert at_review_ready(someone)
    assert status_of(session_factory, rid) is ResponseStatus.IN_PROGRESS
    token = someone.token()
    send_answers(someone)
    assert "Thank you!" in someone.text
    assert status_of(session_factory, rid) is ResponseStatus.COMPLETED
    # A double click on "send" shows the end again.
    again = someone.client.post("/survey/finish", data={"csrf_token": token, "page": REVIEW_PAGE})
    assert again.status_code == 303 and again.location.endswith("/survey/end")


def test_a_change_from_the_review_comes_back_to_it(resident: Callable[[str], Resident]) -> None:
    someone = resident("fr")
    someone.start("perceived_safety")
    to_review(someone)
    someone.post("/survey/change", {"path": "age"})
    assert someone.page_path() == "age" and 'value="34"' in someone.page
    someone.answer({"age": "41", "consent": "yes"})
    assert at_review_ready(someone)  # not the next page: straight back to the review
    assert "41" in someone.text
    # "Back" from the review: the last page, prefilled; answering it, the review again.
    someone.post("/survey/back", {"page": REVIEW_PAGE})
    assert 'name="page"' in someone.page and not at_review_ready(someone)
    someone.answer(valid_answers(someone.page))
    assert at_review_ready(someone)


def test_a_section_intro_is_shown_at_the_top_of_its_page(
    resident: Callable[[str], Resident],
) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    assert 'id="section-intro"' not in someone.page  # consent and age: no intro there
    someone.answer({"age": "34", "consent": "yes"})
    intro = "The next questions are about your neighbourhood"
    assert intro in someone.text and 'id="section-intro"' in someone.page
    assert someone.page.index('id="section-intro"') < someone.page.index('class="answers"')


def test_the_sensitive_module_explains_clearing_the_history(
    resident: Callable[[str], Resident],
) -> None:
    someone = resident("en")
    someone.start("victimisation")
    for _ in range(80):
        if 'id="history-advice"' in someone.page or at_review_ready(someone):
            break
        someone.answer(valid_answers(someone.page, {"has_partner": "yes"}))
    assert 'id="history-advice"' in someone.page
    assert 'id="section-intro"' in someone.page and "SOS violence conjugale" in someone.text


ADDRESS_A, ADDRESS_B = "203.0.113.5", "198.51.100.7"


def test_resume_guesses_are_limited_per_client_named_by_a_keyed_hash(
    resident: Callable[[str], Resident],
    service: IntakeService,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    someone.answer({"age": "34", "consent": "yes"})
    code = paused_code(someone)
    clients: list[str | None] = []
    real = service.resume_by_code

    def recording(typed: str, *, client: str | None = None) -> Any:
        clients.append(client)
        return real(typed, client=client)

    monkeypatch.setattr(service, "resume_by_code", recording)
    guesser = resident("en")
    guesser.get("/resume")
    for _ in range(10):
        guesser.post("/resume", {"code": "ZZZZZ-ZZZZZ"}, environ_base={"REMOTE_ADDR": ADDRESS_A})
        assert guesser.status == 400
    # Over the budget: refused, the right code included, with a sentence on the form.
    guesser.post("/resume", {"code": code}, environ_base={"REMOTE_ADDR": ADDRESS_A})
    assert guesser.status == 429 and 'class="error-summary"' in guesser.page
    assert "Too many wrong resume codes" in guesser.text
    # Dropping the cookie does not help: the address counts, not the browser.
    fresh = resident("en")
    fresh.get("/resume")
    fresh.post("/resume", {"code": code}, environ_base={"REMOTE_ADDR": ADDRESS_A})
    assert fresh.status == 429
    # Another address is a client of its own.
    other = resident("en")
    other.get("/resume")
    other.post("/resume", {"code": code}, environ_base={"REMOTE_ADDR": ADDRESS_B})
    assert other.status == 200 and 'name="page"' in other.page
    assert len(set(clients[:12])) == 1 and clients[-1] != clients[0]
    for client in clients:
        assert client is not None and client.startswith("web:")
        assert ADDRESS_A not in client and ADDRESS_B not in client


def test_an_answer_post_sends_no_cookie_when_the_session_is_unchanged(
    resident: Callable[[str], Resident],
) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    data = {"csrf_token": someone.token(), "page": "age", "age": "34", "consent": "yes"}
    first = someone.client.post("/survey", data=data, headers=someone.headers)
    assert first.status_code == 303
    again = someone.client.post("/survey", data={**data, "age": "35"}, headers=someone.headers)
    assert again.status_code == 303 and "Set-Cookie" not in again.headers
    # The language changes: the cookie is sent again, and the session still works.
    switched = someone.client.get("/survey?lang=fr", headers=someone.headers)
    assert "Set-Cookie" in switched.headers and 'lang="fr"' in switched.get_data(as_text=True)


def test_answers_are_erased_with_a_code_from_another_device(
    resident: Callable[[str], Resident],
    session_factory: sessionmaker[Session],
    service: IntakeService,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    someone.answer({"age": "34", "consent": "yes"})
    rid = rid_of(someone)
    code = paused_code(someone)
    clients: list[str | None] = []
    real = service.erase_by_code

    def recording(typed: str, *, client: str | None = None) -> Any:
        clients.append(client)
        return real(typed, client=client)

    monkeypatch.setattr(service, "erase_by_code", recording)
    other = resident("en")
    other.get("/resume")
    other.get("/erase-code")
    assert "Erase answers with a code" in other.text
    other.post("/erase-code", {"code": "ZZZZZ-ZZZZZ"}, environ_base={"REMOTE_ADDR": ADDRESS_A})
    assert other.status == 400 and 'class="error-summary"' in other.page
    assert status_of(session_factory, rid) is ResponseStatus.IN_PROGRESS
    other.post("/erase-code", {"code": code.lower()}, environ_base={"REMOTE_ADDR": ADDRESS_A})
    assert other.status == 200 and 'class="panel panel-confirmation"' in other.page
    assert status_of(session_factory, rid) is ResponseStatus.ERASED
    assert clients[0] == clients[1] and clients[0] is not None and ADDRESS_A not in clients[0]
    # The code is gone with the answers.
    other.get("/erase-code")
    other.post("/erase-code", {"code": code}, environ_base={"REMOTE_ADDR": ADDRESS_B})
    assert other.status == 400
