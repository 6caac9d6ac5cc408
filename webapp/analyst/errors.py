"""Refusals in the workspace: a page in the reader's language, never a traceback."""

from __future__ import annotations

from flask import render_template

from observatory import ObservatoryError
from webapp.analyst import analyst
from webapp.words import page_language


def workspace_error(status: int, text: str) -> tuple[str, int]:
    """A short workspace page for ``status`` saying ``text``."""
    return render_template("analyst/error.html", status=status, text=text), status


@analyst.errorhandler(ObservatoryError)
def refused(error: ObservatoryError) -> tuple[str, int]:
    status = (
        404 if error.code in ("no_campaign", "no_user", "no_token", "invitation_unknown") else 400
    )
    return workspace_error(status, error.render(page_language()))
