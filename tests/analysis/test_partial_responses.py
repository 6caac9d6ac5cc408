"""Partial responses: each indicator from the respondents who reached it, re-weighted by cell."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from pipeline_population import Population, make_population

from analysis.loader import denominator_column, numerator_column, reached_column
from analysis.pipeline.messages import PipelineError
from analysis.pipeline.partial import ItemNonresponse

INDICATOR = "victimised"


def _young_only(population: Population) -> Population:
    """``victimised`` is 1 exactly for the 15-24 year olds: constant within every cell."""
    frame = population.respondents.copy()
    frame[numerator_column(INDICATOR)] = (frame["age_group"] == "a15_24").astype(float)
    return Population(frame, population.benchmarks, population.survey, population.truth)


def _stop_early(frame: pd.DataFrame, *, flag: bool) -> pd.DataFrame:
    """Half of each (municipality, age, gender) cell's respondents beyond its first, among the
    15-24 year olds, did not reach the indicator; with ``flag`` they are marked so."""
    out = frame.copy()
    rank = out.groupby(["municipality", "age_group", "gender"]).cumcount()
    stopped = (out["age_group"] == "a15_24") & (rank % 2 == 1)
    out.loc[stopped, [numerator_column(INDICATOR), denominator_column(INDICATOR)]] = np.nan
    if flag:
        out[reached_column(INDICATOR)] = ~stopped
    return out


def _rows(results: pd.DataFrame) -> pd.DataFrame:
    chosen = results[(results["indicator"] == INDICATOR) & (results["channel"] == "all")]
    return chosen.set_index("municipality")


def test_an_indicator_is_reweighted_to_the_cells_of_those_who_reached_it(
    run: Callable[..., tuple[Population, pd.DataFrame]],
) -> None:
    population = _young_only(make_population((300, 250, 200, 150), empty=0, seed=5))
    _, complete = run(population, replicates=8)
    partial = Population(
        _stop_early(population.respondents, flag=True),
        population.benchmarks,
        population.survey,
        population.truth,
    )
    _, adjusted = run(partial, replicates=8)
    naive_frame = _stop_early(population.respondents, flag=False)
    naive = Population(naive_frame, population.benchmarks, population.survey, population.truth)
    _, unadjusted = run(naive, replicates=8)
    full, kept, left = _rows(complete), _rows(adjusted), _rows(unadjusted)
    # the value is constant within cells and every cell kept a respondent: the adjusted
    # estimates are those of the complete data, in every municipality and overall
    assert np.allclose(kept["direct_estimate"], full["direct_estimate"], rtol=1e-9)
    # leaving the respondents out without adjusting under-represents the young
    assert (left.loc["ALL", "direct_estimate"] < full.loc["ALL", "direct_estimate"] - 2).all()
    reached = partial.respondents[reached_column(INDICATOR)]
    assert kept.loc["ALL", "n"] == reached.sum() < full.loc["ALL", "n"]
    assert (kept["direct_se"] > 0).all() and (kept["replicates_used"] == 8).all()
    # the other indicator is untouched
    other = complete[complete["indicator"] == "incidents"]["direct_estimate"].to_numpy()
    same = adjusted[adjusted["indicator"] == "incidents"]["direct_estimate"].to_numpy()
    assert np.array_equal(other, same, equal_nan=True)


def test_a_cell_without_a_respondent_who_reached_passes_its_weight_to_its_municipality() -> None:
    # municipality 0: cells 0 and 1; municipality 1: cell 2; the last respondent is outside
    adjustment = ItemNonresponse(
        reached=np.array([True, False, False, True, True, True]),
        cell=np.array([0, 0, 1, 2, 2, -1]),
        municipality=np.array([0, 0, 0, 1, 1, -1]),
        cells=3,
        municipalities=2,
    )
    weights = np.array([[1.0, 3.0, 6.0, 2.0, 2.0, 5.0], [2.0, 2.0, 2.0, 1.0, 3.0, 5.0]])
    adjusted = adjustment.adjust(weights)
    assert np.allclose(adjusted[:, [1, 2, 5]], 0.0)
    # cell 0 takes 1 + 3, then the municipality's 10 (cell 1 had nobody who reached it)
    assert np.allclose(adjusted[0, :5], [10.0, 0.0, 0.0, 2.0, 2.0])
    assert np.allclose(adjusted[1, :5], [6.0, 0.0, 0.0, 1.0, 3.0])
    for row, original in zip(adjusted, weights, strict=True):
        assert np.isclose(row[:3].sum(), original[:3].sum())
        assert np.isclose(row[3:5].sum(), original[3:5].sum())


def test_replicate_failures_are_left_out_or_fail_the_run_as_declared(
    run: Callable[..., tuple[Population, pd.DataFrame]],
) -> None:
    population = make_population((200, 150, 30), empty=0, seed=5)
    frame = population.respondents.copy()
    third = frame.index[frame["municipality"] == "2499002"]
    # one respondent of the third municipality is in the indicator: a replicate that does not
    # draw them leaves it without an estimate
    frame.loc[third[1:], [numerator_column(INDICATOR), denominator_column(INDICATOR)]] = np.nan
    chosen = Population(frame, population.benchmarks, population.survey, population.truth)
    _, results = run(chosen, replicates=20)
    rows = _rows(results)
    assert 0 < rows.loc["2499002", "replicates_used"] < 20
    assert (rows.drop(index="2499002")["replicates_used"] == 20).all()
    with pytest.raises(PipelineError) as caught:
        run(chosen, replicates=20, replicate_failures="fail")
    error = caught.value
    assert error.code == "replicates_failed"
    assert error.params["municipality"] == "2499002"
    assert error.params["indicator"] == INDICATOR
    assert error.params["failed"] == 20 - rows.loc["2499002", "replicates_used"]
    assert "2499002" in error.message("fr") and "répliques" in error.message("fr")
