"""``vigie benchmarks load``: load census margins for weighting from a CSV file.

The file format is documented in ``docs/storage.md``. Every row is checked
first; if any is wrong, each error is printed with its line number and nothing
is loaded. ``--demo`` loads the demonstration margins shipped with Vigie
(approximate or invented, never official).
"""

from __future__ import annotations

from pathlib import Path

import click

from demo import DEMO_BENCHMARKS_CSV
from i18n import translate
from vigie_cli.console import database_option, language, open_services
from vigie_cli.words import help_text


@click.group(name="benchmarks", help=help_text("cli.help.benchmarks"))
def benchmarks() -> None:
    pass


@benchmarks.command(help=help_text("cli.help.benchmarks.load"))
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--demo", is_flag=True, help=help_text("cli.help.benchmarks.load.demo"))
@click.option(
    "--replace",
    is_flag=True,
    help=help_text("cli.help.benchmarks.load.replace"),
)
@database_option
def load(file: Path | None, demo: bool, replace: bool, database_url: str | None) -> None:
    lang = language()
    if (file is None) == (not demo):
        raise click.UsageError(translate(lang, "cli.benchmarks.file_or_demo"))
    path = DEMO_BENCHMARKS_CSV if demo or file is None else file
    with open_services(lang, database_url=database_url) as services:
        loaded = services.observatory.load_benchmarks(path, replace=replace)
    click.echo(
        translate(
            lang,
            "cli.benchmarks.loaded",
            rows=loaded.rows,
            municipalities=loaded.municipalities,
            replaced=loaded.replaced,
        )
    )
