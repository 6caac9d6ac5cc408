"""The layout of the house: every package under the import contracts, light entry points.

``lint-imports`` (``make lint``) checks the contracts of ``.importlinter``; a
package it does not know is invisible to it, so these tests fail when one is
added without being placed in the layers. The laziness tests run a fresh
interpreter: a command or a channel that does not estimate must not load the
statistics stack.
"""

from __future__ import annotations

import configparser
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOT_PRODUCTION = {"tests", "bench", "docs", "survey_defs", "build"}


def _contracts() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(inline_comment_prefixes=None)
    parser.read(ROOT / ".importlinter", encoding="utf-8")
    return parser


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _packages() -> set[str]:
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_PRODUCTION
    }


def test_every_package_is_under_the_contracts() -> None:
    contracts = _contracts()
    roots = set(_lines(contracts["importlinter"]["root_packages"]))
    assert roots == _packages()
    layered = {
        name.strip("() ")
        for layer in _lines(contracts["importlinter:contract:layers"]["layers"])
        for name in layer.split("|")
    }
    assert roots <= layered


def test_the_channels_may_not_reach_the_database() -> None:
    contract = _contracts()["importlinter:contract:channels-no-database"]
    sources = set(_lines(contract["source_modules"]))
    channels = {"vigie_cli", "webapp", "bot"} & _packages()
    assert channels <= sources
    assert {"storage", "sqlalchemy"} <= set(_lines(contract["forbidden_modules"]))


@pytest.mark.parametrize("folder", ["observatory", "services", "vigie_cli"])
def test_production_files_stay_short(folder: str) -> None:
    long = {
        str(path.relative_to(ROOT)): count
        for path in (ROOT / folder).rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 350
    }
    assert long == {}


def _loaded_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(done.stdout.split())


HEAVY = {"pandas", "numpy", "scipy", "analysis", "pyarrow"}


def test_the_command_loads_a_sub_command_only_when_it_runs() -> None:
    loaded = _loaded_after("from vigie_cli.main import cli")
    assert not loaded & (HEAVY | {"sqlalchemy", "vigie_cli.estimate", "vigie_cli.demo"})


def test_the_seams_load_without_the_statistics_stack() -> None:
    loaded = _loaded_after("import services, observatory, vigie_cli.estimate, vigie_cli.campaigns")
    assert not loaded & HEAVY
