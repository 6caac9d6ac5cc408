"""A resident answers the shipped questionnaires through the test client, end to end."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session, sessionmaker
from web_support import Resident, text_of, walk_to_end

from storage.answers import load_answers


def response_of(resident: Resident) -> str:
    with resident.client.session_transaction() as session:
        rid = session["rid"]
    assert isinstance(rid, str)
    return rid


@pytest.mark.parametrize("language", ["fr", "en"])
def test_perceived_safety_is_answered_to_the_end(
    resident: Callable[[str], Resident],
    session_factory: sessionmaker[Session],
    language: str,
) -> None:
    someone = resident(language)
    someone.start("perceived_safety")
    assert someone.status == 200
    assert f'<html lang="{language}">' in someone.page
    rid = response_of(someone)
    pages = walk_to_end(someone)
    assert pages >= 3
    title = {"fr": "Merci!", "en": "Thank you!"}[language]
    assert title in someone.text
    assert ("CAVAC" in someone.text) and ("811" in someone.text)
    with session_factory() as session:
        answers = load_answers(session, rid)
    assert answers["age"] == 34 and answers["consent"] == "yes"


def test_victimisation_with_an_incident_loop(
    resident: Callable[[str], Resident], session_factory: sessionmaker[Session]
) -> None:
    someone = resident("en")
    someone.start("victimisation")
    rid = response_of(someone)
    overrides = {"bicycle_theft": "yes", "bicycle_theft_times": "2", "series": "no"}
    walk_to_end(someone, overrides, limit=120)
    assert "Thank you!" in someone.text
    with session_factory() as session:
        answers = load_answers(session, rid)
    assert answers["bicycle_theft"] == "yes"
    assert answers["bicycle_theft_times"] == 2
    assert any(path.startswith("incident[2].") for path in answers)
    assert not any(path.startswith("incident[3].") for path in answers)


def test_the_welcome_page_follows_the_browser_language(client) -> None:  # type: ignore[no-untyped-def]
    english = client.get("/", headers={"Accept-Language": "en-CA,en;q=0.9"})
    assert "Open surveys" in text_of(english.get_data(as_text=True))
    french = client.get("/?lang=fr", headers={"Accept-Language": "en"})
    page = french.get_data(as_text=True)
    assert "Sondages ouverts" in text_of(page)
    assert 'hreflang="en"' in page and 'lang="en"' in page
