"""The weighting plan: benchmark targets per municipality and every respondent's cells.

Built once from the respondent table, the benchmark table and the questionnaire's
``weighting:`` block, then used by the full-sample weighting and by every replicate.

Declared rules (docs/statistics.md, "Pipeline"):

- **Categories.** A margin's cells are the crossed categories of its variables. A variable's
  categories are the benchmark categories, in the order of the question's choices (sorted for a
  calculation such as ``age_group``). Cells are ordered with the first variable varying fastest
  (all age groups of ``woman``, then of ``man``), so that collapsing adjacent cells joins
  neighbouring age groups of one gender.
- **Municipalities.** Those with counts for every margin and a positive total. Each margin of a
  municipality is scaled to the total of its first margin (census tables rounded independently
  disagree by a few people; raking needs equal totals). Respondents whose municipality is not
  stated or has no benchmarks are left out of the weighting (weight 0) and reported.
- **Missing weighting answers** (skipped, "prefer not", a category the census lacks such as
  ``another_gender``): the respondent's cell is imputed, within the municipality, in proportion
  to the benchmark counts of the cells compatible with what the respondent did answer (gender
  drawn among ``a25_44*woman`` and ``a25_44*man`` for a 30-year-old who preferred not to say).
  Draws are seeded and stay fixed in every replicate; answers used for estimates are untouched.
- **Small municipalities.** Fewer than ``min_respondents_to_rake`` respondents: every margin
  collapses to a single cell, i.e. post-stratification to the municipality's 15+ total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from analysis.loader import margin_variable
from analysis.pipeline_messages import PipelineError
from questionnaire.definition.model import Survey

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class MarginPlan:
    """One margin: its cells, the targets of every municipality, the respondents' cells."""

    name: str
    variables: tuple[str, ...]
    cells: tuple[str, ...]
    #: (D, K) population counts, scaled to the municipality's total.
    targets: FloatArray
    #: (n,) cell of each respondent (after imputation); -1 outside the weighting.
    codes: IntArray
    #: (n,) whether the cell was imputed.
    imputed: BoolArray


@dataclass(frozen=True)
class WeightingPlan:
    """Municipalities with benchmarks (index 0..D-1) and the margins of the weighting."""

    municipalities: tuple[str, ...]
    names: tuple[str, ...]
    #: (D,) 15+ population (total of the first margin).
    population: FloatArray
    #: (n,) municipality index of each respondent, -1 when left out of the weighting.
    municipality: IntArray
    margins: tuple[MarginPlan, ...]
    #: (D,) respondents per municipality.
    respondents: IntArray
    #: (D,) municipalities post-stratified to their total (too few respondents).
    single: BoolArray
    #: Municipality code ("" when not stated) -> respondents left out for want of benchmarks.
    excluded: dict[str, int]


def category_order(survey: Survey, variable: str, found: set[str]) -> list[str]:
    """Benchmark categories of a variable, in the order of the question's choices, else sorted."""
    try:
        choices = [c.code for c in survey.question(variable).choices]
    except KeyError:
        choices = []
    ordered = [code for code in choices if code in found]
    return ordered + sorted(found - set(ordered))


def _cell_components(sizes: list[int]) -> IntArray:
    """(K, J) component codes of every cell, the first variable varying fastest."""
    total = int(np.prod(sizes))
    index = np.arange(total)
    parts = []
    for size in sizes:
        parts.append(index % size)
        index = index // size
    return np.stack(parts, axis=1).astype(np.intp)


