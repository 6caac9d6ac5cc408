"""Pausing and resuming, erasing, and the quick exit, through the test client."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker
from web_support import Resident

from storage.answers import load_answers
from storage.records import ResponseStatus
from storage.responses import get_response


def paused_code(someone: Resident) -> str:
    someone.post("/survey/pause")
    assert someone.status == 200
    match = re.search(r'id="resume-code">([A-Z0-9-]+)<', someone.page)
    assert match is not None
    return match.group(1)


def test_a_code_resumes_on_another_device(resident: Callable[[str], Resident]) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    someone.answer({"age": "34", "consent": "yes"})
    code = paused_code(someone)
    assert "/r/" + code.replace("-", "") in someone.page
    # The same browser goes on by itself.
    assert 'name="page"' in someone.get("/survey").get_data(as_text=True)
    # Another device types the code, lower case and with spaces.
    other = resident("en")
    other.get("/resume")
    other.post("/resume", {"code": code.lower().replace("-", " ")})
    assert other.status == 200 and "Your neighbourhood" in other.text
    # The link fills the form in; nothing happens before it is sent.
    third = resident("en")
    third.get("/r/" + code.replace("-", ""))
    assert code.replace("-", "") in third.page and 'name="page"' not in third.page


def test_an_unknown_code_gets_the_form_again_with_an_error(
    resident: Callable[[str], Resident],
) -> None:
    someone = resident("fr")
    someone.get("/resume")
    someone.post("/resume", {"code": "ZZZZZ-ZZZZZ"})
    assert someone.status == 400
    assert 'class="error-summary"' in someone.page and 'href="#code"' in someone.page
    someone.post("/resume", {"code": "x" * 5000})
    assert someone.status == 400


def test_erasing_removes_every_answer(
    resident: Callable[[str], Resident], session_factory: sessionmaker[Session]
) -> None:
    someone = resident("fr")
    someone.start("perceived_safety")
    with someone.client.session_transaction() as session:
        rid = session["rid"]
    someone.answer({"age": "34", "consent": "yes"})
    someone.get("/survey/erase")
    someone.post("/survey/erase")
    assert someone.status == 200 and "effacées" in someone.text
    with session_factory() as session:
        assert load_answers(session, rid) == {}
        record = get_response(session, rid)
        assert record is not None and record.status is ResponseStatus.ERASED
    assert someone.client.get("/survey").status_code == 303


def test_the_quick_exit_clears_the_session_without_javascript(
    resident: Callable[[str], Resident],
) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    response = someone.client.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == "https://www.google.com/"
    assert "cookies" in response.headers["Clear-Site-Data"]
    assert response.headers["Cache-Control"] == "no-store"
    back = someone.client.get("/survey")
    assert back.status_code == 303 and back.headers["Location"].endswith("/")


def test_every_page_offers_the_quick_exit_first(resident: Callable[[str], Resident]) -> None:
    someone = resident("en")
    for url in ("/", "/resume", "/c/demo-x", "/nowhere"):
        page = someone.get(url).get_data(as_text=True)
        body = page[page.index("<body>") :]
        first_link = re.search(r"<a [^>]*href=\"([^\"]+)\"", body)
        assert first_link is not None and first_link.group(1) == "/exit"
