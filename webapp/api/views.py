"""API views: check the query, call one observatory read, return JSON.

Every answer, refusals included, is JSON in the shape the OpenAPI document
(:mod:`webapp.api.openapi`) describes: a bad query parameter is a 400 that
names the parameter and the values it takes, never a silent default.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from flask import Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from observatory import ObservatoryError
from observatory.access import ANALYST_ROLES, STAFF_ROLES
from observatory.jobs import RunRecord
from observatory.release import GROUP_COLUMNS, records
from webapp.accounts import roles_required
from webapp.api import api
from webapp.api.openapi import CHANNELS, MAX_RUN_ID, SURVEY_ID_PATTERN, openapi_document
from webapp.messages import N_
from webapp.security import csrf
from webapp.services import jobs, observatory

csrf.exempt(api)

#: Error codes of the API by HTTP status (``api.error.<code>`` in the catalogs).
CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
COMPOSED = (
    N_("api.error.unauthorized"),
    N_("api.error.forbidden"),
    N_("api.error.not_found"),
    N_("api.error.bad_request"),
    N_("api.error.method_not_allowed"),
    N_("api.error.bad_parameter"),
    N_("api.error.unknown_parameter"),
    N_("api.error.run_not_done"),
)


class ApiError(Exception):
    """A refusal with its status, code and message parameters (rendered by :func:`refused`)."""

    def __init__(self, status: int, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = params


def _language() -> str:
    asked = request.args.get("lang", DEFAULT_LANGUAGE)
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def _error(status: int, code: str, /, **params: Any) -> tuple[Response, int]:
    msgid = "api.error." + code  # each declared in COMPOSED
    body: dict[str, Any] = {"code": code, "message": translate(_language(), msgid, **params)}
    if "parameter" in params:
        body["parameter"] = params["parameter"]
    return jsonify(body), status


@api.errorhandler(ApiError)
def refused(refusal: ApiError) -> tuple[Response, int]:
    return _error(refusal.status, refusal.code, **refusal.params)


@api.errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[Response, int]:
    status = error.code or 400
    answer, status = _error(status, CODES.get(status, "bad_request"))
    if status == 401:
        answer.headers["WWW-Authenticate"] = 'Bearer realm="vigie"'
    if status == 405:
        allowed = error.get_response().headers.get("Allow")
        if allowed:
            answer.headers["Allow"] = allowed
    return answer, status


@api.app_errorhandler(404)
@api.app_errorhandler(405)
def outside_the_routes(error: HTTPException) -> Any:
    """An unknown address or method under ``/api/`` (no route matched): JSON too.

    Elsewhere the app's own handler of HTTP errors (a page) answers, as before.
    """
    if request.path.startswith("/api/"):
        return http_error(error)
    pages = current_app.error_handler_spec[None][None].get(HTTPException)
    return error if pages is None else pages(error)


def _choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    """The query parameter ``name``, one of ``allowed`` (``default`` when absent)."""
    value = request.args.get(name)
    if value is None:
        return default
    if value not in allowed:
        raise ApiError(400, "bad_parameter", parameter=name, expected=", ".join(allowed))
    return value


def _checked_language(*known: str) -> str:
    """The ``lang`` parameter, after refusing any parameter not in ``known`` or ``lang``."""
    allowed = (*known, "lang")
    for name in request.args:
        if name not in allowed:
            raise ApiError(400, "unknown_parameter", parameter=name, expected=", ".join(allowed))
    return _choice("lang", LANGUAGES, DEFAULT_LANGUAGE)


def _survey() -> str | None:
    """The optional ``survey`` parameter: a questionnaire id (lower snake case)."""
    value = request.args.get("survey")
    if value is None:
        return None
    if re.fullmatch(SURVEY_ID_PATTERN, value) is None:
        raise ApiError(400, "bad_parameter", parameter="survey", expected=SURVEY_ID_PATTERN)
    return value


def _run_id() -> int:
    """The required ``run`` parameter: a run number from 1 to :data:`MAX_RUN_ID`."""
    value = request.args.get("run", "")
    expected = f"1, 2, 3, … {MAX_RUN_ID}"
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_RUN_ID))):
        raise ApiError(400, "bad_parameter", parameter="run", expected=expected)
    number = int(value)
    if not 1 <= number <= MAX_RUN_ID:
        raise ApiError(400, "bad_parameter", parameter="run", expected=expected)
    return number


@api.get("/indicators")
@roles_required(*STAFF_ROLES)
def indicators() -> Response:
    language = _checked_language("survey")
    survey_id = _survey()
    rows = observatory().indicators(language, survey_id)
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
    _checked_language("survey")
    survey_id = _survey()
    return jsonify({"runs": [_run_json(run) for run in jobs().runs(survey_id)]})


@api.get("/estimates")
@roles_required(*ANALYST_ROLES)
def estimates() -> Response:
    _checked_language("run", "channel")
    run_id = _run_id()
    channel = _choice("channel", CHANNELS, "all")
    queue = jobs()
    try:
        run = queue.run(run_id)
    except ObservatoryError as error:
        raise ApiError(404, "not_found") from error
    if run.status != "done":
        raise ApiError(409, "run_not_done", run=run.id, status=run.status)
    table = queue.results(run.id)
    rows = records(table[table["channel"] == channel])
    groups = queue.groups(run.id)
    cells = [] if groups is None else records(groups, GROUP_COLUMNS)
    return jsonify({"run": _run_json(run), "estimates": rows, "age_gender": cells})


@api.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document of this API (readable without signing in)."""
    return jsonify(openapi_document())
