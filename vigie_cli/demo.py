"""``vigie demo``: a demonstration database, and a short reading of its estimates.

``vigie demo populate`` migrates the database if needed, loads the demonstration benchmarks
when none are stored, creates demo distribution campaigns and fills the database with demo
respondents who walk the shipped questionnaires as the channels do (docs/demo.md).
``vigie demo summary`` prints a few indicators of a ``vigie estimate`` results file as a
table. Messages follow ``VIGIE_LANGUAGE`` (then ``LANG``): French or English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from demo.populate import (
    DEFAULT_DEMO_SEED,
    DemoCampaignCount,
    DemoRefusedError,
    load_definitions,
    populate_demo,
)
from vigie_cli.console import language as command_language
from vigie_cli.demo_messages import render
from vigie_cli.demo_summary import DEFAULT_INDICATORS, SummaryError, summary_text
from vigie_cli.words import help_text


@click.group(name="demo", help=help_text("cli.help.demo"))
def demo() -> None:
    pass


class _Printer:
    """Prints what the demonstration does, in the command's language."""

    def __init__(self, language: str) -> None:
        self.language = language

    def say(self, code: str, **params: Any) -> None:
        click.echo(render(code, params, self.language))

    def campaigns(self, rows: list[DemoCampaignCount]) -> None:
        titles = render("campaign_columns", {}, self.language).split("|")
        click.echo(f"  {titles[0]:<50} {titles[1]:<30} {titles[2]:>10} {titles[3]:>10}")
        for row in rows:
            click.echo(
                f"  {row.organisation:<50} {row.code:<30} {row.started:>10} {row.completed:>10}"
            )

    @contextmanager
    def progress(self, total: int, survey_id: str) -> Iterator[Callable[[int], Any]]:
        label = render("generating", {"survey": survey_id}, self.language)
        with click.progressbar(length=total, label=label) as bar:
            yield bar.update


def _refusal(error: DemoRefusedError, language: str) -> click.ClickException:
    if error.words is not None:
        return click.ClickException(error.words(language))
    return click.ClickException(render(error.code, error.params, language))


@demo.command(help=help_text("cli.help.demo.populate"))
@click.option(
    "--survey", "survey_id", default="all", show_default=True,
    help=help_text("cli.help.demo.populate.survey"),
)  # fmt: skip
@click.option(
    "--respondents",
    type=click.IntRange(min=1),
    default=None,
    help=help_text("cli.help.demo.populate.respondents"),
)
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_DEMO_SEED,
    show_default=True,
    help=help_text("cli.help.option.seed"),
)
@click.option("--replace", is_flag=True, help=help_text("cli.help.demo.populate.replace"))
@click.option(
    "--survey-defs",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("survey_defs"),
    show_default=True,
    help=help_text("cli.help.demo.populate.survey_defs"),
)
@click.option("--database-url", default=None, help=help_text("cli.help.option.database_url"))
def populate(
    survey_id: str,
    respondents: int | None,
    seed: int,
    replace: bool,
    survey_defs: Path,
    database_url: str | None,
) -> None:
    language = command_language()
    try:
        populate_demo(
            _Printer(language),
            database_url=database_url,
            survey_defs=survey_defs,
            survey_id=survey_id,
            respondents=respondents,
            seed=seed,
            replace=replace,
        )
    except DemoRefusedError as error:
        raise _refusal(error, language) from error


@demo.command(help=help_text("cli.help.demo.summary"))
@click.argument(
    "results", nargs=-1, required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)  # fmt: skip
@click.option(
    "--indicator",
    "indicators",
    multiple=True,
    help=help_text("cli.help.demo.summary.indicator", indicators=", ".join(DEFAULT_INDICATORS)),
)
@click.option(
    "--survey-defs",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("survey_defs"),
    show_default=True,
    help=help_text("cli.help.demo.summary.survey_defs"),
)
def summary(results: tuple[Path, ...], indicators: tuple[str, ...], survey_defs: Path) -> None:
    language = command_language()
    try:
        surveys = load_definitions(survey_defs) if survey_defs.is_dir() else []
    except DemoRefusedError as error:
        raise _refusal(error, language) from error
    for path in results:
        try:
            click.echo(summary_text(path, list(indicators), surveys, language))
        except SummaryError as error:
            raise click.ClickException(error.message(language)) from error
