"""Estimate runs from the pages: run, watch, publish; suppressed values appear nowhere."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from flask.testing import FlaskClient
from workspace_support import add_responses, csrf_token, immediate_queue, sign_in

from demo import DEMO_BENCHMARKS_CSV
from observatory.release import VALUE_COLUMNS
from services import Services


@pytest.fixture
def estimated(services: Services, tmp_path: Path) -> Services:
    """Responses and benchmarks, and a queue that runs each job as it is queued."""
    url = services.settings.database_url
    assert url is not None
    add_responses(url, 120)
    # Six respondents in Sherbrooke: cells below the 10-respondent rule.
    add_responses(url, 6, seed=3, municipalities=("2443027",))
    services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
    immediate_queue(services, tmp_path)
    return services


def _figures(value: float) -> set[str]:
    """The ways a number may be printed (page, CSV, JSON)."""
    return {f"{value:.1f}", f"{value:.2f}", repr(value), str(value)}


def test_an_analyst_runs_publishes_and_the_public_sees_only_released_figures(
    client: FlaskClient, estimated: Services
) -> None:
    sign_in(client, "ana@vigie.test")
    token = csrf_token(client, "/analyst/estimates")
    form = {"survey": "victimisation", "replicates": "20", "rules": "statcan"}
    # A stricter respondent rule than the preset's: cells of about 40 respondents go.
    form |= {"min_respondents": "45", "csrf_token": token}
    started = client.post("/analyst/estimates", data=form)
    assert started.status_code == 303
    run_path = started.headers["Location"]
    page = client.get(run_path).get_data(as_text=True)
    assert "terminé" in page or "finished" in page
    run_id = int(re.findall(r"\d+", run_path)[-1])
    table = estimated.jobs.results(run_id)
    groups = estimated.jobs.groups(run_id)
    assert groups is not None
    hidden: set[str] = set()
    for frame in (table, groups):  # the municipalities' table and the age group × gender one
        suppressed = frame.loc[frame["flag"].isin(["x", "F"]), list(VALUE_COLUMNS)]
        values = [v for v in suppressed.to_numpy().ravel() if pd.notna(v) and abs(v) > 0.05]
        assert values, "the data should have suppressed cells with figures behind them"
        hidden |= set().union(*(_figures(float(v)) for v in values))
    for frame in (table, groups):  # a published figure equal to a hidden one is no leak
        shown = frame[~frame["flag"].isin(["x", "F"])].select_dtypes("number")
        # Nor is a count printed for every row, suppressed or not (n, weighted_n, effective_n):
        # Sherbrooke's six respondents are an effective size of 6.0 beside its hidden figures.
        counts = frame.drop(columns=list(VALUE_COLUMNS)).select_dtypes("number")
        for printed in (shown, counts):
            hidden -= set().union(*(_figures(v) for v in printed.to_numpy().ravel()))
    # The release rule's own cut-offs are printed in the flags' legend ("CV above 33.3%"):
    # public text, not a cell's figure.
    hidden -= {"16.5", "16.6", "33.3"}
    token = csrf_token(client, run_path)
    assert (
        client.post(f"/analyst/estimates/{run_id}/publish", data={"csrf_token": token}).status_code
        == 303
    )
    anonymous = client.application.test_client()
    listing = anonymous.get("/results/?lang=en")
    assert listing.status_code == 200 and f"/results/{run_id}" in listing.get_data(as_text=True)
    public = anonymous.get(f"/results/{run_id}").get_data(as_text=True)
    csv = client.get(f"/analyst/estimates/{run_id}.csv").get_data(as_text=True)
    groups_csv = client.get(f"/analyst/estimates/{run_id}/groups.csv").get_data(as_text=True)
    api = client.get(f"/api/v1/estimates?run={run_id}").get_data(as_text=True)
    charts = _public_charts(anonymous, run_id, table) + _group_charts(anonymous, run_id, groups)
    assert 'id="chart-groups"' in page and 'id="chart-groups"' in public
    for body in (page, public, csv, groups_csv, api, *charts):
        # An SVG's prolog names its format ("SVG 1.1", version="1.1"): not a figure.
        text = re.sub(r'<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|\bversion="[\d.]+"', "", body)
        # The weighting's note names its trimming cap ("trimmed to 5.0 times the mean"): a rule.
        text = re.sub(r"trimmed to [\d.]+ times", "", text)
        cells = set(re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text))
        leaked = {v for v in hidden if v in cells}
        assert not leaked, leaked
    assert ">x<" in public or ">F<" in public
    for text in (csv, groups_csv):
        released = pd.read_csv(pd.io.common.StringIO(text))
        hidden_rows = released.loc[released["flag"].isin(["x", "F"]), list(VALUE_COLUMNS)]
        assert len(hidden_rows) and hidden_rows.isna().all().all()


#: SVG attributes that hold the drawing's geometry: their numbers are coordinates, not figures;
#: and the axis' tick labels (a text that is a number alone): its scale, set by the published
#: bars only (tests/analyst/test_charts.py: other hidden figures, the same bytes).
_GEOMETRY = re.compile(
    r"\s(?:d|x|y|x1|x2|y1|y2|width|height|viewBox|points|transform|style|clip-path|"
    r'xlink:href|href|stroke-width)="[^"]*"|(?<=>)-?[\d.]+(?=</text>)'
)


def _public_charts(anonymous: FlaskClient, run_id: int, table: pd.DataFrame) -> list[str]:
    """The public charts, geometry aside: the channels' and, for four indicators with
    suppressed cells, the municipalities' (each chart costs a fraction of a second).

    A suppressed cell has no bar: each chart holds one bar per published cell.
    """
    municipal = table[(table["channel"] == "all") & (table["municipality"] != "ALL")]
    municipal = municipal[municipal["method"] != "excluded"]
    shown = _bar_charts(anonymous, f"/results/{run_id}/municipalities.svg", municipal)
    channels = anonymous.get(f"/results/{run_id}/channels.svg").get_data(as_text=True)
    shown.append(_GEOMETRY.sub(" ", channels))
    return shown


def _group_charts(anonymous: FlaskClient, run_id: int, groups: pd.DataFrame) -> list[str]:
    """The public age group × gender charts of four indicators with suppressed cells, geometry
    aside; each holds one bar per published cell."""
    return _bar_charts(anonymous, f"/results/{run_id}/groups.svg", groups)


def _bar_charts(anonymous: FlaskClient, path: str, rows: pd.DataFrame) -> list[str]:
    """The charts at ``path`` of four indicators of ``rows`` with suppressed cells, geometry
    aside; each holds one bar per published cell."""
    shown = []
    with_suppressed = sorted(set(rows.loc[rows["flag"].isin(["x", "F"]), "indicator"]))
    assert with_suppressed
    for indicator in with_suppressed[:4]:
        cells = rows[rows["indicator"] == indicator]
        answer = anonymous.get(f"{path}?indicator={indicator}")
        assert answer.status_code == 200 and answer.mimetype == "image/svg+xml"
        svg = answer.get_data(as_text=True)
        published = cells[~cells["flag"].isin(["x", "F"]) & cells["estimate"].notna()]
        assert len(re.findall(r'id="bar-\d+-\d+"', svg)) == len(published), indicator
        shown.append(_GEOMETRY.sub(" ", svg))
    return shown


def test_an_unpublished_run_is_not_public(client: FlaskClient, estimated: Services) -> None:
    sign_in(client, "ana@vigie.test")
    token = csrf_token(client, "/analyst/estimates")
    form = {"survey": "victimisation", "replicates": "5", "rules": "isq", "csrf_token": token}
    run_path = client.post("/analyst/estimates", data=form).headers["Location"]
    run_id = int(re.findall(r"\d+", run_path)[-1])
    assert client.application.test_client().get(f"/results/{run_id}").status_code == 404
    assert (
        client.application.test_client().get(f"/api/v1/estimates?run={run_id}").status_code == 401
    )
    for chart in ("municipalities.svg", "channels.svg", "groups.svg"):
        assert client.application.test_client().get(f"/results/{run_id}/{chart}").status_code == 404
        assert client.get(f"/analyst/estimates/{run_id}/{chart}").status_code == 200


def test_partners_cannot_run_or_read_estimates(client: FlaskClient, estimated: Services) -> None:
    sign_in(client, "partner@locataires.test")
    assert client.get("/analyst/estimates").status_code == 403
    assert client.get("/api/v1/runs").status_code == 403
