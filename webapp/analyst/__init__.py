"""The analysts' and partners' workspace: sign-in, campaigns, personal API tokens."""

from __future__ import annotations

from flask import Blueprint

analyst = Blueprint("analyst", __name__, url_prefix="/analyst")

from webapp.analyst import (  # noqa: E402, F401
    campaigns,
    data,
    errors,
    estimates,
    exports,
    overview,
    signin,
    tokens,
)
