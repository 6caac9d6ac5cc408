"""Charts of the estimates and of the overview: matplotlib (Agg), SVG, small and deterministic.

Every chart is drawn, without pyplot (no global state: safe in a threaded
server), from plain points (:class:`Point`) that the caller has
already read through :func:`observatory.release.released`; the helpers here
that start from a results table (:func:`municipality_points`,
:func:`channel_points`) call it themselves. A suppressed point (flag ``x`` or
``F``) is drawn as its label and flag only: no bar, no marker, no interval, no
figure, so its value appears nowhere in the SVG.

The SVG keeps its text as ``<text>`` (``svg.fonttype = none``: no embedded
glyphs, the reader's own sans-serif font), carries no date and no creator
(``metadata``), and its element ids come from a fixed salt (``svg.hashsalt``):
the same data always gives the same bytes. matplotlib is imported when a chart
is drawn, never when the observatory is imported.

Each chart comes with its data table on the page (its text alternative); the
SVG itself says nothing a screen reader needs.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from observatory.release import SUPPRESSED_FLAGS, released

if TYPE_CHECKING:
    import pandas as pd

#: Fixed salt of the SVG element ids: identical charts are identical bytes.
HASH_SALT = "vigie-charts"
#: Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by pattern too.
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#6f3c97")
HATCHES = ("", "//", "..", "xx")
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
#: Size of every text, in points (a chart is shown at about its natural width).
FONT_SIZE = 11
#: Width of a chart in inches (at 72 points per inch: 648 px wide before scaling).
WIDTH = 8.0


@dataclass(frozen=True, slots=True)
class Point:
    """One bar: its label, its value and interval (``None`` when not shown), its flag."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    flag: str = ""
    #: The series it belongs to (web, Telegram; a gender), ``""`` for a single series.
    series: str = ""

    @property
    def suppressed(self) -> bool:
        return self.flag in SUPPRESSED_FLAGS or self.value is None


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _points(rows: pd.DataFrame, label_column: str, series_column: str | None) -> list[Point]:
    found = []
    for row in rows.to_dict(orient="records"):
        flag = str(row.get("flag") or "")
        hidden = flag in SUPPRESSED_FLAGS
        found.append(
            Point(
                label=str(row.get(label_column) or row.get("municipality") or ""),
                value=None if hidden else _number(row.get("estimate")),
                low=None if hidden else _number(row.get("ci_low")),
                high=None if hidden else _number(row.get("ci_high")),
                flag=flag,
                series=str(row.get(series_column) or "") if series_column else "",
            )
        )
    return found


def municipality_points(table: pd.DataFrame, indicator: str) -> list[Point]:
    """``indicator`` in each municipality (all channels), released, in the table's order."""
    shown = released(table)
    rows = shown[
        (shown["indicator"] == indicator)
        & (shown["channel"] == "all")
        & (shown["municipality"] != "ALL")
        & ~shown["method"].isin(["excluded"])
    ]
    return _points(rows, "municipality_name", None)


def group_points(groups: pd.DataFrame, indicator: str) -> list[Point]:
    """``indicator`` in each age group (the label) and gender (the series), released, in the
    table's order (:mod:`analysis.pipeline.groups`)."""
    shown = released(groups)
    return _points(shown[shown["indicator"] == indicator], "age_group", "gender")


def published_cells(table: pd.DataFrame) -> dict[str, int]:
    """How many municipalities publish each indicator (flag neither ``x`` nor ``F``)."""
    rows = table[
        (table["channel"] == "all")
        & (table["municipality"] != "ALL")
        & ~table["flag"].fillna("").isin(SUPPRESSED_FLAGS)
        & table["estimate"].notna()
    ]
    return {str(name): int(count) for name, count in rows.groupby("indicator").size().items()}


def channel_points(table: pd.DataFrame, indicators: Sequence[str]) -> list[Point]:
    """Each indicator of ``indicators`` for all municipalities together, by channel."""
    shown = released(table)
    rows = shown[
        (shown["municipality"] == "ALL")
        & shown["channel"].isin(["web", "telegram"])
        & shown["indicator"].isin(list(indicators))
    ]
    order = {name: i for i, name in enumerate(indicators)}
    channel = rows["channel"].map({"web": 0, "telegram": 1})
    rows = rows.assign(_order=rows["indicator"].map(order), _channel=channel)
    rows = rows.sort_values(["_order", "_channel"])
    return _points(rows, "indicator", "channel")


