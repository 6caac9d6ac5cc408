"""``vigie`` starts fast: a command imports only what it uses.

Measured by hand with ``bench/startup.py`` (figures in docs/benchmarks.md);
here, what is imported is checked (never a time): ``vigie --help`` loads no
room, ``vigie survey check`` loads the rule book but neither the database nor
the statistics stack.
"""

from __future__ import annotations

import inspect
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
from vigie_cli.words import help_text, language

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


def help_texts(command: click.Command, path: str, found: dict[str, str | None]) -> None:
    """Every help text of ``command`` and below (lazy commands loaded), by command path.

    Flask's own commands (``vigie run``, ``routes``, ``shell``) count with their one-line help,
    not with their options.
    """
    found[path] = command.help
    for param in command.params:
        if isinstance(param, click.Option):
            found[f"{path} {param.opts[0]}"] = param.help
    if isinstance(command, LazyGroup):
        for name, (target, _msgid) in command.lazy.items():
            help_texts(load_command(target), f"{path} {name}", found)
        for name, flask_command in command.commands.items():
            found[f"{path} {name}"] = flask_command.help
    elif isinstance(command, click.Group):
        for name, sub in command.commands.items():
            help_texts(sub, f"{path} {name}", found)


#: The same walk in a fresh process (help texts are read when their module is imported).
_HELP_TREE = f"""
import json, sys
import click
from vigie_cli.lazy import LazyGroup, load_command
from vigie_cli.main import cli
{inspect.getsource(help_texts)}
found = {{}}
help_texts(cli, "vigie", found)
top = cli.get_help(click.Context(cli, info_name="vigie"))
print(json.dumps({{"texts": found, "top": top}}), file=sys.stderr)
"""


def _catalog_help(lang: str) -> set[str]:
    return {
        translate(lang, msgid, indicators=", ".join(DEFAULT_INDICATORS))
        for msgid in _catalog(lang)
        if msgid.startswith("cli.help.")
    }


def test_every_help_text_comes_from_the_catalogs_in_the_user_s_language() -> None:
    """Every help text is a ``cli.help.*`` entry in this process's language, and in a fresh
    process told the other language (``LANG``) every one is that language's entry."""
    here: dict[str, str | None] = {}
    help_texts(cli, "vigie", here)
    ours = language()
    other, tag = ("en", "C.UTF-8") if ours == "fr" else ("fr", "fr_CA.UTF-8")
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT_KEYS}
    done = subprocess.run(
        [sys.executable, "-c", _HELP_TREE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**env, "LANG": tag},
    )
    there: dict[str, Any] = json.loads(done.stderr.strip().splitlines()[-1])
    assert set(there["texts"]) == set(here)
    for where, text in here.items():
        assert text in _catalog_help(ours), f"{where}: {text!r} is not a cli.help.* entry"
        assert there["texts"][where] in _catalog_help(other), where
        assert there["texts"][where] != text, f"{where}: the same in French and English"
    for msgid in ("cli.help.campaigns", "cli.help.option.version"):
        assert translate(other, msgid) in there["top"]
    assert translate(other, "cli.help.commands") + ":" in there["top"]


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
