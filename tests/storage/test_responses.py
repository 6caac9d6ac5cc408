"""Responses: creation, look-ups, compare-and-set, erasure, retention."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest
from db_fixtures import make_survey
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from questionnaire.definition.model import SpecialCode
from questionnaire.definition.values import SKIPPED, Special, Value
from questionnaire.navigation.status import ResponseStatus
from storage.answers import load_answers, record_answer
from storage.records import PendingWarning, ResponseRecord, SurveyVersion
from storage.responses import (
    delete_abandoned,
    erase_response,
    find_active_response_by_chat_key,
    find_response_by_resume_hash,
    get_response,
    purge_abandoned,
    update_response_state,
)
from storage.tables import AnswerModel, ResponseModel

MakeResponse = Callable[..., ResponseRecord]
T0 = dt.datetime(2025, 3, 12, 9, 0, tzinfo=dt.UTC)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def test_new_responses_have_random_ids_and_start_in_progress(make_response: MakeResponse) -> None:
    first, second = make_response(), make_response()
    assert len(first.id) == 32 and int(first.id, 16) >= 0
    assert first.id != second.id
    assert first.status is ResponseStatus.IN_PROGRESS
    assert first.row_version == 1
    assert first.started_at == first.updated_at
    assert first.started_at.tzinfo is not None
    assert first.survey_id == "perceived_safety"


def test_a_response_is_found_by_its_resume_hash(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    made = make_response(resume_token_hash=_hash("K7M-XQ2"))
    with session_factory() as session:
        assert find_response_by_resume_hash(session, _hash("K7M-XQ2")) == made
        assert find_response_by_resume_hash(session, _hash("other")) is None
        assert get_response(session, "0" * 32) is None


def test_active_response_by_chat_key_is_per_questionnaire_and_in_progress_only(
    make_response: MakeResponse,
    register_version: Callable[..., SurveyVersion],
    session_factory: sessionmaker[Session],
) -> None:
    other_survey = register_version(make_survey(survey_id="victimisation"))
    made = make_response(channel="telegram", chat_key="c" * 64, now=T0)
    make_response(channel="telegram", chat_key="c" * 64, version_id=other_survey.id)
    with session_factory() as session:
        found = find_active_response_by_chat_key(session, "c" * 64, "perceived_safety")
        assert found == made
        assert find_active_response_by_chat_key(session, "d" * 64, "perceived_safety") is None
    with session_factory.begin() as session:
        update_response_state(
            session, made.id, expected_row_version=1, status=ResponseStatus.COMPLETED
        )
    with session_factory() as session:
        assert find_active_response_by_chat_key(session, "c" * 64, "perceived_safety") is None


def test_compare_and_set_lets_only_the_first_mover_change_the_state(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    made = make_response()
    with session_factory.begin() as session:
        assert update_response_state(
            session, made.id, expected_row_version=1, current_path="walk_alone_dark"
        )
    with session_factory.begin() as session:
        # A second tab still holding row_version 1 loses.
        assert not update_response_state(
            session, made.id, expected_row_version=1, current_path="comment"
        )
    with session_factory() as session:
        state = get_response(session, made.id)
    assert state is not None
    assert state.current_path == "walk_alone_dark"
    assert state.row_version == 2


def test_language_changes_by_compare_and_set(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    made = make_response()
    with session_factory.begin() as session:
        assert update_response_state(session, made.id, expected_row_version=1, language="en")
        assert not update_response_state(session, made.id, expected_row_version=1, language="fr")
    with session_factory() as session:
        state = get_response(session, made.id)
    assert state is not None
    assert state.language == "en"
    assert state.row_version == 2


def test_state_fields_left_unchanged_keep_their_value_and_none_clears(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    made = make_response()
    warning = PendingWarning("times", 40)
    with session_factory.begin() as session:
        update_response_state(
            session, made.id, expected_row_version=1, current_path="times", pending_warning=warning
        )
        update_response_state(session, made.id, expected_row_version=2, status="in_progress")
        kept = get_response(session, made.id)
        update_response_state(session, made.id, expected_row_version=3, pending_warning=None)
        cleared = get_response(session, made.id)
    assert kept is not None and cleared is not None
    assert kept.pending_warning == warning and kept.current_path == "times"
    assert cleared.pending_warning is None and cleared.current_path == "times"


def test_pending_warning_keeps_special_and_skipped_values(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    made = make_response()
    values: list[Value] = [SKIPPED, Special(SpecialCode.DONT_KNOW)]
    for version, value in enumerate(values, start=1):
        with session_factory.begin() as session:
            warning = PendingWarning("times", value)
            update_response_state(
                session, made.id, expected_row_version=version, pending_warning=warning
            )
            state = get_response(session, made.id)
        assert state is not None and state.pending_warning == warning


def test_completing_sets_completed_at_and_erasing_needs_its_own_function(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    made = make_response()
    with session_factory.begin() as session:
        update_response_state(session, made.id, expected_row_version=1, status="completed")
        done = get_response(session, made.id)
        with pytest.raises(ValueError, match="erase_response"):
            update_response_state(session, made.id, expected_row_version=2, status="erased")
    assert done is not None and done.completed_at is not None
    assert done.status is ResponseStatus.COMPLETED


def test_erasing_leaves_nothing_of_the_respondent(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    made = make_response(channel="telegram", resume_token_hash=_hash("code"), chat_key="c" * 64)
    other = make_response()
    with session_factory.begin() as session:
        record_answer(session, made.id, "walk_alone_dark", "very_safe")
        record_answer(session, made.id, "comment", "a note")
        record_answer(session, other.id, "comment", "kept")
        update_response_state(
            session,
            made.id,
            expected_row_version=1,
            current_path="comment",
            pending_warning=PendingWarning("times", 40),
        )
    with session_factory.begin() as session:
        assert erase_response(session, made.id)
        assert not erase_response(session, "f" * 32)
    with session_factory() as session:
        erased = get_response(session, made.id)
        assert load_answers(session, made.id) == {}
        left = session.scalar(select(func.count()).where(AnswerModel.response_id == made.id))
        assert find_response_by_resume_hash(session, _hash("code")) is None
        assert find_active_response_by_chat_key(session, "c" * 64, "perceived_safety") is None
        assert load_answers(session, other.id) == {"comment": "kept"}
    assert left == 0
    assert erased is not None
    assert erased.status is ResponseStatus.ERASED
    assert erased.resume_token_hash is None and erased.chat_key is None
    assert erased.pending_warning is None and erased.current_path is None
    assert erased.campaign_id is None and erased.completed_at is None


def _idle_since(
    session_factory: sessionmaker[Session], response_id: str, when: dt.datetime
) -> None:
    with session_factory.begin() as session:
        session.get_one(ResponseModel, response_id).updated_at = when


def test_retention_marks_idle_responses_abandoned_and_keeps_their_answers(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    idle = make_response(resume_token_hash=_hash("idle"))
    recent = make_response()
    finished = make_response()
    with session_factory.begin() as session:
        record_answer(session, idle.id, "times", 2)
        update_response_state(session, finished.id, expected_row_version=1, status="completed")
    _idle_since(session_factory, idle.id, T0 - dt.timedelta(days=40))
    _idle_since(session_factory, recent.id, T0 - dt.timedelta(days=2))
    _idle_since(session_factory, finished.id, T0 - dt.timedelta(days=400))
    with session_factory.begin() as session:
        marked = purge_abandoned(session, dt.timedelta(days=30), now=T0)
    with session_factory() as session:
        states = {r: get_response(session, r) for r in (idle.id, recent.id, finished.id)}
        idle_answers = load_answers(session, idle.id)
    assert marked == 1
    assert {r: s.status for r, s in states.items() if s} == {
        idle.id: ResponseStatus.ABANDONED,
        recent.id: ResponseStatus.IN_PROGRESS,
        finished.id: ResponseStatus.COMPLETED,
    }
    assert idle_answers == {"times": 2}
    abandoned = states[idle.id]
    assert abandoned is not None and abandoned.resume_token_hash is None
    assert abandoned.updated_at == T0 - dt.timedelta(days=40)


def test_delete_abandoned_removes_old_unfinished_responses_with_their_answers(
    make_response: MakeResponse, session_factory: sessionmaker[Session]
) -> None:
    old, young, finished = make_response(), make_response(), make_response()
    with session_factory.begin() as session:
        record_answer(session, old.id, "times", 1)
        update_response_state(session, finished.id, expected_row_version=1, status="completed")
    _idle_since(session_factory, old.id, T0 - dt.timedelta(days=90))
    _idle_since(session_factory, young.id, T0 - dt.timedelta(days=1))
    _idle_since(session_factory, finished.id, T0 - dt.timedelta(days=900))
    with session_factory.begin() as session:
        purge_abandoned(session, dt.timedelta(days=30), now=T0)
    with session_factory.begin() as session:
        deleted = delete_abandoned(session, dt.timedelta(days=60), now=T0)
    with session_factory() as session:
        assert get_response(session, old.id) is None
        assert get_response(session, young.id) is not None
        assert get_response(session, finished.id) is not None
        orphans = session.scalar(select(func.count()).where(AnswerModel.response_id == old.id))
    assert deleted == 1
    assert orphans == 0
