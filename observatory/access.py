"""What each role may see: the rules every analyst page and API call applies.

- ``admin`` and ``analyst`` see every campaign, the microdata and the estimates.
- ``partner`` (a community organisation) sees only the campaigns of its own
  organisation, with their counts; never microdata, never another
  organisation's campaign (asking for one reads as "no such campaign").
"""

from __future__ import annotations

from observatory.campaigns import CampaignSummary
from observatory.errors import ObservatoryError
from observatory.service import Observatory
from storage.accounts import UserRecord

#: Roles that may read microdata, run estimates and publish.
ANALYST_ROLES = ("admin", "analyst")
#: Every role that signs in.
STAFF_ROLES = ("admin", "analyst", "partner")


def sees_microdata(user: UserRecord) -> bool:
    """Whether ``user`` may read individual answers (exports, per-question counts)."""
    return user.role in ANALYST_ROLES


def visible_campaigns(
    observatory: Observatory, user: UserRecord, survey_id: str | None = None
) -> list[CampaignSummary]:
    """The campaigns ``user`` may see, with the responses each brought in."""
    rows = observatory.campaigns(survey_id)
    if user.role in ANALYST_ROLES:
        return rows
    return [row for row in rows if row.organisation == user.organisation]


def visible_campaign(observatory: Observatory, user: UserRecord, code: str) -> CampaignSummary:
    """One campaign ``user`` may see; ``no_campaign`` otherwise (never "not yours")."""
    for row in visible_campaigns(observatory, user):
        if row.code == code:
            return row
    raise ObservatoryError("no_campaign", {"code": code})
