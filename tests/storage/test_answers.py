"""Answers: upsert by (response, path), typed round trip, closed responses refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from questionnaire.definition.values import SKIPPED, Value, YearMonth
from storage.answers import (
    ResponseClosedError,
    ResponseNotFoundError,
    delete_answers,
    load_answers,
    record_answer,
)
from storage.records import ResponseRecord
from storage.responses import get_response, update_response_state
from storage.retention import erase_response
from storage.tables import AnswerModel, ResponseModel

MakeResponse = Callable[..., ResponseRecord]


def test_every_kind_of_value_comes_back_as_written(
    make_response: MakeResponse,
    session_factory: sessionmaker[Session],
    every_kind: dict[str, Value],
) -> None:
    made = make_response()
    with session_factory.begin() as session:
        for path, value in every_kind.items():
            assert record_answer(session, made.id, path, value)
    with session_factory() as session:
        loaded = load_answers(session, made.id)
    assert loaded == every_kind
    assert type(loaded["times"]) is int and type(loaded["whole_share"]) is float


def test_recording_reports_whether_anything_changed(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    made = make_response()
    with session_factory.begin() as session:
        assert record_answer(session, made.id, "times", 3)
        assert not record_answer(session, made.id, "times", 3)
        assert record_answer(session, made.id, "times", 4)
        # 4 and 4.0 are different answers (integer versus decimal).
        assert record_answer(session, made.id, "times", 4.0)
        assert record_answer(session, made.id, "times", SKIPPED)
        assert not record_answer(session, made.id, "times", SKIPPED)
        rows = session.scalar(select(func.count()).where(AnswerModel.response_id == made.id))
        assert load_answers(session, made.id) == {"times": SKIPPED}
    assert rows == 1


def test_answers_come_back_in_the_order_they_were_last_written(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    made = make_response(now=start)
    written = [
        ("zone", "b", 3),
        ("age", 41, 1),
        ("comment", 'C\'est « calme », \\ "vraiment"\n', 2),
        ("incident[2].month", YearMonth(2025, 2), 2),
        ("avoid", ("stays_home",), 0),
        ("times", 2.5, 5),
    ]
    with session_factory.begin() as session:
        for path, value, minutes in written:
            record_answer(session, made.id, path, value, now=start + dt.timedelta(minutes=minutes))
        record_answer(session, made.id, "age", 42, now=start + dt.timedelta(minutes=4))
    with session_factory() as session:
        loaded = load_answers(session, made.id)
    # By time written, then by path: a rewritten answer moves to its new time.
    assert list(loaded) == ["avoid", "comment", "incident[2].month", "zone", "age", "times"]
    assert loaded["age"] == 42 and loaded["incident[2].month"] == YearMonth(2025, 2)
    assert loaded["comment"] == 'C\'est « calme », \\ "vraiment"\n'


def test_recording_touches_the_response_but_not_its_row_version(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    made = make_response(now=start)
    later = start + dt.timedelta(minutes=5)
    with session_factory.begin() as session:
        record_answer(session, made.id, "times", 1, now=later)
        touched = get_response(session, made.id)
    assert touched is not None
    assert touched.updated_at == later
    assert touched.row_version == made.row_version


def test_delete_answers_removes_only_the_given_paths(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    made = make_response()
    with session_factory.begin() as session:
        for path in ("times", "incident[1].month", "incident[2].month"):
            record_answer(session, made.id, path, 1)
        removed = delete_answers(session, made.id, ["incident[1].month", "incident[2].month", "x"])
        assert delete_answers(session, made.id, []) == 0
        assert load_answers(session, made.id) == {"times": 1}
    assert removed == 2


def test_closed_and_unknown_responses_refuse_answers(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    done, erased = make_response(), make_response()
    with session_factory.begin() as session:
        update_response_state(session, done.id, expected_row_version=1, status="completed")
        erase_response(session, erased.id)
    with session_factory() as session:
        with pytest.raises(ResponseClosedError) as closed:
            record_answer(session, done.id, "times", 1)
        assert closed.value.code == "response_not_in_progress"
        assert "completed" in closed.value.render("fr")
        with pytest.raises(ResponseClosedError):
            delete_answers(session, erased.id, ["times"])
        with pytest.raises(ResponseNotFoundError):
            record_answer(session, "0" * 32, "times", 1)
        session.rollback()
        assert load_answers(session, erased.id) == {}


def test_malformed_paths_and_values_are_refused(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    made = make_response()
    with session_factory() as session:
        with pytest.raises(ValueError, match="answer path"):
            record_answer(session, made.id, "Not A Path", 1)
        with pytest.raises(TypeError):
            record_answer(session, made.id, "times", True)
        session.rollback()


def test_answers_go_when_their_response_is_deleted(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    made, other = make_response(), make_response()
    with session_factory.begin() as session:
        record_answer(session, made.id, "times", 1)
        record_answer(session, other.id, "times", 2)
    with session_factory.begin() as session:
        session.execute(delete(ResponseModel).where(ResponseModel.id == made.id))
    with session_factory() as session:
        left = session.scalars(select(AnswerModel.response_id)).all()
    assert left == [other.id]


def test_an_answer_cannot_point_at_a_missing_response(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as session:
        session.add(
            AnswerModel(
                response_id="0" * 32,
                path="times",
                value=1,
                answered_at=dt.datetime.now(dt.UTC),
            )
        )
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()
