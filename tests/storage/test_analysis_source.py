"""The analysis loader's source: responses with answers, batched, filtered by status."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from db_fixtures import make_survey
from sqlalchemy.orm import Session, sessionmaker

from questionnaire.navigation.status import ResponseStatus
from storage.analysis_source import iter_responses_for_analysis
from storage.answers import record_answer
from storage.records import ResponseRecord, SurveyVersion
from storage.responses import update_response_state


def test_every_matching_response_comes_once_with_its_answers_across_batches(
    make_response: Callable[..., ResponseRecord],
    register_version: Callable[..., SurveyVersion],
    session_factory: sessionmaker[Session],
) -> None:
    v1 = register_version(make_survey(version="1.0"))
    v2 = register_version(make_survey(version="1.1"))
    other = register_version(make_survey(survey_id="victimisation"))
    made = [make_response(version_id=(v1 if n % 2 else v2).id) for n in range(7)]
    stranger = make_response(version_id=other.id)
    with session_factory.begin() as session:
        for n, response in enumerate([*made, stranger]):
            record_answer(session, response.id, "times", n)
            if n != 3:
                update_response_state(
                    session, response.id, expected_row_version=1, status="completed"
                )
    with session_factory() as session:
        seen = list(iter_responses_for_analysis(session, "perceived_safety", batch_size=2))
        partial = list(
            iter_responses_for_analysis(
                session, "perceived_safety", [ResponseStatus.IN_PROGRESS], batch_size=2
            )
        )
    ids = [record.id for record, _ in seen]
    assert ids == sorted(ids)
    assert set(ids) == {r.id for n, r in enumerate(made) if n != 3}
    assert all(record.status is ResponseStatus.COMPLETED for record, _ in seen)
    assert {record.id: answers for record, answers in seen} == {
        r.id: {"times": n} for n, r in enumerate(made) if n != 3
    }
    assert [(record.id, answers) for record, answers in partial] == [(made[3].id, {"times": 3})]


def test_a_response_without_answers_comes_with_an_empty_dict(
    make_response: Callable[..., ResponseRecord], session_factory: sessionmaker[Session]
) -> None:
    made = make_response()
    with session_factory() as session:
        found = list(iter_responses_for_analysis(session, "perceived_safety", ["in_progress"]))
    assert [(record.id, answers) for record, answers in found] == [(made.id, {})]


def test_batch_size_must_be_positive(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session, pytest.raises(ValueError, match="batch_size"):
        next(iter_responses_for_analysis(session, "perceived_safety", batch_size=0))
