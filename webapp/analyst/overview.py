"""The overview (analysts and admins): how a questionnaire's collection is going.

Responses by day, channel, campaign, municipality, status and language; web
and Telegram side by side; how far respondents go, question by question, in
the questionnaire's own words, and where they stop; the median time to
complete. Tables first; two charts (responses by day, break-off by question)
served as SVG beside their tables. Partners never reach it: their home page
shows their own campaigns' counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Response, abort, render_template, request

from observatory import Dimension, QuestionProgress, ResponseCount
from observatory.access import ANALYST_ROLES
from observatory.charts import Point, count_chart, interval_chart
from webapp.accounts import roles_required
from webapp.analyst import analyst
from webapp.messages import N_
from webapp.services import observatory
from webapp.words import page_language, t

#: Composed in the template from a dimension, a channel or a status.
COMPOSED = (
    N_("analyst.overview.by_campaign"),
    N_("analyst.overview.by_municipality"),
    N_("analyst.overview.by_status"),
    N_("analyst.overview.by_language"),
    N_("analyst.overview.key_campaign"),
    N_("analyst.overview.key_municipality"),
    N_("analyst.overview.key_status"),
    N_("analyst.overview.key_language"),
    N_("analyst.overview.channel_web"),
    N_("analyst.overview.channel_telegram"),
    N_("analyst.overview.status_in_progress"),
    N_("analyst.overview.status_completed"),
    N_("analyst.overview.status_screened_out"),
    N_("analyst.overview.status_abandoned"),
    N_("analyst.overview.status_erased"),
)
#: Questions shown in the break-off chart (those where most respondents stopped).
BREAKOFF_CHART_QUESTIONS = 15
#: Characters of a question's words shown (the consent's paragraph is long).
QUESTION_TEXT_LENGTH = 160
#: Days shown in the responses-by-day chart (the most recent).
DAY_CHART_DAYS = 60


@dataclass(frozen=True, slots=True)
class ChannelSide:
    """One channel's column of the side-by-side table."""

    channel: str
    started: int
    completed: int

    @property
    def completion(self) -> float | None:
        return 100 * self.completed / self.started if self.started else None


def _surveys() -> list[str]:
    return sorted({row.survey_id for row in observatory().indicators(page_language())})


def _chosen(surveys: list[str], asked: str | None) -> str | None:
    if asked in surveys:
        return asked
    return surveys[0] if surveys else None


def _minutes(value: dt.timedelta | None) -> str | None:
    if value is None:
        return None
    seconds = round(value.total_seconds())
    return f"{seconds // 60} min {seconds % 60:02d} s"


def _shortened(text: str) -> str:
    return text if len(text) <= QUESTION_TEXT_LENGTH else text[: QUESTION_TEXT_LENGTH - 1] + "…"


def _breakoff(survey_id: str) -> list[tuple[QuestionProgress, str]]:
    """Each question (notes aside) with its progress and its words, shortened."""
    texts = observatory().questionnaires.question_texts(survey_id, page_language())
    rows = observatory().question_progress(survey_id)
    shown = []
    for row in rows:
        text = texts.get(row.question, row.question)
        if text is not None:
            shown.append((row, _shortened(text)))
    return shown


def _sides(rows: list[ResponseCount]) -> list[ChannelSide]:
    found = {row.key: row for row in rows}
    return [
        ChannelSide(
            channel,
            found[channel].responses if channel in found else 0,
            found[channel].completed if channel in found else 0,
        )
        for channel in ("web", "telegram")
    ]


@analyst.route("/overview")
@roles_required(*ANALYST_ROLES)
def overview() -> tuple[str, int]:
    surveys = _surveys()
    survey_id = _chosen(surveys, request.args.get("survey"))
    counts: dict[str, list[ResponseCount]] = {}
    breakoff: list[tuple[QuestionProgress, str]] = []
    median = None
    if survey_id is not None:
        ops = observatory()
        counts = {str(d): ops.responses_by(survey_id, d) for d in Dimension}
        breakoff = _breakoff(survey_id)
        median = _minutes(ops.median_completion_time(survey_id))
    started = sum(row.responses for row in counts.get("channel", []))
    completed = sum(row.completed for row in counts.get("channel", []))
    return render_template(
        "analyst/overview.html",
        surveys=surveys,
        survey_id=survey_id,
        counts=counts,
        sides=_sides(counts.get("channel", [])),
        day_rows=[[row.key, row.responses, row.completed] for row in counts.get("day", [])],
        breakoff=breakoff,
        median=median,
        started=started,
        completed=completed,
        stopped=sum(row.abandoned_here for row, _ in breakoff),
        chart_days=DAY_CHART_DAYS,
        chart_questions=BREAKOFF_CHART_QUESTIONS,
    ), 200


def _svg(body: bytes) -> Response:
    return Response(body, mimetype="image/svg+xml")


@analyst.route("/overview/<survey_id>/days.svg")
@roles_required(*ANALYST_ROLES)
def overview_days_svg(survey_id: str) -> Response:
    if survey_id not in _surveys():
        abort(404)
    rows = observatory().responses_by(survey_id, Dimension.DAY)[-DAY_CHART_DAYS:]
    labels = [row.key or "" for row in rows]
    return _svg(
        count_chart(labels, [row.responses for row in rows], t("analyst.overview.chart_responses"))
    )


@analyst.route("/overview/<survey_id>/breakoff.svg")
@roles_required(*ANALYST_ROLES)
def overview_breakoff_svg(survey_id: str) -> Response:
    if survey_id not in _surveys():
        abort(404)
    rows = [(row, text) for row, text in _breakoff(survey_id) if row.abandoned_here]
    rows.sort(key=lambda pair: -pair[0].abandoned_here)
    points = [
        Point(label=text, value=float(row.abandoned_here))
        for row, text in rows[:BREAKOFF_CHART_QUESTIONS]
    ]
    return _svg(interval_chart(points, t("analyst.overview.chart_abandoned"), counts=True))
