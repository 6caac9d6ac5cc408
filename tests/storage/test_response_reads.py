"""A response and its answers in one statement: the same as reading them one after the other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from db_fixtures import statements
from sqlalchemy.orm import Session, sessionmaker

from questionnaire.definition.model import SpecialCode
from questionnaire.definition.values import SKIPPED, Special, Value, YearMonth
from storage.answers import load_answers, record_answer
from storage.records import ResponseRecord
from storage.response_reads import get_response_with_answers
from storage.responses import get_response

MakeResponse = Callable[..., ResponseRecord]

EVERY_KIND: dict[str, Value] = {
    "walk_alone_dark": "very_safe",
    "avoid": ("avoids_places", "stays_home"),
    "times": 3,
    "share": 2.5,
    "moved_in": dt.date(2020, 6, 1),
    "incident[1].month": YearMonth(2025, 1),
    "incident[2].month": Special(SpecialCode.DONT_KNOW),
    "comment": SKIPPED,
}


def test_the_response_and_its_answers_come_back_in_one_statement(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    made = make_response()
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with session_factory.begin() as session:
        for n, (path, value) in enumerate(reversed(EVERY_KIND.items())):
            record_answer(session, made.id, path, value, now=start + dt.timedelta(seconds=n))
    with session_factory() as session, statements(session_factory) as seen:
        found = get_response_with_answers(session, made.id)
        assert len(seen) == 1, seen
        assert found is not None
        record, answers = found
        assert record == get_response(session, made.id)
        assert answers == EVERY_KIND
        assert list(answers) == list(load_answers(session, made.id)) == list(reversed(EVERY_KIND))


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
