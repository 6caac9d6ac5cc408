# ruff: noqa: F811 - test arguments named after the fixtures imported from db_fixtures
"""The composition root: one build for every entry point, refusals as coded errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from db_fixtures import database_url  # noqa: F401

from intake.registry import SurveyRegistry
from intake.service import IntakeService
from intake.settings import DEVELOPMENT_SECRET_KEY
from observatory import Observatory, ObservatoryError
from observatory.database import upgrade_database
from services import Settings, build_services, load_settings

ROOT = Path(__file__).resolve().parents[2]
SECRET = "services-tests-secret-0123456789"


@pytest.fixture
def migrated_url(database_url: str) -> str:
    upgrade_database(database_url)
    return database_url


def _settings(url: str, **changes: object) -> Settings:
    base = Settings(database_url=url, survey_defs=ROOT / "survey_defs", secret_key=SECRET)
    return base.overridden(**changes)


def test_everything_is_built_at_once_on_an_up_to_date_database(migrated_url: str) -> None:
    with build_services(_settings(migrated_url)) as services:
        assert isinstance(services.registry, SurveyRegistry)
        assert services.registry.survey_ids() == ["perceived_safety", "victimisation"]
        assert isinstance(services.intake, IntakeService)
        assert isinstance(services.observatory, Observatory)
        turn = services.intake.start("perceived_safety", "web", "fr")
        assert turn.prompt is not None
        # The observatory sees what the intake service wrote.
        counts = services.observatory.responses_by("perceived_safety", "status")
        assert [(c.key, c.responses) for c in counts] == [("in_progress", 1)]
        assert services.intake is services.intake
        assert services.settings.secret_key == SECRET


def test_a_database_behind_is_refused_with_the_upgrade_hint(database_url: str) -> None:
    with pytest.raises(ObservatoryError) as raised:
        build_services(_settings(database_url))
    assert raised.value.code == "schema_behind"
    assert "vigie db upgrade" in raised.value.render("en")
    assert "vigie db upgrade" in raised.value.render("fr")


def test_a_command_pays_only_for_what_it_uses(migrated_url: str) -> None:
    development = _settings(migrated_url, secret_key=DEVELOPMENT_SECRET_KEY)
    with build_services(development, eager=False) as services:
        assert services.observatory.campaigns() == []
        with pytest.raises(ObservatoryError) as raised:
            _ = services.intake
        assert raised.value.code == "default_secret"
    with pytest.raises(ObservatoryError) as at_start:
        build_services(development)
    assert at_start.value.code == "default_secret"
    testing = development.overridden(testing=True)
    with build_services(testing) as services:
        assert services.intake is not None


def test_broken_definitions_are_refused_with_every_problem(
    migrated_url: str, tmp_path: Path, data_dir: Path
) -> None:
    shutil.copy(data_dir / "definitions" / "broken" / "bad_name.yaml", tmp_path)
    shutil.copy(ROOT / "survey_defs" / "perceived_safety.yaml", tmp_path)
    with pytest.raises(ObservatoryError) as raised:
        build_services(_settings(migrated_url, survey_defs=tmp_path))
    error = raised.value
    assert error.code == "definitions_rejected"
    assert error.params["count"] == len(error.problems) >= 1
    assert "bad_name.yaml" in error.problem_lines("en")[0]
    assert "vigie survey check" in error.render("en")


def test_settings_come_from_the_environment() -> None:
    settings = load_settings(
        {
            "DATABASE_URL": "sqlite:///x.db",
            "VIGIE_SURVEY_DEFS": "elsewhere",
            "VIGIE_SECRET_KEY": SECRET,
            "VIGIE_ABANDON_AFTER_DAYS": "45",
            "VIGIE_TESTING": "true",
        }
    )
    assert settings == Settings(
        database_url="sqlite:///x.db",
        survey_defs=Path("elsewhere"),
        secret_key=SECRET,
        abandon_after_days=45,
        testing=True,
    )
    assert SECRET not in repr(settings)
    defaults = load_settings({})
    assert defaults == Settings()
    assert defaults.intake_settings().abandon_after_days == 30
    assert defaults.overridden(database_url=None, survey_defs=Path("d")).survey_defs == Path("d")


@pytest.mark.parametrize("raw", ["thirty", "0", "-3", "1.5"])
def test_a_bad_retention_period_is_refused(raw: str) -> None:
    with pytest.raises(ObservatoryError) as raised:
        load_settings({"VIGIE_ABANDON_AFTER_DAYS": raw})
    assert raised.value.code == "bad_idle_days"
    assert raw in raised.value.render("fr")
