"""``vigie`` starts fast: a command imports only what it uses.

Measured by hand with ``bench/startup.py`` (figures in docs/benchmarks.md);
here, what is imported is checked (never a time): ``vigie --help`` loads no
room, ``vigie survey check`` loads the rule book but neither the database nor
the statistics stack.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import click.testing
import pytest

from i18n import ENVIRONMENT_KEYS, _catalog, translate
from vigie_cli.demo_summary import DEFAULT_INDICATORS
from vigie_cli.lazy import LazyGroup, load_command
from vigie_cli.main import cli
from vigie_cli.words import help_text

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
    for sub, (target, msgid) in group.lazy.items():
        command = load_command(target)
        assert isinstance(command, click.Command)
        assert command.name == sub, name
        assert msgid.startswith("cli.help."), f"{name} {sub}: a catalog id, not a text"
        assert command.help == help_text(msgid), f"{name} {sub}: update its id in COMMANDS"


#: Prints every help text of the command tree (lazy commands loaded), as JSON, on stderr.
_HELP_TREE = """
import json, sys
import click
from vigie_cli.lazy import LazyGroup, load_command
from vigie_cli.main import cli

def walk(command, path, found, options=True):
    found[path] = command.help
    for param in command.params if options else ():
        if isinstance(param, click.Option):
            found[path + " " + param.opts[0]] = param.help
    if isinstance(command, LazyGroup):
        for name, (target, _msgid) in command.lazy.items():
            walk(load_command(target), path + " " + name, found)
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            # Flask's commands (vigie run, routes, shell): their own help, not their options
            walk(sub, path + " " + name, found, options=isinstance(command, LazyGroup) is False)

found = {}
walk(cli, "vigie", found)
top = cli.get_help(click.Context(cli, info_name="vigie"))
print(json.dumps({"texts": found, "top": top}), file=sys.stderr)
"""


def _help_tree(environment: dict[str, str]) -> dict[str, Any]:
    """Every help text of ``vigie`` in a fresh process with ``environment``."""
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT_KEYS}
    done = subprocess.run(
        [sys.executable, "-c", _HELP_TREE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**env, **environment},
    )
    return dict(json.loads(done.stderr.strip().splitlines()[-1]))


def test_every_help_text_comes_from_the_catalogs_in_the_user_s_language() -> None:
    """``LANG=fr_CA.UTF-8 vigie --help`` speaks French, ``C`` English, for every command."""
    french = _help_tree({"LANG": "fr_CA.UTF-8"})
    english = _help_tree({"LANG": "C.UTF-8"})
    assert set(french["texts"]) == set(english["texts"])
    catalog = {
        language: {
            translate(language, msgid, indicators=", ".join(DEFAULT_INDICATORS))
            for msgid in _catalog(language)
            if msgid.startswith("cli.help.")
        }
        for language in ("fr", "en")
    }
    for where, text in english["texts"].items():
        assert text in catalog["en"], f"{where}: {text!r} is not a cli.help.* entry"
        assert french["texts"][where] in catalog["fr"], where
        assert french["texts"][where] != text, f"{where}: the same in French and English"
    assert "Commandes:" in french["top"] or "Commandes :" in french["top"]
    assert translate("fr", "cli.help.campaigns") in french["top"]
    assert translate("en", "cli.help.campaigns") in english["top"]
    by_setting = _help_tree({"LANG": "fr_CA.UTF-8", "VIGIE_LANGUAGE": "en"})
    assert by_setting["texts"] == english["texts"]  # VIGIE_LANGUAGE decides first


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
