"""API views: parse the query, call one observatory read, return JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Response, abort, jsonify, request
from werkzeug.exceptions import HTTPException

from i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from observatory import ObservatoryError
from observatory.access import ANALYST_ROLES, STAFF_ROLES
from observatory.jobs import RunRecord
from observatory.release import records
from webapp.accounts import roles_required
from webapp.api import api
from webapp.api.openapi import openapi_document
from webapp.security import csrf
from webapp.services import jobs, observatory

csrf.exempt(api)


def _language() -> str:
    asked = request.args.get("lang", DEFAULT_LANGUAGE)
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


@api.errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[Response, int]:
    status = error.code or 400
    code = {401: "unauthorized", 403: "forbidden", 404: "not_found"}.get(status, "bad_request")
    msgid = "api.error." + code  # declared in webapp/analyst/words.py
    body = {"code": code, "message": translate(_language(), msgid)}
    answer = jsonify(body)
    if status == 401:
        answer.headers["WWW-Authenticate"] = 'Bearer realm="vigie"'
    return answer, status


@api.get("/indicators")
@roles_required(*STAFF_ROLES)
def indicators() -> Response:
    survey_id = request.args.get("survey") or None
    rows = observatory().indicators(_language(), survey_id)
    return jsonify({"indicators": [asdict(row) for row in rows]})


def _run_json(run: RunRecord) -> dict[str, Any]:
    return {
        "id": run.id,
        "survey_id": run.survey_id,
        "status": run.status,
        "done": run.done,
        "total": run.total,
        "replicates": run.request.get("replicates"),
        "rules": run.request.get("rules"),
        "created_at": run.created_at.isoformat(),
        "finished_at": None if run.finished_at is None else run.finished_at.isoformat(),
        "published_at": None if run.published_at is None else run.published_at.isoformat(),
    }


@api.get("/runs")
@roles_required(*ANALYST_ROLES)
def runs() -> Response:
    survey_id = request.args.get("survey") or None
    return jsonify({"runs": [_run_json(run) for run in jobs().runs(survey_id)]})


@api.get("/estimates")
@roles_required(*ANALYST_ROLES)
def estimates() -> Response:
    queue = jobs()
    asked = request.args.get("run", "")
    if not asked.isdigit():
        abort(400)
    try:
        run = queue.run(int(asked))
        table = queue.results(run.id)
    except ObservatoryError:
        abort(404)
    channel = request.args.get("channel", "all")
    rows = records(table[table["channel"] == channel])
    return jsonify({"run": _run_json(run), "estimates": rows})


@api.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document of this API (readable without signing in)."""
    return jsonify(openapi_document())
