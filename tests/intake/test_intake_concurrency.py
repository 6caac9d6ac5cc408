"""Many threads answering many responses, two devices per response, on every test database.

Afterwards every acknowledged answer is stored exactly once, and every
response's stored position is the one its stored answers call for.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from intake_support import TEST_SECRET, Script, script_replies, walk_script
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from intake.conversation import answerable_slots
from intake.reminders import open_seal
from intake.service import IntakeService
from intake.walker import Answer, Step, walk
from questionnaire.answers.run_context import RunContext
from questionnaire.definition.model import Survey
from questionnaire.definition.values import Value
from questionnaire.navigation.next import next_slot, prune
from storage.answers import load_answers
from storage.records import ResponseRecord, ResponseStatus
from storage.responses import get_response
from storage.tables import AnswerModel, ChatReminderModel

THREADS = 8
RESPONSES = 40


def script_for(index: int) -> Script:
    """A walk through short_safety, cut short for some responses."""
    steps = walk_script(index)
    return steps[: 2 + index % (len(steps) - 1)]


def device(
    service: IntakeService, response_id: str, script: Script, acknowledged: dict[str, Value]
) -> None:
    """One device walking the script, recording what was acknowledged.

    The other device may end the response first: the walk then stops there.
    """
    values = {path: value for path, _raw, value in script}

    def acknowledge(step: Step) -> None:
        assert isinstance(step.reply, Answer) and step.reply.path is not None
        turn = step.turn
        assert turn.error is None and turn.warning is None, (response_id, step)
        acknowledged[step.reply.path] = values[step.reply.path]

    walk(service, service.current(response_id), script_replies(script), observe=acknowledge)


def position_is_consistent(
    survey: Survey, record: ResponseRecord, answers: dict[str, Value]
) -> bool:
    """Whether the stored cursor and status are what the stored answers call for."""
    channel = record.channel.value
    ctx = RunContext(started_on=record.started_at.date(), channel=channel, language="fr")
    if prune(survey, answers, ctx) != answers:
        return False
    upcoming = next_slot(survey, answers, ctx)
    if upcoming is None:
        # On the web the response waits at the review for "finish"; nobody sent it here.
        done = ResponseStatus.IN_PROGRESS if channel == "web" else ResponseStatus.COMPLETED
        return record.status is done and record.current_path is None
    return record.status is ResponseStatus.IN_PROGRESS and record.current_path == upcoming.path


def test_two_devices_per_response_under_eight_threads(
    service: IntakeService, session_factory: sessionmaker[Session], short_survey: Survey
) -> None:
    response_ids = [
        service.start("short_safety", "web", "fr").response_id for _ in range(RESPONSES)
    ]
    scripts = {rid: script_for(i) for i, rid in enumerate(response_ids)}
    acknowledged: dict[str, dict[str, Value]] = {rid: {} for rid in response_ids}
    jobs: list[Callable[[], None]] = []
    for rid in response_ids:
        for _device in range(2):
            jobs.append(partial(device, service, rid, scripts[rid], acknowledged[rid]))
    random.Random(7).shuffle(jobs)
    start = threading.Barrier(THREADS)

    def run(chunk: list[Callable[[], None]]) -> None:
        start.wait()
        for job in chunk:
            job()

    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(run, jobs[i::THREADS]) for i in range(THREADS)]
        for future in futures:
            future.result()

    with session_factory() as session:
        rows = Counter(
            dict(
                session.execute(
                    select(AnswerModel.response_id, func.count()).group_by(AnswerModel.response_id)
                ).all()
            )
        )
        for rid in response_ids:
            answers = load_answers(session, rid)
            record = get_response(session, rid)
            assert record is not None
            expected = {path: value for path, _raw, value in scripts[rid]}
            assert acknowledged[rid] == expected
            assert answers == expected
            assert rows[rid] == len(expected)
            assert position_is_consistent(short_survey, record, answers), (rid, record)


def test_devices_disagreeing_leave_a_consistent_response(
    service: IntakeService, session_factory: sessionmaker[Session], short_survey: Survey
) -> None:
    """Two devices give different answers at once: one wins, nothing stale remains."""
    response_ids = [service.start("short_safety", "web", "en").response_id for _ in range(12)]
    choices = ["very_safe", "very_unsafe"]

    def disagreeing(rid: str, choice: str) -> None:
        script = [
            ("age_15_plus", "yes", "yes"),
            ("walk_alone_dark", choice, choice),
            ("walk_more", "yes", "yes"),
            ("times_victim", "1", 1),
        ]
        walk(service, service.current(rid), script_replies(script))

    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(disagreeing, rid, c) for rid in response_ids for c in choices]
        for future in futures:
            future.result()

    with session_factory() as session:
        for rid in response_ids:
            answers = load_answers(session, rid)
            record = get_response(session, rid)
            assert record is not None
            assert answers["walk_alone_dark"] in choices
            ctx = RunContext(started_on=record.started_at.date(), channel="web", language="en")
            applicable = {s.path for s in answerable_slots(short_survey, answers, ctx)}
            assert set(answers) <= applicable
            assert position_is_consistent(short_survey, record, answers), (rid, record)


def test_a_chat_remembered_by_two_processes_at_once_is_kept_once(
    service: IntakeService, session_factory: sessionmaker[Session]
) -> None:
    """A start button delivered to two bot processes remembers the chat from both at once."""
    response_id = service.start("short_safety", "telegram", "fr", chat_id=424242).response_id
    barrier = threading.Barrier(THREADS)

    def remember() -> None:
        barrier.wait()
        service.remember_chat(response_id, 424242)

    with ThreadPoolExecutor(THREADS) as pool:
        for future in [pool.submit(remember) for _ in range(THREADS)]:
            future.result()  # no duplicate-key error reaches the caller
    with session_factory() as session:
        rows = session.scalars(
            select(ChatReminderModel).where(ChatReminderModel.response_id == response_id)
        ).all()
    assert len(rows) == 1
    assert rows[0].chat_seal is not None
    assert open_seal(rows[0].chat_seal, response_id, TEST_SECRET) == 424242
