"""What one answer post costs the database: a count of statements, not a time.

An accepted post is one intake transaction: the response, its answers, the
compare-and-set of its state and one upsert of the page's answers. Runs on
SQLite and, with ``VIGIE_TEST_DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker
from web_support import Resident

from storage.tables import AnswerModel

#: Statements of one accepted answer post (bench/web.py's post: a changed age).
POST_STATEMENTS = 4


def test_an_accepted_answer_post_is_one_transaction_of_four_statements(
    resident: Callable[[str], Resident], session_factory: sessionmaker[Session]
) -> None:
    browser = resident("fr")
    browser.start("perceived_safety")
    assert browser.page_path() == "age"
    token = browser.token()
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    engine = session_factory.kw["bind"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        for age in ("34", "35"):  # the first answer, then a change of it
            seen.clear()
            posted = browser.client.post(
                "/survey",
                data={"csrf_token": token, "page": "age", "age": age, "consent": "yes"},
            )
            assert posted.status_code == 303
            assert len(seen) <= POST_STATEMENTS, seen
    finally:
        event.remove(engine, "before_cursor_execute", count)
    with session_factory() as session:
        stored = dict(session.execute(select(AnswerModel.path, AnswerModel.value)).all())
    assert stored["age"] == 35 and stored["consent"] == "yes"
