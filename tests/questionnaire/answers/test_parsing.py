"""Free-text reading piece by piece: normalisation, numbers, dates, choices, errors."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from questionnaire.answers.choices import answer_options, choice_number_map
from questionnaire.answers.dates import month_number, parse_date, parse_year_month
from questionnaire.answers.errors import AnswerError, display_param, render_error
from questionnaire.answers.text import NUMBER_WORDS, normalise, parse_number
from questionnaire.definition.model import Choice, Question, QuestionType, SpecialCode
from questionnaire.definition.values import YearMonth

TODAY = dt.date(2026, 3, 20)


def make_question(kind: QuestionType, **more: object) -> Question:
    """A question of ``kind`` with a bilingual label and whatever ``more`` adds."""
    return Question.model_validate(
        {"name": "q", "type": kind, "label": {"fr": "Question", "en": "Question"}, **more}
    )


def make_choices(*pairs: tuple[str, str, str]) -> list[Choice]:
    return [Choice(code=code, label={"fr": fr, "en": en}) for code, fr, en in pairs]


# -- normalisation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Très en sécurité", "tres en securite"),
        ("  TRÈS   EN SÉCURITÉ !!", "tres en securite"),
        ("J’accepte", "j accepte"),
        ("Cœur", "coeur"),
        ("don't-know", "don t know"),
        ("Ça_va", "ca va"),
        ("", ""),
    ],
)
def test_normalise(typed: str, expected: str) -> None:
    assert normalise(typed) == expected


# -- numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("dix-sept", 17),
        ("vingt et un", 21),
        ("vingt-deux", 22),
        ("soixante et un", 61),
        ("soixante-dix", 70),
        ("soixante-douze", 72),
        ("soixante-dix-neuf", 79),
        ("quatre-vingt-un", 81),
        ("quatre-vingt-dix", 90),
        ("quatre-vingt-onze", 91),
        ("nonante-deux", 92),
        ("Zéro", 0),
        ("une", 1),
        ("thirteen", 13),
        ("forty", 40),
        ("forty-five", 45),
        ("Ninety Nine", 99),
        ("cent", 100),
        ("aucune", 0),
    ],
)
def test_number_words(words: str, value: int) -> None:
    assert parse_number(words, integer=True) == value


def test_number_words_cover_zero_to_ninety_nine_in_both_languages() -> None:
    french = {v for w, v in NUMBER_WORDS.items() if w.split()[0] in _FRENCH_HEADS}
    english = {v for w, v in NUMBER_WORDS.items() if w.split()[0] in _ENGLISH_HEADS}
    assert set(range(100)) <= french
    assert set(range(100)) <= english


_FRENCH_HEADS = set(
    [
        "zero",
        "un",
        "une",
        "deux",
        "trois",
        "quatre",
        "cinq",
        "six",
        "sept",
        "huit",
        "neuf",
        "dix",
        "onze",
        "douze",
        "treize",
        "quatorze",
        "quinze",
        "seize",
        "vingt",
        "trente",
        "quarante",
        "cinquante",
        "soixante",
    ]
)
_ENGLISH_HEADS = set(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
    ]
)


@pytest.mark.parametrize(
    ("typed", "integer", "language", "value"),
    [
        ("1 200", True, "fr", 1200),
        ("1\u202f200", True, "fr", 1200),
        ("−3", True, "fr", -3),
        ("007", True, "en", 7),
        ("3.000", False, "fr", 3.0),
        ("1,200.5", False, "en", 1200.5),
        ("1.200,5", False, "fr", 1200.5),
        ("1,200", False, "en", 1200.0),
        ("1,200", False, "fr", 1.2),
        ("5.", False, "en", 5.0),
        ("-0", False, "en", 0.0),
    ],
)
def test_numerals(typed: str, integer: bool, language: str, value: float) -> None:
    parsed = parse_number(typed, integer=integer, language=language)
    assert parsed == value
    assert isinstance(parsed, int if integer else float)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("1,2,3", "not_a_number"),
        ("1 20", "not_a_number"),
        ("3 . 5", "not_a_number"),
        ("++3", "not_a_number"),
        ("9" * 16, "number_too_large"),
        ("9" * 5000, "number_too_large"),
        ("3.5", "not_an_integer"),
    ],
)
def test_numerals_refused(typed: str, code: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_number(typed, integer=True)
    assert caught.value.code == code


# -- dates and months ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2025-3-5", dt.date(2025, 3, 5)),
        ("05.03.2025", dt.date(2025, 3, 5)),
        ("premier mai 2025", dt.date(2025, 5, 1)),
        ("the 4th of July 2025", dt.date(2025, 7, 4)),
        ("Sept 30 2025", dt.date(2025, 9, 30)),
        ("30 sept. 2025", dt.date(2025, 9, 30)),
        ("Aujourd’hui", TODAY),
        ("hier", dt.date(2026, 3, 19)),
    ],
)
def test_dates(typed: str, day: dt.date) -> None:
    assert parse_date(typed, TODAY) == day


@pytest.mark.parametrize("typed", ["29/02/2025", "0000-01-01", "32 mars 2025", "mars 2025", "12"])
def test_dates_refused(typed: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_date(typed, TODAY)
    assert caught.value.code == "invalid_date"


def test_leap_day_exists_in_leap_years() -> None:
    assert parse_date("29/02/2024", TODAY) == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("typed", "month"),
    [
        ("2025/11", YearMonth(2025, 11)),
        ("avr 2025", YearMonth(2025, 4)),
        ("August 2025", YearMonth(2025, 8)),
        ("juil. 2025", YearMonth(2025, 7)),
        ("en mai 2025", YearMonth(2025, 5)),
        ("aujourd'hui", YearMonth(2026, 3)),
    ],
)
def test_year_months(typed: str, month: YearMonth) -> None:
    assert parse_year_month(typed, TODAY) == month


def test_month_prefixes_must_be_unique() -> None:
    assert month_number("sept") == 9
    assert month_number("nove") == 11
    assert month_number("jui") is None  # juin or juillet
    assert month_number("ja") is None


# -- choices -----------------------------------------------------------------------


def test_choice_number_map_lists_choices_then_specials() -> None:
    question = make_question(
        QuestionType.SINGLE_CHOICE,
        choices=make_choices(("higher", "Plus élevé", "Higher"), ("lower", "Moins élevé", "Lower")),
        special=[SpecialCode.DONT_KNOW, SpecialCode.PREFER_NOT],
    )
    assert choice_number_map(question, "fr") == [
        (1, "higher", "Plus élevé"),
        (2, "lower", "Moins élevé"),
        (3, "dont_know", "Je ne sais pas"),
        (4, "prefer_not", "Je préfère ne pas répondre"),
    ]
    assert [type(code) for _, code, _ in choice_number_map(question, "en")] == [str] * 4


def test_yes_no_and_consent_are_numbered_yes_then_no() -> None:
    yes_no = make_question(QuestionType.YES_NO, special=[SpecialCode.DONT_KNOW])
    assert choice_number_map(yes_no, "en") == [
        (1, "yes", "Yes"),
        (2, "no", "No"),
        (3, "dont_know", "Don't know"),
    ]
    consent = make_question(QuestionType.CONSENT)
    assert choice_number_map(consent, "fr") == [(1, "yes", "J'accepte"), (2, "no", "Je refuse")]


def test_other_types_number_only_their_specials() -> None:
    question = make_question(QuestionType.INTEGER, special=[SpecialCode.PREFER_NOT])
    assert choice_number_map(question, "en") == [(1, "prefer_not", "Prefer not to answer")]
    assert choice_number_map(make_question(QuestionType.TEXT), "fr") == []


def test_specials_are_exclusive_options() -> None:
    question = make_question(
        QuestionType.MULTIPLE_CHOICE,
        choices=make_choices(("a", "Un", "One")),
        special=[SpecialCode.DONT_KNOW],
    )
    assert [(o.special, o.exclusive) for o in answer_options(question)] == [
        (False, False),
        (True, True),
    ]


# -- errors --------------------------------------------------------------------------


def test_answer_error_is_read_only_and_survives_pickling() -> None:
    error = AnswerError("below_min", {"min": 1}, soft=True)
    with pytest.raises(AttributeError):
        error.code = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        error.params["min"] = 2  # type: ignore[index]
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, dict(copy.params), copy.soft) == ("below_min", {"min": 1}, True)


def test_render_error_formats_bounds_for_the_language() -> None:
    error = AnswerError("below_min", {"min": 2.5})
    assert render_error(error, "fr") == "Entrez un nombre supérieur ou égal à 2,5."
    assert render_error(error, "en") == "Enter a number greater than or equal to 2.5."
    late = AnswerError("date_too_late", {"max": dt.date(2026, 3, 1)})
    assert render_error(late, "fr") == "Cette date est trop récente : au plus tard 1er mars 2026."
    assert render_error(late, "en") == "This date is too late: March 1, 2026 at the latest."
    month = AnswerError("date_too_early", {"min": YearMonth(2025, 3)})
    assert render_error(month, "en") == "This date is too early: March 2025 at the earliest."


def test_render_error_soft_required_and_constraint_messages() -> None:
    soft = render_error(AnswerError("required", soft=True), "fr")
    assert soft != render_error(AnswerError("required"), "fr")
    assert "passez-la" in soft
    constraint = AnswerError("constraint", {"message": {"fr": "Trop élevé.", "en": "Too high."}})
    assert render_error(constraint, "en") == "Too high."
    assert render_error(constraint, "fr") == "Trop élevé."


def test_display_param_lists_numbered_choices_and_quoted_matches() -> None:
    choices = [{"number": 1, "code": "a", "label": {"fr": "Un", "en": "One"}}]
    assert display_param("choices", choices, "en") == "1. One"
    matches = [{"fr": "Très", "en": "Very"}, {"fr": "Trop", "en": "Too"}]
    assert display_param("matches", matches, "fr") == "« Très », « Trop »"
    assert display_param("matches", matches, "en") == '"Very", "Too"'
