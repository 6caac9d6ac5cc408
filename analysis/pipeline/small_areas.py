"""Small-area estimates of a percent indicator across municipalities (Fay–Herriot).

Covariates (a small fixed set, from the benchmarks, never from the survey): an intercept and
the municipality's 15+ population shares of :data:`DEFAULT_COVARIATES` (aged 15-24, women,
living alone, English speakers), each the sum of the benchmark cells holding that category
over the total. A covariate whose variable no margin holds is left out.

The model is fitted on the municipalities whose direct estimate rests on at least
``min_respondents`` respondents and has a positive bootstrap variance. Each municipality then
publishes (:func:`analysis.sae.choice.small_area_estimates`) its direct estimate when the CV
is acceptable, the EBLUP otherwise, and the synthetic estimate ``x'β`` when it has no usable
direct estimate (no respondents, too few, or zero variance). When the model cannot be fitted
(too few municipalities, collinear covariates) it is refitted with the intercept alone; if
that fails too, no model-based estimate is made (:attr:`AreaChoice.model` is False).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from analysis.errors import ModelError
from analysis.pipeline.plan import WeightingPlan
from analysis.quality.release_rules import ReleaseRules
from analysis.sae.choice import small_area_estimates

FloatArray = NDArray[np.float64]

#: (variable, category) whose population share is a covariate.
DEFAULT_COVARIATES: tuple[tuple[str, str], ...] = (
    ("age_group", "a15_24"),
    ("gender", "woman"),
    ("household_size", "p1"),
    ("language_spoken", "english"),
)


@dataclass(frozen=True)
class AreaChoice:
    """Per municipality: published value, its MSE, and its source (direct, eblup, synthetic)."""

    value: FloatArray
    mse: FloatArray
    source: tuple[str, ...]
    model: bool


def covariate_matrix(
    plan: WeightingPlan, covariates: tuple[tuple[str, str], ...] = DEFAULT_COVARIATES
) -> FloatArray:
    """(D, 1 + c) matrix: intercept then the population share of each available covariate."""
    columns = [np.ones(plan.population.size)]
    for variable, category in covariates:
        for margin in plan.margins:
            if variable not in margin.variables:
                continue
            j = margin.variables.index(variable)
            chosen = np.array([cell.split("*")[j] == category for cell in margin.cells])
            with np.errstate(divide="ignore", invalid="ignore"):
                share = margin.targets[:, chosen].sum(axis=1) / margin.targets.sum(axis=1)
            columns.append(np.nan_to_num(share))
            break
    return np.column_stack(columns)


def choose_area_estimates(
    direct: FloatArray,
    direct_se: FloatArray,
    respondents: NDArray[np.intp],
    covariates: FloatArray,
    rules: ReleaseRules,
    min_respondents: int,
) -> AreaChoice:
    """Direct, EBLUP or synthetic per municipality (see the module docstring)."""
    fit_direct = np.where(respondents >= min_respondents, direct, np.nan)
    for x in (covariates, covariates[:, :1]):
        try:
            result = small_area_estimates(fit_direct, direct_se, respondents, x, rules=rules)
        except ModelError:
            continue
        value = np.array([a.value for a in result.areas])
        mse = np.array([a.mse for a in result.areas])
        source = tuple(str(a.source) for a in result.areas)
        return AreaChoice(value, mse, source, True)
    return AreaChoice(direct, direct_se**2, tuple("direct" for _ in direct), False)