def _impute(
    components: IntArray,
    cell_components: IntArray,
    targets: FloatArray,
    municipality: IntArray,
    rng: np.random.Generator,
) -> tuple[IntArray, BoolArray]:
    """Cells of respondents, missing ones drawn in proportion to the compatible targets."""
    sizes = cell_components.max(axis=0) + 1
    strides = np.concatenate([[1], np.cumprod(sizes[:-1])]).astype(np.intp)
    inside = municipality >= 0
    missing = inside & (components < 0).any(axis=1)
    codes = np.where(inside & ~missing, (components * strides).sum(axis=1), -1).astype(np.intp)
    rows = np.flatnonzero(missing)
    if rows.size:
        known = components[rows]
        compatible = np.all(
            (known[:, None, :] < 0) | (known[:, None, :] == cell_components[None, :, :]), axis=2
        )
        weights = targets[municipality[rows]] * compatible
        empty = weights.sum(axis=1) <= 0
        weights[empty] = targets[municipality[rows[empty]]]
        cumulative = np.cumsum(weights, axis=1)
        draws = rng.random(rows.size) * cumulative[:, -1]
        codes[rows] = (cumulative <= draws[:, None]).sum(axis=1)
    return codes, missing


def build_plan(
    respondents: pd.DataFrame,
    benchmarks: pd.DataFrame,
    survey: Survey,
    *,
    min_respondents_to_rake: int,
    rng: np.random.Generator,
) -> WeightingPlan:
    """The weighting plan of the respondent table under the survey's ``weighting:`` block."""
    weighting = survey.weighting
    if weighting is None:
        raise PipelineError("no_weighting_block", survey=survey.id)
    names = [margin_variable(m) for m in weighting.margins]
    usable = benchmarks[benchmarks["variable"].isin(names)]
    if usable.empty:
        raise PipelineError("no_benchmarks", variables=", ".join(names))
    totals = usable.pivot_table(
        index="municipality", columns="variable", values="count", aggfunc="sum"
    ).reindex(columns=names)
    complete = totals.notna().all(axis=1) & (totals[names[0]] > 0)
    codes_list = sorted(totals.index[complete].astype(str))
    lookup = {code: i for i, code in enumerate(codes_list)}
    name_of = dict(zip(benchmarks["municipality"], benchmarks["municipality_name"], strict=False))
    domain = respondents[weighting.domain]
    municipality = np.array(
        [lookup.get(c, -1) if isinstance(c, str) else -1 for c in domain], dtype=np.intp
    )
    d = len(codes_list)
    population = np.zeros(d)
    margins: list[MarginPlan] = []
    for index, (variables, name) in enumerate(zip(weighting.margins, names, strict=True)):
        rows = usable[usable["variable"] == name]
        split = rows["category"].str.split("*", regex=False)
        orders = [
            category_order(survey, v, {str(parts[j]) for parts in split if len(parts) > j})
            for j, v in enumerate(variables)
        ]
        sizes = [len(o) for o in orders]
        cell_components = _cell_components(sizes)
        cells = tuple("*".join(orders[j][c] for j, c in enumerate(row)) for row in cell_components)
        table = (
            rows.pivot_table(
                index="municipality", columns="category", values="count", aggfunc="sum"
            )
            .reindex(index=codes_list, columns=list(cells))
            .fillna(0.0)
            .to_numpy(np.float64)
        )
        sums = table.sum(axis=1)
        if index == 0:
            population = sums
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                table = table * np.where(sums > 0, population / sums, 0.0)[:, None]
        components = np.stack(
            [
                respondents[v].map({c: k for k, c in enumerate(order)}).fillna(-1).to_numpy(np.intp)
                for v, order in zip(variables, orders, strict=True)
            ],
            axis=1,
        )
        codes, imputed = _impute(components, cell_components, table, municipality, rng)
        margins.append(MarginPlan(name, tuple(variables), cells, table, codes, imputed))
    counts = np.bincount(municipality[municipality >= 0], minlength=d).astype(np.intp)
    left_out = pd.Series(
        [c if isinstance(c, str) else "" for c in domain[municipality < 0]], dtype=object
    )
    return WeightingPlan(
        municipalities=tuple(codes_list),
        names=tuple(str(name_of.get(c, "")) for c in codes_list),
        population=population,
        municipality=municipality,
        margins=tuple(margins),
        respondents=counts,
        single=counts < min_respondents_to_rake,
        excluded={str(k): int(v) for k, v in left_out.value_counts().items()},
    )
