"""Responses with their answers, in batches, for the analysis loader.

The analysis room reads storage through this one function: it receives plain
records and answer dictionaries, never ORM objects, and memory stays bounded
by the batch size however many responses a questionnaire has.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from questionnaire.definition.values import Value, value_from_json
from questionnaire.navigation.status import ResponseStatus
from storage.records import ResponseRecord
from storage.responses import response_record
from storage.tables import AnswerModel, ResponseModel, SurveyVersionModel

DEFAULT_BATCH_SIZE = 500


def iter_responses_for_analysis(
    session: Session,
    survey_id: str,
    statuses: Iterable[ResponseStatus | str] = (ResponseStatus.COMPLETED,),
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[tuple[ResponseRecord, dict[str, Value]]]:
    """Each response of a questionnaire (all its versions) with the given statuses.

    Yields ``(record, answers by path)``, ordered by response id, reading
    ``batch_size`` responses and their answers per round trip (keyset
    pagination: safe while other sessions add responses). Erased responses
    have no answers; ask for them only to count them.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    wanted = sorted({ResponseStatus(s).value for s in statuses})
    after = ""
    while True:
        batch = session.execute(
            select(ResponseModel, SurveyVersionModel.survey_id)
            .join(SurveyVersionModel, SurveyVersionModel.id == ResponseModel.version_id)
            .where(
                SurveyVersionModel.survey_id == survey_id,
                ResponseModel.status.in_(wanted),
                ResponseModel.id > after,
            )
            .order_by(ResponseModel.id)
            .limit(batch_size)
            .execution_options(populate_existing=True)
        ).all()
        if not batch:
            return
        records = [response_record(row, sid) for row, sid in batch]
        answers = _answers_of(session, [r.id for r in records])
        for record in records:
            yield record, answers.get(record.id, {})
        after = records[-1].id


def _answers_of(session: Session, response_ids: list[str]) -> dict[str, dict[str, Value]]:
    rows = session.execute(
        select(AnswerModel.response_id, AnswerModel.path, AnswerModel.value)
        .where(AnswerModel.response_id.in_(response_ids))
        .order_by(AnswerModel.response_id, AnswerModel.answered_at, AnswerModel.path)
    )
    found: dict[str, dict[str, Value]] = {}
    for response_id, path, stored in rows:
        found.setdefault(response_id, {})[path] = value_from_json(stored)
    return found
