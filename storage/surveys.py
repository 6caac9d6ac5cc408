"""Questionnaire versions: the exact definitions that responses point at.

A definition is registered when it is served (the web app and the bot register
every questionnaire they load at start-up). Registering the same definition
again returns the same row: versions are keyed by ``(survey id, content hash)``,
so a changed definition gets a new row even if its authors forgot to bump
``version``, and answers always point at exactly what the respondent saw.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from questionnaire.definition.model import Survey
from storage.records import SurveyVersion
from storage.tables import SurveyVersionModel
from storage.upsert import insert_for, utc_now


def definition_hash(survey: Survey) -> str:
    """The survey's ``content_hash``, or SHA-256 of its canonical JSON when unset."""
    if survey.content_hash:
        return survey.content_hash
    canonical = json.dumps(
        survey.model_dump(mode="json", exclude={"content_hash"}),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def register_survey_version(session: Session, survey: Survey) -> SurveyVersion:
    """Store ``survey`` as a version unless the same definition is already stored.

    Idempotent and safe against a concurrent registration of the same
    definition (``INSERT ... ON CONFLICT DO NOTHING`` then read back).
    """
    content_hash = definition_hash(survey)
    statement = (
        insert_for(session, SurveyVersionModel)
        .values(
            survey_id=survey.id,
            version=survey.version,
            content_hash=content_hash,
            definition=survey.model_dump(mode="json"),
            registered_at=utc_now(),
        )
        .on_conflict_do_nothing(index_elements=["survey_id", "content_hash"])
    )
    session.execute(statement)
    row = session.scalars(
        select(SurveyVersionModel).where(
            SurveyVersionModel.survey_id == survey.id,
            SurveyVersionModel.content_hash == content_hash,
        )
    ).one()
    return _record(row)


def get_survey_version(session: Session, version_id: int) -> SurveyVersion | None:
    """The version with this id, or ``None``."""
    row = session.get(SurveyVersionModel, version_id)
    return None if row is None else _record(row)


def latest_survey_version(session: Session, survey_id: str) -> SurveyVersion | None:
    """The most recently registered version of a questionnaire, or ``None``."""
    row = session.scalars(
        select(SurveyVersionModel)
        .where(SurveyVersionModel.survey_id == survey_id)
        .order_by(SurveyVersionModel.id.desc())
        .limit(1)
    ).first()
    return None if row is None else _record(row)


def list_survey_versions(session: Session, survey_id: str) -> list[SurveyVersion]:
    """Every registered version of a questionnaire, oldest first."""
    rows = session.scalars(
        select(SurveyVersionModel)
        .where(SurveyVersionModel.survey_id == survey_id)
        .order_by(SurveyVersionModel.id)
    )
    return [_record(row) for row in rows]


def _record(row: SurveyVersionModel) -> SurveyVersion:
    return SurveyVersion(
        id=row.id,
        survey_id=row.survey_id,
        version=row.version,
        content_hash=row.content_hash,
        definition=row.definition,
        registered_at=row.registered_at,
    )
