"""The analysis loader: responses and benchmarks from storage into two pandas tables.

This is the one place where ``analysis`` reads storage.

- :func:`load_respondents`: one row per respondent of a questionnaire (all its versions, pooled
  by question name and read with one reference definition, by default the latest registered
  version): ``response_id``, ``version_id``, ``channel``, ``language``, ``status``,
  ``started_on``, the domain (the municipality code) and every weighting variable (their
  codes from answers or calculations; null when unanswered, skipped, "don't know", "prefer
  not" or not a text code), and for every declared indicator its numerator and denominator
  evaluated by the questionnaire engine (:mod:`questionnaire.answers.indicators`; NaN outside the
  indicator's population), in the columns :func:`numerator_column` and
  :func:`denominator_column`, and whether it reached the indicator's questions
  (:func:`reached_column`: a completed response always has; a partial one when it holds an
  answer, or a skip, at or past the last question the indicator reads; otherwise its
  numerator and denominator are null, see :mod:`analysis.pipeline.partial`).
- :func:`load_benchmark_frame`: the benchmark counts of the weighting margins, one edition.

Statuses: ``completed``; with ``include_partial`` also ``in_progress`` and ``abandoned``
(partial answers are data). Screened-out and erased responses are never read.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from analysis.pipeline.messages import PipelineError
from questionnaire.answers.indicators import evaluate_parsed, parse_indicators
from questionnaire.answers.names import read_names
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Survey
from questionnaire.definition.values import Answers, split_path
from questionnaire.navigation.status import ResponseStatus
from storage.analysis_source import iter_responses_for_analysis
from storage.benchmarks import get_benchmarks, list_municipalities
from storage.records import ResponseRecord
from storage.surveys import latest_survey_version

COMPLETED = (ResponseStatus.COMPLETED,)
PARTIAL = (ResponseStatus.COMPLETED, ResponseStatus.IN_PROGRESS, ResponseStatus.ABANDONED)
#: Columns every respondent table has before the weighting variables and indicators.
RECORD_COLUMNS = ("response_id", "version_id", "channel", "language", "status", "started_on")
#: Columns of the benchmark table.
BENCHMARK_COLUMNS = ("municipality", "municipality_name", "variable", "category", "count")


def numerator_column(indicator: str) -> str:
    """Name of the column holding an indicator's numerator: ``num:<indicator>``."""
    return f"num:{indicator}"


def denominator_column(indicator: str) -> str:
    """Name of the column holding an indicator's denominator: ``den:<indicator>``."""
    return f"den:{indicator}"


def reached_column(indicator: str) -> str:
    """Name of the column saying whether a respondent reached an indicator's questions:
    ``reached:<indicator>`` (always true for a completed response)."""
    return f"reached:{indicator}"


def indicator_positions(survey: Survey) -> dict[str, int]:
    """Per indicator, the position (in questionnaire order) of the last question it reads
    (calculations expanded); -1 when it reads no question."""
    order = question_order(survey)
    last = {}
    for indicator in survey.indicators:
        names = read_names(survey, indicator.numerator) | read_names(survey, indicator.denominator)
        last[indicator.name] = max((order[n] for n in names if n in order), default=-1)
    return last


def question_order(survey: Survey) -> dict[str, int]:
    """Each question's position in questionnaire order."""
    return {q.name: i for i, q in enumerate(survey.questions())}


def furthest_position(order: dict[str, int], answers: Answers) -> int:
    """Position (:func:`question_order`) of the furthest question a response holds an answer
    to (a skip counts: the question was seen); -1 without answers."""
    positions = [order.get(split_path(path)[2], -1) for path in answers]
    return max(positions, default=-1)


def weighting_variables(survey: Survey) -> list[str]:
    """The domain question then every variable named in the margins, each once, in order."""
    if survey.weighting is None:
        raise PipelineError("no_weighting_block", survey=survey.id)
    names = [survey.weighting.domain]
    for margin in survey.weighting.margins:
        names.extend(name for name in margin if name not in names)
    return names


def margin_variable(margin: list[str]) -> str:
    """The benchmark variable of a margin: its names joined by ``*`` (``age_group*gender``)."""
    return "*".join(margin)


def reference_survey(session: Session, survey_id: str) -> Survey:
    """The latest registered version of a questionnaire, used to read every version's answers."""
    version = latest_survey_version(session, survey_id)
    if version is None:
        raise PipelineError("unknown_survey", survey=survey_id)
    return version.survey()


def as_code(value: object) -> str | None:
    """A weighting answer as a category code: texts as is, integers as text, anything else null.

    >>> as_code("woman"), as_code(3), as_code(None), as_code(True)
    ('woman', '3', None, None)
    """
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _check_variables(survey: Survey, names: Iterable[str]) -> None:
    known = {q.name for q in survey.questions()} | {c.name for c in survey.calculations}
    for name in names:
        if name not in known:
            raise PipelineError("unknown_variable", name=name, survey=survey.id)