def _figure(rows: int) -> tuple[Any, Any]:
    # A Figure of its own, without pyplot: no global state, safe in a threaded server.
    from matplotlib.figure import Figure

    height = min(1.2 + 0.36 * max(rows, 1), 30.0)
    figure = Figure(figsize=(WIDTH, height))
    axes = figure.subplots()
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=TEXT, labelsize=FONT_SIZE)
    axes.grid(axis="x", color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
    return figure, axes


def _svg(figure: Any) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(figure)
    buffer = io.BytesIO()
    with matplotlib.rc_context(
        {
            "svg.hashsalt": HASH_SALT,
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans", "Arial"],
        }
    ):
        figure.savefig(
            buffer,
            format="svg",
            bbox_inches="tight",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    return buffer.getvalue()


def _mark(label: str, flag: str) -> str:
    short = label if len(label) <= 48 else label[:47] + "…"
    return f"{short} ({flag})" if flag else short


def interval_chart(
    points: Sequence[Point], axis_label: str, *, series: Sequence[str] = (), counts: bool = False
) -> bytes:
    """Horizontal bars with their confidence intervals, one row per label.

    With ``series`` (web and Telegram; women and men), each label gets one bar per
    series, in that order, told apart by colour and hatching and named in a legend.
    A suppressed point is its label and flag only. ``counts``: whole-number ticks.
    """
    names = series or ("",)
    labels = list(dict.fromkeys(p.label for p in points))
    by_key = {(p.label, p.series): p for p in points}
    figure, axes = _figure(len(labels) * len(names))
    thickness = 0.8 / len(names)
    ticks = []
    labelled: set[str] = set()
    for row, label in enumerate(labels):
        flags = []
        for k, name in enumerate(names):
            point = by_key.get((label, name))
            if point is None:
                continue
            y = row + (k - (len(names) - 1) / 2) * thickness
            if point.flag or point.suppressed:
                flags.append(point.flag or "…")
            if point.suppressed:
                continue
            assert point.value is not None
            (bar,) = axes.barh(
                y,
                point.value,
                height=thickness * 0.9,
                color=COLOURS[k % len(COLOURS)],
                hatch=HATCHES[k % len(HATCHES)],
                edgecolor="white",
                label=name if name and name not in labelled else None,
            )
            labelled.add(name)
            bar.set_gid(f"bar-{row}-{k}")  # the row and series it shows, for the tests
            if point.low is not None and point.high is not None:
                axes.errorbar(
                    point.value,
                    y,
                    xerr=[[point.value - point.low], [point.high - point.value]],
                    fmt="none",
                    ecolor=TEXT,
                    elinewidth=1,
                    capsize=2,
                )
        ticks.append(_mark(label, "/".join(dict.fromkeys(flags))))
    axes.set_yticks(range(len(labels)), ticks)
    axes.invert_yaxis()
    axes.set_xlabel(axis_label, color=TEXT, fontsize=FONT_SIZE)
    axes.set_xlim(left=0)
    if not labelled and not any(not p.suppressed for p in points):
        axes.set_xticks([])  # nothing published: no scale to read
    if counts:
        _whole_numbers(axes.xaxis)
    if series and labelled:  # no legend when every bar is suppressed
        axes.legend(loc="lower right", fontsize=FONT_SIZE, frameon=False)
    return _svg(figure)


def count_chart(labels: Sequence[str], counts: Sequence[int], axis_label: str) -> bytes:
    """Vertical bars of counts (responses by day): the y axis from zero, whole numbers."""
    figure, axes = _figure(8)
    figure.set_size_inches(WIDTH, 3.0)
    axes.grid(axis="x", visible=False)
    axes.grid(axis="y", color=GRID, linewidth=0.5)
    axes.bar(range(len(labels)), counts, color=COLOURS[0], width=0.8)
    step = max(1, math.ceil(len(labels) / 12))
    axes.set_xticks(range(0, len(labels), step), [labels[i] for i in range(0, len(labels), step)])
    axes.tick_params(axis="x", labelrotation=30)
    axes.set_ylabel(axis_label, color=TEXT, fontsize=FONT_SIZE)
    _whole_numbers(axes.yaxis)
    return _svg(figure)


def _whole_numbers(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))
