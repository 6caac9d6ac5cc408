"""Declared indicators on hand-computed answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from questionnaire.answers.indicators import (
    IndicatorError,
    as_number,
    evaluate_indicators,
    indicator_table,
)
from questionnaire.answers.run_context import RunContext
from questionnaire.definition.model import Indicator, SpecialCode, Survey
from questionnaire.definition.values import SKIPPED, Answers, Special, Value, YearMonth

DEFINITIONS = Path(__file__).resolve().parents[2] / "data" / "definitions" / "navigation"


def make_survey(name: str) -> Survey:
    """A small test questionnaire, validated with the model (no loader needed)."""
    return Survey.model_validate(yaml.safe_load((DEFINITIONS / name).read_text("utf-8")))


def make_ctx() -> RunContext:
    return RunContext(started_on=dt.date(2025, 6, 15))


def with_indicator(survey: Survey, numerator: str, denominator: str) -> Survey:
    """The survey with one extra indicator named ``extra``."""
    extra = Indicator(
        name="extra",
        label={"fr": "x", "en": "x"},
        unit="percent",
        numerator=numerator,
        denominator=denominator,
    )
    return survey.model_copy(update={"indicators": [*survey.indicators, extra]})


@pytest.mark.parametrize(
    ("answers", "unsafe", "thefts"),
    [
        ({"walk_alone_dark": "somewhat_unsafe", "has_vehicle": "no"}, (1.0, 1.0), (0.0, 1.0)),
        ({"walk_alone_dark": "very_safe", "has_vehicle": "yes"}, (0.0, 1.0), (0.0, 1.0)),
        (
            {
                "walk_alone_dark": "does_not_walk",
                "has_vehicle": "yes",
                "vehicle_theft": "yes",
                "vehicle_theft_times": 3,
            },
            (None, None),
            (3.0, 1.0),
        ),
        (
            {"walk_alone_dark": Special(SpecialCode.DONT_KNOW), "has_vehicle": SKIPPED},
            (None, None),
            (None, None),
        ),
        ({}, (None, None), (None, None)),
    ],
)
def test_basic_indicators(
    answers: Answers,
    unsafe: tuple[float | None, float | None],
    thefts: tuple[float | None, float | None],
) -> None:
    values = evaluate_indicators(make_survey("basic.yaml"), answers, make_ctx())
    assert values == {"unsafe_after_dark": unsafe, "vehicle_theft_incidence": thefts}


def incidents(*reported: Value) -> Answers:
    answers: Answers = {"incidents_count": len(reported)}
    for index, value in enumerate(reported, start=1):
        answers[f"incident[{index}].incident_month"] = YearMonth(2025, 1)
        answers[f"incident[{index}].reported"] = value
    return answers


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (incidents("yes", "no", SKIPPED), (1.0, 2.0)),
        (incidents("no", "no"), (0.0, 2.0)),
        (incidents("yes", "yes", "yes"), (3.0, 3.0)),
        (incidents(SKIPPED), (None, None)),
        (incidents(), (None, None)),
    ],
)
def test_reporting_rate_counts_incidents_through_a_calculation(
    answers: Answers, expected: tuple[float | None, float | None]
) -> None:
    values = evaluate_indicators(make_survey("repeats.yaml"), answers, make_ctx())
    assert values == {"reporting_rate": expected}


def test_a_null_numerator_inside_the_population_counts_as_zero() -> None:
    survey = with_indicator(make_survey("basic.yaml"), "vehicle_theft_times", "1")
    assert evaluate_indicators(survey, {}, make_ctx())["extra"] == (0.0, 1.0)


def test_a_zero_denominator_is_outside_whatever_the_numerator() -> None:
    survey = with_indicator(make_survey("basic.yaml"), "1", "0")
    assert evaluate_indicators(survey, {}, make_ctx())["extra"] == (None, None)


def test_a_text_result_is_an_error_with_a_code() -> None:
    survey = with_indicator(make_survey("basic.yaml"), "walk_alone_dark", "1")
    with pytest.raises(IndicatorError) as caught:
        evaluate_indicators(survey, {"walk_alone_dark": "very_safe"}, make_ctx())
    assert caught.value.code == "not_a_number"
    assert (caught.value.indicator, caught.value.part) == ("extra", "numerator")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, 1.0), (False, 0.0), (2, 2.0), (0.5, 0.5), (None, None), (float("nan"), None)],
)
def test_as_number(value: object, expected: float | None) -> None:
    assert as_number(value, indicator="x", part="numerator") == expected


def test_indicator_table_keeps_the_respondents_order() -> None:
    survey = make_survey("basic.yaml")
    ctx = make_ctx()
    respondents: list[tuple[Answers, RunContext]] = [
        ({"walk_alone_dark": "somewhat_unsafe"}, ctx),
        ({"walk_alone_dark": "does_not_walk", "has_vehicle": "yes"}, ctx),
        ({"walk_alone_dark": "very_safe", "has_vehicle": "yes", "vehicle_theft_times": 2}, ctx),
    ]
    table = indicator_table(survey, respondents)
    assert table["unsafe_after_dark"].numerator == [1.0, None, 0.0]
    assert table["unsafe_after_dark"].denominator == [1.0, None, 1.0]
    assert table["vehicle_theft_incidence"].numerator == [None, 0.0, 2.0]
    assert table["vehicle_theft_incidence"].denominator == [None, 1.0, 1.0]
    column = table["unsafe_after_dark"]
    pairs = list(zip(column.numerator, column.denominator, strict=True))
    one_by_one = [evaluate_indicators(survey, answers, ctx) for answers, ctx in respondents]
    assert pairs == [row["unsafe_after_dark"] for row in one_by_one]
