"""Prompts in one language: piping, numbered choices, bounds, titles; values formatted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from questionnaire.answers.formatting import (
    format_date,
    format_number,
    format_value,
    format_year_month,
)
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Question, QuestionType, SpecialCode, Survey
from questionnaire.definition.slots import Slot
from questionnaire.definition.values import SKIPPED, Answers, Special, Value, YearMonth, answer_path
from questionnaire.navigation.prompts import PromptChoice, pipe, render_prompt


def text(fr: str, en: str) -> dict[str, str]:
    return {"fr": fr, "en": en}


def make_survey(**incident_repeat: Any) -> Survey:
    """A small questionnaire: perceptions, a screener, one repeat, a sensitive section."""
    walk: dict[str, Any] = {
        "name": "walk_alone_dark",
        "type": "single_choice",
        "label": text("Le soir, seul·e, vous sentez-vous…", "Walking alone after dark, you feel…"),
        "special": ["dont_know"],
        "choices": [
            {"code": "very_safe", "label": text("Très en sécurité", "Very safe")},
            {"code": "very_unsafe", "label": text("Très en insécurité", "Very unsafe")},
        ],
    }
    follow_up: dict[str, Any] = {
        "name": "walk_more",
        "type": "yes_no",
        "label": text(
            "Vous avez répondu « {walk_alone_dark} ». Depuis le {reference_date} {{sic}} {nope}",
            "You answered “{walk_alone_dark}”. Since {reference_date} {{sic}} {nope}",
        ),
        "required": "soft",
    }
    rating: dict[str, Any] = {
        "name": "police_rating",
        "type": "rating",
        "label": text("Note", "Rating"),
        "min_label": text("Mauvais", "Poor"),
        "max_label": text("Excellent", "Excellent"),
    }
    times: dict[str, Any] = {
        "name": "break_in_times",
        "type": "integer",
        "label": text("Combien de fois ?", "How many times?"),
        "min": 1,
        "max": 99,
        "hint": text("Depuis le {reference_date}.", "Since {reference_date}."),
    }
    month: dict[str, Any] = {
        "name": "month",
        "type": "year_month",
        "label": text("Mois de l'incident {index}", "Month of incident {index}"),
        "min": "reference_date",
        "max": "today",
    }
    day: dict[str, Any] = {
        "name": "day",
        "type": "date",
        "label": text("Date", "Date"),
        "max": "today",
    }
    partner: dict[str, Any] = {
        "name": "partner",
        "type": "multiple_choice",
        "label": text("P", "P"),
    }
    partner["choices"] = [
        {"code": "a", "label": text("A", "A")},
        {"code": "none", "label": text("Aucun", "None"), "exclusive": True},
    ]
    repeat = {"name": "incident", "count": "min(break_in_times, 5)", "max": 5, **incident_repeat}
    data: dict[str, Any] = {
        "id": "prompts",
        "version": "1",
        "languages": ["fr", "en"],
        "title": text("Sécurité", "Safety"),
        "reference_period_months": 12,
        "sections": [
            {"name": "perceptions", "title": text("Perceptions", "Perceptions")},
            {"name": "screener", "title": text("Incidents", "Incidents")},
            {"name": "report", "title": text("Incident", "Incident"), "repeat": repeat},
            {"name": "private", "title": text("Privé", "Private"), "sensitive": True},
        ],
    }
    questions = [[walk, follow_up, rating], [times, day], [month], [partner]]
    for section, members in zip(data["sections"], questions, strict=True):
        section["questions"] = members
    return Survey.model_validate(data)


def make_scope(survey: Survey, answers: Answers | None = None) -> AnswerScope:
    ctx = RunContext(started_on=dt.date(2026, 3, 12), today=dt.date(2026, 3, 20))
    return AnswerScope(survey, answers or {}, ctx)


def make_slot(survey: Survey, name: str, index: int | None = None) -> Slot:
    section = survey.section_of(name)
    repeat = section.repeat.name if section.repeat else None
    path = answer_path(name, repeat, index)
    return Slot(path, survey.question(name), section, repeat, index)


def test_choices_are_numbered_with_specials_last() -> None:
    survey = make_survey()
    prompt = render_prompt(make_slot(survey, "walk_alone_dark"), make_scope(survey), "fr")
    assert prompt.choices == [
        PromptChoice(1, "very_safe", "Très en sécurité", False, False),
        PromptChoice(2, "very_unsafe", "Très en insécurité", False, False),
        PromptChoice(3, "dont_know", "Je ne sais pas", True, True),
    ]
    assert prompt.type == QuestionType.SINGLE_CHOICE
    assert prompt.section_title == "Perceptions"
    assert prompt.instance_title is None and prompt.sensitive is False


def test_labels_pipe_answers_dates_and_braces() -> None:
    survey = make_survey()
    scope = make_scope(survey, {"walk_alone_dark": "very_unsafe"})
    slot = make_slot(survey, "walk_more")
    french = render_prompt(slot, scope, "fr", current="yes")
    assert french.label == (
        "Vous avez répondu « Très en insécurité ». Depuis le 12 mars 2025 {sic} {nope}"
    )
    english = render_prompt(slot, scope, "en")
    assert english.label == "You answered “Very unsafe”. Since March 12, 2025 {sic} {nope}"
    assert [c.label for c in english.choices] == ["Yes", "No"]
    assert french.current == "yes" and english.current is None
    assert french.required == "soft"


def test_piping_specials_and_unanswered_questions() -> None:
    survey = make_survey()
    label = "« {walk_alone_dark} »"
    answered = make_scope(survey, {"walk_alone_dark": Special(SpecialCode.DONT_KNOW)})
    assert pipe(label, answered, "en", survey) == "« Don't know »"
    assert pipe(label, make_scope(survey), "fr", survey) == "«  »"
    assert pipe(label, make_scope(survey, {"walk_alone_dark": SKIPPED}), "fr", survey) == "«  »"


def test_bounds_hints_and_scale_labels() -> None:
    survey = make_survey()
    scope = make_scope(survey)
    times = render_prompt(make_slot(survey, "break_in_times"), scope, "fr")
    assert (times.min, times.max) == (1, 99)
    assert times.hint == "Depuis le 12 mars 2025."
    day = render_prompt(make_slot(survey, "day"), scope, "en")
    assert (day.min, day.max) == (None, dt.date(2026, 3, 20))
    assert day.hint is not None and "day/month/year" in day.hint
    rating = render_prompt(make_slot(survey, "police_rating"), scope, "en")
    assert (rating.min, rating.max, rating.min_label, rating.max_label) == (
        1,
        5,
        "Poor",
        "Excellent",
    )
    walk = render_prompt(make_slot(survey, "walk_alone_dark"), scope, "fr")
    assert (walk.min, walk.max, walk.hint) == (None, None, None)


def test_repeat_instances_have_default_titles_and_month_bounds() -> None:
    survey = make_survey()
    scope = make_scope(survey, {"break_in_times": 3})
    slot = make_slot(survey, "month", 2)
    prompt = render_prompt(slot, scope.in_instance("incident", 2), "fr")
    assert prompt.path == "incident[2].month"
    assert prompt.instance_title == "Incident (2 sur 3)"
    assert prompt.label == "Mois de l'incident 2"
    assert (prompt.min, prompt.max) == (YearMonth(2025, 3), YearMonth(2026, 3))
    english = render_prompt(slot, scope.in_instance("incident", 2), "en")
    assert english.instance_title == "Incident (2 of 3)"


def test_repeat_instances_use_the_authored_title() -> None:
    survey = make_survey(
        title=text("Incident n° {index} sur {count}", "Incident {index} of {count}")
    )
    scope = make_scope(survey, {"break_in_times": 12})
    prompt = render_prompt(make_slot(survey, "month", 4), scope.in_instance("incident", 4), "fr")
    assert prompt.instance_title == "Incident n° 4 sur 5"


def test_sensitive_sections_make_sensitive_prompts() -> None:
    survey = make_survey()
    prompt = render_prompt(make_slot(survey, "partner"), make_scope(survey), "en")
    assert prompt.sensitive is True
    assert [(c.code, c.exclusive) for c in prompt.choices] == [("a", False), ("none", True)]


# -- formatting --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (dt.date(2025, 3, 12), "fr", "12 mars 2025"),
        (dt.date(2025, 3, 1), "fr", "1er mars 2025"),
        (dt.date(2025, 3, 12), "en", "March 12, 2025"),
        (YearMonth(2025, 2), "fr", "février 2025"),
        (YearMonth(2025, 2), "en", "February 2025"),
        (3.5, "fr", "3,5"),
        (3.5, "en", "3.5"),
        (3.0, "fr", "3"),
        (1234567, "fr", "1\u00a0234\u00a0567"),
        (-1234.25, "en", "-1,234.25"),
        (Special(SpecialCode.DONT_KNOW), "fr", "Je ne sais pas"),
        (Special(SpecialCode.PREFER_NOT), "en", "Prefer not to answer"),
        (SKIPPED, "en", "(no answer)"),
        ("texte libre", "fr", "texte libre"),
    ],
)
def test_format_value_without_a_question(value: Value, language: str, expected: str) -> None:
    assert format_value(value, None, language) == expected


def test_format_value_uses_the_question_s_labels() -> None:
    survey = make_survey()
    walk = survey.question("walk_alone_dark")
    assert format_value("very_safe", walk, "fr") == "Très en sécurité"
    partner = survey.question("partner")
    assert format_value(("a", "none"), partner, "en") == "A, None"
    yes_no = survey.question("walk_more")
    assert format_value("no", yes_no, "fr") == "Non"
    consent = Question(name="c", type=QuestionType.CONSENT, label=text("C", "C"))
    assert format_value("yes", consent, "en") == "I agree"


def test_format_helpers_match_what_the_parser_reads() -> None:
    assert format_date(dt.date(2026, 12, 25), "en") == "December 25, 2026"
    assert format_year_month(YearMonth(2026, 8), "fr") == "août 2026"
    assert format_number(0.1, "fr") == "0,1"
    assert format_number(1e-5, "en") == "0.00001"
