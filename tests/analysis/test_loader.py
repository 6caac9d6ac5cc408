# ruff: noqa: F811 - test arguments named after the fixtures imported from db_fixtures
"""The analysis loader on a small database holding the shipped victimisation questionnaire."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from db_fixtures import database_url, engine, session_factory  # noqa: F401
from sqlalchemy.orm import Session, sessionmaker

from analysis.loader import (
    choose_edition,
    denominator_column,
    load_benchmark_frame,
    load_respondents,
    numerator_column,
    reached_column,
)
from analysis.pipeline.messages import PipelineError
from demo import DEMO_BENCHMARKS_CSV
from questionnaire.definition.model import Survey
from questionnaire.definition.values import SKIPPED, Special, SpecialCode, Value
from questionnaire.loader import load_survey
from storage.answers import record_answer
from storage.benchmark_csv import read_benchmark_csv
from storage.benchmarks import load_benchmarks
from storage.responses import create_response, update_response_state
from storage.surveys import register_survey_version

Respond = Callable[..., str]


@pytest.fixture
def victimisation(survey_defs: Path) -> Survey:
    return load_survey(survey_defs / "victimisation.yaml")


@pytest.fixture
def respond(session_factory: sessionmaker[Session]) -> Respond:
    """Factory: ``respond(survey, answers, channel=..., status=...)`` stores one response."""

    def make(
        survey: Survey,
        answers: dict[str, Value],
        *,
        channel: str = "web",
        status: str = "completed",
    ) -> str:
        with session_factory.begin() as session:
            version = register_survey_version(session, survey)
            response = create_response(
                session, version_id=version.id, channel=channel, language="fr"
            )
            for path, value in answers.items():
                record_answer(session, response.id, path, value)
            if status != "in_progress":
                update_response_state(session, response.id, expected_row_version=1, status=status)
        return response.id

    return make


BASE: dict[str, Value] = {
    "age": 30,
    "gender": "woman",
    "municipality": "2466023",
    "household_size": "p2",
    "language_spoken": "french",
    "walk_alone_dark": "very_unsafe",
}


def test_one_row_per_respondent_with_weighting_codes_and_indicators(
    victimisation: Survey, respond: Respond, session_factory: sessionmaker[Session]
) -> None:
    first = respond(victimisation, BASE)
    second = respond(
        victimisation,
        {
            **BASE,
            "age": 70,
            "gender": Special(SpecialCode.PREFER_NOT),
            "household_size": SKIPPED,
            "walk_alone_dark": "does_not_walk",
        },
        channel="telegram",
    )
    with session_factory() as session:
        survey, frame = load_respondents(session, "victimisation")
    assert survey.id == "victimisation"
    frame = frame.set_index("response_id")
    assert list(frame.loc[[first, second], "age_group"]) == ["a25_44", "a65_plus"]
    assert frame.loc[first, "gender"] == "woman" and frame.loc[second, "gender"] is None
    assert frame.loc[second, "household_size"] is None
    assert list(frame.loc[[first, second], "channel"]) == ["web", "telegram"]
    assert set(frame["municipality"]) == {"2466023"}
    unsafe_num, unsafe_den = (
        numerator_column("unsafe_after_dark"),
        denominator_column("unsafe_after_dark"),
    )
    assert (frame.loc[first, unsafe_num], frame.loc[first, unsafe_den]) == (1.0, 1.0)
    assert np.isnan(frame.loc[second, unsafe_num]) and np.isnan(frame.loc[second, unsafe_den])
    walk = denominator_column("does_not_walk_alone_dark")
    assert frame.loc[second, numerator_column("does_not_walk_alone_dark")] == 1.0
    assert frame.loc[second, walk] == 1.0
    for indicator in victimisation.indicators:
        assert numerator_column(indicator.name) in frame.columns


def test_versions_are_pooled_by_question_name(
    victimisation: Survey, respond: Respond, session_factory: sessionmaker[Session]
) -> None:
    older = respond(victimisation, BASE)
    newer_survey = victimisation.model_copy(update={"version": "1.1", "content_hash": "other"})
    newer = respond(newer_survey, {**BASE, "walk_alone_dark": "very_safe"})
    with session_factory() as session:
        survey, frame = load_respondents(session, "victimisation")
    assert survey.version == "1.1"
    values = frame.set_index("response_id")[numerator_column("unsafe_after_dark")]
    assert (values[older], values[newer]) == (1.0, 0.0)


def test_partial_responses_are_read_only_on_request(
    victimisation: Survey, respond: Respond, session_factory: sessionmaker[Session]
) -> None:
    done = respond(victimisation, BASE)
    partial = respond(victimisation, {"age": 40}, status="in_progress")
    respond(victimisation, {"age": 14}, status="screened_out")
    with session_factory() as session:
        _, completed = load_respondents(session, "victimisation")
        _, with_partial = load_respondents(session, "victimisation", include_partial=True)
    assert list(completed["response_id"]) == [done]
    assert set(with_partial["response_id"]) == {done, partial}
    assert set(with_partial["status"]) == {"completed", "in_progress"}


def test_an_unknown_questionnaire_is_an_error_with_a_code(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as session, pytest.raises(PipelineError) as caught:
        load_respondents(session, "nothing_here")
    assert caught.value.code == "unknown_survey"
    assert "nothing_here" in caught.value.message("fr")


def test_benchmarks_come_as_one_table_of_the_survey_margins(
    victimisation: Survey, session_factory: sessionmaker[Session]
) -> None:
    with session_factory() as session, pytest.raises(PipelineError) as caught:
        load_benchmark_frame(session, victimisation)
    assert caught.value.code == "no_benchmarks"
    assert "vigie benchmarks load --demo" in str(caught.value)
    parsed = read_benchmark_csv(DEMO_BENCHMARKS_CSV)
    with session_factory.begin() as session:
        load_benchmarks(session, parsed.municipalities, parsed.rows)
    with session_factory() as session:
        frame = load_benchmark_frame(session, victimisation)
    assert list(frame.columns) == [
        "municipality",
        "municipality_name",
        "variable",
        "category",
        "count",
    ]
    assert frame["municipality"].nunique() == 16
    assert set(frame["variable"]) == {"age_group*gender", "household_size", "language_spoken"}
    montreal = frame[frame["municipality"] == "2466023"]
    assert set(montreal["municipality_name"]) == {"Montréal"}
    assert len(montreal) == 15


def test_the_latest_edition_of_each_municipality_s_benchmarks_is_chosen() -> None:
    rows = pd.DataFrame(
        {
            "municipality": ["a", "a", "a", "a", "b"],
            "year": [2016, 2021, 2021, 2021, 2016],
            "source": ["census", "census", "census", "estimate", "invented"],
            "count": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    assert list(choose_edition(rows)["count"]) == [2.0, 3.0, 5.0]


def test_a_partial_response_counts_only_for_the_indicators_it_reached(
    victimisation: Survey, respond: Respond, session_factory: sessionmaker[Session]
) -> None:
    done = respond(victimisation, BASE)
    # stopped after the perception questions, before the victimisation screener
    partial = respond(
        victimisation, {"age": 40, "walk_alone_dark": "very_unsafe"}, status="abandoned"
    )
    with session_factory() as session:
        _, frame = load_respondents(session, "victimisation", include_partial=True)
    rows = frame.set_index("response_id")
    assert rows.loc[partial, reached_column("unsafe_after_dark")]
    assert rows.loc[partial, numerator_column("unsafe_after_dark")] == 1.0
    assert not rows.loc[partial, reached_column("prevalence_break_in")]
    assert np.isnan(rows.loc[partial, denominator_column("prevalence_break_in")])
    assert np.isnan(rows.loc[partial, numerator_column("prevalence_break_in")])
    # a completed response has reached every indicator, answered or not
    reached = [c for c in frame.columns if c.startswith("reached:")]
    assert len(reached) == len(victimisation.indicators)
    assert rows.loc[done, reached].all()
