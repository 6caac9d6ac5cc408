"""The JSON API (``/api/v1/...``): a personal token or a signed-in session, JSON errors."""

from __future__ import annotations

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")

from webapp.api import views  # noqa: E402, F401
