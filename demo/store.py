"""The demo's campaigns and benchmarks, through the storage repository functions only.

The residents themselves answer through the intake service (:mod:`demo.residents`).

Demo responses belong to demo campaigns, whose organisation names say "(démo)"
(:data:`DEMO_MARK`). Anything else in the database (responses without a campaign, or through
another campaign) belongs to a real observatory, and the demo refuses to mix with it.
Replacing the demo erases its responses with :func:`storage.responses.erase_response` (their
answers are deleted; a row with status ``erased`` and no campaign stays, as for any erasure).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from analysis.loader import margin_variable
from demo import DEMO_BENCHMARKS_CSV
from questionnaire.definition.model import Survey
from storage import migrate
from storage.analysis_source import iter_responses_for_analysis
from storage.benchmark_csv import read_benchmark_csv
from storage.benchmarks import get_benchmarks, load_benchmarks
from storage.campaigns import (
    CAMPAIGN_CODE,
    count_responses_by_campaign,
    create_campaign,
    get_campaign_by_code,
    list_campaigns,
)
from storage.engine import SchemaBehind, check_schema_current
from storage.records import Campaign, ResponseStatus
from storage.responses import erase_response

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


def is_demo_campaign(campaign: Campaign) -> bool:
    """Whether a campaign is one of the demo's (its organisation says "(démo)")."""
    return DEMO_MARK in campaign.organisation


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

    The same file and function as ``vigie benchmarks load --demo``. Returns the rows loaded
    (0 when benchmarks were already there).
    """
    if survey.weighting is None:
        return 0
    variables = [margin_variable(m) for m in survey.weighting.margins]
    if get_benchmarks(session, variables):
        return 0
    parsed = read_benchmark_csv(DEMO_BENCHMARKS_CSV)
    if parsed.errors:  # pragma: no cover - a test checks the shipped file
        raise ValueError(f"{DEMO_BENCHMARKS_CSV}: {len(parsed.errors)} error(s)")
    return load_benchmarks(session, parsed.municipalities, parsed.rows).rows


def foreign_responses(session: Session, survey_ids: list[str]) -> int:
    """How many responses (not erased) do not come through a demo campaign."""
    demo_ids = {c.id for c in list_campaigns(session) if is_demo_campaign(c)}
    found = 0
    for survey_id in survey_ids:
        for record, _answers in iter_responses_for_analysis(session, survey_id, HELD_STATUSES):
            if record.campaign_id not in demo_ids:
                found += 1
    return found


def demo_responses(session: Session, survey_id: str) -> int:
    """How many responses came through the questionnaire's demo campaigns."""
    counts = count_responses_by_campaign(session, survey_id)
    return sum(count.started for count in counts if is_demo_campaign(count.campaign))


def erase_demo_responses(session: Session, survey_id: str) -> int:
    """Erase every response of the questionnaire's demo campaigns; how many were."""
    demo_ids = {c.id for c in list_campaigns(session, survey_id) if is_demo_campaign(c)}
    chosen = [
        record.id
        for record, _answers in iter_responses_for_analysis(session, survey_id, HELD_STATUSES)
        if record.campaign_id in demo_ids
    ]
    return sum(erase_response(session, response_id) for response_id in chosen)


def campaign_code(survey_id: str, key: str) -> str:
    """The demo campaign's code, e.g. ``demo-perceived-safety-centre``."""
    return f"demo-{survey_id.replace('_', '-')}-{key}"[:32].rstrip("-")


def ensure_demo_campaigns(session: Session, survey_id: str) -> dict[str, Campaign]:
    """The questionnaire's demo campaigns by key, created when missing."""
    existing = {
        c.organisation: c for c in list_campaigns(session, survey_id) if is_demo_campaign(c)
    }
    campaigns: dict[str, Campaign] = {}
    for spec in DEMO_CAMPAIGNS:
        found = existing.get(spec.organisation)
        if found is None:
            code: str | None = campaign_code(survey_id, spec.key)
            if not CAMPAIGN_CODE.match(code or "") or get_campaign_by_code(session, code or ""):
                code = None  # a generated code instead
            found = create_campaign(
                session, spec.organisation, survey_id, spec.municipality_code, code
            )
        campaigns[spec.key] = found
    return campaigns
