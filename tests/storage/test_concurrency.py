"""Many writers at once: one row per (response, path), holding the last value written."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.answers import load_answers, record_answer
from storage.records import ResponseRecord
from storage.responses import get_response, update_response_state
from storage.tables import AnswerModel

THREADS = 8
CALLS_PER_THREAD = 200
RESPONSES = 50
PATHS = ("walk_alone_dark", "times", "comment", "incident[1].month", "incident[2].month")


@pytest.mark.slow
def test_concurrent_upserts_keep_one_row_per_path_with_the_last_value(
    make_response: Callable[..., ResponseRecord], session_factory: sessionmaker[Session]
) -> None:
    response_ids = [make_response().id for _ in range(RESPONSES)]
    # Commits are logged in commit order (the lock is held across commit and
    # log), so the log says which value each path must end with. The upserts
    # themselves run concurrently and collide on the same (response, path).
    commit_log: list[tuple[str, str, str]] = []
    log_lock = threading.Lock()
    failures: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def writer(thread: int) -> None:
        rng = random.Random(thread)
        try:
            start.wait()
            for call in range(CALLS_PER_THREAD):
                # A few hot responses make duplicates from different threads common.
                response_id = response_ids[rng.randrange(RESPONSES if call % 2 else 3)]
                path = rng.choice(PATHS)
                value = f"t{thread}-c{call}"
                with session_factory() as session:
                    assert record_answer(session, response_id, path, value)
                    with log_lock:
                        session.commit()
                        commit_log.append((response_id, path, value))
        except BaseException as error:  # reported below, with the thread's failure
            failures.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(commit_log) == THREADS * CALLS_PER_THREAD

    expected: dict[str, dict[str, str]] = {}
    for response_id, path, value in commit_log:
        expected.setdefault(response_id, {})[path] = value
    with session_factory() as session:
        rows = session.scalar(select(func.count()).select_from(AnswerModel))
        stored = {r: load_answers(session, r) for r in response_ids}
    assert rows == sum(len(paths) for paths in expected.values())
    assert {r: a for r, a in stored.items() if a} == expected


def test_concurrent_state_changes_let_exactly_one_writer_win(
    make_response: Callable[..., ResponseRecord], session_factory: sessionmaker[Session]
) -> None:
    made = make_response()
    wins: list[int] = []
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def mover(thread: int) -> None:
        try:
            start.wait()
            with session_factory.begin() as session:
                if update_response_state(
                    session, made.id, expected_row_version=1, current_path=f"q{thread}"
                ):
                    wins.append(thread)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=mover, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(wins) == 1
    with session_factory() as session:
        state = get_response(session, made.id)
    assert state is not None
    assert state.row_version == 2
    assert state.current_path == f"q{wins[0]}"
