"""The dashboard's reads: responses by day, channel, campaign, municipality, status, language;
progress and break-off question by question; the median time to complete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from observatory import Dimension, QuestionProgress, ResponseCount
from services import Services


@pytest.fixture
def fieldwork(services: Services, respond: Callable[..., str], clock: Any) -> Services:
    """Two days of fieldwork on town_safety.

    Day 1 (12 March): two respondents through the Plateau campaign (municipality
    preset, 3 questions, 6 minutes), one on the web in English (4 questions,
    8 minutes). Day 2: one on Telegram who completes (4 questions, 20 minutes),
    one who stops at walk_alone_dark, one who stops at age_group and is later
    abandoned, one who erases their answers.
    """
    services.observatory.create_campaign(
        "town_safety", "Plateau", municipality="2466023", code="plateau"
    )
    respond(campaign="plateau")
    respond(campaign="plateau")
    respond({**_answers("2423027"), "age_group": "a45_plus"}, language="en")
    clock.advance(days=1)
    respond(_answers("2423027"), channel="telegram", minutes=5)
    respond({"municipality": "2423027", "age_group": "a15_44"})
    respond({"municipality": "2466023"})
    erased = respond({"municipality": "2466023"})
    services.intake.erase(erased)
    clock.advance(days=40)
    assert services.observatory.apply_retention().count == 2
    return services


def _answers(municipality: str) -> dict[str, str]:
    return {
        "municipality": municipality,
        "age_group": "a15_44",
        "walk_alone_dark": "very_unsafe",
        "comment": "Mal éclairé.",
    }


def _counts(services: Services, dimension: Dimension) -> list[tuple[str | None, int, int]]:
    rows = services.observatory.responses_by("town_safety", dimension)
    assert all(isinstance(row, ResponseCount) for row in rows)
    return [(row.key, row.responses, row.completed) for row in rows]


def test_responses_are_counted_by_each_dimension(fieldwork: Services) -> None:
    assert _counts(fieldwork, Dimension.DAY) == [("2026-03-12", 3, 3), ("2026-03-13", 3, 1)]
    assert _counts(fieldwork, Dimension.CHANNEL) == [("web", 5, 3), ("telegram", 1, 1)]
    assert _counts(fieldwork, Dimension.CAMPAIGN) == [(None, 4, 2), ("plateau", 2, 2)]
    assert _counts(fieldwork, Dimension.MUNICIPALITY) == [
        ("2423027", 3, 2),
        ("2466023", 3, 2),
    ]
    assert _counts(fieldwork, Dimension.LANGUAGE) == [("fr", 5, 3), ("en", 1, 1)]
    # Erased responses are counted by status only: they no longer hold anything else.
    assert _counts(fieldwork, Dimension.STATUS) == [
        ("completed", 4, 4),
        ("abandoned", 2, 0),
        ("erased", 1, 0),
    ]
    assert fieldwork.observatory.responses_by("town_safety", "channel")[0].key == "web"


def test_progress_and_break_off_question_by_question(fieldwork: Services) -> None:
    progress = fieldwork.observatory.question_progress("town_safety")
    assert [row.question for row in progress] == [
        "municipality",
        "age_group",
        "walk_alone_dark",
        "comment",
    ]
    by_name = {row.question: row for row in progress}
    assert by_name["municipality"] == QuestionProgress("municipality", 6, 1.0, 0, 0)
    assert by_name["age_group"] == QuestionProgress("age_group", 5, 5 / 6, 0, 1)
    assert by_name["walk_alone_dark"] == QuestionProgress("walk_alone_dark", 4, 4 / 6, 0, 1)
    assert by_name["comment"] == QuestionProgress("comment", 4, 4 / 6, 0, 0)


def test_respondents_on_a_question_now_are_waiting_there(
    services: Services, respond: Callable[..., str]
) -> None:
    respond({"municipality": "2466023"})
    [age_group] = [
        row
        for row in services.observatory.question_progress("town_safety")
        if row.question == "age_group"
    ]
    assert (age_group.waiting_here, age_group.abandoned_here) == (1, 0)


def test_the_median_completion_time(fieldwork: Services) -> None:
    # Completed in 6, 6, 8 and 20 minutes.
    assert fieldwork.observatory.median_completion_time("town_safety") == dt.timedelta(minutes=7)


def test_a_questionnaire_without_responses_reads_empty(services: Services) -> None:
    assert services.observatory.responses_by("town_safety", Dimension.DAY) == []
    assert services.observatory.median_completion_time("town_safety") is None
    progress = services.observatory.question_progress("town_safety")
    assert [row.answered_share for row in progress] == [0.0] * 4
    assert services.observatory.question_progress("never_registered") == []
