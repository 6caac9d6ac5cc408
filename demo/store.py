"""The demo's campaigns and benchmarks, through the observatory's operations.

The residents themselves answer through the intake service (:mod:`demo.residents`); the
campaigns are created and listed, the benchmarks loaded, the responses counted and erased by
the same operations an administrator's command uses (:mod:`observatory.campaigns`,
:mod:`observatory.benchmarks`, :mod:`observatory.benchmark_coverage`,
:mod:`observatory.campaign_responses`).

The demonstration runs each of its steps inside one transaction of its own
(:mod:`demo.populate`): the functions here take that session, and the operations run inside
its transaction (:func:`joined`), so a refused step leaves nothing half done.

Demo responses belong to demo campaigns, whose organisation names say "(démo)"
(:data:`DEMO_MARK`). Anything else in the database (responses without a campaign, or through
another campaign) belongs to a real observatory, and the demo refuses to mix with it.
Replacing the demo erases its responses as a respondent's erasure does (their answers are
deleted; a row with status ``erased`` and no campaign stays).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from analysis.loader import reference_survey
from demo import DEMO_BENCHMARKS_CSV
from observatory import campaign_responses
from observatory.benchmark_coverage import has_benchmarks
from observatory.benchmarks import load_benchmark_file
from observatory.campaigns import CampaignSummary, create_campaign, list_campaigns
from observatory.errors import ObservatoryError
from questionnaire.definition.model import Survey
from storage import migrate
from storage.engine import SchemaBehind, check_schema_current
from storage.records import ResponseStatus

#: What the organisation name of every demo campaign contains.
DEMO_MARK = "(démo)"
#: Every status but ``erased`` (an erased response holds nothing).
HELD_STATUSES = tuple(s for s in ResponseStatus if s is not ResponseStatus.ERASED)


@dataclass(frozen=True)
class CampaignSpec:
    """A demo distribution campaign: its key (in its code), organisation and preset."""

    key: str
    organisation: str
    municipality_code: str | None = None


#: The demo's campaigns, created for each questionnaire.
DEMO_CAMPAIGNS = (
    CampaignSpec("centre", "Centre communautaire du Vieux-Quartier (démo)"),
    CampaignSpec("locataires", "Association des locataires de Sherbrooke (démo)", "2443027"),
    CampaignSpec("jeunes", "Maison des jeunes L'Envol (démo)"),
    CampaignSpec("aines", "Club des aînés du Jardin (démo)"),
)


class Organised(Protocol):
    """Anything naming the organisation of a campaign (a campaign, a campaign's summary)."""

    @property
    def organisation(self) -> str: ...


def is_demo_campaign(campaign: Organised) -> bool:
    """Whether a campaign is one of the demo's (its organisation says "(démo)")."""
    return DEMO_MARK in campaign.organisation


def joined(session: Session) -> sessionmaker[Session]:
    """Sessions that work inside ``session``'s transaction, for the observatory's operations.

    An operation's own commit stays inside that transaction (``session``'s owner commits
    or rolls back everything); an operation that fails rolls it back.
    """
    return sessionmaker(
        bind=session.connection(), expire_on_commit=False, join_transaction_mode="rollback_only"
    )


def prepare_schema(engine: Engine) -> bool:
    """Migrate the database to the newest revision if it is behind; whether it was.

    Raises :class:`storage.engine.SchemaUnknownError` for a database of a newer Vigie.
    """
    try:
        check_schema_current(engine)
    except SchemaBehind:
        migrate.upgrade(engine)
        return True
    return False


def ensure_benchmarks(session: Session, survey: Survey) -> int:
    """Load the demo benchmarks when no benchmark of the survey's margins is stored.

    The same file and operation as ``vigie benchmarks load --demo``. Returns the rows loaded
    (0 when benchmarks were already there, or the survey is not weighted). A file the
    operation refuses is a :class:`demo.populate.DemoRefusedError` with its words.
    """
    sessions = joined(session)
    if survey.weighting is None or has_benchmarks(sessions, survey):
        return 0
    try:
        return load_benchmark_file(sessions, DEMO_BENCHMARKS_CSV).rows
    except ObservatoryError as error:
        from demo.populate import DemoRefusedError

        raise DemoRefusedError(error.code, dict(error.params), words=error.render) from error


def _demo_codes(sessions: sessionmaker[Session], survey_id: str | None = None) -> set[str]:
    return {c.code for c in list_campaigns(sessions, survey_id) if is_demo_campaign(c)}


def foreign_responses(session: Session, survey_ids: list[str]) -> int:
    """How many responses (not erased) do not come through a demo campaign."""
    sessions = joined(session)
    return campaign_responses.responses_outside(sessions, survey_ids, _demo_codes(sessions))


def demo_responses(session: Session, survey_id: str) -> int:
    """How many responses came through the questionnaire's demo campaigns."""
    summaries = list_campaigns(joined(session), survey_id)
    return sum(summary.started for summary in summaries if is_demo_campaign(summary))


def erase_demo_responses(session: Session, survey_id: str) -> int:
    """Erase every response of the questionnaire's demo campaigns; how many were."""
    sessions = joined(session)
    codes = _demo_codes(sessions, survey_id)
    return campaign_responses.erase_campaign_responses(sessions, survey_id, codes)


def campaign_code(survey_id: str, key: str) -> str:
    """The demo campaign's code, e.g. ``demo-perceived-safety-centre``."""
    return f"demo-{survey_id.replace('_', '-')}-{key}"[:32].rstrip("-")


def ensure_demo_campaigns(session: Session, survey_id: str) -> dict[str, CampaignSummary]:
    """The questionnaire's demo campaigns by key, created when missing.

    Each is created with its readable code (:func:`campaign_code`), or a generated one when
    that code is taken or malformed, for the questionnaire's registered version (whose
    municipality question must offer a campaign's preset municipality).
    """
    sessions = joined(session)
    existing = {
        c.organisation: c for c in list_campaigns(sessions, survey_id) if is_demo_campaign(c)
    }
    campaigns: dict[str, CampaignSummary] = {}
    survey: Survey | None = None
    for spec in DEMO_CAMPAIGNS:
        found = existing.get(spec.organisation)
        if found is None:
            survey = survey or reference_survey(session, survey_id)
            code: str | None = campaign_code(survey_id, spec.key)
            if not campaign_responses.code_available(sessions, code or ""):
                code = None
            found = create_campaign(
                sessions,
                survey,
                spec.organisation,
                municipality=spec.municipality_code,
                code=code,
            )
        campaigns[spec.key] = found
    return campaigns
