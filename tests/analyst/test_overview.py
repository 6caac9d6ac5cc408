"""The overview page: counts by day, channel, campaign, municipality, status and language,
break-off in the questionnaire's words, median completion time, and its two charts.

Partners never reach it (their home shows their own campaigns' counts).
"""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from workspace_support import DEFS, add_responses, sign_in

from services import Services


def _stopped_responses(url: str) -> None:
    """Two responses abandoned at walk_alone_dark, one waiting at age (Telegram, English)."""
    from questionnaire.loader import load_survey
    from storage.engine import make_engine, make_session_factory
    from storage.responses import create_response, update_response_state
    from storage.surveys import register_survey_version

    engine = make_engine(url)
    try:
        with make_session_factory(engine).begin() as session:
            version = register_survey_version(session, load_survey(DEFS / "victimisation.yaml"))
            for status, path in (
                ("abandoned", "walk_alone_dark"),
                ("abandoned", "walk_alone_dark"),
                ("in_progress", "age"),
            ):
                made = create_response(
                    session, version_id=version.id, channel="telegram", language="en"
                )
                update_response_state(
                    session, made.id, expected_row_version=1, current_path=path, status=status
                )
    finally:
        engine.dispose()


@pytest.fixture
def collected(services: Services) -> Services:
    url = services.settings.database_url
    assert url is not None
    add_responses(url, 30)  # 10 on Telegram, 20 on the web, all completed
    _stopped_responses(url)
    return services


def _cells(page: str, table_id: str) -> list[list[str]]:
    """The text of each row of the table ``table_id``, cell by cell."""
    body = re.search(rf'<table class="table" id="{table_id}">(.*?)</table>', page, re.S)
    assert body is not None, table_id
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)
        ]
        for r in rows
    ]


def test_the_overview_counts_every_way_and_tells_break_off_in_the_questionnaires_words(
    client: FlaskClient, collected: Services
) -> None:
    sign_in(client, "ana@vigie.test")
    answer = client.get("/analyst/overview?survey=victimisation&lang=en")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    found = re.search(r'id="summary">(.*?)</dl>', page, re.S)
    assert found is not None
    summary = re.sub(r"<[^>]+>", " ", found.group(1))
    assert " 33 " in summary and "30 (91 %)" in summary
    channels = _cells(page, "channels")
    assert channels == [
        ["", "Web form", "Telegram bot"],
        ["Responses started", "20", "13"],
        ["Completed", "20", "10"],
        ["Completion rate", "100 %", "77 %"],
    ]
    statuses = {row[0]: row[1:] for row in _cells(page, "by-status")[1:]}
    assert statuses == {
        "completed": ["30", "30"],
        "abandoned": ["2", "0"],
        "in progress": ["1", "0"],
    }
    municipalities = {row[0]: row[1] for row in _cells(page, "by-municipality")[1:]}
    assert municipalities["2466023"] == "10" and municipalities["none given"] == "3"
    languages = {row[0]: row[1] for row in _cells(page, "by-language")[1:]}
    assert languages == {"fr": "30", "en": "3"}
    # Break-off, in the questionnaire's words
    rows = {row[0]: row[1:] for row in _cells(page, "progress")[1:]}
    walk = "When you walk alone in your neighbourhood after dark, do you feel… (walk_alone_dark)"
    # answered, share of the 33 started, waiting here, abandoned here
    assert rows[walk] == ["30", "91 %", "0", "2"]
    age_rows = [values for label, values in rows.items() if label.endswith("(age)")]
    assert age_rows == [["30", "91 %", "1", "0"]]
    french = client.get("/analyst/overview?survey=victimisation&lang=fr").get_data(as_text=True)
    assert "Quand vous marchez seul ou seule dans votre quartier" in french


def test_the_charts_are_svg_an_empty_collection_says_so_and_partners_stay_out(
    client: FlaskClient, collected: Services
) -> None:
    anonymous = client.application.test_client()
    sign_in(client, "ana@vigie.test")
    page = client.get("/analyst/overview?survey=victimisation&lang=en").get_data(as_text=True)
    sources = re.findall(r'<img src="([^"]+\.svg)"', page)
    assert sources == [
        "/analyst/overview/victimisation/days.svg",
        "/analyst/overview/victimisation/breakoff.svg",
    ]
    days = client.get(sources[0])
    assert days.status_code == 200 and days.mimetype == "image/svg+xml"
    assert b"<svg" in days.data and b"Responses started" in days.data
    breakoff = client.get(sources[1]).get_data(as_text=True)
    # the one question where people stopped, in its words (shortened to fit the chart)
    assert "When you walk alone in your neighbourhood after" in breakoff
    assert client.get(sources[1]).data == client.get(sources[1]).data  # the same bytes each time
    assert client.get("/analyst/overview/nonexistent/days.svg").status_code == 404
    # A questionnaire without responses yet: no chart, a sentence
    answer = client.get("/analyst/overview?survey=perceived_safety&lang=en")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "No response yet" in page and "no completed response yet" in page
    assert "<img" not in page
    # Visitors are sent to the sign-in page; partners are refused.
    paths = (
        "/analyst/overview",
        "/analyst/overview/victimisation/days.svg",
        "/analyst/overview/victimisation/breakoff.svg",
    )
    for path in paths:
        assert anonymous.get(path).status_code == 303  # to the sign-in page
    partner = client.application.test_client()
    sign_in(partner, "partner@locataires.test")
    for path in paths:
        assert partner.get(path).status_code == 403
    home = partner.get("/analyst/").get_data(as_text=True)
    assert "/analyst/overview" not in home and "locataires-2026" in home
