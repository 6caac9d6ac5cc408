"""The residents' blueprint: welcome, campaign links, question pages, review, pause, exit."""

from __future__ import annotations

from flask import Blueprint

from webapp.survey.fields import field_id, text_blocks

survey = Blueprint("survey", __name__)
survey.add_app_template_global(field_id, "field_id")
survey.add_app_template_global(text_blocks, "text_blocks")

from webapp.survey import errors, handoff, leaving, pages  # noqa: E402, F401
