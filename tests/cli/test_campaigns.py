# ruff: noqa: F811 - test arguments named after the fixtures imported from db_fixtures
"""``vigie campaigns``: create, list with response counts, (de)activate."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from db_fixtures import database_url  # noqa: F401

from questionnaire.loader import load_survey
from questionnaire.navigation.status import ResponseStatus
from storage import migrate
from storage.campaigns import get_campaign_by_code
from storage.engine import make_engine, make_session_factory
from storage.records import Channel
from storage.responses import create_response, update_response_state
from storage.surveys import register_survey_version
from vigie_cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
DEFS = str(ROOT / "survey_defs")


@pytest.fixture
def migrated_url(database_url: str) -> str:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    return database_url


def _run(url: str, *args: str, language: str = "en") -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["campaigns", *args], env={"DATABASE_URL": url, "VIGIE_LANGUAGE": language}
    )
    return result.exit_code, result.output


def _create(url: str, *args: str, language: str = "en") -> tuple[int, str]:
    return _run(url, "create", "--survey-defs", DEFS, *args, language=language)


def _respond(url: str, campaign_code: str, statuses: list[ResponseStatus]) -> None:
    engine = make_engine(url)
    try:
        with make_session_factory(engine).begin() as session:
            version = register_survey_version(
                session, load_survey(ROOT / "survey_defs" / "perceived_safety.yaml")
            )
            campaign = get_campaign_by_code(session, campaign_code)
            assert campaign is not None
            for status in statuses:
                made = create_response(session, version.id, Channel.WEB, "fr", campaign.id)
                if status is not ResponseStatus.IN_PROGRESS:
                    update_response_state(
                        session, made.id, expected_row_version=made.row_version, status=status
                    )
    finally:
        engine.dispose()


def test_a_campaign_is_created_and_counts_its_responses(migrated_url: str) -> None:
    code, output = _create(
        migrated_url,
        "--survey",
        "perceived_safety",
        "--organisation",
        "Centre communautaire du Plateau",
        "--municipality",
        "2466023",
        "--code",
        "plateau-2026",
    )
    assert code == 0, output
    assert "Campaign plateau-2026 created" in output and "municipality 2466023" in output
    _respond(
        migrated_url,
        "plateau-2026",
        [ResponseStatus.COMPLETED, ResponseStatus.COMPLETED, ResponseStatus.IN_PROGRESS],
    )
    code, output = _run(migrated_url, "list")
    assert code == 0, output
    row = next(line for line in output.splitlines() if line.startswith("plateau-2026"))
    assert row.split("\t") == [
        "plateau-2026",
        "Centre communautaire du Plateau",
        "perceived_safety",
        "2466023",
        "yes",
        "3",
        "2",
    ]


def test_a_generated_code_and_french_messages(migrated_url: str) -> None:
    code, output = _create(
        migrated_url,
        "--survey",
        "victimisation",
        "--organisation",
        "Maison des jeunes",
        language="fr",
    )
    assert code == 0, output
    assert output.startswith("Campagne ") and "Maison des jeunes" in output
    code, output = _run(migrated_url, "list", "--survey", "victimisation", language="fr")
    assert "commencées" in output and "Maison des jeunes" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--survey", "nope", "--organisation", "A"], "No questionnaire 'nope'"),
        (
            ["--survey", "perceived_safety", "--organisation", "A", "--municipality", "123"],
            "Municipality '123' is not a choice",
        ),
        (
            ["--survey", "perceived_safety", "--organisation", "A", "--code", "Bad Code!"],
            "is not valid",
        ),
    ],
)
def test_bad_campaigns_are_refused_with_a_reason(
    migrated_url: str, args: list[str], message: str
) -> None:
    code, output = _create(migrated_url, *args)
    assert code == 1
    assert message in output
    assert "Traceback" not in output


def test_a_code_cannot_be_used_twice_and_campaigns_can_be_closed(migrated_url: str) -> None:
    args = ["--survey", "perceived_safety", "--organisation", "A", "--code", "quartier-nord"]
    assert _create(migrated_url, *args)[0] == 0
    code, output = _create(migrated_url, *args)
    assert code == 1 and "already used" in output
    assert _run(migrated_url, "deactivate", "quartier-nord") == (
        0,
        "Campaign quartier-nord is now inactive.\n",
    )
    assert "\tno\t" in _run(migrated_url, "list")[1]
    assert _run(migrated_url, "activate", "quartier-nord")[0] == 0
    code, output = _run(migrated_url, "deactivate", "absent")
    assert code == 1 and "No campaign has the code 'absent'" in output


def test_an_empty_database_has_no_campaigns(migrated_url: str) -> None:
    assert _run(migrated_url, "list") == (0, "No campaigns yet.\n")
