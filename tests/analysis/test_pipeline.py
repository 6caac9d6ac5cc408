"""The estimation pipeline on a synthetic population whose truth is known.

Municipalities have census margins (age group × gender, household size, language); the
indicator ``victimised`` depends on the age group only (``PREVALENCE``) and the incident count
``incidents`` is Poisson with an age-dependent mean (``INCIDENCE``). Respondents answer with an
age-dependent propensity (``PROPENSITY``: the young answer least), so unweighted estimates are
biased and estimates weighted to the age margin are not. The true value of a municipality is
the expectation under the model, ``sum_cells N_cell p_age / N``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pipeline_population import (
    Population,
    make_population,
)
from scipy import stats

from analysis.pipeline.results import RESULT_COLUMNS
from analysis.quality.release_rules import ReleaseRules, assess


def test_the_synthetic_margins_of_a_municipality_describe_one_population() -> None:
    population = make_population()
    totals = population.benchmarks.groupby(["municipality", "variable"])["count"].sum().unstack()
    assert np.allclose(totals.min(axis=1), totals.max(axis=1), atol=3)


def test_the_young_are_under_represented_among_respondents() -> None:
    population = make_population()
    share_young = (population.respondents["age_group"] == "a15_24").mean()
    bench = population.benchmarks
    young = bench["category"].str.startswith("a15_24").to_numpy()
    census_young = (
        bench.loc[young, "count"].sum()
        / bench.loc[bench["variable"] == "age_group*gender", "count"].sum()
    )
    assert share_young < 0.6 * census_young


def _municipal(results: pd.DataFrame, indicator: str) -> pd.DataFrame:
    rows = results[(results["indicator"] == indicator) & (results["channel"] == "all")]
    return rows[rows["municipality"] != "ALL"].set_index("municipality")


def test_the_table_has_every_column_and_a_row_per_domain_and_indicator(run) -> None:
    population, results = run()
    assert tuple(results.columns) == RESULT_COLUMNS
    municipalities = population.benchmarks["municipality"].nunique()
    assert len(results) == 2 * (municipalities + 3)
    pooled = results[results["municipality"] == "ALL"]
    assert sorted(pooled["channel"].unique()) == ["all", "telegram", "web"]


def test_weighting_recovers_the_population_value_better_than_no_weighting(run) -> None:
    large = (1500, 1500, 1200, 1200, 1000, 1000)
    population, results = run(make_population(large, empty=0, seed=11))
    frame = population.respondents
    weighted = _municipal(results, "victimised")
    unweighted = frame.groupby("municipality")["num:victimised"].mean() * 100
    truth = pd.Series({code: t["victimised"] for code, t in population.truth.items()})
    weighted_error = (weighted["direct_estimate"] - truth).abs().mean()
    unweighted_error = (unweighted - truth).abs().mean()
    assert weighted_error < 0.5 * unweighted_error
    covered = (weighted["ci_low"] <= truth) & (truth <= weighted["ci_high"])
    assert covered.mean() >= 4 / 6


def test_the_pooled_estimate_is_close_to_the_population_value(run) -> None:
    population, results = run(make_population((400, 400, 350, 300, 300, 250), empty=0, seed=5))
    pooled = results[(results["municipality"] == "ALL") & (results["channel"] == "all")]
    pooled = pooled.set_index("indicator")
    counts = population.benchmarks.groupby("municipality")["count"].sum() / 3
    for indicator in ("victimised", "incidents"):
        truth = sum(t[indicator] * counts[c] for c, t in population.truth.items()) / counts.sum()
        row = pooled.loc[indicator]
        assert row["ci_low"] <= truth <= row["ci_high"]


def test_weighted_totals_meet_each_municipality_s_population(run) -> None:
    population, results = run()
    first_margin = population.benchmarks[population.benchmarks["variable"] == "age_group*gender"]
    totals = first_margin.groupby("municipality")["count"].sum()
    rows = _municipal(results, "victimised")
    answered = rows[rows["n"] > 0]
    assert np.allclose(answered["weighted_n"], totals[answered.index], rtol=1e-6)
    web_and_telegram = results[(results["municipality"] == "ALL") & (results["channel"] != "all")]
    everyone = results[(results["municipality"] == "ALL") & (results["channel"] == "all")]
    assert np.isclose(
        web_and_telegram.groupby("indicator")["weighted_n"].sum().sum(),
        everyone["weighted_n"].sum(),
    )


def test_flags_follow_the_release_rules(run) -> None:
    strict = ReleaseRules(
        publish_cv=5.0, caution_cv=10.0, caution_tiers=((10.0, "E"),), min_respondents=100
    )
    _, results = run(rules=strict)
    direct = results[results["method"] == "direct"]
    expected = [assess(row.estimate, row.se, row.n, strict).flag for row in direct.itertuples()]
    assert list(direct["flag"]) == expected
    assert set(direct.loc[direct["n"] < 100, "flag"]) == {"x"}
    assert {"F", "x"} <= set(results["flag"])


def test_municipalities_without_respondents_get_synthetic_estimates(run) -> None:
    population, results = run(make_population(empty=2))
    empty = [c for c in population.truth if c not in set(population.respondents["municipality"])]
    percent = _municipal(results, "victimised").loc[empty]
    assert list(percent["method"]) == ["synthetic", "synthetic"]
    assert np.all(np.isfinite(percent["estimate"])) and np.all(percent["n"] == 0)
    assert np.all(np.isnan(percent["direct_estimate"]))
    rate = _municipal(results, "incidents").loc[empty]
    assert list(rate["method"]) == ["none", "none"]


def test_a_declared_rule_chooses_direct_or_model_and_every_row_names_its_model(run) -> None:
    _, results = run()
    rows = _municipal(results, "victimised")
    effective = rows["n"] / rows["deff_weighting"].clip(lower=1.0)
    assert set(rows.loc[effective >= 100, "method"]) == {"direct"}
    assert set(rows.loc[effective < 100, "method"]) <= {"eblup", "synthetic"}
    assert not rows[rows["method"] == "eblup"].empty
    named = results[~results["method"].isin(["none", "excluded"])]
    assert named["model"].str.len().min() > 0
    model_rows = named[named["method"].isin(["eblup", "synthetic"])]
    assert all(m.startswith("fay_herriot_arcsine: intercept") for m in model_rows["model"])
    assert set(named.loc[named["method"] == "direct", "model"]) == {"direct"}


def test_intervals_rates_use_t_and_model_intervals_stay_in_range(run) -> None:
    # Rates: estimate ± t(df) SE cut at 0, df = respondents - municipalities; model-based
    # percents: the interval built on the arcsine scale, inside [0, 100] and around the value.
    _, results = run(make_population(empty=2))
    rates = results[(results["unit"] == "per_1000") & (results["method"] == "direct")]
    municipal = rates[rates["municipality"] != "ALL"]
    t = stats.t.ppf(0.975, municipal["n"] - 1)
    assert set(rates["ci_method"]) == {"t"}
    assert np.allclose(municipal["ci_high"], municipal["estimate"] + t * municipal["se"])
    model = results[results["method"].isin(["eblup", "synthetic"])]
    assert {"eblup", "synthetic"} <= set(model["method"])
    assert set(model["ci_method"]) == {"fay_herriot_arcsine"}
    assert np.all((model["ci_low"] >= 0) & (model["ci_high"] <= 100))
    assert np.all((model["ci_low"] <= model["estimate"]) & (model["estimate"] <= model["ci_high"]))


def test_small_municipalities_are_post_stratified_to_their_total(run) -> None:
    _, results = run()
    rows = _municipal(results, "victimised")
    small = rows[(rows["n"] > 0) & (rows["n"] < 20)]
    assert not small.empty
    assert all("post-stratified" in text for text in small["weighting"])
    assert all("raked" in text for text in rows.loc[rows["n"] >= 20, "weighting"])


def test_missing_weighting_answers_are_imputed_reproducibly(run) -> None:
    population = make_population()
    frame = population.respondents.copy()
    frame.loc[frame.index[:15], "gender"] = "another_gender"
    frame.loc[frame.index[15:25], "age_group"] = None
    changed = Population(frame, population.benchmarks, population.survey, population.truth)
    _, first = run(changed, seed=9)
    _, again = run(changed, seed=9)
    _, other = run(changed, seed=10)
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["se"].fillna(0), other["se"].fillna(0))
    touched = set(frame.loc[frame.index[:25], "municipality"])
    texts = _municipal(first, "victimised").loc[sorted(touched), "weighting"]
    assert all("imputed" in text for text in texts)


def test_respondents_of_a_municipality_without_benchmarks_are_reported(run) -> None:
    population = make_population()
    frame = population.respondents.copy()
    frame.loc[frame.index[:7], "municipality"] = "other"
    frame.loc[frame.index[7:10], "municipality"] = None
    changed = Population(frame, population.benchmarks, population.survey, population.truth)
    _, results = run(changed)
    excluded = results[results["method"] == "excluded"].set_index(["indicator", "municipality"])
    assert excluded.loc[("victimised", "other"), "n"] == 7
    assert excluded.loc[("victimised", "unknown"), "n"] == 3
    assert "left out" in excluded.loc[("victimised", "other"), "weighting"]
    pooled = results[(results["municipality"] == "ALL") & (results["channel"] == "all")]
    assert pooled["n"].max() == len(frame) - 10


def test_options_change_intervals_and_language(run) -> None:
    _, default = run()
    direct_percent = default[(default["method"] == "direct") & (default["unit"] == "percent")]
    municipal = direct_percent["municipality"] != "ALL"
    # the cap on the effective size applies to the municipal rows only (Release rules)
    assert set(direct_percent.loc[municipal, "ci_method"]) <= {
        "korn_graubard",
        "korn_graubard_capped",
        "korn_graubard_gvf",
    }
    assert set(direct_percent.loc[~municipal, "ci_method"]) == {"korn_graubard"}
    _, uncapped = run(direct_interval_cap="none")
    for column in ("estimate", "se", "cv", "flag"):  # the cap moves intervals only
        pd.testing.assert_series_equal(default[column], uncapped[column])
    capped = default["ci_method"] == "korn_graubard_capped"
    assert capped.any()
    assert (
        (default["ci_high"] - default["ci_low"])[capped]
        .gt((uncapped["ci_high"] - uncapped["ci_low"])[capped])
        .all()
    )
    direct_percent = uncapped[(uncapped["method"] == "direct") & (uncapped["unit"] == "percent")]
    assert set(direct_percent["ci_method"]) <= {"korn_graubard", "korn_graubard_gvf"}
    _, results = run(percent_interval="logit", language="fr")
    direct_percent = results[(results["method"] == "direct") & (results["unit"] == "percent")]
    assert "logit" in set(direct_percent["ci_method"])
    assert set(direct_percent["ci_method"]) <= {"logit", "korn_graubard_gvf"}
    assert any("calée" in text for text in results["weighting"])
    assert "Toutes les municipalités" in set(results["municipality_name"])
