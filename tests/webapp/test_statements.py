"""What one answer post costs the database: a count of statements, not a time.

An accepted post is one intake transaction: the response with its answers
(one statement), the compare-and-set of its state and one upsert of the
page's answers. Runs on
SQLite and, with ``VIGIE_TEST_DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

from db_fixtures import statements
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from web_support import Resident

from storage.tables import AnswerModel

#: Statements of one accepted answer post (bench/web.py's post: a changed age).
POST_STATEMENTS = 3


def test_an_accepted_answer_post_is_one_transaction_of_three_statements(
    resident: Callable[[str], Resident], session_factory: sessionmaker[Session]
) -> None:
    browser = resident("fr")
    browser.start("perceived_safety")
    assert browser.page_path() == "age"
    token = browser.token()
    with statements(session_factory) as seen:
        for age in ("34", "35"):  # the first answer, then a change of it
            seen.clear()
            posted = browser.client.post(
                "/survey",
                data={"csrf_token": token, "page": "age", "age": age, "consent": "yes"},
            )
            assert posted.status_code == 303
            assert len(seen) <= POST_STATEMENTS, seen
    with session_factory() as session:
        stored = dict(session.execute(select(AnswerModel.path, AnswerModel.value)).all())
    assert stored["age"] == 35 and stored["consent"] == "yes"
