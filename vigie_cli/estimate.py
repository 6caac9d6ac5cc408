"""``vigie estimate``: weighted municipal estimates of a questionnaire's indicators.

Reads the questionnaire's responses and the population benchmarks from the database, runs the
estimation pipeline (:func:`analysis.pipeline.estimate_survey`, see docs/statistics.md) with a
progress bar, and writes the tidy results table as CSV or Parquet, chosen by the extension of
``--out``. Messages follow ``VIGIE_LANGUAGE`` (then ``LANG``): French or English.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import click
import pandas as pd

from analysis.errors import AnalysisError
from analysis.pipeline import DEFAULT_SEED, estimate_survey
from analysis.pipeline_messages import PipelineError
from analysis.quality import ISQ, STATISTICS_CANADA, ReleaseRules
from i18n import translate
from storage.engine import (
    SchemaBehind,
    SchemaUnknownError,
    check_schema_current,
    make_engine,
    make_session_factory,
)
from storage.messages import preferred_language

FORMATS = (".csv", ".parquet")


#: Named release rules for --rules.
RULE_PRESETS = {"statcan": STATISTICS_CANADA, "isq": ISQ}


def release_rules(
    name: str, publish_cv: float | None, caution_cv: float | None, min_respondents: int | None
) -> ReleaseRules:
    """The preset ``name`` with any cut-off given on the command line replaced.

    Raises :class:`analysis.errors.AnalysisError` when the cut-offs do not fit together.
    """
    preset = RULE_PRESETS[name]
    publish = preset.publish_cv if publish_cv is None else publish_cv
    caution = preset.caution_cv if caution_cv is None else caution_cv
    tiers = preset.caution_tiers
    if caution_cv is not None or publish_cv is not None:
        # Custom cut-offs: one caution tier between them, with the preset's last flag.
        tiers = ((caution, preset.caution_tiers[-1][1]),)
    return replace(
        preset,
        publish_cv=publish,
        caution_cv=caution,
        caution_tiers=tiers,
        min_respondents=preset.min_respondents if min_respondents is None else min_respondents,
    )


def write_results(results: pd.DataFrame, path: Path) -> None:
    """Write the table as CSV (UTF-8, no index) or Parquet, by the file's extension."""
    if path.suffix.lower() == ".parquet":
        results.to_parquet(path, index=False)
    else:
        results.to_csv(path, index=False)


class _Updatable(Protocol):
    def update(self, n_steps: int) -> None: ...


class _Bar:
    """Moves a click progress bar: one step per replicate and one per other stage."""

    def __init__(self, bar: _Updatable) -> None:
        self.bar = bar
        self.replicates_done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "replicates":
            self.bar.update(done - self.replicates_done)
            self.replicates_done = done
        elif done == total:
            self.bar.update(1)


@click.command(
    name="estimate",
    help="Weighted estimates of every indicator in every municipality, written to --out "
    "(.csv or .parquet).",
)
@click.option("--survey", "survey_id", required=True, help="Questionnaire id, e.g. victimisation.")
@click.option(
    "--replicates",
    type=click.IntRange(min=2),
    default=500,
    show_default=True,
    help="Bootstrap replicates for the variances.",
)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Random seed.")
@click.option(
    "--include-partial", is_flag=True, help="Also use responses in progress or abandoned."
)
@click.option(
    "--rules",
    "rules_name",
    type=click.Choice(sorted(RULE_PRESETS)),
    default="statcan",
    show_default=True,
    help="Release rules: Statistics Canada (E, F, x) or Institut de la statistique du Québec "
    "(*, **).",
)
@click.option(
    "--publish-cv", type=float, default=None, help="Highest CV (%) published without a flag."
)
@click.option(
    "--caution-cv", type=float, default=None, help="Highest CV (%) published with a caution flag."
)
@click.option(
    "--min-respondents",
    type=click.IntRange(min=0),
    default=None,
    help="Fewer respondents than this: suppressed (x).",
)
@click.option(
    "--database-url",
    default=None,
    help="Database URL; defaults to $DATABASE_URL, then sqlite:///instance/vigie.db.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Results file: .csv or .parquet.",
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
    language = preferred_language(os.environ)
    if out.suffix.lower() not in FORMATS:
        raise click.ClickException(PipelineError("bad_output", path=out).message(language))
    try:
        rules = release_rules(rules_name, publish_cv, caution_cv, min_respondents)
    except AnalysisError as error:
        raise click.ClickException(error.message(language)) from error
    engine = make_engine(database_url)
    try:
        check_schema_current(engine)
        with click.progressbar(
            length=replicates + 4, label=translate(language, "cli.estimate.label")
        ) as bar:
            results = estimate_survey(
                make_session_factory(engine),
                survey_id,
                replicates=replicates,
                seed=seed,
                include_partial=include_partial,
                rules=rules,
                progress=_Bar(bar),
            )
    except (SchemaBehind, SchemaUnknownError) as error:
        raise click.ClickException(error.render(language)) from error
    except PipelineError as error:
        raise click.ClickException(error.message(language)) from error
    finally:
        engine.dispose()
    write_results(results, out)
    municipal = (results["channel"] == "all") & (results["municipality"] != "ALL")
    municipalities = results.loc[municipal, "municipality"].nunique()
    click.echo(
        translate(
            language,
            "cli.estimate.done",
            rows=len(results),
            municipalities=municipalities,
            indicators=results["indicator"].nunique(),
            path=out,
        )
    )
