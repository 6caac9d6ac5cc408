# ruff: noqa: F811 - test arguments named after the fixtures imported from db_fixtures
"""The demo's campaigns and benchmarks go through the observatory's operations, inside the
demonstration's own transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from db_fixtures import database_url, engine, session_factory  # noqa: F401
from sqlalchemy.orm import Session, sessionmaker

from demo.store import (
    DEMO_CAMPAIGNS,
    campaign_code,
    demo_responses,
    ensure_benchmarks,
    ensure_demo_campaigns,
    erase_demo_responses,
    foreign_responses,
    joined,
)
from observatory.campaigns import create_campaign, list_campaigns
from observatory.errors import ObservatoryError
from questionnaire.definition.model import Survey
from questionnaire.loader import load_survey
from storage.activity import response_activity
from storage.campaigns import get_campaign_by_code
from storage.records import ResponseStatus
from storage.responses import create_response
from storage.surveys import register_survey_version

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def survey(session_factory: sessionmaker[Session]) -> tuple[Survey, int]:
    """The shipped perceived-safety questionnaire, registered; with its version id."""
    loaded = load_survey(ROOT / "survey_defs" / "perceived_safety.yaml")
    with session_factory.begin() as session:
        return loaded, register_survey_version(session, loaded).id


def _respond(sessions: sessionmaker[Session], version_id: int, code: str | None) -> str:
    with sessions.begin() as session:
        campaign = None if code is None else get_campaign_by_code(session, code)
        made = create_response(
            session, version_id, "web", "fr", None if campaign is None else campaign.id
        )
        return made.id


def test_campaigns_are_made_once_by_the_observatory_with_readable_codes(
    session_factory: sessionmaker[Session], survey: tuple[Survey, int]
) -> None:
    questionnaire, _version = survey
    taken = campaign_code(questionnaire.id, "jeunes")
    create_campaign(session_factory, questionnaire, "Maison de quartier", code=taken)
    with session_factory.begin() as session:
        made = ensure_demo_campaigns(session, questionnaire.id)
    assert sorted(made) == sorted(spec.key for spec in DEMO_CAMPAIGNS)
    assert made["centre"].code == "demo-perceived-safety-centre"
    assert made["jeunes"].code != taken  # taken by a real organisation: a generated one
    assert made["locataires"].municipality == "2443027"
    with session_factory.begin() as session:
        again = ensure_demo_campaigns(session, questionnaire.id)
    assert {k: c.code for k, c in again.items()} == {k: c.code for k, c in made.items()}
    assert len(list_campaigns(session_factory, questionnaire.id)) == len(DEMO_CAMPAIGNS) + 1


def test_a_refused_operation_leaves_the_demonstration_s_step_undone(
    session_factory: sessionmaker[Session], survey: tuple[Survey, int]
) -> None:
    questionnaire, _version = survey
    with pytest.raises(ObservatoryError) as refused, session_factory.begin() as session:
        ensure_demo_campaigns(session, questionnaire.id)
        # The observatory's municipality check refuses, inside the same transaction.
        create_campaign(joined(session), questionnaire, "Ailleurs", municipality="0000000")
    assert refused.value.code == "unknown_municipality"
    assert list_campaigns(session_factory, questionnaire.id) == []


def test_responses_are_counted_and_erased_campaign_by_campaign(
    session_factory: sessionmaker[Session], survey: tuple[Survey, int]
) -> None:
    questionnaire, version_id = survey
    with session_factory.begin() as session:
        made = ensure_demo_campaigns(session, questionnaire.id)
    real = create_campaign(session_factory, questionnaire, "Vraie table de quartier").code
    demo_ids = [_respond(session_factory, version_id, made[key].code) for key in made]
    real_id = _respond(session_factory, version_id, real)
    _respond(session_factory, version_id, None)
    with session_factory() as session:
        assert demo_responses(session, questionnaire.id) == len(made)
        assert foreign_responses(session, [questionnaire.id]) == 2  # the real one, no campaign
    with session_factory.begin() as session:
        assert erase_demo_responses(session, questionnaire.id) == len(made)
    with session_factory() as session:
        statuses = {r.response_id: r.status for r in response_activity(session, questionnaire.id)}
        assert demo_responses(session, questionnaire.id) == 0
        assert foreign_responses(session, [questionnaire.id]) == 2
    assert {statuses[i] for i in demo_ids} == {ResponseStatus.ERASED}
    assert statuses[real_id] is ResponseStatus.IN_PROGRESS


def test_benchmarks_are_loaded_by_the_observatory_only_when_none_are_stored(
    session_factory: sessionmaker[Session], survey: tuple[Survey, int]
) -> None:
    questionnaire, _version = survey
    with session_factory.begin() as session:
        loaded = ensure_benchmarks(session, questionnaire)
    assert loaded > 0
    with session_factory.begin() as session:
        assert ensure_benchmarks(session, questionnaire) == 0
    unweighted = questionnaire.model_copy(update={"weighting": None})
    with session_factory.begin() as session:
        assert ensure_benchmarks(session, unweighted) == 0
