"""The final and replicate weights of an estimate run, recomputed for its microdata.

A run keeps its results table, not its weights. The weights are a deterministic function of
the run's request (seed, replicates, which responses) and of the data the run read; an export
redoes the weighting of :func:`analysis.pipeline.run.estimate_from_frames` step by step, with
the same random streams, so the exported weights are the run's weights. The export checks
first that the data have not changed since the run (its cache key), and a test checks that
the exported replicate weights give the run's standard errors.

Per indicator, the numerator and denominator each respondent contributes, as the run used
them: series counts of rates per 1,000 capped at the declared percentile; ``NaN`` outside the
indicator's population.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analysis.loader import denominator_column, numerator_column
from analysis.pipeline.borrowing import borrow_structure, regions
from analysis.pipeline.direct import SCALES
from analysis.pipeline.domains import cap_series
from analysis.pipeline.plan import build_plan
from analysis.pipeline.replicates import replicate_weight_matrix
from analysis.pipeline.run import PipelineOptions
from analysis.pipeline.weighting import WeightingSettings, weigh_full_sample
from questionnaire.definition.model import IndicatorUnit, Survey

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class RunWeights:
    """Weights of the respondent table, row for row."""

    #: (n,) final weights; 0 for respondents outside the weighting (no benchmarks).
    final: FloatArray
    #: (R, n) final replicate weights (every step of the weighting redone in each).
    replicates: FloatArray
    #: The variance is ``scale × Σ_r (θ_r − θ)²``, centred on the full-sample estimate.
    scale: float
    #: Per indicator: (numerator, denominator) arrays as the run used them.
    indicators: dict[str, tuple[FloatArray, FloatArray]]
    #: Per indicator: 100 (percent) or 1,000 (per 1,000).
    multipliers: dict[str, float]


def run_weights(
    respondents: pd.DataFrame,
    benchmarks: pd.DataFrame,
    survey: Survey,
    *,
    replicates: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> RunWeights:
    """The weights :func:`analysis.pipeline.run.estimate_from_frames` computes for these
    frames, with its default options (those of every estimate run)."""
    opts = PipelineOptions()
    imputation_rng, bootstrap_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2)
    )
    settings = WeightingSettings(
        min_cell_respondents=opts.min_cell_respondents,
        max_weight_ratio=opts.max_weight_ratio,
        trim_rounds=opts.trim_rounds,
    )
    plan = build_plan(
        respondents,
        benchmarks,
        survey,
        min_respondents_to_rake=opts.min_respondents_to_rake,
        rng=imputation_rng,
    )
    borrowed = borrow_structure(
        plan,
        regions(benchmarks, plan.municipalities) if opts.borrow_structure else None,
        opts.max_weight_ratio,
    )
    full = weigh_full_sample(plan, settings, borrowed.factors if opts.borrow_structure else None)
    reps = replicate_weight_matrix(
        plan,
        full,
        settings,
        replicates,
        bootstrap_rng,
        block=opts.replicate_block,
        workers=opts.workers,
        progress=progress,
    )
    indicators: dict[str, tuple[FloatArray, FloatArray]] = {}
    multipliers: dict[str, float] = {}
    for indicator in survey.indicators:
        numerator = respondents[numerator_column(indicator.name)].to_numpy(np.float64)
        denominator = respondents[denominator_column(indicator.name)].to_numpy(np.float64)
        if indicator.unit is IndicatorUnit.PER_1000:
            numerator = cap_series(numerator, denominator, opts.series_cap_percentile)
        indicators[indicator.name] = (numerator, denominator)
        multipliers[indicator.name] = SCALES[indicator.unit]
    return RunWeights(full.weights, reps.weights, reps.scale, indicators, multipliers)
