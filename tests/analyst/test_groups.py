"""Estimates by age group and gender: computed by the run, stored with it, and equal to an
independent computation from the run's own replicate weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from flask.testing import FlaskClient
from sqlalchemy import update
from workspace_support import add_responses, immediate_queue, sign_in

from analysis.loader import load_benchmark_frame, load_respondents
from demo import DEMO_BENCHMARKS_CSV
from observatory import DEFAULT_SEED, EstimateRequest
from observatory.estimates import release_rules
from observatory.exports.weights import run_weights
from observatory.jobs import JobQueue
from services import Services
from storage.workspace_tables import EstimateRunModel

REPLICATES = 20


@pytest.fixture
def queue(services: Services, tmp_path: Path) -> JobQueue:
    url = services.settings.database_url
    assert url is not None
    add_responses(url, 120)
    add_responses(url, 6, seed=3, municipalities=("2443027",))
    services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
    return immediate_queue(services, tmp_path)


def test_cells_agree_with_the_run_s_replicate_weights(services: Services, queue: JobQueue) -> None:
    run = queue.request_run(EstimateRequest("victimisation", replicates=REPLICATES), "ana@x.test")
    assert queue.run(run.id).status == "done"
    groups = queue.groups(run.id)
    assert groups is not None
    ages = ["a15_24", "a25_44", "a45_64", "a65_plus"]
    assert list(groups["age_group"].iloc[:8]) == ages * 2
    assert list(groups["gender"].iloc[:8]) == ["woman"] * 4 + ["man"] * 4
    with services.sessions() as session:
        survey, respondents = load_respondents(session, "victimisation")
        benchmarks = load_benchmark_frame(session, survey)
    weights = run_weights(respondents, benchmarks, survey, replicates=REPLICATES, seed=DEFAULT_SEED)
    checked = 0
    for row in groups.itertuples(index=False):
        numerator, denominator = weights.indicators[row.indicator]
        scale = weights.multipliers[row.indicator]
        cell = (
            (respondents["age_group"] == row.age_group).to_numpy()
            & (respondents["gender"] == row.gender).to_numpy()
            & ~np.isnan(denominator)
            & (weights.final > 0)
        )
        assert row.n == int(cell.sum())
        if row.n == 0:
            assert np.isnan(row.direct_estimate) and row.flag == "x"
            continue
        y, x = np.where(cell, numerator, 0.0), np.where(cell, denominator, 0.0)
        w = weights.final
        theta = scale * (w @ y) / (w @ x)
        thetas = scale * (weights.replicates @ y) / (weights.replicates @ x)
        variance = np.mean((thetas - theta) ** 2)
        assert row.direct_estimate == pytest.approx(theta, rel=1e-9, abs=1e-12)
        assert row.direct_se == pytest.approx(np.sqrt(variance), rel=1e-9, abs=1e-12)
        assert row.weighted_n == pytest.approx(w[cell].sum(), rel=1e-9)
        assert row.effective_n == pytest.approx(w[cell].sum() ** 2 / (w[cell] ** 2).sum())
        if row.variance_source == "bootstrap":
            assert row.estimate == pytest.approx(row.direct_estimate, rel=1e-12)
            assert row.se == pytest.approx(row.direct_se, rel=1e-12)
            checked += 1
    assert checked >= 8, checked
    # The preset's respondent rule (statcan: 10): a smaller cell is suppressed.
    rules = release_rules("statcan")
    small = groups[groups["n"] < rules.min_respondents]
    assert len(small) and (small["flag"] == "x").all()


def test_a_run_without_cells_has_no_table_and_no_chart(
    queue: JobQueue, client: FlaskClient
) -> None:
    run = queue.request_run(EstimateRequest("victimisation", replicates=3), "ana@x.test")
    with queue.session_factory.begin() as session:  # a run made before the groups existed
        session.execute(
            update(EstimateRunModel).where(EstimateRunModel.id == run.id).values(groups=None)
        )
    assert queue.groups(run.id) is None
    sign_in(client, "ana@vigie.test")
    page = client.get(f"/analyst/estimates/{run.id}")
    assert page.status_code == 200 and "chart-groups" not in page.get_data(as_text=True)
    assert client.get(f"/analyst/estimates/{run.id}/groups.svg").status_code == 404
    assert client.get(f"/analyst/estimates/{run.id}/groups.csv").status_code == 404


def test_the_run_page_shows_the_cells_in_the_page_s_words(
    queue: JobQueue, client: FlaskClient
) -> None:
    run = queue.request_run(EstimateRequest("victimisation", replicates=3), "ana@x.test")
    assert sign_in(client, "ana@vigie.test") == 303
    english = client.get(f"/analyst/estimates/{run.id}?lang=en").get_data(as_text=True)
    french = client.get(f"/analyst/estimates/{run.id}?lang=fr").get_data(as_text=True)
    for page, words in (
        (english, ("by age group and gender", "15–24", "65 and over", "Woman", "Man")),
        (french, ("par groupe d&#39;âge et genre", "15 à 24 ans", "65 ans et plus", "Femme")),
    ):
        assert 'id="chart-groups"' in page
        assert all(word in page for word in words), [w for w in words if w not in page]
        assert f"/analyst/estimates/{run.id}/groups.svg?indicator=" in page
        assert f"/analyst/estimates/{run.id}/groups.csv" in page
    chart = client.get(f"/analyst/estimates/{run.id}/groups.svg?lang=en")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    assert "65 and over" in chart.get_data(as_text=True)
    rows = client.get(f"/analyst/estimates/{run.id}/groups.csv").get_data(as_text=True)
    assert rows.splitlines()[0].startswith("age_group,gender,indicator,unit,estimate,se")
    answer = client.get(f"/api/v1/estimates?run={run.id}&lang=en").get_json()
    cells = answer["age_gender"]
    groups = queue.groups(run.id)
    assert groups is not None and len(cells) == len(groups)
    assert {c["age_group"] for c in cells} == {"a15_24", "a25_44", "a45_64", "a65_plus"}
    hidden = [c for c in cells if c["flag"] in ("x", "F")]
    assert hidden and all(c["estimate"] is None and c["ci_low"] is None for c in hidden)
    assert "se" not in cells[0] and "direct_estimate" not in cells[0]
