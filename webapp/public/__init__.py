"""The observatory's public face: published runs only, released figures only, no sign-in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort, render_template, request

from observatory import ObservatoryError
from observatory.jobs import RunRecord
from observatory.release import records
from webapp.analyst.estimate_charts import channel_svg, chart_context, group_svg, municipality_svg
from webapp.services import jobs

if TYPE_CHECKING:
    import pandas as pd

public = Blueprint("public", __name__, url_prefix="/results")


@public.get("/")
def results() -> tuple[str, int]:
    return render_template("public/results.html", runs=jobs().runs(published=True)), 200


def _published(run_id: int) -> tuple[RunRecord, pd.DataFrame]:
    """A published run and its table; 404 for any other."""
    queue = jobs()
    try:
        found = queue.run(run_id)
        if found.published_at is None:
            abort(404)
        return found, queue.results(run_id)
    except ObservatoryError:
        abort(404)


@public.get("/<int:run_id>")
def run(run_id: int) -> tuple[str, int]:
    found, table = _published(run_id)
    rows = records(table[table["channel"] == "all"])
    groups = jobs().groups(run_id)
    charts = chart_context(table, found.survey_id, request.args.get("indicator"), groups)
    return render_template("public/run.html", run=found, rows=rows, **charts), 200


@public.get("/<int:run_id>/municipalities.svg")
def municipalities_svg(run_id: int) -> Response:
    found, table = _published(run_id)
    return municipality_svg(table, found.survey_id, request.args.get("indicator"))


@public.get("/<int:run_id>/channels.svg")
def channels_svg(run_id: int) -> Response:
    found, table = _published(run_id)
    return channel_svg(table, found.survey_id)


@public.get("/<int:run_id>/groups.svg")
def groups_svg(run_id: int) -> Response:
    found, table = _published(run_id)
    groups = jobs().groups(run_id)
    return group_svg(table, groups, found.survey_id, request.args.get("indicator"))
