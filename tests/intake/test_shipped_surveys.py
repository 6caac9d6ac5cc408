"""Random respondents walk the shipped questionnaires through intake (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from intake.service import IntakeService
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Question, Survey
from questionnaire.definition.slots import another_question
from questionnaire.definition.values import split_path
from questionnaire.loader import load_survey
from questionnaire.navigation.next import prune
from questionnaire.navigation.status import ResponseStatus
from questionnaire.simulation.sampling import random_raw_answer
from storage.answers import load_answers
from storage.responses import get_response

RESPONDENTS = 3
TRIES = 40


def question_at(survey: Survey, path: str) -> Question:
    """The question asked at ``path``, including the generated "another one?"."""
    repeat, _index, name = split_path(path)
    if name == "another":
        for section in survey.sections:
            if section.repeat is not None and section.repeat.name == repeat:
                return another_question(section.repeat)
    return survey.question(name)


@pytest.mark.parametrize("name", ["perceived_safety", "victimisation"])
@pytest.mark.parametrize("channel", ["web", "telegram"])
def test_random_respondents_reach_the_end(
    name: str,
    channel: str,
    survey_defs: Path,
    make_service: Callable[..., IntakeService],
    session_factory: sessionmaker[Session],
) -> None:
    survey = load_survey(survey_defs / f"{name}.yaml")
    service = make_service([survey])
    rng = random.Random(f"{name}-{channel}")
    for number in range(RESPONDENTS):
        turn = service.start(name, channel, survey.languages[number % 2], chat_id=number)
        scope = AnswerScope(survey, {}, RunContext(dt.date(2026, 3, 12), channel, turn.language))
        steps = 0
        while turn.prompt is not None:
            steps += 1
            assert steps < 400, "the walk does not end"
            assert channel == "web" or not turn.prompt.sensitive
            path = turn.prompt.path
            question = question_at(survey, path)
            for _ in range(TRIES):
                raw = random_raw_answer(question, scope, rng)
                turn = service.submit(turn.response_id, path, raw)
                if turn.warning is not None:
                    turn = service.submit(turn.response_id, path, raw)
                if turn.error is None and turn.warning is None:
                    break
            else:
                pytest.fail(f"no accepted answer for {path}: {turn.error}")
        if channel == "web" and turn.ready_to_finish:
            turn = service.finish(turn.response_id)  # the review's "send my answers"
        assert turn.status in (ResponseStatus.COMPLETED, ResponseStatus.SCREENED_OUT)
        with session_factory() as session:
            answers = load_answers(session, turn.response_id)
            record = get_response(session, turn.response_id)
        assert record is not None
        ctx = RunContext(record.started_at.date(), channel, turn.language)
        assert prune(survey, answers, ctx) == answers
