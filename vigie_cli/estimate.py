"""``vigie estimate``: weighted municipal estimates of a questionnaire's indicators.

Reads the questionnaire's responses and the population benchmarks from the database, runs the
estimation pipeline (:func:`analysis.pipeline.estimate_survey`, see docs/statistics.md) with a
progress bar, and writes the tidy results table as CSV or Parquet, chosen by the extension of
``--out``. Messages follow ``VIGIE_LANGUAGE`` (then ``LANG``): French or English.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import click
import pandas as pd

from analysis.pipeline import DEFAULT_SEED, estimate_survey
from analysis.pipeline_messages import PipelineError
from storage.engine import (
    SchemaBehind,
    SchemaUnknownError,
    check_schema_current,
    make_engine,
    make_session_factory,
)
from storage.messages import preferred_language

FORMATS = (".csv", ".parquet")
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "label": "Estimating",
        "done": "Wrote {rows} rows ({municipalities} municipalities, {indicators} indicators) "
        "to {path}.",
    },
    "fr": {
        "label": "Estimation",
        "done": "{rows} lignes écrites ({municipalities} municipalités, {indicators} "
        "indicateurs) dans {path}.",
    },
}


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
    database_url: str | None,
    out: Path,
) -> None:
    language = preferred_language(os.environ)
    words = _WORDS.get(language, _WORDS["en"])
    if out.suffix.lower() not in FORMATS:
        raise click.ClickException(PipelineError("bad_output", path=out).message(language))
    engine = make_engine(database_url)
    try:
        check_schema_current(engine)
        with click.progressbar(length=replicates + 4, label=words["label"]) as bar:
            results = estimate_survey(
                make_session_factory(engine),
                survey_id,
                replicates=replicates,
                seed=seed,
                include_partial=include_partial,
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
        words["done"].format(
            rows=len(results),
            municipalities=municipalities,
            indicators=results["indicator"].nunique(),
            path=out,
        )
    )
