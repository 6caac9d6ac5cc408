"""``vigie estimate``: weighted municipal estimates of a questionnaire's indicators.

Runs an estimate (observatory.estimates; the pipeline is described in
docs/statistics.md) with a progress bar and writes the tidy results table as
CSV or Parquet, chosen by the extension of ``--out``. The statistics stack is
imported only when the command runs.
"""

from __future__ import annotations

from pathlib import Path

import click

from i18n import translate
from observatory import (
    DEFAULT_REPLICATES,
    DEFAULT_RULES,
    DEFAULT_SEED,
    RULE_PRESETS,
    EstimateRequest,
    ObservatoryError,
    StepCounter,
    check_output,
    check_request,
    write_results,
)
from vigie_cli.console import database_option, fail, language, open_services
from vigie_cli.words import help_text


@click.command(
    name="estimate",
    help=help_text("cli.help.estimate"),
)
@click.option("--survey", "survey_id", required=True, help=help_text("cli.help.option.survey"))
@click.option(
    "--replicates",
    type=click.IntRange(min=2),
    default=DEFAULT_REPLICATES,
    show_default=True,
    help=help_text("cli.help.estimate.replicates"),
)
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_SEED,
    show_default=True,
    help=help_text("cli.help.option.seed"),
)
@click.option(
    "--include-partial", is_flag=True, help=help_text("cli.help.estimate.include_partial")
)
@click.option(
    "--rules",
    "rules_name",
    type=click.Choice(sorted(RULE_PRESETS)),
    default=DEFAULT_RULES,
    show_default=True,
    help=help_text("cli.help.estimate.rules"),
)
@click.option(
    "--publish-cv", type=float, default=None, help=help_text("cli.help.estimate.publish_cv")
)
@click.option(
    "--caution-cv", type=float, default=None, help=help_text("cli.help.estimate.caution_cv")
)
@click.option(
    "--min-respondents",
    type=click.IntRange(min=0),
    default=None,
    help=help_text("cli.help.estimate.min_respondents"),
)
@database_option
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=help_text("cli.help.estimate.out"),
)
def estimate(
    survey_id: str,
    replicates: int,
    seed: int,
    include_partial: bool,
    rules_name: str,
    publish_cv: float | None,
    caution_cv: float | None,
    min_respondents: int | None,
    database_url: str | None,
    out: Path,
) -> None:
    lang = language()
    request = EstimateRequest(
        survey_id,
        replicates=replicates,
        seed=seed,
        include_partial=include_partial,
        rules=rules_name,
        publish_cv=publish_cv,
        caution_cv=caution_cv,
        min_respondents=min_respondents,
    )
    try:
        check_output(out)
        check_request(request)
    except ObservatoryError as error:
        fail(error, lang)
    with open_services(lang, database_url=database_url) as services:
        label = translate(lang, "cli.estimate.label")
        with click.progressbar(length=StepCounter.total(replicates), label=label) as bar:
            run = services.observatory.estimate(request, progress=StepCounter(bar.update))
    write_results(run.table, out)
    click.echo(
        translate(
            lang,
            "cli.estimate.done",
            rows=run.rows,
            municipalities=run.municipalities,
            indicators=run.indicators,
            path=out,
        )
    )
