"""The CV a direct percent is graded on: declared before the figure is seen.

A rare event's bootstrap SE grows like √p̂, so its own CV ``SE / p̂`` falls as the estimate
rises, and grading on it publishes the municipalities whose estimate came out high. By default
(``direct_cv_at="synthetic"``) a direct percent is graded on the smoothed CV of the direct
estimator at its synthetic rate ``sin²(x'β̂)``, which its own draw does not move.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from pipeline_population import Population, make_population

from analysis.estimators.gvf import VarianceFunction
from analysis.loader import numerator_column
from analysis.pipeline.domains import ALL, DomainFigures, Domains
from analysis.pipeline.results import IndicatorResult, indicator_rows
from analysis.pipeline.run import PipelineOptions
from analysis.pipeline.small_areas import DIRECT, AreaChoice
from analysis.quality.release_rules import ReleaseRules

PUBLISHED = ("", "E")
RESPONDENTS = 900.0  # a large municipality: its direct figure is published (n / deff >= 100)
SYNTHETIC = 3.0  # percent


def rare(rate: float = 0.02, seed: int = 5) -> Population:
    """The synthetic population of the pipeline tests with a rare event as ``victimised``."""
    population = make_population((400, 300, 150, 120, 60, 40, 25, 12, 6), empty=2, seed=seed)
    frame = population.respondents.copy()
    rng = np.random.default_rng(seed)
    frame[numerator_column("victimised")] = (rng.random(len(frame)) < rate).astype(float)
    return Population(frame, population.benchmarks, population.survey, population.truth)


def _rows(own: float, cv_at: str, synthetic: float | None = SYNTHETIC) -> dict[str, object]:
    """The row of one municipality whose direct estimate came out at ``own`` percent, with
    the bootstrap variance a binomial draw of that size would have, next to the pooled row."""
    p = own / 100
    variance = 1e4 * p * (1 - p) / RESPONDENTS  # percent², as DomainFigures holds it
    figures = DomainFigures(
        estimate=np.array([own, 3.0]),
        variance=np.array([variance, 1e4 * 0.03 * 0.97 / 5000]),
        n=np.array([int(RESPONDENTS), 5000]),
        weighted_n=np.array([RESPONDENTS, 5000.0]),
        deff=np.array([1.0, 1.0]),
        effective_n=np.array([RESPONDENTS, 5000.0]),
        replicates_used=np.array([100, 100]),
        df=np.array([RESPONDENTS - 1, 4999.0]),
    )
    nan = np.array([np.nan])
    areas = (
        None
        if synthetic is None
        else AreaChoice(
            value=np.array([own]),
            se=nan,
            low=nan,
            high=nan,
            source=(DIRECT,),
            model=(DIRECT,),
            model_rate=np.array([0.5 * own + 0.5 * synthetic]),  # follows the estimate
            synthetic_rate=np.array([synthetic]),
        )
    )
    result = IndicatorResult(
        "rare", "percent", 100.0, figures, areas, VarianceFunction(1.0, 3), reference_rate=0.03
    )
    domains = Domains(sp.csr_array((1, 2)), ("9900001", ALL), ("all", "all"))
    rows = indicator_rows(
        result, domains, ["one", "all"], ["", ""], ReleaseRules(), "korn_graubard", 0.95, cv_at
    )
    return rows[0]


DRAWS = (0.8, 1.5, 2.5, 3.0, 4.5, 6.0)


def test_the_default_grades_a_rare_rate_the_same_whatever_its_own_draw() -> None:
    assert PipelineOptions().direct_cv_at == "synthetic"
    rows = [_rows(own, "synthetic") for own in DRAWS]
    expected = 100 * np.sqrt((1 - 0.03) / (0.03 * RESPONDENTS))
    assert [row["cv"] for row in rows] == pytest.approx([expected] * len(DRAWS))
    assert {row["flag"] for row in rows} == {"E"}
    # the published figure, its SE and its interval stay the estimate's own
    assert [row["estimate"] for row in rows] == pytest.approx(list(DRAWS))
    for own, row in zip(DRAWS, rows, strict=True):
        assert row["se"] == pytest.approx(100 * np.sqrt(own / 100 * (1 - own / 100) / 900))
        assert row["ci_low"] < own < row["ci_high"]


def test_grading_on_the_own_cv_publishes_only_the_high_draws() -> None:
    flags = [_rows(own, "estimate")["flag"] for own in DRAWS]
    assert flags[0] == "F" and flags[-1] == ""
    model = {_rows(own, "model")["cv"] for own in DRAWS}
    assert len(model) == len(DRAWS)  # the model's rate follows the estimate


def test_without_a_model_the_synthetic_grade_falls_back_on_the_pooled_rate() -> None:
    rows = [_rows(own, "synthetic", synthetic=None) for own in DRAWS]
    expected = 100 * np.sqrt((1 - 0.03) / (0.03 * RESPONDENTS))
    assert [row["cv"] for row in rows] == pytest.approx([expected] * len(DRAWS))


def test_a_sample_zero_is_graded_at_the_synthetic_rate_with_a_smoothed_se() -> None:
    row = _rows(0.0, "synthetic", synthetic=1.0)
    assert row["zero"] == "0" and row["variance_source"] == "gvf"
    assert row["cv"] == pytest.approx(100 * np.sqrt(0.99 / (0.01 * RESPONDENTS)))
    assert row["se"] > 0 and row["ci_high"] > row["ci_low"] == 0


@pytest.mark.parametrize("cv_at", ["synthetic", "model", "estimate"])
def test_no_published_row_has_a_zero_se_or_a_zero_width_interval_whatever_the_grading(
    run, cv_at: str
) -> None:
    _, results = run(rare(), replicates=30, direct_min_effective_n=0, direct_cv_at=cv_at)
    rows = results[(results["method"] != "excluded") & (results["indicator"] == "victimised")]
    published = rows[rows["flag"].fillna("").isin(PUBLISHED)]
    assert not published.empty
    assert np.all(published["se"] > 0)
    assert np.all(published["ci_high"] > published["ci_low"])


def test_the_pipeline_grades_direct_municipal_rows_off_their_own_cv(run) -> None:
    _, results = run(rare(), replicates=30, direct_min_effective_n=0)
    rows = results[(results["indicator"] == "victimised") & (results["method"] == "direct")]
    municipal = rows[(rows["municipality"] != ALL) & (rows["direct_estimate"] > 0)]
    own = 100 * municipal["direct_se"] / municipal["direct_estimate"]
    assert not np.allclose(municipal["cv"], own)
    pooled = rows[rows["municipality"] == ALL]
    assert np.allclose(pooled["cv"], 100 * pooled["direct_se"] / pooled["direct_estimate"])


def test_an_unknown_grading_is_refused() -> None:
    from analysis.pipeline.messages import PipelineError

    with pytest.raises(PipelineError):
        PipelineOptions(direct_cv_at="observed").check()


def test_the_held_out_synthetic_value_is_the_fit_without_the_area() -> None:
    from analysis.sae.arcsine import fit_proportions

    rng = np.random.default_rng(8)
    m = 15
    share = rng.uniform(0.1, 0.3, m)
    n = rng.integers(50, 900, m).astype(float)
    p = rng.binomial(n.astype(int), np.clip(0.02 + 0.1 * (share - 0.2), 0.001, 0.5)) / n
    areas = fit_proportions(p, n, share[:, None], ("share",))
    assert areas.held_out_theta is not None
    fit = areas.fit
    x = areas.covariates.matrix(share[:, None], ("share",))
    # y that the fit used: EBLUP = x'β + γ (y - x'β)
    fitted = x @ fit.beta
    y = fitted + (fit.eblup - fitted) / fit.gamma
    v = 1.0 / (fit.sigma2_u + 1.0 / (4.0 * n + 2.0))
    for d in range(m):
        keep = np.arange(m) != d
        xk, vk = x[keep], v[keep]
        beta = np.linalg.solve(xk.T @ (vk[:, None] * xk), xk.T @ (vk * y[keep]))
        assert areas.held_out_theta[d] == pytest.approx(x[d] @ beta, abs=1e-10)
    assert not np.allclose(areas.held_out_theta, areas.synthetic_theta)


def test_the_held_out_factor_is_the_median_of_the_other_domains() -> None:
    from analysis.estimators.gvf import fit_variance_function

    rng = np.random.default_rng(4)
    p = np.array([0.01, 0.02, 0.0, 0.015, 0.03, 0.012, 0.02])
    n = np.array([400, 300, 200, 500, 350, 5, 250], float)
    deff = rng.uniform(1.0, 2.0, p.size)
    ratios = np.array([0.6, 1.3, 1.0, 0.9, 1.1, 1.0, 0.8])
    variance = ratios * deff * p * (1 - p) / n
    gvf = fit_variance_function(p, variance, n, deff)
    usable = [0, 1, 3, 4, 6]  # p = 0 and n < 10 are not
    assert gvf.factor == pytest.approx(np.median(ratios[usable]))
    assert gvf.held_out is not None
    for d in range(p.size):
        others = [i for i in usable if i != d]
        assert gvf.without(d).factor == pytest.approx(np.median(ratios[others]))
    # the lowest ratio grades itself with the median of the others, which is higher
    assert gvf.without(0).factor > gvf.factor


def test_a_domains_own_bootstrap_does_not_move_its_grade() -> None:
    from analysis.estimators.gvf import fit_variance_function

    p = np.array([0.01, 0.02, 0.015, 0.03, 0.012, 0.02])
    n = np.full(p.size, 400.0)
    deff = np.ones(p.size)
    base = p * (1 - p) / n
    grades = []
    for own in (0.3, 1.0, 3.0):
        ratios = np.array([own, 1.3, 0.9, 1.1, 1.0, 0.8])
        gvf = fit_variance_function(p, ratios * base, n, deff).without(0)
        grades.append(float(gvf.variance(0.01, 400, 1.0)))
    assert grades == pytest.approx([grades[0]] * 3)


@pytest.mark.parametrize("k", [4, 5, 6, 7, 51])
def test_the_median_without_each_domain_matches_the_plain_median(k: int) -> None:
    from analysis.estimators.gvf import _medians_without_each

    rng = np.random.default_rng(k)
    for values in (rng.uniform(0.2, 2.0, k), np.round(rng.uniform(0.2, 2.0, k), 1)):
        expected = [np.median(np.delete(values, i)) for i in range(k)]
        assert _medians_without_each(values) == pytest.approx(expected)
