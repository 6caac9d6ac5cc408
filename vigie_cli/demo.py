"""``vigie demo``: a demonstration database, and a short reading of its estimates.

``vigie demo populate`` migrates the database if needed, loads the demonstration benchmarks
when none are stored, creates demo distribution campaigns and fills the database with demo
respondents who walk the shipped questionnaires as the channels do (docs/demo.md).
``vigie demo summary`` prints a few indicators of a ``vigie estimate`` results file as a
table. Messages follow ``VIGIE_LANGUAGE`` (then ``LANG``): French or English.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import click
from sqlalchemy.orm import Session, sessionmaker

from analysis.loader import load_benchmark_frame
from analysis.pipeline_messages import PipelineError
from demo.population import build_population
from demo.residents import DemoClock, demo_service, populate_survey
from demo.store import (
    demo_responses,
    ensure_benchmarks,
    ensure_demo_campaigns,
    erase_demo_responses,
    foreign_responses,
    is_demo_campaign,
    prepare_schema,
)
from intake.registry import RegisteredSurvey, SurveyRegistry
from questionnaire.definition.errors import DefinitionErrors
from questionnaire.definition.model import Survey
from questionnaire.loader import load_survey
from storage.campaigns import count_responses_by_campaign
from storage.engine import SchemaUnknownError, make_engine, make_session_factory
from storage.messages import preferred_language
from vigie_cli.demo_messages import render
from vigie_cli.demo_summary import DEFAULT_INDICATORS, SummaryError, summary_text

#: Demo respondents per questionnaire unless --respondents says otherwise.
DEFAULT_RESPONDENTS = {"perceived_safety": 1500, "victimisation": 600}
FALLBACK_RESPONDENTS = 500
DEFAULT_DEMO_SEED = 2025
_DATABASE_HELP = "Database URL; defaults to $DATABASE_URL, then sqlite:///instance/vigie.db."


@click.group(name="demo", help="A demonstration database, and a short reading of its estimates.")
def demo() -> None:
    pass


def _load_definitions(directory: Path) -> list[Survey]:
    try:
        return [load_survey(path) for path in sorted(directory.glob("*.yaml"))]
    except DefinitionErrors as errors:
        raise click.ClickException(str(errors)) from errors


def _chosen(surveys: list[Survey], wanted: str, language: str) -> list[Survey]:
    if wanted == "all":
        return surveys
    chosen = [s for s in surveys if s.id == wanted]
    if not chosen:
        known = ", ".join(s.id for s in surveys)
        raise click.ClickException(
            render("unknown_survey", {"survey": wanted, "known": known}, language)
        )
    return chosen


def _report_campaigns(session: Session, survey_id: str, language: str) -> None:
    titles = render("campaign_columns", {}, language).split("|")
    click.echo(f"  {titles[0]:<50} {titles[1]:<30} {titles[2]:>10} {titles[3]:>10}")
    for campaign, started, completed in count_responses_by_campaign(session, survey_id):
        if is_demo_campaign(campaign):
            click.echo(
                f"  {campaign.organisation:<50} {campaign.code:<30} {started:>10} {completed:>10}"
            )


def _populate_one(
    sessions: sessionmaker[Session],
    registry: SurveyRegistry,
    registered: RegisteredSurvey,
    *,
    respondents: int,
    seed: int,
    replace: bool,
    language: str,
) -> None:
    survey = registered.survey
    with sessions.begin() as session:
        present = demo_responses(session, survey.id)
        if present and not replace:
            click.echo(render("already_there", {"survey": survey.id, "count": present}, language))
            _report_campaigns(session, survey.id, language)
            return
        if present:
            erased = erase_demo_responses(session, survey.id)
            click.echo(render("erased", {"survey": survey.id, "count": erased}, language))
        campaigns = ensure_demo_campaigns(session, survey.id)
        try:
            benchmarks = load_benchmark_frame(session, survey)
        except PipelineError as error:
            raise click.ClickException(error.message(language)) from error
    codes = (
        []
        if survey.weighting is None
        else [choice.code for choice in survey.question(survey.weighting.domain).choices]
    )
    population = build_population(benchmarks, codes)
    started = time.perf_counter()
    label = render("generating", {"survey": survey.id}, language)
    with click.progressbar(length=respondents, label=label) as bar:
        clock = DemoClock(dt.datetime.now(dt.UTC))
        statuses = populate_survey(
            demo_service(sessions, registry, clock),
            clock,
            survey,
            campaigns,
            population,
            respondents=respondents,
            seed=seed,
            now=dt.datetime.now(dt.UTC),
            progress=bar.update,
        )
    params = {
        "survey": survey.id,
        "count": respondents,
        "seconds": time.perf_counter() - started,
        "completed": statuses["completed"],
        "screened_out": statuses["screened_out"],
        "in_progress": statuses["in_progress"],
    }
    click.echo(render("generated", params, language))
    with sessions() as session:
        _report_campaigns(session, survey.id, language)


@demo.command(help="Fill the database with demonstration campaigns and respondents.")
@click.option(
    "--survey", "survey_id", default="all", show_default=True,
    help="Questionnaire id (perceived_safety, victimisation) or all.",
)  # fmt: skip
@click.option(
    "--respondents",
    type=click.IntRange(min=1),
    default=None,
    help="Respondents per questionnaire [default: 1500 perceived_safety, 600 victimisation].",
)
@click.option("--seed", type=int, default=DEFAULT_DEMO_SEED, show_default=True, help="Random seed.")
@click.option("--replace", is_flag=True, help="Erase the previous demonstration responses first.")
@click.option(
    "--survey-defs",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("survey_defs"),
    show_default=True,
    help="Folder of the questionnaires (*.yaml).",
)
@click.option("--database-url", default=None, help=_DATABASE_HELP)
def populate(
    survey_id: str,
    respondents: int | None,
    seed: int,
    replace: bool,
    survey_defs: Path,
    database_url: str | None,
) -> None:
    language = preferred_language(os.environ)
    surveys = _load_definitions(survey_defs)
    chosen = _chosen(surveys, survey_id, language)
    engine = make_engine(database_url)
    try:
        try:
            migrated = prepare_schema(engine)
        except SchemaUnknownError as error:
            raise click.ClickException(error.render(language)) from error
        click.echo(render("migrated" if migrated else "schema_current", {}, language))
        sessions = make_session_factory(engine)
        with sessions() as session:
            foreign = foreign_responses(session, [s.id for s in surveys])
        if foreign:
            raise click.ClickException(render("foreign_responses", {"count": foreign}, language))
        registry = SurveyRegistry(sessions)
        registry.register_all(chosen)
        with sessions.begin() as session:
            loaded = sum(ensure_benchmarks(session, survey) for survey in chosen)
        if loaded:
            click.echo(render("benchmarks_loaded", {"rows": loaded}, language))
        else:
            click.echo(render("benchmarks_kept", {}, language))
        for survey in chosen:
            count = respondents or DEFAULT_RESPONDENTS.get(survey.id, FALLBACK_RESPONDENTS)
            _populate_one(
                sessions,
                registry,
                registry.current(survey.id),
                respondents=count,
                seed=seed,
                replace=replace,
                language=language,
            )
    finally:
        engine.dispose()


@demo.command(help="Print a few indicators of vigie estimate's RESULTS files as tables.")
@click.argument(
    "results", nargs=-1, required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)  # fmt: skip
@click.option(
    "--indicator",
    "indicators",
    multiple=True,
    help="Indicator to show (repeatable) [default: the first three the file holds of "
    + ", ".join(DEFAULT_INDICATORS)
    + "].",
)
@click.option(
    "--survey-defs",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("survey_defs"),
    show_default=True,
    help="Folder of the questionnaires, for the indicators' labels.",
)
def summary(results: tuple[Path, ...], indicators: tuple[str, ...], survey_defs: Path) -> None:
    language = preferred_language(os.environ)
    surveys = _load_definitions(survey_defs) if survey_defs.is_dir() else []
    for path in results:
        try:
            click.echo(summary_text(path, list(indicators), surveys, language))
        except SummaryError as error:
            raise click.ClickException(error.message(language)) from error
