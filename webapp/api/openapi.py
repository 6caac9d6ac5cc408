"""The API's OpenAPI 3.1 document, served at ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import Any

#: The channels an estimate can be asked for (``all``: pooled).
CHANNELS = ("all", "web", "telegram")
#: A questionnaire id (lower snake case, as the definition checker demands).
SURVEY_ID_PATTERN = "^[a-z][a-z0-9_]*$"
#: The largest run number (the database's 32-bit integer key).
MAX_RUN_ID = 2**31 - 1

_NUMBER_OR_NULL = {"type": ["number", "null"]}
_STRING_OR_NULL = {"type": ["string", "null"]}

_ERROR = {
    "type": "object",
    "description": "A refusal: a stable code, a sentence in the language asked (lang), and "
    "for a bad query parameter its name.",
    "required": ["code", "message"],
    "properties": {
        "code": {
            "type": "string",
            "enum": [
                "bad_parameter",
                "unknown_parameter",
                "bad_request",
                "unauthorized",
                "forbidden",
                "not_found",
                "method_not_allowed",
                "run_not_done",
            ],
        },
        "message": {"type": "string"},
        "parameter": {"type": "string", "description": "The query parameter refused."},
    },
}
#: What each refusal means, by status.
_REFUSALS = {
    400: "A query parameter is missing, unknown or out of its values (`parameter` names it)",
    401: "No valid API token (Authorization: Bearer ...) and no signed-in session",
    403: "The account's role does not give access to this resource",
    404: "No estimate run with this number",
    409: "The run is not finished (queued, running or failed): no estimates yet",
}
_RUN = {
    "type": "object",
    "required": ["id", "survey_id", "status", "done", "total"],
    "properties": {
        "id": {"type": "integer"},
        "survey_id": {"type": "string"},
        "status": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
        "done": {"type": "integer"},
        "total": {"type": "integer"},
        "replicates": {"type": ["integer", "null"]},
        "rules": _STRING_OR_NULL,
        "created_at": {"type": "string", "format": "date-time"},
        "finished_at": _STRING_OR_NULL,
        "published_at": _STRING_OR_NULL,
    },
}
_ESTIMATE = {
    "type": "object",
    "description": "One released cell: a suppressed one (flag x or F) has null figures.",
    "properties": {
        "municipality": {"type": "string"},
        "municipality_name": _STRING_OR_NULL,
        "channel": {"type": "string"},
        "indicator": {"type": "string"},
        "unit": {"type": "string"},
        "estimate": _NUMBER_OR_NULL,
        "ci_low": _NUMBER_OR_NULL,
        "ci_high": _NUMBER_OR_NULL,
        "cv": _NUMBER_OR_NULL,
        "flag": _STRING_OR_NULL,
        "method": {"type": "string"},
        "n": {"type": "integer"},
        "weighted_n": _NUMBER_OR_NULL,
        "effective_n": _NUMBER_OR_NULL,
    },
}
_GROUP_ESTIMATE = {
    "type": "object",
    "description": (
        "One released cell age group × gender, all municipalities and channels together: "
        "a suppressed one (flag x or F) has null figures."
    ),
    "properties": {
        "age_group": {"type": "string"},
        "gender": {"type": "string"},
        **{
            name: schema
            for name, schema in _ESTIMATE["properties"].items()  # type: ignore[attr-defined]
            if name not in ("municipality", "municipality_name", "channel")
        },
    },
}
_INDICATOR = {
    "type": "object",
    "required": ["survey_id", "name", "label", "unit", "population"],
    "properties": {
        "survey_id": {"type": "string"},
        "name": {"type": "string"},
        "label": {"type": "string"},
        "description": _STRING_OR_NULL,
        "unit": {"type": "string", "enum": ["percent", "per_1000"]},
        "population": {"type": "string", "enum": ["person", "household"]},
    },
}


def _errors(*statuses: int) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    answers: dict[str, Any] = {}
    for status in statuses:
        answers[str(status)] = {"description": _REFUSALS[status], "content": content}
        if status == 401:
            answers[str(status)]["headers"] = {
                "WWW-Authenticate": {
                    "description": "The scheme to use: Bearer",
                    "schema": {"type": "string"},
                }
            }
    return answers


def _ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}


def _query(name: str, schema: dict[str, Any], *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema}


_LANG = {
    **_query("lang", {"type": "string", "enum": ["fr", "en"]}),
    "description": "Language of labels and messages (default fr)",
}
_SURVEY = {
    **_query("survey", {"type": "string", "pattern": SURVEY_ID_PATTERN}),
    "description": "Only this questionnaire (its id, e.g. victimisation)",
}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of ``/api/v1``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Vigie API",
            "version": "1",
            "description": "Estimates of a community-safety observatory, with the same "
            "suppression as its pages: suppressed cells (x, F) carry no figures.",
        },
        "servers": [{"url": "/"}],
        "security": [{"token": []}],
        "paths": {
            "/api/v1/indicators": {
                "get": {
                    "summary": "Indicators of the questionnaires served",
                    "parameters": [_LANG, _SURVEY],
                    "responses": _ok(
                        {
                            "type": "object",
                            "required": ["indicators"],
                            "properties": {
                                "indicators": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Indicator"},
                                }
                            },
                        }
                    )
                    | _errors(400, 401, 403),
                }
            },
            "/api/v1/runs": {
                "get": {
                    "summary": "Estimate runs, newest first",
                    "parameters": [_LANG, _SURVEY],
                    "responses": _ok(
                        {
                            "type": "object",
                            "required": ["runs"],
                            "properties": {
                                "runs": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Run"},
                                }
                            },
                        }
                    )
                    | _errors(400, 401, 403),
                }
            },
            "/api/v1/estimates": {
                "get": {
                    "summary": "The released estimates of a finished run",
                    "parameters": [
                        _LANG,
                        _query(
                            "run",
                            {"type": "integer", "minimum": 1, "maximum": MAX_RUN_ID},
                            required=True,
                        ),
                        _query("channel", {"type": "string", "enum": list(CHANNELS)}),
                    ],
                    "responses": _ok(
                        {
                            "type": "object",
                            "required": ["run", "estimates"],
                            "properties": {
                                "run": {"$ref": "#/components/schemas/Run"},
                                "estimates": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Estimate"},
                                },
                                "age_gender": {
                                    "type": "array",
                                    "description": "Every indicator by age group and gender "
                                    "(empty for a run without them)",
                                    "items": {"$ref": "#/components/schemas/GroupEstimate"},
                                },
                            },
                        }
                    )
                    | _errors(400, 401, 403, 404, 409),
                }
            },
        },
        "components": {
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": "A personal API token"}
            },
            "schemas": {
                "Error": _ERROR,
                "Run": _RUN,
                "Estimate": _ESTIMATE,
                "GroupEstimate": _GROUP_ESTIMATE,
                "Indicator": _INDICATOR,
            },
        },
    }
