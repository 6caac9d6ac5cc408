"""A response and its answers in one statement: the same as reading them one after the other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from db_fixtures import statements
from sqlalchemy.orm import Session, sessionmaker

from questionnaire.definition.values import Value
from storage.answers import load_answers, record_answer
from storage.records import ResponseRecord
from storage.response_reads import get_response_with_answers
from storage.responses import get_response

MakeResponse = Callable[..., ResponseRecord]


def test_the_response_and_its_answers_come_back_in_one_statement(
    make_response: MakeResponse,
    session_factory: sessionmaker[Session],
    every_kind: dict[str, Value],
) -> None:
    made = make_response()
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with session_factory.begin() as session:
        for n, (path, value) in enumerate(reversed(every_kind.items())):
            record_answer(session, made.id, path, value, now=start + dt.timedelta(seconds=n))
    with session_factory() as session, statements(session_factory) as seen:
        found = get_response_with_answers(session, made.id)
        assert len(seen) == 1, seen
        assert found is not None
        record, answers = found
        assert record == get_response(session, made.id)
        assert answers == every_kind
        assert list(answers) == list(load_answers(session, made.id)) == list(reversed(every_kind))


def test_a_response_without_answers_has_an_empty_mapping(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    made = make_response()
    with session_factory() as session:
        found = get_response_with_answers(session, made.id)
        assert found is not None and found[1] == {}
        assert found[0] == get_response(session, made.id)


def test_an_unknown_or_impossible_id_is_none(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    make_response()
    with session_factory() as session:
        for wrong in ("0" * 32, "not-an-id", "a\x00" * 16, "f" * 500):
            assert get_response_with_answers(session, wrong) is None
