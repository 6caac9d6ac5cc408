"""A response and all its answers in one statement: what every step of the conversation reads first.

:func:`get_response_with_answers` is :func:`storage.responses.get_response`
and :func:`storage.answers.load_answers` together: the response joined to its
questionnaire version and, by an outer join, to its answers, one row per
answer (one row with no answer for a response without any). One round trip
to the database instead of two, and both read from the same snapshot.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Final

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from questionnaire.definition.values import Value, value_from_json
from storage.records import ResponseRecord
from storage.responses import is_response_id, response_record
from storage.tables import AnswerModel, ResponseModel, SurveyVersionModel

_RESPONSES: Final = ResponseModel.metadata.tables[ResponseModel.__tablename__]
_VERSIONS: Final = SurveyVersionModel.metadata.tables[SurveyVersionModel.__tablename__]
_ANSWERS: Final = AnswerModel.metadata.tables[AnswerModel.__tablename__]


@cache
def _with_answers() -> Select[Any]:
    """The response with a bound id, its survey id, and its answers in the order written."""
    return (
        select(
            *_RESPONSES.c,
            _VERSIONS.c.survey_id,
            _ANSWERS.c.path.label("answer_path"),
            _ANSWERS.c.value.label("answer_value"),
        )
        .join_from(_RESPONSES, _VERSIONS, _VERSIONS.c.id == _RESPONSES.c.version_id)
        .outerjoin(_ANSWERS, _ANSWERS.c.response_id == _RESPONSES.c.id)
        .where(_RESPONSES.c.id == bindparam("response_id"))
        .order_by(_ANSWERS.c.answered_at, _ANSWERS.c.path)
    )


def get_response_with_answers(
    session: Session, response_id: str
) -> tuple[ResponseRecord, dict[str, Value]] | None:
    """The response with this id and every answer of it by path (ordered by when each was
    last written), or ``None`` (also for a string that cannot be an id)."""
    if not is_response_id(response_id):
        return None
    rows = session.execute(_with_answers(), {"response_id": response_id}).all()
    if not rows:
        return None
    answers = {
        row.answer_path: value_from_json(row.answer_value)
        for row in rows
        if row.answer_path is not None
    }
    return response_record(rows[0], rows[0].survey_id), answers
