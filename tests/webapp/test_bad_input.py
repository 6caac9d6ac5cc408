"""The issue's bad input, one by one: a page again with an error, or a 4xx page; never a 500."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker
from web_support import Resident

from storage.answers import load_answers


def started(resident: Callable[[str], Resident]) -> tuple[Resident, str]:
    someone = resident("en")
    someone.start("perceived_safety")
    with someone.client.session_transaction() as session:
        rid = session["rid"]
    return someone, rid


def stored(session_factory: sessionmaker[Session], rid: str) -> dict[str, object]:
    with session_factory() as session:
        return dict(load_answers(session, rid))


def test_an_unknown_choice_code_is_an_error_on_the_page(
    resident: Callable[[str], Resident], session_factory: sessionmaker[Session]
) -> None:
    someone, rid = started(resident)
    someone.answer({"age": "34", "consent": "maybe"})
    assert someone.status == 200
    assert 'data-code="not_consent"' in someone.page
    assert stored(session_factory, rid) == {"age": 34}


def test_a_value_for_a_question_that_does_not_apply_is_not_stored(
    resident: Callable[[str], Resident], session_factory: sessionmaker[Session]
) -> None:
    someone, rid = started(resident)
    someone.answer({"age": "34", "consent": "yes", "walk_alone_dark": "very_safe", "nope": "1"})
    answers = stored(session_factory, rid)
    assert "walk_alone_dark" not in answers and "nope" not in answers


def test_a_later_page_posted_early_comes_back_as_the_current_page(
    resident: Callable[[str], Resident], session_factory: sessionmaker[Session]
) -> None:
    someone, rid = started(resident)
    someone.post("/survey", {"page": "gender", "gender": "woman"})
    assert someone.status == 400
    assert 'name="page" value="age"' in someone.page
    assert 'class="error-summary"' in someone.page
    assert stored(session_factory, rid) == {}


def test_wrong_types_are_errors_next_to_their_fields(resident: Callable[[str], Resident]) -> None:
    someone, _ = started(resident)
    someone.answer({"age": ["34", "35"], "consent": ["yes", "no"]})
    assert someone.status == 200
    assert 'data-code="too_many_choices"' in someone.page


def test_an_oversized_post_is_refused_with_a_page(
    resident: Callable[[str], Resident], session_factory: sessionmaker[Session]
) -> None:
    someone, rid = started(resident)
    response = someone.client.post(
        "/survey", data={"csrf_token": someone.token(), "page": "age", "age": "x" * 400_000}
    )
    assert response.status_code == 413
    assert "Answer too long" in response.get_data(as_text=True)
    assert stored(session_factory, rid) == {}


def test_a_post_without_a_session_goes_back_to_the_welcome_page(
    resident: Callable[[str], Resident],
) -> None:
    someone = resident("en")
    someone.get("/")
    response = someone.client.post("/survey", data={"csrf_token": someone.token(), "age": "3"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/")


def test_unknown_addresses_and_methods_get_pages(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/nowhere").status_code == 404
    assert client.put("/survey").status_code == 405
    assert client.get("/s/perceived_safety").status_code == 405
    assert client.post("/c/" + "x" * 300, data={}).status_code in (400, 404)
    for response in (client.get("/nowhere"), client.put("/survey")):
        assert "Vigie" in response.get_data(as_text=True)
