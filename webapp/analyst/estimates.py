"""Estimate runs: ask for one (it runs in the worker), watch it, read it, publish it.

The progress page refreshes itself every two seconds with a plain
``<meta http-equiv="refresh">``: no JavaScript needed.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from flask import Response, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from observatory import DEFAULT_REPLICATES, RULE_PRESETS, EstimateRequest, ObservatoryError
from observatory.access import ANALYST_ROLES
from observatory.release import PUBLIC_COLUMNS, records, released
from safe_csv import write_rows
from webapp.accounts import current_staff, roles_required
from webapp.analyst import analyst
from webapp.analyst.estimate_charts import channel_svg, chart_context, group_svg, municipality_svg
from webapp.services import jobs, observatory
from webapp.words import page_language, t

if TYPE_CHECKING:
    import pandas as pd


def _surveys() -> list[str]:
    return sorted({row.survey_id for row in observatory().indicators(page_language())})


@analyst.route("/estimates", methods=["GET", "POST"])
@roles_required(*ANALYST_ROLES)
def estimates() -> BaseResponse | tuple[str, int]:
    error = None
    if request.method == "POST":
        try:
            replicates = int(request.form.get("replicates", DEFAULT_REPLICATES))
            minimum = request.form.get("min_respondents", "").strip()
            asked = EstimateRequest(
                survey_id=request.form.get("survey", ""),
                replicates=max(2, min(replicates, 2000)),
                rules=request.form.get("rules", "statcan"),
                min_respondents=int(minimum) if minimum else None,
            )
            if asked.survey_id not in _surveys():
                raise ValueError(asked.survey_id)
            run = jobs().request_run(asked, current_staff().record.email)
        except ValueError:
            error = t("analyst.estimates.bad_request")
        except ObservatoryError as failure:
            error = failure.render(page_language())
        else:
            return redirect(url_for("analyst.estimate_run", run_id=run.id), code=303)
    runs = jobs().runs()
    html = render_template(
        "analyst/estimates.html",
        runs=runs,
        surveys=_surveys(),
        presets=RULE_PRESETS,
        replicates=DEFAULT_REPLICATES,
        error=error,
    )
    return html, 400 if error else 200


@analyst.route("/estimates/<int:run_id>")
@roles_required(*ANALYST_ROLES)
def estimate_run(run_id: int) -> tuple[str, int]:
    queue = jobs()
    run = queue.run(run_id)
    rows = None
    charts: dict[str, object] = {}
    if run.status == "done":
        table = queue.results(run_id)
        rows = records(table[table["channel"] == "all"], (*PUBLIC_COLUMNS, "se"))
        groups = queue.groups(run_id)
        charts = chart_context(table, run.survey_id, request.args.get("indicator"), groups)
        charts["has_groups"] = groups is not None
    return render_template("analyst/estimate_run.html", run=run, rows=rows, **charts), 200


@analyst.route("/estimates/<int:run_id>/municipalities.svg")
@roles_required(*ANALYST_ROLES)
def estimate_municipalities_svg(run_id: int) -> Response:
    queue = jobs()
    table = queue.results(run_id)
    return municipality_svg(table, queue.run(run_id).survey_id, request.args.get("indicator"))


@analyst.route("/estimates/<int:run_id>/channels.svg")
@roles_required(*ANALYST_ROLES)
def estimate_channels_svg(run_id: int) -> Response:
    queue = jobs()
    return channel_svg(queue.results(run_id), queue.run(run_id).survey_id)


@analyst.route("/estimates/<int:run_id>/groups.svg")
@roles_required(*ANALYST_ROLES)
def estimate_groups_svg(run_id: int) -> Response:
    queue = jobs()
    table, groups = queue.results(run_id), queue.groups(run_id)
    return group_svg(table, groups, queue.run(run_id).survey_id, request.args.get("indicator"))


def _csv(table: pd.DataFrame, name: str) -> Response:
    shown = released(table)
    body = io.StringIO()  # through the one CSV writer: no cell a spreadsheet would execute
    write_rows(body, [str(column) for column in shown.columns], shown.itertuples(index=False))
    answer = Response(body.getvalue(), mimetype="text/csv")
    answer.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return answer


@analyst.route("/estimates/<int:run_id>.csv")
@roles_required(*ANALYST_ROLES)
def estimate_csv(run_id: int) -> Response:
    return _csv(jobs().results(run_id), f"estimates-{run_id}.csv")


@analyst.route("/estimates/<int:run_id>/groups.csv")
@roles_required(*ANALYST_ROLES)
def estimate_groups_csv(run_id: int) -> Response:
    """Every indicator by age group and gender, released; 404 for a run without them."""
    groups = jobs().groups(run_id)
    if groups is None:
        abort(404)
    return _csv(groups, f"estimates-{run_id}-age-gender.csv")


@analyst.route("/estimates/<int:run_id>/publish", methods=["POST"])
@roles_required(*ANALYST_ROLES)
def publish(run_id: int) -> BaseResponse:
    jobs().publish(run_id)
    observatory().accounts.record(current_staff().record, "run_published", str(run_id))
    return redirect(url_for("analyst.estimate_run", run_id=run_id), code=303)
