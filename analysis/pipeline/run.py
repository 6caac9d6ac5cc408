"""The estimation pipeline: from stored responses to a tidy table of municipal estimates.

Stages (each reported to ``progress(stage, done, total)``):

1. ``load``: respondents and benchmarks (:mod:`analysis.loader`);
2. ``weights``: the weighting plan (imputation, categories) and the full-sample weights
   (collapse, rake within municipalities, trim) (:mod:`analysis.pipeline.plan`,
   :mod:`analysis.pipeline.weighting`);
3. ``replicates``: Rao–Wu bootstrap replicate weights, the whole weighting redone in each
   (:mod:`analysis.pipeline.replicates`), reported after each block of replicates;
4. ``estimates``: per indicator, direct estimates in every municipality, pooled and by channel,
   with bootstrap variances (:mod:`analysis.pipeline.domains`); rates per 1,000 use series counts
   capped at a percentile of the positive counts;
5. ``small_areas``: Fay–Herriot for the percent indicators (:mod:`analysis.pipeline.small_areas`),
   then the table (:mod:`analysis.pipeline.results`).

Rules and defaults: :class:`PipelineOptions`; docs/statistics.md ("Pipeline") explains each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from analysis.estimators.gvf import fit_variance_function
from analysis.loader import (
    COMPLETED,
    PARTIAL,
    denominator_column,
    load_benchmark_frame,
    load_respondents,
    numerator_column,
    weighting_variables,
)
from analysis.pipeline.borrowing import borrow_structure, regions, report_borrowing
from analysis.pipeline.direct import check_replicates, direct_estimates
from analysis.pipeline.domains import Domains, build_domains
from analysis.pipeline.groups import (
    GroupSink,
    age_gender_cells,
    cell_table,
    split_cells,
    with_cells,
)
from analysis.pipeline.messages import PipelineError, render
from analysis.pipeline.plan import WeightingPlan, build_plan
from analysis.pipeline.report import excluded_text, municipal_texts
from analysis.pipeline.results import (
    CV_RATES,
    INTERVAL_CAPS,
    INTERVALS,
    IndicatorResult,
    excluded_rows,
    indicator_rows,
)
from analysis.pipeline.results import results_table as tidy_table
from analysis.pipeline.small_areas import (
    DEFAULT_COVARIATES,
    Covariates,
    choose_area_estimates,
    covariate_matrix,
)
from analysis.pipeline.weighting import (
    FullSampleWeights,
    WeightingSettings,
    weigh_full_sample,
)
from analysis.quality.release_rules import ReleaseRules
from analysis.sae.choice import DirectRule
from questionnaire.definition.model import IndicatorUnit, Survey

#: progress(stage, done, total): stages load, weights, replicates, estimates, small_areas.
Progress = Callable[[str, int, int], None]
DEFAULT_SEED = 20250312


@dataclass(frozen=True)
class PipelineOptions:
    """The declared rules of the pipeline, with their defaults (docs/statistics.md)."""

    #: Municipalities with fewer respondents are post-stratified to their total...
    min_respondents_to_rake: int = 20
    #: ... starting from the age × gender structure of the small municipalities of their
    #: region (benchmarks' ``region`` column; all of them without it).
    borrow_structure: bool = True
    #: Cells with fewer respondents are collapsed into an adjacent cell.
    min_cell_respondents: float = 10.0
    #: Weights are kept within [mean / ratio, mean × ratio] of their municipality (None: off).
    max_weight_ratio: float | None = 5.0
    trim_rounds: int = 2
    #: Series counts (rates per 1,000) are capped at this percentile of the positive counts.
    series_cap_percentile: float = 98.0
    #: Interval of direct percents: "korn_graubard" (default) or "logit".
    percent_interval: str = "korn_graubard"
    level: float = 0.95
    #: A municipality publishes its direct percent when n / deff_w reaches this (else the
    #: small-area model's estimate): a rule declared in advance, never the observed CV.
    direct_min_effective_n: float = 100.0
    #: The CV a direct percent is graded on, declared before the figure is seen:
    #: "synthetic" (default: the direct estimator's smoothed CV at the municipality's synthetic
    #: rate x'β̂ fitted without it, with the variance factor fitted without it, i.e. the
    #: precision its effective sample gives at the rate the others expect of it),
    #: "model" (the same at the model's rate, which follows the estimate) or "estimate" (its
    #: own SE over itself, which publishes rare rates where they came out high).
    direct_cv_at: str = "synthetic"
    #: Korn–Graubard n_eff of direct municipal percents (results.INTERVAL_CAPS, "Release rules").
    direct_interval_cap: str = "gvf"
    covariates: tuple[tuple[str, str], ...] = DEFAULT_COVARIATES
    #: Replicates weighted together (memory against speed: at 50,000 respondents a worker
    #: peaks near 430 MB with 25, 560 MB with 50, for the same CPU time).
    replicate_block: int = 25
    #: A replicate that leaves a domain without weight: "omit" it from that domain's
    #: variance (counted in ``replicates_used``) or "fail" the run, naming the first one.
    replicate_failures: str = "omit"
    #: Processes weighting blocks of replicates (both cores of the usual machine).
    workers: int = 2
    #: Language of the ``weighting`` texts and names ("fr" or "en").
    language: str = "en"
    benchmark_source: str | None = None
    benchmark_year: int | None = None

    def check(self) -> None:
        """Raise ``bad_option`` for a value the pipeline cannot use."""
        problems = {
            "min_cell_respondents": self.min_cell_respondents < 1,
            "max_weight_ratio": self.max_weight_ratio is not None and self.max_weight_ratio <= 1,
            "series_cap_percentile": not 0 < self.series_cap_percentile <= 100,
            "percent_interval": self.percent_interval not in INTERVALS,
            "direct_min_effective_n": self.direct_min_effective_n < 0,
            "direct_cv_at": self.direct_cv_at not in CV_RATES,
            "direct_interval_cap": self.direct_interval_cap not in INTERVAL_CAPS,
            "level": not 0 < self.level < 1,
            "replicate_block": self.replicate_block < 1,
            "replicate_failures": self.replicate_failures not in ("omit", "fail"),
            "workers": self.workers < 1,
        }
        for name, bad in problems.items():
            if bad:
                raise PipelineError("bad_option", name=name, problem=repr(getattr(self, name)))


def _check_columns(respondents: pd.DataFrame, survey: Survey) -> None:
    needed = ["channel", *weighting_variables(survey)]
    for indicator in survey.indicators:
        needed += [numerator_column(indicator.name), denominator_column(indicator.name)]
    missing = [c for c in needed if c not in respondents.columns]
    if missing:
        raise PipelineError("missing_columns", frame="respondents", columns=", ".join(missing))


def estimate_from_frames(
    respondents: pd.DataFrame,
    benchmarks: pd.DataFrame,
    survey: Survey,
    *,
    replicates: int = 500,
    seed: int = DEFAULT_SEED,
    rules: ReleaseRules | None = None,
    options: PipelineOptions | None = None,
    progress: Progress | None = None,
    groups: GroupSink | None = None,
) -> pd.DataFrame:
    """The results table from a respondent table (:func:`analysis.loader.respondent_rows`
    columns) and a benchmark table (:data:`analysis.loader.BENCHMARK_COLUMNS`); ``groups``, when
    given, receives the age group × gender table (:mod:`analysis.pipeline.groups`)."""
    opts = options or PipelineOptions()
    opts.check()
    rules = rules or ReleaseRules()
    if replicates < 2:
        raise PipelineError("bad_option", name="replicates", problem=repr(replicates))
    _check_columns(respondents, survey)
    report = progress or (lambda stage, done, total: None)
    imputation_rng, bootstrap_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2)
    )
    settings = WeightingSettings(
        min_cell_respondents=opts.min_cell_respondents,
        max_weight_ratio=opts.max_weight_ratio,
        trim_rounds=opts.trim_rounds,
    )
    report("weights", 0, 1)
    plan = build_plan(
        respondents,
        benchmarks,
        survey,
        min_respondents_to_rake=opts.min_respondents_to_rake,
        rng=imputation_rng,
    )
    if not (plan.municipality >= 0).any():
        raise PipelineError("nothing_to_weight")
    borrowed = borrow_structure(
        plan,
        regions(benchmarks, plan.municipalities) if opts.borrow_structure else None,
        opts.max_weight_ratio,
    )
    full = weigh_full_sample(plan, settings, borrowed.factors if opts.borrow_structure else None)
    report("weights", 1, 1)
    report("replicates", 0, replicates)
    channel = respondents["channel"].astype(object).to_numpy()
    domains = build_domains(plan.municipality, plan.municipalities, channel)
    cells = age_gender_cells(respondents, plan) if groups is not None else None
    results = direct_estimates(
        respondents,
        survey.indicators,
        with_cells(domains, cells),
        plan,
        full,
        settings,
        replicates,
        bootstrap_rng,
        cap_percentile=opts.series_cap_percentile,
        block=opts.replicate_block,
        workers=opts.workers,
        progress=lambda done, total: report("replicates", done, total),
    )
    results, by_cell = split_cells(results, domains.size)
    if opts.replicate_failures == "fail":
        check_replicates(results, domains, replicates)
    report("estimates", len(survey.indicators), len(survey.indicators))
    report("small_areas", 0, 1)
    x = covariate_matrix(plan, opts.covariates)
    results = [
        _with_small_areas(result, plan.population.size, x, rules, opts) for result in results
    ]
    report("small_areas", 1, 1)
    table = _table(results, respondents, survey, plan, full, domains, settings, rules, opts)
    if opts.borrow_structure:
        report_borrowing(table, plan, borrowed, opts.language)
    if groups is not None and cells is not None:
        groups(cell_table(results, by_cell, cells, rules, opts.percent_interval, opts.level))
    return table


def _with_small_areas(
    result: IndicatorResult,
    municipalities: int,
    covariates: Covariates,
    rules: ReleaseRules,
    opts: PipelineOptions,
) -> IndicatorResult:
    """A percent indicator with its smoothed variance and, per municipality, the direct or
    model estimate chosen by the declared rule (:mod:`analysis.pipeline.small_areas`)."""
    if result.unit != IndicatorUnit.PERCENT:
        return result
    f, d = result.figures, municipalities
    gvf = fit_variance_function(f.estimate[:d] / 100, f.variance[:d] / 1e4, f.n[:d], f.deff[:d])
    pooled = float(f.estimate[d]) / 100 if f.estimate.size > d else float("nan")
    areas = choose_area_estimates(
        f.estimate[:d],
        f.n[:d].astype(np.float64),
        f.deff[:d],
        gvf,
        covariates,
        DirectRule(opts.direct_min_effective_n),
        level=opts.level,
        reference_rate=pooled if np.isfinite(pooled) else None,
    )
    return replace(result, areas=areas, variance_function=gvf, reference_rate=pooled)


def _table(
    results: list[IndicatorResult],
    respondents: pd.DataFrame,
    survey: Survey,
    plan: WeightingPlan,
    full: FullSampleWeights,
    domains: Domains,
    settings: WeightingSettings,
    rules: ReleaseRules,
    opts: PipelineOptions,
) -> pd.DataFrame:
    """The tidy table: every indicator in every domain, then the respondents left out."""
    texts = municipal_texts(plan, full, settings, opts.min_respondents_to_rake, opts.language)
    pooled = render("weighting_pooled", {}, opts.language)
    names = [*plan.names, *(render("all_municipalities", {}, opts.language),) * 3]
    weighting = [*texts, pooled, pooled, pooled]
    domain = survey.weighting.domain if survey.weighting else ""
    codes = respondents[domain].fillna("").astype(str).to_numpy()
    outside = plan.municipality < 0
    rows: list[dict[str, object]] = []
    for result in results:
        rows += indicator_rows(
            result,
            domains,
            names,
            weighting,
            rules,
            opts.percent_interval,
            opts.level,
            opts.direct_cv_at,
            opts.direct_interval_cap,
        )
        answered = respondents[denominator_column(result.name)].notna().to_numpy()
        for code, count in plan.excluded.items():
            here = outside & answered & (codes == code)
            text = excluded_text(code, count, opts.language)
            rows.append(
                excluded_rows(
                    result.name, result.unit, code or "unknown", int(here.sum()), text, rules
                )
            )
    return tidy_table(rows)


def estimate_survey(
    session_factory: sessionmaker[Session],
    survey_id: str,
    *,
    replicates: int = 500,
    seed: int = DEFAULT_SEED,
    include_partial: bool = False,
    rules: ReleaseRules | None = None,
    options: PipelineOptions | None = None,
    progress: Progress | None = None,
    groups: GroupSink | None = None,
) -> pd.DataFrame:
    """Load a questionnaire's responses and benchmarks, then :func:`estimate_from_frames`.

    Raises :class:`analysis.pipeline.messages.PipelineError`: ``unknown_survey``,
    ``no_weighting_block``, ``no_benchmarks``, ``no_responses``.
    """
    opts = options or PipelineOptions()
    if progress is not None:
        progress("load", 0, 1)
    with session_factory() as session:
        survey, respondents = load_respondents(session, survey_id, include_partial=include_partial)
        benchmarks = load_benchmark_frame(
            session, survey, source=opts.benchmark_source, year=opts.benchmark_year
        )
    if respondents.empty:
        statuses = ", ".join(str(s) for s in (PARTIAL if include_partial else COMPLETED))
        raise PipelineError("no_responses", survey=survey_id, statuses=statuses)
    if progress is not None:
        progress("load", 1, 1)
    return estimate_from_frames(
        respondents,
        benchmarks,
        survey,
        replicates=replicates,
        seed=seed,
        rules=rules,
        options=opts,
        progress=progress,
        groups=groups,
    )
