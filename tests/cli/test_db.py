# ruff: noqa: F811 - test arguments named after the fixtures imported from db_fixtures
"""``vigie db upgrade``, ``current`` and ``downgrade``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from db_fixtures import database_url  # noqa: F401
from sqlalchemy import inspect

from storage import migrate
from storage.engine import check_schema_current, make_engine
from storage.tables import Base
from vigie_cli.main import cli


def _run(url: str, *args: str, language: str = "en") -> tuple[int, str]:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["db", *args], env={"DATABASE_URL": url, "VIGIE_LANGUAGE": language}
    )
    return result.exit_code, result.output


def test_upgrade_creates_every_table_and_current_says_up_to_date(database_url: str) -> None:
    code, output = _run(database_url, "current")
    assert code == 1
    assert "vigie db upgrade" in output
    code, output = _run(database_url, "upgrade")
    assert code == 0, output
    assert migrate.head_revision() in output
    code, output = _run(database_url, "current")
    assert code == 0
    assert "up to date" in output
    engine = make_engine(database_url)
    try:
        check_schema_current(engine)
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_downgrade_to_base_then_upgrade_again(database_url: str) -> None:
    assert _run(database_url, "upgrade")[0] == 0
    code, output = _run(database_url, "downgrade", "base", language="fr")
    assert code == 0, output
    assert "aucune" in output
    code, output = _run(database_url, "current", language="fr")
    assert code == 1 and "en retard" in output
    assert _run(database_url, "upgrade")[0] == 0


def test_the_database_url_option_wins_over_the_environment(tmp_path: Path) -> None:
    chosen = f"sqlite:///{tmp_path / 'chosen.db'}"
    ignored = f"sqlite:///{tmp_path / 'ignored.db'}"
    code, output = _run(ignored, "upgrade", "--database-url", chosen)
    assert code == 0, output
    assert (tmp_path / "chosen.db").exists()
    assert not (tmp_path / "ignored.db").exists()


def test_current_names_the_database_and_an_empty_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'v.db'}"
    code, output = _run(url, "current")
    assert code == 1
    assert f"Database: {url}" in output
    assert "Revision: none (empty database)" in output
