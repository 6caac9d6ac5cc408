# ruff: noqa: F811 - test arguments named after the fixtures imported from db_fixtures
"""``vigie users create``: an account with a typed password, or an invitation code."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from db_fixtures import database_url  # noqa: F401

from observatory.database import upgrade_database
from services import Settings, build_services
from vigie_cli.main import cli


@pytest.fixture
def migrated_url(database_url: str) -> str:
    upgrade_database(database_url)
    return database_url


def _run(url: str, *args: str, given: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["users", *args], input=given, env={"DATABASE_URL": url, "VIGIE_LANGUAGE": "fr"}
    )
    return result.exit_code, result.output


def test_create_asks_for_the_password_twice_and_stores_its_hash(migrated_url: str) -> None:
    typed = "une phrase assez longue\nune phrase assez longue\n"
    code, output = _run(migrated_url, "create", "Ana@Vigie.test", "--role", "analyst", given=typed)
    assert code == 0, output
    assert "Compte ana@vigie.test créé (rôle : analyst)." in output
    with build_services(Settings(database_url=migrated_url), eager=False) as services:
        user = services.observatory.accounts.authenticate(
            "ana@vigie.test", "une phrase assez longue"
        )
    assert user.role == "analyst"


def test_a_partner_needs_its_organisation(migrated_url: str) -> None:
    code, output = _run(migrated_url, "create", "p@x.test", "--role", "partner", "--invite")
    assert code == 1
    assert "organisme" in output
    code, output = _run(
        migrated_url,
        "create",
        "p@x.test",
        "--role",
        "partner",
        "--organisation",
        "Aînés",
        "--invite",
    )
    assert code == 0, output
    assert "/analyst/invitation/" in output
    code, listed = _run(migrated_url, "list")
    assert "p@x.test\tpartner\tAînés\toui" in listed


def test_a_short_password_and_a_taken_address_are_refused(migrated_url: str) -> None:
    code, output = _run(
        migrated_url, "create", "a@x.test", "--role", "admin", given="court\ncourt\n"
    )
    assert code == 1 and "12 caractères" in output
    _run(migrated_url, "create", "a@x.test", "--role", "admin", "--invite")
    code, output = _run(migrated_url, "create", "a@x.test", "--role", "admin", "--invite")
    assert code == 1 and "existe déjà" in output


def test_the_password_may_come_from_standard_input(migrated_url: str) -> None:
    code, output = _run(
        migrated_url,
        "create",
        "b@x.test",
        "--role",
        "analyst",
        "--password-stdin",
        given="une phrase assez longue\n",
    )
    assert code == 0, output
    assert "Password" not in output and "Mot de passe" not in output
