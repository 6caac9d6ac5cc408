"""The observatory's public face: published runs only, released figures only, no sign-in."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from observatory import ObservatoryError
from observatory.release import records
from webapp.services import jobs

public = Blueprint("public", __name__, url_prefix="/results")


@public.get("/")
def results() -> tuple[str, int]:
    return render_template("public/results.html", runs=jobs().runs(published=True)), 200


@public.get("/<int:run_id>")
def run(run_id: int) -> tuple[str, int]:
    queue = jobs()
    try:
        found = queue.run(run_id)
        if found.published_at is None:
            abort(404)
        table = queue.results(run_id)
    except ObservatoryError:
        abort(404)
    rows = records(table[table["channel"] == "all"])
    return render_template("public/run.html", run=found, rows=rows), 200
