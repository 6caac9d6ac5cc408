"""Direct estimates by age group and gender, over the questionnaire's whole population.

Each cell age group × gender is one more domain (:mod:`analysis.pipeline.domains`): a column
of the membership matrix appended after the municipalities, the pooled population and the
channels, so that it is weighted in the same pass of replicates as the municipal figures
(:func:`analysis.pipeline.direct.direct_estimates`): the same 500 re-raked bootstrap
replicates, the same ratio ``scale × Σ w·n / Σ w·d``, the same variance
``(1/R) Σ_r (θ_r − θ)²``, interval, n, weighted n, effective n and release flags
(:func:`analysis.pipeline.results.indicator_rows`, method ``direct``; a sample zero or a zero
bootstrap variance of a percent gets the indicator's smoothed variance at the pooled rate, as
a municipality's does).

The cells are those of the weighting margin ``age_group × gender`` (its benchmark
categories, age groups within each gender, in the margin's order). A respondent is in the
cell of the answers they gave: a respondent whose age or gender is not stated, or is a
category the census lacks (``another_gender``), is in no cell (the weighting's imputed cell
is a draw, not an answer), and respondents outside the weighting (no benchmarks) are in none
either. A questionnaire whose weighting has no such margin has no cells. A replicate that
leaves a cell without weight is left out of that cell's variance and counted in its
``replicates_used`` (``replicate_failures="fail"`` checks the municipal domains only).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.pipeline.domains import ALL, DomainFigures, Domains
from analysis.pipeline.plan import WeightingPlan
from analysis.pipeline.results import RESULT_COLUMNS, IndicatorResult, indicator_rows
from analysis.quality.release_rules import ReleaseRules

#: The two variables crossed, in the order of the table's columns.
VARIABLES = ("age_group", "gender")
#: Columns of the table not about a cell's figures: where and how the municipal rows were made.
_MUNICIPAL_ONLY = ("municipality", "municipality_name", "channel", "weighting", "model")
#: Columns of the table of cells: its age group and gender, then the results table's figures.
GROUP_COLUMNS = (*VARIABLES, *(c for c in RESULT_COLUMNS if c not in _MUNICIPAL_ONLY))
#: Receives the table of cells once a run has estimated them.
GroupSink = Callable[[pd.DataFrame], None]


@dataclass(frozen=True)
class Cells:
    """The cells as domains (one column each), with each cell's age group and gender."""

    domains: Domains
    age_group: tuple[str, ...]
    gender: tuple[str, ...]


def age_gender_cells(respondents: pd.DataFrame, plan: WeightingPlan) -> Cells | None:
    """The cells of the weighting's ``age_group × gender`` margin; ``None`` without one."""
    margin = next((m for m in plan.margins if set(m.variables) == set(VARIABLES)), None)
    if margin is None or len(margin.variables) != 2:
        return None
    parts = [cell.split("*") for cell in margin.cells]
    position = {name: j for j, name in enumerate(margin.variables)}
    ages = list(dict.fromkeys(p[position["age_group"]] for p in parts))
    genders = list(dict.fromkeys(p[position["gender"]] for p in parts))
    age = _codes(respondents["age_group"], ages)
    gender = _codes(respondents["gender"], genders)
    inside = np.flatnonzero((plan.municipality >= 0) & (age >= 0) & (gender >= 0))
    columns = gender[inside] * len(ages) + age[inside]
    size = len(ages) * len(genders)
    matrix = sp.csr_array((np.ones(inside.size), (inside, columns)), shape=(len(respondents), size))
    cell_ages = tuple(a for _ in genders for a in ages)
    cell_genders = tuple(g for g in genders for _ in ages)
    domains = Domains(matrix, (ALL,) * size, ("all",) * size)
    return Cells(domains, cell_ages, cell_genders)


def _codes(answers: pd.Series, categories: list[str]) -> np.ndarray:
    lookup = {code: k for k, code in enumerate(categories)}
    return np.array(
        [lookup.get(a, -1) if isinstance(a, str) else -1 for a in answers], dtype=np.intp
    )


def with_cells(domains: Domains, cells: Cells | None) -> Domains:
    """``domains`` followed by the cells' columns (``domains`` itself without cells)."""
    if cells is None:
        return domains
    extra = cells.domains
    return Domains(
        sp.hstack([domains.matrix, extra.matrix], format="csr"),
        (*domains.municipality, *extra.municipality),
        (*domains.channel, *extra.channel),
    )


def split_cells(
    results: Sequence[IndicatorResult], size: int
) -> tuple[list[IndicatorResult], list[DomainFigures]]:
    """Each result cut to its first ``size`` domains, and the figures of the domains after."""
    kept, cells = [], []
    for result in results:
        head, tail = {}, {}
        for field in fields(DomainFigures):
            values = getattr(result.figures, field.name)
            head[field.name], tail[field.name] = values[:size], values[size:]
        kept.append(replace(result, figures=DomainFigures(**head)))
        cells.append(DomainFigures(**tail))
    return kept, cells


def cell_table(
    results: Sequence[IndicatorResult],
    figures: Sequence[DomainFigures],
    cells: Cells,
    rules: ReleaseRules,
    interval: str,
    level: float,
) -> pd.DataFrame:
    """One row per indicator and cell (:data:`GROUP_COLUMNS`), graded by ``rules``.

    ``results`` are the municipal results (their smoothed variance and pooled rate serve a
    cell's sample zero as they serve a municipality's); ``figures`` the cells' own.
    """
    size = cells.domains.size
    rows: list[dict[str, object]] = []
    for result, own in zip(results, figures, strict=True):
        cell_result = replace(result, figures=own, areas=None)
        found = indicator_rows(
            cell_result, cells.domains, ("",) * size, ("",) * size, rules, interval, level
        )
        for i, row in enumerate(found):
            row |= {"age_group": cells.age_group[i], "gender": cells.gender[i]}
            rows.append({name: row[name] for name in GROUP_COLUMNS})
    frame = pd.DataFrame(rows, columns=list(GROUP_COLUMNS))
    frame["n"] = frame["n"].astype(np.int64)
    frame["replicates_used"] = frame["replicates_used"].astype(np.int64)
    return frame
