"""The demonstration, made: migrate, check, load benchmarks, create campaigns, walk residents.

The database must hold nothing but the demonstration (:func:`demo.store.foreign_responses`).
Each step is told to a :class:`Reporter` (the command prints it, with a progress bar while
residents answer); a refusal is a :class:`DemoRefusedError` with a code of the command's
messages, or with the words of the room that refused.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from analysis.loader import load_benchmark_frame
from analysis.pipeline.messages import PipelineError
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

#: Demo respondents per questionnaire unless told otherwise.
DEFAULT_RESPONDENTS = {"perceived_safety": 1500, "victimisation": 600}
FALLBACK_RESPONDENTS = 500
DEFAULT_DEMO_SEED = 2025


class DemoRefusedError(Exception):
    """The demonstration cannot be made here: ``code`` and ``params``, or the words of a room."""

    def __init__(
        self,
        code: str,
        params: dict[str, Any] | None = None,
        *,
        words: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.params = dict(params or {})
        self.words = words


@dataclass(frozen=True, slots=True)
class DemoCampaignCount:
    """Responses started and completed through one demo campaign."""

    organisation: str
    code: str
    started: int
    completed: int


class Reporter(Protocol):
    """Who hears what the demonstration does."""

    def say(self, code: str, **params: Any) -> None:
        """One step done (a message code of ``vigie demo`` and its parameters)."""

    def campaigns(self, rows: list[DemoCampaignCount]) -> None:
        """The demo campaigns of one questionnaire and what they brought in."""

    def progress(self, total: int, survey_id: str) -> AbstractContextManager[Callable[[int], Any]]:
        """A progress counter for ``total`` residents; called with the residents just walked."""


def load_definitions(directory: Path) -> list[Survey]:
    """Every questionnaire of ``directory``; :class:`DemoRefusedError` naming every problem."""
    try:
        return [load_survey(path) for path in sorted(directory.glob("*.yaml"))]
    except DefinitionErrors as errors:
        raise DemoRefusedError("definitions", words=errors.render) from errors


def _chosen(surveys: list[Survey], wanted: str) -> list[Survey]:
    if wanted == "all":
        return surveys
    chosen = [s for s in surveys if s.id == wanted]
    if not chosen:
        known = ", ".join(s.id for s in surveys)
        raise DemoRefusedError("unknown_survey", {"survey": wanted, "known": known})
    return chosen


def _campaign_counts(session: Session, survey_id: str) -> list[DemoCampaignCount]:
    return [
        DemoCampaignCount(campaign.organisation, campaign.code, started, completed)
        for campaign, started, completed in count_responses_by_campaign(session, survey_id)
        if is_demo_campaign(campaign)
    ]


def _populate_one(
    sessions: sessionmaker[Session],
    registry: SurveyRegistry,
    registered: RegisteredSurvey,
    reporter: Reporter,
    *,
    respondents: int,
    seed: int,
    replace: bool,
) -> None:
    survey = registered.survey
    with sessions.begin() as session:
        present = demo_responses(session, survey.id)
        if present and not replace:
            reporter.say("already_there", survey=survey.id, count=present)
            reporter.campaigns(_campaign_counts(session, survey.id))
            return
        if present:
            erased = erase_demo_responses(session, survey.id)
            reporter.say("erased", survey=survey.id, count=erased)
        campaigns = ensure_demo_campaigns(session, survey.id)
        try:
            benchmarks = load_benchmark_frame(session, survey)
        except PipelineError as error:
            raise DemoRefusedError(error.code, dict(error.params), words=error.message) from error
    codes = (
        []
        if survey.weighting is None
        else [choice.code for choice in survey.question(survey.weighting.domain).choices]
    )
    population = build_population(benchmarks, codes)
    started = time.perf_counter()
    with reporter.progress(respondents, survey.id) as advance:
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
            progress=advance,
        )
    reporter.say(
        "generated",
        survey=survey.id,
        count=respondents,
        seconds=time.perf_counter() - started,
        completed=statuses["completed"],
        screened_out=statuses["screened_out"],
        in_progress=statuses["in_progress"],
    )
    with sessions() as session:
        reporter.campaigns(_campaign_counts(session, survey.id))


def populate_demo(
    reporter: Reporter,
    *,
    database_url: str | None,
    survey_defs: Path,
    survey_id: str = "all",
    respondents: int | None = None,
    seed: int = DEFAULT_DEMO_SEED,
    replace: bool = False,
) -> None:
    """Fill the database with demonstration campaigns and respondents (docs/demo.md).

    Raises :class:`DemoRefusedError`: ``definitions``, ``unknown_survey``, ``foreign_responses``,
    ``schema_unknown``, or the pipeline's ``no_benchmarks``.
    """
    surveys = load_definitions(survey_defs)
    chosen = _chosen(surveys, survey_id)
    engine = make_engine(database_url)
    try:
        try:
            migrated = prepare_schema(engine)
        except SchemaUnknownError as error:
            raise DemoRefusedError(error.code, error.params, words=error.render) from error
        reporter.say("migrated" if migrated else "schema_current")
        sessions = make_session_factory(engine)
        with sessions() as session:
            foreign = foreign_responses(session, [s.id for s in surveys])
        if foreign:
            raise DemoRefusedError("foreign_responses", {"count": foreign})
        registry = SurveyRegistry(sessions)
        registry.register_all(chosen)
        with sessions.begin() as session:
            loaded = sum(ensure_benchmarks(session, survey) for survey in chosen)
        if loaded:
            reporter.say("benchmarks_loaded", rows=loaded)
        else:
            reporter.say("benchmarks_kept")
        for survey in chosen:
            count = respondents or DEFAULT_RESPONDENTS.get(survey.id, FALLBACK_RESPONDENTS)
            _populate_one(
                sessions,
                registry,
                registry.current(survey.id),
                reporter,
                respondents=count,
                seed=seed,
                replace=replace,
            )
    finally:
        engine.dispose()
