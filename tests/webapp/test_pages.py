"""Question pages: errors and warnings, back, language, campaigns, stale forms."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker
from web_support import Resident

from storage.answers import load_answers


def rid_of(someone: Resident) -> str:
    with someone.client.session_transaction() as session:
        value = session["rid"]
    assert isinstance(value, str)
    return value


def test_errors_are_summarised_and_tied_to_their_fields(
    resident: Callable[[str], Resident],
) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    someone.answer({"age": "abc"})
    assert someone.status == 200
    page = someone.page
    assert page.index('class="error-summary"') < page.index("<h1")
    assert "<title>Error: " in page
    assert 'href="#f-age"' in page and 'href="#f-consent"' in page
    assert 'id="f-age-error"' in page and 'aria-describedby="f-age-hint f-age-error"' in page
    assert 'value="abc"' in page  # what was typed comes back


def test_a_soft_warning_is_confirmed_by_sending_the_page_again(
    resident: Callable[[str], Resident], session_factory: sessionmaker[Session]
) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    someone.answer({"age": "34", "consent": "yes"})
    rid = rid_of(someone)
    # Leaving the soft-required perception questions unanswered warns once.
    someone.answer({})
    assert "Please check your answers" in someone.text
    assert someone.confirmations()
    before = someone.page_path()
    someone.answer({})
    assert someone.page_path() != before or "Please check" not in someone.text
    with session_factory() as session:
        assert "age" in load_answers(session, rid)


def test_back_goes_to_the_previous_page_once(resident: Callable[[str], Resident]) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    someone.answer({"age": "34", "consent": "yes"})
    second = someone.page_path()
    form = someone.page
    someone.post("/survey/back", {"page": second})
    assert someone.page_path() == "age" and 'value="34"' in someone.page
    # A second click from the stale page does not step back again.
    someone.page = form
    someone.post("/survey/back", {"page": second})
    assert someone.page_path() == "age"


def test_the_language_switches_without_losing_answers(
    resident: Callable[[str], Resident],
) -> None:
    someone = resident("fr")
    someone.start("perceived_safety")
    someone.answer({"age": "34", "consent": "yes"})
    assert "Votre quartier" in someone.text
    someone.get("/survey?lang=en")
    assert "Your neighbourhood" in someone.text and '<html lang="en">' in someone.page
    someone.post("/survey/back", {"page": someone.page_path()})
    assert 'value="34"' in someone.page and "How old are you?" in someone.text


def test_a_campaign_link_starts_its_questionnaire(
    resident: Callable[[str], Resident], service
) -> None:  # type: ignore[no-untyped-def]
    someone = resident("en")
    someone.get("/c/unknown-code")
    assert someone.status == 200
    someone.post("/c/unknown-code", {"request_key": "1" * 32})
    assert someone.status == 404 and "does not lead to a survey" in someone.text
    assert "Traceback" not in someone.page


def test_a_stale_form_comes_back_with_what_was_typed(
    resident: Callable[[str], Resident], session_factory: sessionmaker[Session]
) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    rid = rid_of(someone)
    response = someone.client.post(
        "/survey",
        data={"csrf_token": "expired-token", "page": "age", "age": "41", "consent": "yes"},
        headers=someone.headers,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "open for a long time" in page
    assert 'value="41"' in page and 'value="yes" checked' in page
    with session_factory() as session:
        assert load_answers(session, rid) == {}
    # Sent again with the fresh token, the answers are saved.
    someone.page = page
    someone.answer({"age": "41", "consent": "yes"})
    with session_factory() as session:
        assert load_answers(session, rid)["age"] == 41


def test_a_double_submitted_page_is_harmless(
    resident: Callable[[str], Resident], session_factory: sessionmaker[Session]
) -> None:
    someone = resident("en")
    someone.start("perceived_safety")
    rid = rid_of(someone)
    form = someone.page
    someone.answer({"age": "34", "consent": "yes"})
    after_first = someone.page_path()
    someone.page = form
    someone.answer({"age": "34", "consent": "yes"})
    assert someone.status < 500 and someone.page_path() == after_first
    with session_factory() as session:
        assert load_answers(session, rid) == {"age": 34, "consent": "yes"}
