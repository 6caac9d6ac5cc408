"""API views: parse the query, call one observatory read, return JSON."""

from __future__ import annotations

from dataclasses import asdict

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

from i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from observatory.access import STAFF_ROLES
from webapp.accounts import roles_required
from webapp.api import api
from webapp.security import csrf
from webapp.services import observatory

csrf.exempt(api)


def _language() -> str:
    asked = request.args.get("lang", DEFAULT_LANGUAGE)
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


@api.errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[Response, int]:
    status = error.code or 400
    code = {401: "unauthorized", 403: "forbidden", 404: "not_found"}.get(status, "bad_request")
    body = {"code": code, "message": translate(_language(), "api.error." + code)}
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
