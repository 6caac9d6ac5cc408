"""The respondent's language: checking it and changing it mid-way.

:func:`set_response_language` is the one write intake makes outside the
storage repository: ``storage.responses.update_response_state`` has no
``language`` field yet. It follows the same compare-and-set rule (row version
checked and incremented) and should move into storage as
``update_response_state(..., language=...)``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.orm import Session

from intake.errors import IntakeError
from questionnaire.model import Survey
from storage.tables import ResponseModel
from storage.upsert import affected_rows


def check_language(survey: Survey, language: str) -> None:
    """Raise :class:`IntakeError` ``unknown_language`` unless the survey offers ``language``."""
    if language not in survey.languages:
        raise IntakeError(
            "unknown_language", {"language": language, "languages": ", ".join(survey.languages)}
        )


def set_response_language(
    session: Session,
    response_id: str,
    language: str,
    *,
    expected_row_version: int,
    now: dt.datetime,
) -> bool:
    """Compare-and-set the response's language; ``False`` if someone else moved first."""
    result = session.execute(
        update(ResponseModel)
        .where(
            ResponseModel.id == response_id,
            ResponseModel.row_version == expected_row_version,
        )
        .values(
            language=language,
            row_version=ResponseModel.row_version + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return affected_rows(result) == 1
