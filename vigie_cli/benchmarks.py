"""``vigie benchmarks load``: load census margins for weighting from a CSV file.

The file format is documented in ``docs/storage.md``. Every row is checked
first; if any is wrong, each error is printed with its line number and nothing
is loaded. ``--demo`` loads the demonstration margins shipped with Vigie
(approximate or invented, never official).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import click

from demo import DEMO_BENCHMARKS_CSV
from storage.benchmark_csv import BenchmarkFile, CsvError, read_benchmark_csv
from storage.benchmarks import BenchmarksAlreadyLoadedError, benchmark_key, load_benchmarks
from storage.engine import (
    SchemaBehind,
    SchemaUnknownError,
    check_schema_current,
    make_engine,
    make_session_factory,
)
from storage.messages import preferred_language, render


@click.group(name="benchmarks", help="Population benchmarks (census margins) for weighting.")
def benchmarks() -> None:
    pass


@benchmarks.command(help="Load benchmark counts from FILE (CSV; see docs/storage.md).")
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--demo", is_flag=True, help="Load the demonstration benchmarks shipped with Vigie.")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the stored counts of each source and year the file holds.",
)
@click.option(
    "--database-url",
    default=None,
    help="Database URL; defaults to $DATABASE_URL, then sqlite:///instance/vigie.db.",
)
def load(file: Path | None, demo: bool, replace: bool, database_url: str | None) -> None:
    language = preferred_language(os.environ)
    if (file is None) == (not demo):
        raise click.UsageError(render("cli_file_or_demo", {}, language))
    path = DEMO_BENCHMARKS_CSV if demo else file
    assert path is not None
    parsed = read_benchmark_csv(path)
    if parsed.errors:
        _reject(path, parsed.errors, language)
    engine = make_engine(database_url)
    try:
        check_schema_current(engine)
        with make_session_factory(engine).begin() as session:
            summary = load_benchmarks(session, parsed.municipalities, parsed.rows, replace=replace)
    except (SchemaBehind, SchemaUnknownError) as error:
        raise click.ClickException(error.render(language)) from error
    except BenchmarksAlreadyLoadedError as error:
        _reject(path, _clash_errors(parsed, error), language)
    finally:
        engine.dispose()
    click.echo(
        render(
            "cli_loaded",
            {
                "rows": summary.rows,
                "municipalities": summary.municipalities,
                "replaced": summary.replaced,
            },
            language,
        )
    )


def _clash_errors(parsed: BenchmarkFile, error: BenchmarksAlreadyLoadedError) -> list[CsvError]:
    clashing = set(error.keys)
    return [
        CsvError(line.line, "csv_already_loaded")
        for line in parsed.lines
        if benchmark_key(line.row) in clashing
    ]


def _reject(path: Path, errors: list[CsvError], language: str) -> NoReturn:
    for error in errors:
        click.echo(error.render(language), err=True)
    message = render("cli_csv_rejected", {"path": path, "count": len(errors)}, language)
    raise click.ClickException(message)
