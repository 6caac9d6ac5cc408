"""The analysts' and partners' workspace: sign-in, campaigns, personal API tokens."""

from __future__ import annotations

from flask import Blueprint

analyst = Blueprint("analyst", __name__, url_prefix="/analyst")

from webapp.analyst import campaigns, errors, estimates, exports, signin, tokens  # noqa: E402, F401
