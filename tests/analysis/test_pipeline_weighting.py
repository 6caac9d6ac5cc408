"""Weighting inside the pipeline: collapsing many margins, raking within municipalities,
trimming, bootstrap replicates and the series cap."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.pipeline.domains import cap_series
from analysis.pipeline.draws import Groups, member_groups
from analysis.pipeline.plan import WeightingPlan, build_plan
from analysis.pipeline.replicates import municipal_bootstrap_factors, replicate_weight_matrix
from analysis.pipeline.weighting import WeightingSettings, weigh_block, weigh_full_sample
from analysis.weighting.collapse import (
    CollapseRule,
    collapse_categories,
    collapse_rows,
    group_targets,
)
from questionnaire.loader import load_survey

AGES = ("a15_24", "a25_44", "a45_64", "a65_plus")
HOUSEHOLDS = ("p1", "p2", "p3_plus")
LANGUAGES = ("french", "english", "both", "neither")


@pytest.fixture
def make_plan(survey_defs) -> Callable[..., tuple[WeightingPlan, pd.DataFrame]]:
    """Factory: a plan for ``sizes`` respondents in as many municipalities (random answers)."""
    survey = load_survey(survey_defs / "perceived_safety.yaml")

    def make(sizes: tuple[int, ...], seed: int = 0) -> tuple[WeightingPlan, pd.DataFrame]:
        rng = np.random.default_rng(seed)
        bench, people = [], []
        for m, size in enumerate(sizes):
            code = f"77{m:05d}"
            total = 20_000.0
            cells = rng.dirichlet(np.full(8, 6.0)) * total
            for index, count in enumerate(cells):
                category = f"{AGES[index // 2]}*{('woman', 'man')[index % 2]}"
                bench.append((code, "age_group*gender", category, count))
            for variable, names in (("household_size", HOUSEHOLDS), ("language_spoken", LANGUAGES)):
                for name, share in zip(names, rng.dirichlet(np.full(len(names), 5.0)), strict=True):
                    bench.append((code, variable, name, share * total))
            for _ in range(size):
                people.append(
                    {
                        "municipality": code,
                        "age_group": AGES[rng.integers(4)],
                        "gender": ("woman", "man")[rng.integers(2)],
                        "household_size": HOUSEHOLDS[rng.integers(3)],
                        "language_spoken": LANGUAGES[rng.integers(4)],
                        "channel": "web",
                    }
                )
        benchmarks = pd.DataFrame(bench, columns=["municipality", "variable", "category", "count"])
        benchmarks["municipality_name"] = "Test"
        frame = pd.DataFrame(people).astype(object)
        plan = build_plan(
            frame, benchmarks, survey, min_respondents_to_rake=20, rng=np.random.default_rng(1)
        )
        return plan, benchmarks

    return make


@settings(max_examples=200, deadline=None)
@given(
    counts=st.lists(st.integers(0, 15), min_size=1, max_size=8),
    minimum=st.integers(0, 20),
)
def test_collapsing_many_rows_follows_collapse_categories(counts, minimum) -> None:
    k = len(counts)
    codes = np.repeat(np.arange(k), counts)
    reference = collapse_categories(codes, np.ones(k), CollapseRule(min_respondents=minimum))
    expected = np.empty(k, dtype=int)
    for group, members in enumerate(reference.groups):
        expected[list(members)] = group
    rows = np.array([counts, counts[::-1]], dtype=float)
    found = collapse_rows(rows, minimum)
    assert list(found.groups[0]) == list(expected)
    assert found.sizes[0] == len(reference.groups)
    assert np.allclose(group_targets(np.ones((2, k)), found.groups).sum(axis=1), k)


def test_single_rows_collapse_to_one_group() -> None:
    found = collapse_rows(np.full((2, 4), 50.0), 10, single=np.array([True, False]))
    assert list(found.sizes) == [1, 4]


def test_raked_weights_meet_every_margin_within_each_municipality(make_plan) -> None:
    plan, _ = make_plan((600, 500, 400))
    full = weigh_full_sample(plan, WeightingSettings(max_weight_ratio=None))
    for margin in plan.margins:
        for m in range(len(plan.municipalities)):
            here = plan.municipality == m
            totals = np.bincount(
                margin.codes[here], weights=full.weights[here], minlength=len(margin.cells)
            )
            assert np.allclose(totals, margin.targets[m], rtol=1e-6)
    assert not full.single.any()


def test_trimming_keeps_weights_within_the_cap_and_the_margins(make_plan) -> None:
    plan, _ = make_plan((600, 500, 400), seed=4)
    untrimmed = weigh_full_sample(plan, WeightingSettings(max_weight_ratio=None))
    full = weigh_full_sample(plan, WeightingSettings(max_weight_ratio=1.6, trim_rounds=10))
    for m in range(len(plan.municipalities)):
        here = plan.municipality == m
        mean = plan.population[m] / here.sum()
        assert untrimmed.weights[here].max() > 1.6 * mean
        if full.block.cap_met[0, m]:
            assert full.weights[here].max() <= 1.6 * mean * (1 + 1e-8)
        assert np.isclose(full.weights[here].sum(), plan.population[m])
    assert full.block.trimmed[0].any()


def test_every_replicate_meets_the_margins_and_small_places_are_post_stratified(
    make_plan,
) -> None:
    plan, _ = make_plan((600, 500, 12))
    settings_ = WeightingSettings(max_weight_ratio=None)
    full = weigh_full_sample(plan, settings_)
    assert list(full.single) == [False, False, True]
    reps = replicate_weight_matrix(plan, full, settings_, 6, np.random.default_rng(3), block=4)
    assert reps.weights.shape == (6, plan.municipality.size)
    age = plan.margins[0]
    for row in reps.weights:
        for m in range(3):
            here = plan.municipality == m
            assert np.isclose(row[here].sum(), plan.population[m])
        first = plan.municipality == 0
        totals = np.bincount(age.codes[first], weights=row[first], minlength=8)
        assert np.allclose(totals, age.targets[0], rtol=1e-6)
        assert (row[first] == 0).any()
    small = plan.municipality == 2
    drawn = reps.weights[:, small] > 0
    per_draw = reps.weights[0, small][drawn[0]]
    assert np.allclose(per_draw / per_draw.min(), np.round(per_draw / per_draw.min()))


def test_a_respondent_alone_in_a_municipality_keeps_factor_one() -> None:
    municipality = np.array([0, 0, 0, 1, 2, 2])
    factors = municipal_bootstrap_factors(municipality, 50, np.random.default_rng(0))
    assert np.all(factors[:, 3] == 1.0)
    assert np.allclose(factors[:, :3].sum(axis=1), 3.0)
    assert np.allclose(factors[:, 4:].sum(axis=1), 2.0)


def test_series_counts_are_capped_at_a_percentile_of_the_positive_counts() -> None:
    numerator = np.array([0, 0, 1, 1, 2, 2, 3, 50, np.nan, 40.0])
    denominator = np.array([1, 1, 1, 1, 1, 1, 1, 1, 1, np.nan])
    capped = cap_series(numerator, denominator, 80.0)
    assert list(capped[:8]) == [0, 0, 1, 1, 2, 2, 3, 3]
    assert np.isnan(capped[8])
    assert capped[9] == 3


def test_weighting_cells_gives_the_weights_of_weighting_every_drawn_respondent_apart(
    make_plan, monkeypatch
) -> None:
    """Respondents of a municipality alike in every margin (and starting factor) are weighted
    as one cell per replicate; weighting each drawn (replicate, respondent) pair apart gives
    the same weights to 1e-12 and the same collapsing, trimming and errors."""
    plan, _ = make_plan((300, 250, 160, 12), seed=2)
    settings_ = WeightingSettings(max_weight_ratio=1.8, trim_rounds=3)
    members = np.arange(plan.municipality.size)
    members = members[np.argsort(plan.municipality, kind="stable")]
    rng = np.random.default_rng(5)
    start = np.where(plan.municipality[members] == 3, rng.choice([0.5, 1.0, 2.0], members.size), 1)
    factors = municipal_bootstrap_factors(plan.municipality[members], 8, rng)
    groups = member_groups(plan, members, start)
    assert groups.first.size < 0.8 * members.size  # cells do gather respondents
    cells = weigh_block(plan, factors, members, settings_, start=start)
    monkeypatch.setattr(
        "analysis.pipeline.weighting.member_groups",
        lambda *_: Groups(np.arange(members.size), np.arange(members.size)),
    )
    pairs = weigh_block(plan, factors, members, settings_, start=start)
    assert pairs.trimmed.any() and pairs.groups.max() > 1
    assert np.array_equal(cells.weights > 0, pairs.weights > 0)
    np.testing.assert_allclose(cells.weights, pairs.weights, rtol=1e-12, atol=0)
    for name in ("groups", "trimmed", "cap_met", "demoted"):
        assert np.array_equal(getattr(cells, name), getattr(pairs, name)), name
    assert cells.rounds == pairs.rounds
    np.testing.assert_allclose(cells.errors, pairs.errors, rtol=1e-6, atol=1e-14)


def test_a_sparse_cell_merges_within_its_gender_before_crossing_to_the_other() -> None:
    # women 15-24 .. 65+, then men 15-24 .. 65+: the 3 young men sit next to the 20 oldest
    # women and the 40 men of 25-44; only the men are their neighbours
    counts = np.array([[50, 50, 50, 20, 3, 40, 50, 50]], dtype=float)
    assert list(collapse_rows(counts, 10).groups[0]) == [0, 1, 2, 3, 3, 4, 5, 6]  # one line
    found = collapse_rows(counts, 10, block=4).groups[0]
    assert list(found) == [0, 1, 2, 3, 4, 4, 5, 6]
    # a block that is sparse as a whole still merges, across the boundary, once it is one group
    few_men = np.array([[50, 50, 50, 50, 2, 2, 2, 2]], dtype=float)
    assert list(collapse_rows(few_men, 10, block=4).groups[0]) == [0, 1, 2, 3, 3, 3, 3, 3]


def test_full_sample_weighting_keeps_the_oldest_women_apart_from_the_youngest_men(
    survey_defs,
) -> None:
    survey = load_survey(survey_defs / "perceived_safety.yaml")
    cells = [f"{age}*{gender}" for gender in ("woman", "man") for age in AGES]
    counts = [50, 50, 50, 20, 3, 40, 50, 50]
    targets = [900.0, 1500.0, 1400.0, 1100.0, 800.0, 1500.0, 1400.0, 900.0]
    total = sum(targets)
    bench = [("7700000", "age_group*gender", c, t) for c, t in zip(cells, targets, strict=True)]
    for variable, names in (("household_size", HOUSEHOLDS), ("language_spoken", LANGUAGES)):
        bench += [("7700000", variable, name, total / len(names)) for name in names]
    benchmarks = pd.DataFrame(bench, columns=["municipality", "variable", "category", "count"])
    benchmarks["municipality_name"] = "Test"
    rng = np.random.default_rng(0)
    people = [
        {
            "municipality": "7700000",
            "age_group": cell.split("*")[0],
            "gender": cell.split("*")[1],
            "household_size": HOUSEHOLDS[rng.integers(3)],
            "language_spoken": LANGUAGES[rng.integers(4)],
            "channel": "web",
        }
        for cell, count in zip(cells, counts, strict=True)
        for _ in range(count)
    ]
    frame = pd.DataFrame(people).astype(object)
    plan = build_plan(frame, benchmarks, survey, min_respondents_to_rake=20, rng=rng)
    full = weigh_full_sample(plan, WeightingSettings(max_weight_ratio=None))
    age = plan.margins[0]
    assert list(age.cells) == cells
    totals = np.bincount(age.codes, weights=full.weights, minlength=8)
    assert np.isclose(totals[3], targets[3], rtol=1e-6)  # the oldest women alone
    assert np.isclose(totals[4] + totals[5], targets[4] + targets[5], rtol=1e-6)
    assert full.block.groups[0, 0, 0] == 7
