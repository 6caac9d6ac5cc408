"""Administration: accounts (invite, disable, change roles) and the audit log."""

from __future__ import annotations

from flask import Blueprint

admin = Blueprint("admin", __name__, url_prefix="/admin")

from webapp.admin import pages  # noqa: E402, F401
