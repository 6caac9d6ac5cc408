"""The charts of an estimate run, for the run's page and the public results page.

Three charts, each with its data table: the chosen indicator across the
municipalities with its 95% intervals, the chosen indicator by age group and
gender (all municipalities together, when the run has that table), and every
percent indicator on the web and in Telegram (all municipalities together).
All read the run's tables through :func:`observatory.release.released` (in
:mod:`observatory.charts`): a suppressed cell is its flag in the table and its
label alone in the chart.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

from flask import Response, abort

from observatory.catalogue import IndicatorInfo
from observatory.charts import (
    Point,
    channel_points,
    group_points,
    interval_chart,
    municipality_points,
    published_cells,
)
from observatory.release import SUPPRESSED_FLAGS, released
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


def age_label(code: str) -> str:
    """An age group's words: ``a25_44`` is "25–44", ``a65_plus`` "65 and over"."""
    found = re.fullmatch(r"a(\d+)_(\d+|plus)", code)
    if found is None:
        return code
    low, high = found.groups()
    if high == "plus":
        return t("analyst.groups.age_over", low=low)
    return t("analyst.groups.age_range", low=low, high=high)


def _genders(survey_id: str) -> dict[str, str]:
    return observatory().choice_labels(survey_id, "gender", page_language())


def _group_points(groups: pd.DataFrame, survey_id: str, info: IndicatorInfo) -> list[Point]:
    genders = _genders(survey_id)
    return [
        dataclasses.replace(p, label=age_label(p.label), series=genders.get(p.series, p.series))
        for p in group_points(groups, info.name)
    ]


def _count(value: Any) -> str:
    return "…" if value is None else f"{value:.0f}"


def group_context(
    groups: pd.DataFrame | None, survey_id: str, info: IndicatorInfo
) -> dict[str, Any]:
    """The age group × gender chart's table: the chosen indicator in every cell, released."""
    if groups is None:
        return {"group_rows": None}
    genders = _genders(survey_id)
    shown = released(groups)
    rows = []
    for row in shown[shown["indicator"] == info.name].to_dict(orient="records"):
        flag = str(row.get("flag") or "")
        point = Point("", _number(row["estimate"]), _number(row["ci_low"]), _number(row["ci_high"]))
        cells = _row(dataclasses.replace(point, flag=flag), age_label(str(row["age_group"])))
        cv = None if flag in SUPPRESSED_FLAGS else _number(row["cv"])
        rows.append(
            [
                cells[0],
                genders.get(str(row["gender"]), str(row["gender"])),
                *cells[1:3],
                _figure(cv),
                flag,
                str(row["n"]),
                _count(_number(row["weighted_n"])),
                _count(_number(row["effective_n"])),
            ]
        )
    headers = [
        t("analyst.groups.age_group"),
        t("analyst.groups.gender"),
        t("analyst.chart.estimate", unit=_unit(info)),
        t("analyst.table.ci"),
        t("analyst.table.cv"),
        t("analyst.table.flag"),
        t("analyst.table.n"),
        t("analyst.table.weighted_n"),
        t("analyst.table.effective_n"),
    ]
    return {"group_headers": headers, "group_rows": rows}


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if number != number else number


def chart_context(
    table: pd.DataFrame, survey_id: str, asked: str | None, groups: pd.DataFrame | None = None
) -> dict[str, Any]:
    """What the templates need to show the charts and their tables."""
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
        **group_context(groups, survey_id, info),
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


def group_svg(
    table: pd.DataFrame, groups: pd.DataFrame | None, survey_id: str, asked: str | None
) -> Response:
    """The chosen indicator by age group (rows) and gender (series), with intervals;
    404 for a run without that table."""
    info = chosen(table, indicators(table, survey_id), asked)
    if groups is None or info is None:
        abort(404)
    points = _group_points(groups, survey_id, info)
    series = list(dict.fromkeys(p.series for p in points))
    axis = t("analyst.chart.axis", label=info.label, unit=_unit(info))
    return _svg(interval_chart(points, axis, series=series))
