"""Distribution campaigns: the links and bot start codes given to organisations.

A campaign ties a short code to one organisation, one questionnaire (by its
stable id) and optionally a municipality preset for its respondents. Its code
appears in URLs (``/s/<code>``) and in Telegram deep links (``/start <code>``),
so it is short and URL-safe: 3 to 32 characters among ``a-z``, ``0-9`` and
``-``. Generated codes avoid look-alike characters.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from questionnaire.navigation.status import ResponseStatus
from storage.messages import StorageError
from storage.records import Campaign, CampaignCount
from storage.tables import CampaignModel, ResponseModel
from storage.upsert import affected_rows, utc_now

CAMPAIGN_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{2,31}$")
#: Lower-case letters and digits without 0/o, 1/l/i: easy to read aloud and type.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GENERATED_CODE_LENGTH = 8


class CampaignCodeTakenError(StorageError):
    """Another campaign already uses this code."""

    def __init__(self, code: str) -> None:
        super().__init__("campaign_code_taken", code=code)


class CampaignCodeInvalidError(StorageError):
    """The code is not 3-32 characters of a-z, 0-9 and -."""

    def __init__(self, code: str) -> None:
        super().__init__("campaign_code_invalid", code=code)


def new_campaign_code() -> str:
    """A random 8-character code (about 40 bits), e.g. ``k7mxq2ra``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(GENERATED_CODE_LENGTH))


def create_campaign(
    session: Session,
    organisation: str,
    survey_id: str,
    municipality_code: str | None = None,
    code: str | None = None,
    *,
    active: bool = True,
    now: dt.datetime | None = None,
) -> Campaign:
    """Create a campaign; a code is generated unless one is given.

    Raises :class:`CampaignCodeInvalidError` for a malformed code and
    :class:`CampaignCodeTakenError` for a code already used.
    """
    if code is None:
        code = new_campaign_code()
        while _code_exists(session, code):  # pragma: no cover - 31**8 codes
            code = new_campaign_code()
    elif not CAMPAIGN_CODE.match(code):
        raise CampaignCodeInvalidError(code)
    elif _code_exists(session, code):
        raise CampaignCodeTakenError(code)
    row = CampaignModel(
        code=code,
        organisation=organisation,
        survey_id=survey_id,
        municipality_code=municipality_code,
        active=active,
        created_at=now or utc_now(),
    )
    session.add(row)
    session.flush()
    return _record(row)


def get_campaign(session: Session, campaign_id: int) -> Campaign | None:
    """The campaign with this id, or ``None``."""
    row = session.get(CampaignModel, campaign_id, populate_existing=True)
    return None if row is None else _record(row)


def get_campaign_by_code(session: Session, code: str) -> Campaign | None:
    """The campaign with this code (active or not), or ``None``."""
    row = session.scalars(
        select(CampaignModel)
        .where(CampaignModel.code == code)
        .execution_options(populate_existing=True)
    ).first()
    return None if row is None else _record(row)


def list_campaigns(session: Session, survey_id: str | None = None) -> list[Campaign]:
    """Every campaign, or those of one questionnaire, oldest first."""
    statement = select(CampaignModel).order_by(CampaignModel.id)
    if survey_id is not None:
        statement = statement.where(CampaignModel.survey_id == survey_id)
    rows = session.scalars(statement.execution_options(populate_existing=True))
    return [_record(row) for row in rows]


def set_campaign_active(session: Session, code: str, active: bool) -> bool:
    """Open or close a campaign; ``False`` if no campaign has this code."""
    result = session.execute(
        update(CampaignModel)
        .where(CampaignModel.code == code)
        .values(active=active)
        .execution_options(synchronize_session=False)
    )
    return affected_rows(result) == 1


def count_responses_by_campaign(session: Session, survey_id: str) -> list[CampaignCount]:
    """For each campaign of a questionnaire: responses started and completed.

    ``started`` counts every response that came through the campaign (erased
    responses no longer name their campaign); ``completed`` those completed.
    Campaigns without responses are listed with zeros.
    """
    completed = func.coalesce(
        func.sum(case((ResponseModel.status == ResponseStatus.COMPLETED.value, 1), else_=0)),
        0,
    )
    statement = (
        select(CampaignModel, func.count(ResponseModel.id), completed)
        .outerjoin(ResponseModel, ResponseModel.campaign_id == CampaignModel.id)
        .where(CampaignModel.survey_id == survey_id)
        .group_by(CampaignModel.id)
        .order_by(CampaignModel.id)
        .execution_options(populate_existing=True)
    )
    return [
        CampaignCount(_record(row), int(started), int(done))
        for row, started, done in session.execute(statement)
    ]


def _code_exists(session: Session, code: str) -> bool:
    return session.scalar(select(CampaignModel.id).where(CampaignModel.code == code)) is not None


def _record(row: CampaignModel) -> Campaign:
    return Campaign(
        id=row.id,
        code=row.code,
        organisation=row.organisation,
        survey_id=row.survey_id,
        municipality_code=row.municipality_code,
        active=row.active,
        created_at=row.created_at,
    )