def respondent_rows(
    survey: Survey, responses: Iterable[tuple[ResponseRecord, Answers]]
) -> pd.DataFrame:
    """The respondent table of ``responses`` read with the definition ``survey``."""
    variables = weighting_variables(survey)
    _check_variables(survey, variables)
    parsed = parse_indicators(survey)
    last = indicator_positions(survey)
    order = question_order(survey)
    columns: dict[str, list[object]] = {name: [] for name in RECORD_COLUMNS}
    columns.update({name: [] for name in variables})
    for p in parsed:
        columns[numerator_column(p.indicator.name)] = []
        columns[denominator_column(p.indicator.name)] = []
        columns[reached_column(p.indicator.name)] = []
    for record, answers in responses:
        complete = str(record.status) == str(ResponseStatus.COMPLETED)
        furthest = -1 if complete else furthest_position(order, answers)
        ctx = RunContext(
            started_on=record.started_at.date(),
            channel=str(record.channel),
            language=record.language,
        )
        scope = AnswerScope(survey, answers, ctx)
        record_values = (
            record.id,
            record.version_id,
            str(record.channel),
            record.language,
            str(record.status),
            ctx.started_on,
        )
        for name, value in zip(RECORD_COLUMNS, record_values, strict=True):
            columns[name].append(value)
        for name in variables:
            columns[name].append(as_code(scope.lookup(name)))
        for p in parsed:
            reached = complete or furthest >= last[p.indicator.name]
            numerator, denominator = evaluate_parsed(p, scope) if reached else (None, None)
            columns[numerator_column(p.indicator.name)].append(numerator)
            columns[denominator_column(p.indicator.name)].append(denominator)
            columns[reached_column(p.indicator.name)].append(reached)
    frame = pd.DataFrame(
        {name: pd.Series(values, dtype=object) for name, values in columns.items()}
    )
    for p in parsed:
        frame[reached_column(p.indicator.name)] = frame[reached_column(p.indicator.name)].astype(
            bool
        )
        for column in (numerator_column(p.indicator.name), denominator_column(p.indicator.name)):
            frame[column] = np.asarray(
                [np.nan if v is None else v for v in frame[column]], dtype=np.float64
            )
    return frame


def load_respondents(
    session: Session,
    survey_id: str,
    *,
    include_partial: bool = False,
    survey: Survey | None = None,
) -> tuple[Survey, pd.DataFrame]:
    """The reference definition and the respondent table of a questionnaire (see above).

    ``survey`` overrides the reference definition (by default the latest registered version).
    """
    reference = survey if survey is not None else reference_survey(session, survey_id)
    statuses = PARTIAL if include_partial else COMPLETED
    responses = iter_responses_for_analysis(session, survey_id, statuses)
    return reference, respondent_rows(reference, responses)


def choose_edition(rows: pd.DataFrame) -> pd.DataFrame:
    """Per municipality, the rows of one edition: its latest year, and in that year the source
    with the most rows (the first by name on a tie). Sources may differ between municipalities
    (census counts for some, invented or estimated counts for others)."""
    if rows.empty:
        return rows
    sizes = rows.groupby(["municipality", "year", "source"]).size().reset_index(name="rows")
    ordered = sizes.sort_values(
        ["municipality", "year", "rows", "source"], ascending=[True, False, False, True]
    )
    best = ordered.drop_duplicates("municipality")[["municipality", "year", "source"]]
    return rows.merge(best, on=["municipality", "year", "source"])


def load_benchmark_frame(
    session: Session,
    survey: Survey,
    *,
    source: str | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Benchmark counts of the survey's margins: one row per municipality, variable, category.

    Columns :data:`BENCHMARK_COLUMNS`. Without ``source``/``year``, one edition per
    municipality is chosen by :func:`choose_edition`. Raises ``no_benchmarks`` when no row is
    stored.
    """
    if survey.weighting is None:
        raise PipelineError("no_weighting_block", survey=survey.id)
    variables = [margin_variable(m) for m in survey.weighting.margins]
    rows = get_benchmarks(session, variables, source=source, year=year)
    if not rows:
        raise PipelineError("no_benchmarks", variables=", ".join(variables))
    frame = pd.DataFrame(
        {
            "municipality": [r.municipality_code for r in rows],
            "variable": [r.variable for r in rows],
            "category": [r.category for r in rows],
            "count": [float(r.count) for r in rows],
            "source": [r.source for r in rows],
            "year": [r.year for r in rows],
        }
    )
    frame = choose_edition(frame)
    names = {m.code: m.name for m in list_municipalities(session)}
    frame = frame.assign(municipality_name=frame["municipality"].map(names).fillna(""))
    return frame.loc[:, list(BENCHMARK_COLUMNS)].reset_index(drop=True)
