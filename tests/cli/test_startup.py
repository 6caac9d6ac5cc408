"""``vigie`` starts fast: a command imports only what it uses.

Measured by hand with ``bench/startup.py`` (figures in docs/benchmarks.md);
here, what is imported is checked (never a time): ``vigie --help`` loads no
room, ``vigie survey check`` loads the rule book but neither the database nor
the statistics stack.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import click.testing
import pytest

from vigie_cli.lazy import LazyGroup, load_command
from vigie_cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "alembic", "pandas", "numpy", "scipy", "pyarrow", "psycopg")


def _imported_by(*arguments: str) -> set[str]:
    """Top-level packages imported by a fresh ``vigie ARGUMENTS`` (run in a subprocess)."""
    code = (
        "import json, sys\n"
        "from vigie_cli.main import cli\n"
        "try:\n"
        f"    cli({list(arguments)!r}, prog_name='vigie')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _groups() -> list[tuple[str, LazyGroup]]:
    found = [("vigie", cli)]
    survey = load_command("vigie_cli.survey:survey")
    assert isinstance(cli, LazyGroup) and isinstance(survey, LazyGroup)
    return [*found, ("vigie survey", survey)]  # type: ignore[list-item]


@pytest.mark.parametrize(("name", "group"), _groups(), ids=lambda v: str(v))
def test_the_lazy_help_texts_are_the_commands_own(name: str, group: LazyGroup) -> None:
    for sub, (target, text) in group.lazy.items():
        command = load_command(target)
        assert isinstance(command, click.Command)
        assert command.name == sub, name
        assert command.help == text, f"{name} {sub}: update the help text in its COMMANDS"


def test_help_imports_no_room() -> None:
    imported = _imported_by("--help")
    assert imported.isdisjoint(HEAVY), imported & set(HEAVY)
    assert imported.isdisjoint({"questionnaire", "storage", "analysis", "intake", "pydantic"})


def test_survey_check_imports_the_rule_book_only() -> None:
    imported = _imported_by("survey", "check", "survey_defs/perceived_safety.yaml")
    assert "questionnaire" in imported
    assert imported.isdisjoint(HEAVY), imported & set(HEAVY)
    assert imported.isdisjoint({"storage", "analysis", "intake"})


def test_every_command_still_answers_help() -> None:
    runner = click.testing.CliRunner()
    top = runner.invoke(cli, ["--help"])
    assert top.exit_code == 0
    for sub in cli.lazy:  # type: ignore[attr-defined]
        result = runner.invoke(cli, [sub, "--help"])
        assert result.exit_code == 0, (sub, result.output)
        assert sub in top.output
