"""Parity: the shared answer-case table driven through IntakeService directly and
through the walker gives identical turns, notices and stored answers.

Each case is a respondent of the table's questionnaire reordered to ask the
earlier answers the case needs, then the case's question: they give them,
then the case's raw input (twice when the case says the respondent was already
warned). Once by hand, one service call per answer; once as a
:class:`intake.walker.Scripted` respondent of :func:`intake.walker.walk`. Both
must agree turn for turn, and with what the table expects. A whole
questionnaire is walked both ways too, on both channels: on the web the last
page leads to the review, where "finish" sends the answers; the chat ends at
its last answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
from answer_table import AnswerCase, load_table, table_cases, table_dates, table_survey
from intake_support import Clock
from sqlalchemy.orm import Session, sessionmaker

from intake.service import IntakeService
from intake.turns import Turn
from intake.walker import Answer, AnswerPage, Finish, Reply, Scripted, walk
from questionnaire.definition.model import QuestionType, Survey
from questionnaire.definition.values import Value
from storage.answers import load_answers
from storage.records import ResponseStatus

TABLE = load_table()
STARTED, TODAY = table_dates(TABLE)
#: Every case a channel can send: a note takes no answer, so no channel offers one.
CASES = [c for c in table_cases(TABLE) if TABLE["questions"][c.question]["type"] != "note"]


def raw_of(value: Value) -> str:
    """What a respondent types to give ``value`` (the earlier answers are numbers)."""
    return str(value)


def survey_of(case: AnswerCase) -> Survey:
    """The table's questions, those the case answers first, then the case's own."""
    first = [*case.answers, case.question]
    return table_survey(TABLE, first, survey_id="case_" + "_".join(first))


def channel_of(index: int, case: AnswerCase) -> str:
    """The channel the case is sent through: alternating when both can send it."""
    if len(case.channels) == 1:
        return case.channels[0]
    return case.channels[index % 2]


def without_id(turn: Turn) -> Turn:
    return replace(turn, response_id="")


def test_direct_calls_and_the_walker_agree_on_every_case(
    make_service: Callable[..., IntakeService],
    session_factory: sessionmaker[Session],
    clock: Clock,
) -> None:
    surveys = {s.id: s for s in map(survey_of, CASES)}
    service = make_service(list(surveys.values()))
    noon = dt.time(12, tzinfo=dt.UTC)

    def start(index: int, case: AnswerCase, who: str) -> Turn:
        clock.now = dt.datetime.combine(STARTED, noon)
        channel = channel_of(index, case)
        chat = f"{who}-{index}" if channel == "telegram" else None
        turn = service.start(survey_of(case).id, channel, case.language, chat_id=chat)
        clock.now = dt.datetime.combine(TODAY, noon)
        return turn

    checked = {"accepted": 0, "refused": 0, "warned": 0}
    for index, case in enumerate(CASES):
        raws = [raw_of(v) for v in case.answers.values()] + [case.raw]
        if case.warned:
            raws.append(case.raw)

        # By hand: one service call per answer, on the question shown.
        turn = start(index, case, "direct")
        direct = [turn]
        for raw in raws:
            assert turn.prompt is not None, (case.id, turn)
            turn = service.submit(turn.response_id, turn.prompt.path, raw)
            direct.append(turn)

        # Through the walker.
        walked = walk(service, start(index, case, "walk"), Scripted(Answer(r) for r in raws))

        assert [without_id(t) for t in walked.turns] == [without_id(t) for t in direct], case.id
        with session_factory() as session:
            by_hand = load_answers(session, direct[0].response_id)
            by_walk = load_answers(session, walked.response_id)
        assert by_walk == by_hand, case.id

        # And both say what the table says.
        last = direct[-1]
        if case.error is None:
            assert by_hand[case.question] == case.value, case.id
            assert type(by_hand[case.question]) is type(case.value), case.id
            assert last.error is None and last.warning is None, case.id
            checked["accepted"] += 1
            continue
        notice = last.warning if case.soft and not case.warned else last.error
        assert notice is not None and notice.code == case.error, (case.id, last)
        assert notice.soft is (case.soft and not case.warned), case.id
        assert set(case.params) <= set(notice.params), case.id
        assert notice.text and "{" not in notice.text, case.id
        assert case.question not in by_hand, case.id
        checked["warned" if notice.soft else "refused"] += 1
    assert min(checked.values()) > 0, checked
    assert {QuestionType(TABLE["questions"][c.question]["type"]) for c in CASES} >= {
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.DATE,
        QuestionType.INTEGER,
    }


@pytest.mark.parametrize("channel", ["web", "telegram"])
def test_both_channels_are_driven(channel: str) -> None:
    assert any(channel_of(i, c) == channel for i, c in enumerate(CASES))


#: short_safety's pages (the follow-up opened by "very_unsafe" is read in the same post).
WHOLE = [
    ("age_15_plus", {"age_15_plus": "yes"}),
    (
        "walk_alone_dark",
        {"walk_alone_dark": "very_unsafe", "walk_more": "no", "times_victim": "12"},
    ),
    (
        "walk_alone_dark",
        {"walk_alone_dark": "very_unsafe", "walk_more": "no", "times_victim": "12"},
    ),
    ("municipality", {"municipality": "2466023", "age_group": "a15_24"}),
]


@pytest.mark.parametrize("channel", ["web", "telegram"])
def test_a_whole_walk_agrees_and_ends_as_its_channel_says(
    service: IntakeService, session_factory: sessionmaker[Session], channel: str
) -> None:
    def start(who: str) -> Turn:
        chat = f"{who}-whole" if channel == "telegram" else None
        return service.start("short_safety", channel, "en", chat_id=chat)

    turn = start("direct")
    direct = [turn]
    replies: list[Reply] = []
    for page, fields in WHOLE:  # the soft warning on 12 is accepted by posting it again
        turn = service.submit_page(turn.response_id, page, fields)
        direct.append(turn)
        replies.append(AnswerPage(fields))
    if channel == "web":
        assert turn.ready_to_finish and turn.status is ResponseStatus.IN_PROGRESS
        direct.append(service.finish(turn.response_id))
        replies.append(Finish())
    assert direct[-1].finished and direct[-1].status is ResponseStatus.COMPLETED
    assert direct[2].field_errors["times_victim"].soft  # warned once, then accepted

    walked = walk(service, start("walk"), Scripted(replies))
    assert [without_id(t) for t in walked.turns] == [without_id(t) for t in direct]
    with session_factory() as session:
        assert load_answers(session, walked.response_id) == load_answers(
            session, direct[0].response_id
        )
