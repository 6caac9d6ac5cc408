"""The charts of an estimate run, for the run's page and the public results page.

Two charts, each with its data table: the chosen indicator across the
municipalities with its 95% intervals, and every percent indicator on the web
and in Telegram (all municipalities together). Both read the run's table
through :func:`observatory.release.released` (in :mod:`observatory.charts`): a
suppressed cell is its flag in the table and its label alone in the chart.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from flask import Response

from observatory.catalogue import IndicatorInfo
from observatory.charts import (
    Point,
    channel_points,
    interval_chart,
    municipality_points,
    published_cells,
)
from webapp.messages import N_
from webapp.services import observatory
from webapp.words import page_language, t

if TYPE_CHECKING:
    import pandas as pd

CHANNELS = ("web", "telegram")
#: Words of the indicators' units.
UNITS = {"percent": N_("analyst.chart.unit_percent"), "per_1000": N_("analyst.chart.unit_per_1000")}
#: Names of the channels.
CHANNEL_NAMES = {
    "web": N_("analyst.overview.channel_web"),
    "telegram": N_("analyst.overview.channel_telegram"),
}


def indicators(table: pd.DataFrame, survey_id: str) -> list[IndicatorInfo]:
    """The run's indicators (in the questionnaire's order), labelled in the page's language."""
    present = set(table["indicator"])
    return [i for i in observatory().indicators(page_language(), survey_id) if i.name in present]


def chosen(
    table: pd.DataFrame, found: list[IndicatorInfo], asked: str | None
) -> IndicatorInfo | None:
    """The indicator asked for, else the percent one published in most municipalities
    (the first of them in the questionnaire's order), else the first."""
    for info in found:
        if info.name == asked:
            return info
    percents = [info for info in found if info.unit == "percent"]
    if not percents:
        return found[0] if found else None
    published = published_cells(table)
    return max(percents, key=lambda info: published.get(info.name, 0))


def _unit(info: IndicatorInfo) -> str:
    return t(UNITS[info.unit]) if info.unit in UNITS else info.unit


def _figure(value: float | None) -> str:
    return "…" if value is None else f"{value:.1f}"


def _row(point: Point, label: str) -> list[str]:
    if point.suppressed:
        return [label, point.flag or "…", "…", point.flag]
    interval = "…" if point.low is None else f"{_figure(point.low)} – {_figure(point.high)}"
    return [label, _figure(point.value), interval, point.flag]


def _channel_name(channel: str) -> str:
    return t(CHANNEL_NAMES[channel]) if channel in CHANNEL_NAMES else channel


def _channel_points(table: pd.DataFrame, found: list[IndicatorInfo]) -> list[Point]:
    percents = [info for info in found if info.unit == "percent"]
    labels = {info.name: info.label for info in percents}
    return [
        dataclasses.replace(point, label=labels[point.label], series=_channel_name(point.series))
        for point in channel_points(table, [info.name for info in percents])
    ]


def chart_context(table: pd.DataFrame, survey_id: str, asked: str | None) -> dict[str, Any]:
    """What the templates need to show both charts and their tables."""
    found = indicators(table, survey_id)
    info = chosen(table, found, asked)
    if info is None:
        return {"chart_indicator": None}
    headers = [
        t("analyst.table.municipality"),
        t("analyst.chart.estimate", unit=_unit(info)),
        t("analyst.table.ci"),
        t("analyst.table.flag"),
    ]
    places = [_row(p, p.label) for p in municipality_points(table, info.name)]
    channels = [_row(p, f"{p.label} – {p.series}") for p in _channel_points(table, found)]
    return {
        "chart_indicators": found,
        "chart_indicator": info,
        "municipality_headers": headers,
        "municipality_rows": places,
        "channel_headers": [
            t("analyst.table.indicator"),
            t("analyst.chart.estimate", unit=_unit_percent()),
            t("analyst.table.ci"),
            t("analyst.table.flag"),
        ],
        "channel_rows": channels,
    }


def _unit_percent() -> str:
    return t(UNITS["percent"])


def _svg(body: bytes) -> Response:
    return Response(body, mimetype="image/svg+xml")


def municipality_svg(table: pd.DataFrame, survey_id: str, asked: str | None) -> Response:
    """The chosen indicator across the municipalities, with intervals."""
    info = chosen(table, indicators(table, survey_id), asked)
    points = [] if info is None else municipality_points(table, info.name)
    axis = "" if info is None else t("analyst.chart.axis", label=info.label, unit=_unit(info))
    return _svg(interval_chart(points, axis))


def channel_svg(table: pd.DataFrame, survey_id: str) -> Response:
    """Every percent indicator, web and Telegram side by side."""
    points = _channel_points(table, indicators(table, survey_id))
    series = [_channel_name(channel) for channel in CHANNELS]
    return _svg(interval_chart(points, _unit_percent(), series=series))
