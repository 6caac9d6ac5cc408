"""Estimate runs: the release rules an analyst picks, the pipeline, and the results file.

A run reads a questionnaire's responses and the population benchmarks, runs
the estimation pipeline (:func:`analysis.pipeline.estimate_survey`, see
docs/statistics.md) and returns the tidy results table, which
:func:`write_results` writes as CSV or Parquet, chosen by the file's extension.

The statistics stack (numpy, scipy, pandas) is imported when a run starts,
not when this module is: a command that does not estimate starts quickly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from observatory.errors import ObservatoryError, wrapped
from safe_csv import write_frame

if TYPE_CHECKING:
    import pandas as pd

    from analysis.quality.release_rules import ReleaseRules

#: Release-rule presets: Statistics Canada (E, F, x), Institut de la statistique du Québec (*, **).
RULE_PRESETS = ("isq", "statcan")
DEFAULT_RULES = "statcan"
#: The pipeline's default random seed (:data:`analysis.pipeline.DEFAULT_SEED`).
DEFAULT_SEED = 20250312
DEFAULT_REPLICATES = 500
#: File extensions :func:`write_results` knows.
OUTPUT_FORMATS = (".csv", ".parquet")


@dataclass(frozen=True, slots=True)
class EstimateRequest:
    """What to estimate and under which release rules."""

    survey_id: str
    replicates: int = DEFAULT_REPLICATES
    seed: int = DEFAULT_SEED
    #: Also use responses in progress or abandoned.
    include_partial: bool = False
    #: One of :data:`RULE_PRESETS`.
    rules: str = DEFAULT_RULES
    #: Highest CV (%) published without a flag (the preset's when ``None``).
    publish_cv: float | None = None
    #: Highest CV (%) published with a caution flag (the preset's when ``None``).
    caution_cv: float | None = None
    #: Fewer respondents than this: suppressed (the preset's when ``None``).
    min_respondents: int | None = None


@dataclass(frozen=True)
class EstimateRun:
    """The results table of one run and what it covers."""

    table: pd.DataFrame
    #: Every indicator by age group and gender (:mod:`analysis.pipeline.groups`); ``None``
    #: when the questionnaire's weighting has no age group × gender margin.
    groups: pd.DataFrame | None = None

    @property
    def rows(self) -> int:
        return len(self.table)

    @property
    def municipalities(self) -> int:
        """Municipalities with a pooled (all channels) row, the ``ALL`` row aside."""
        table = self.table
        municipal = (table["channel"] == "all") & (table["municipality"] != "ALL")
        return int(table.loc[municipal, "municipality"].nunique())

    @property
    def indicators(self) -> int:
        return int(self.table["indicator"].nunique())


def release_rules(
    name: str,
    publish_cv: float | None = None,
    caution_cv: float | None = None,
    min_respondents: int | None = None,
) -> ReleaseRules:
    """The preset ``name`` with any cut-off given replaced.

    Custom CV cut-offs make one caution tier between them, flagged with the
    preset's last caution flag. Raises ``unknown_rules``, or the statistics
    engine's ``bad_value`` when the cut-offs do not fit together.
    """
    from analysis.errors import AnalysisError
    from analysis.quality.release_rules import ISQ, STATISTICS_CANADA

    presets = {"statcan": STATISTICS_CANADA, "isq": ISQ}
    if name not in presets:
        raise ObservatoryError("unknown_rules", {"name": name, "known": ", ".join(RULE_PRESETS)})
    preset = presets[name]
    publish = preset.publish_cv if publish_cv is None else publish_cv
    caution = preset.caution_cv if caution_cv is None else caution_cv
    tiers = preset.caution_tiers
    if caution_cv is not None or publish_cv is not None:
        tiers = ((caution, preset.caution_tiers[-1][1]),)
    try:
        return replace(
            preset,
            publish_cv=publish,
            caution_cv=caution,
            caution_tiers=tiers,
            min_respondents=preset.min_respondents if min_respondents is None else min_respondents,
        )
    except AnalysisError as error:
        raise wrapped(error, error.message) from error


def check_output(path: Path) -> None:
    """Refuse, before any work, a results file whose extension is not .csv or .parquet."""
    if path.suffix.lower() not in OUTPUT_FORMATS:
        from analysis.pipeline.messages import PipelineError

        error = PipelineError("bad_output", path=path)
        raise wrapped(error, error.message)


def check_request(request: EstimateRequest) -> None:
    """Refuse, before any work, release rules whose cut-offs do not fit together."""
    release_rules(request.rules, request.publish_cv, request.caution_cv, request.min_respondents)


class StepCounter:
    """Turns the pipeline's ``progress(stage, done, total)`` into steps of one bar.

    One step per replicate and one per other stage: :meth:`total` steps in all.
    ``advance(n)`` is called with the steps just done.
    """

    def __init__(self, advance: Callable[[int], object]) -> None:
        self._advance = advance
        self._replicates_done = 0

    @staticmethod
    def total(replicates: int) -> int:
        """Steps of a run with ``replicates`` replicates."""
        return replicates + 4

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "replicates":
            self._advance(done - self._replicates_done)
            self._replicates_done = done
        elif done == total:
            self._advance(1)


def run_estimates(
    sessions: sessionmaker[Session],
    request: EstimateRequest,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> EstimateRun:
    """Estimate every indicator of ``request.survey_id`` in every municipality.

    Raises the pipeline's errors as :class:`ObservatoryError` (``unknown_survey``,
    ``no_weighting_block``, ``no_benchmarks``, ``no_responses``, ...).
    """
    rules = release_rules(
        request.rules, request.publish_cv, request.caution_cv, request.min_respondents
    )
    from analysis.errors import AnalysisError
    from analysis.pipeline.messages import PipelineError
    from analysis.pipeline.run import estimate_survey

    cells: list[pd.DataFrame] = []
    try:
        table = estimate_survey(
            sessions,
            request.survey_id,
            replicates=request.replicates,
            seed=request.seed,
            include_partial=request.include_partial,
            rules=rules,
            progress=progress,
            groups=cells.append,
        )
    except (PipelineError, AnalysisError) as error:
        raise wrapped(error, error.message) from error
    return EstimateRun(table, cells[0] if cells else None)


def write_results(table: pd.DataFrame, path: Path) -> None:
    """Write the table as CSV (UTF-8, no index) or Parquet, by the file's extension."""
    check_output(path)
    if path.suffix.lower() == ".parquet":
        table.to_parquet(path, index=False)
    else:
        write_frame(table, path)  # no cell can run as a spreadsheet formula
