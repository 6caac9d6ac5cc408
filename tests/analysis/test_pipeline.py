"""The estimation pipeline on a synthetic population whose truth is known.

Municipalities have census margins (age group × gender, household size, language); the
indicator ``victimised`` depends on the age group only (``PREVALENCE``) and the incident count
``incidents`` is Poisson with an age-dependent mean (``INCIDENCE``). Respondents answer with an
age-dependent propensity (``PROPENSITY``: the young answer least), so unweighted estimates are
biased and estimates weighted to the age margin are not. The true value of a municipality is
the expectation under the model, ``sum_cells N_cell p_age / N``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.loader import denominator_column, numerator_column
from analysis.pipeline import PipelineOptions, estimate_from_frames
from analysis.quality import ReleaseRules, assess
from analysis.results import RESULT_COLUMNS
from questionnaire.definition.model import Indicator, IndicatorUnit, Survey
from questionnaire.loader import load_survey

AGES = ("a15_24", "a25_44", "a45_64", "a65_plus")
GENDERS = ("woman", "man")
HOUSEHOLDS = ("p1", "p2", "p3_plus")
LANGUAGES = ("french", "english", "both", "neither")
PREVALENCE = np.array([0.40, 0.25, 0.15, 0.08])
INCIDENCE = np.array([0.9, 0.5, 0.3, 0.15])
PROPENSITY = np.array([0.25, 0.6, 1.0, 1.6])
SURVEY_DEFS = Path(__file__).resolve().parents[2] / "survey_defs"
BOTH = {"fr": "Indicateur de test", "en": "Test indicator"}


@dataclass(frozen=True)
class Population:
    """Respondents, benchmarks, the questionnaire, and the truth per municipality."""

    respondents: pd.DataFrame
    benchmarks: pd.DataFrame
    survey: Survey
    truth: dict[str, dict[str, float]]


def synthetic_survey() -> Survey:
    """perceived_safety with two synthetic indicators (a percent and a rate per 1,000)."""
    survey = load_survey(SURVEY_DEFS / "perceived_safety.yaml")
    indicators = [
        Indicator(
            name="victimised",
            label=BOTH,
            unit=IndicatorUnit.PERCENT,
            numerator="true",
            denominator="true",
        ),
        Indicator(
            name="incidents",
            label=BOTH,
            unit=IndicatorUnit.PER_1000,
            numerator="1",
            denominator="true",
        ),
    ]
    return survey.model_copy(update={"indicators": indicators})


def make_population(
    sizes: tuple[int, ...] = (300, 250, 200, 150, 60, 12),
    *,
    empty: int = 1,
    seed: int = 7,
) -> Population:
    """Municipalities with ``sizes`` respondents each plus ``empty`` without any respondent."""
    rng = np.random.default_rng(seed)
    bench_rows: list[dict[str, object]] = []
    people: list[dict[str, object]] = []
    truth: dict[str, dict[str, float]] = {}
    for m, size in enumerate((*sizes, *(0,) * empty)):
        code = f"24990{m:02d}"
        population = float(rng.integers(5_000, 60_000))
        age_share = rng.dirichlet([6, 12, 12, 9])
        cells = np.outer(age_share, [0.51, 0.49]) * population
        households = rng.dirichlet([4, 6, 7]) * population
        languages = rng.dirichlet([20, 6, 2, 1]) * population
        for a, age in enumerate(AGES):
            for g, gender in enumerate(GENDERS):
                bench_rows.append(_bench(code, "age_group*gender", f"{age}*{gender}", cells[a, g]))
        for h, value in enumerate(households):
            bench_rows.append(_bench(code, "household_size", HOUSEHOLDS[h], value))
        for lang, value in enumerate(languages):
            bench_rows.append(_bench(code, "language_spoken", LANGUAGES[lang], value))
        ages_total = cells.sum(axis=1)
        truth[code] = {
            "victimised": 100 * float(ages_total @ PREVALENCE) / population,
            "incidents": 1000 * float(ages_total @ INCIDENCE) / population,
        }
        draw = (cells * PROPENSITY[:, None]).ravel()
        picks = rng.choice(draw.size, size=size, p=draw / draw.sum())
        for pick in picks:
            a, g = divmod(int(pick), 2)
            people.append(
                {
                    "age": a,
                    "municipality": code,
                    "age_group": AGES[a],
                    "gender": GENDERS[g],
                    "household_size": HOUSEHOLDS[rng.choice(3, p=households / population)],
                    "language_spoken": LANGUAGES[rng.choice(4, p=languages / population)],
                }
            )
    frame = pd.DataFrame(people)
    n = len(frame)
    age = frame.pop("age").to_numpy()
    frame.insert(0, "response_id", [f"r{i:05d}" for i in range(n)])
    frame.insert(1, "channel", np.where(rng.random(n) < 0.3, "telegram", "web"))
    frame[numerator_column("victimised")] = (rng.random(n) < PREVALENCE[age]).astype(float)
    frame[denominator_column("victimised")] = 1.0
    frame[numerator_column("incidents")] = rng.poisson(INCIDENCE[age]).astype(float)
    frame[denominator_column("incidents")] = 1.0
    return Population(
        frame.astype({"municipality": object}), pd.DataFrame(bench_rows), synthetic_survey(), truth
    )


def _bench(code: str, variable: str, category: str, count: float) -> dict[str, object]:
    return {
        "municipality": code,
        "municipality_name": f"Test {code}",
        "variable": variable,
        "category": category,
        "count": float(round(count)),
    }


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


@pytest.fixture
def run() -> Callable[..., tuple[Population, pd.DataFrame]]:
    """Factory: a population (``make_population`` arguments) and its results table."""

    def make(
        population: Population | None = None, *, replicates: int = 20, seed: int = 3, **options
    ) -> tuple[Population, pd.DataFrame]:
        population = population or make_population()
        rules = options.pop("rules", None)
        results = estimate_from_frames(
            population.respondents,
            population.benchmarks,
            population.survey,
            replicates=replicates,
            seed=seed,
            rules=rules,
            options=PipelineOptions(**options),
        )
        return population, results

    return make


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


def test_unreliable_direct_estimates_give_way_to_the_eblup(run) -> None:
    _, results = run()
    rows = _municipal(results, "victimised")
    eblup = rows[rows["method"] == "eblup"]
    assert not eblup.empty
    assert np.all(eblup["cv"].notna())
    direct_cv = 100 * eblup["direct_se"] / eblup["direct_estimate"]
    assert np.all((direct_cv > 16.5) | (eblup["n"] < 10))


def test_normal_intervals_are_estimate_plus_minus_z_se(run) -> None:
    # Every row whose interval is normal (model-based estimates, rates): the 95 %
    # interval is estimate ± 1.96 SE, cut at 0 (and at 100 for percentages), in
    # every municipality, whatever its row number in the table.
    _, results = run(make_population(empty=2))
    normal = results[(results["ci_method"] == "normal") & results["estimate"].notna()]
    assert {"eblup", "synthetic"} <= set(normal["method"])
    z = 1.959963984540054
    upper = np.where(normal["unit"] == "percent", 100.0, np.inf)
    low = np.maximum(normal["estimate"] - z * normal["se"], 0.0)
    high = np.minimum(normal["estimate"] + z * normal["se"], upper)
    assert np.allclose(normal["ci_low"], low)
    assert np.allclose(normal["ci_high"], high)


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
    _, results = run(percent_interval="korn_graubard", language="fr")
    direct_percent = results[(results["method"] == "direct") & (results["unit"] == "percent")]
    assert set(direct_percent["ci_method"]) == {"korn_graubard"}
    rates = results[(results["unit"] == "per_1000") & (results["method"] == "direct")]
    assert set(rates["ci_method"]) == {"normal"}
    assert any("calée" in text for text in results["weighting"])
    assert "Toutes les municipalités" in set(results["municipality_name"])
