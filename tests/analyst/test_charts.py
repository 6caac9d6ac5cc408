"""Charts (observatory.charts): SVG without dates, the same bytes for the same data, small,
text kept as text, and nothing of a suppressed cell: no bar, no figure, no influence at all.
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pandas as pd

from observatory.charts import (
    Point,
    channel_points,
    count_chart,
    group_points,
    interval_chart,
    municipality_points,
)


def _table(hidden: float) -> pd.DataFrame:
    """Four municipalities and the pooled rows by channel; Sherbrooke suppressed (x),
    Gatineau too unreliable (F), both with figures behind them (``hidden``)."""
    rows = [
        ("2466023", "Montréal", "all", 41.25, 37.5, 45.0, "", "direct"),
        ("2423027", "Québec", "all", 32.5, 28.75, 36.25, "E", "direct"),
        ("2443027", "Sherbrooke", "all", hidden, hidden - 9, hidden + 9, "x", "direct"),
        ("2481017", "Gatineau", "all", hidden + 1, hidden - 20, hidden + 22, "F", "eblup"),
        ("ALL", "Toutes", "all", 38.0, 36.0, 40.0, "", "direct"),
        ("ALL", "Toutes", "web", 39.5, 37.0, 42.0, "", "direct"),
        ("ALL", "Toutes", "telegram", hidden + 2, hidden - 5, hidden + 7, "F", "direct"),
    ]
    table = pd.DataFrame(
        rows,
        columns=[
            "municipality",
            "municipality_name",
            "channel",
            "estimate",
            "ci_low",
            "ci_high",
            "flag",
            "method",
        ],
    )
    table["indicator"] = "feels_unsafe"
    table["se"] = 2.0
    table["cv"] = np.where(table["flag"] == "F", 40.0, 5.0)
    return table


def _municipality_svg(table: pd.DataFrame) -> bytes:
    return interval_chart(municipality_points(table, "feels_unsafe"), "Feels unsafe (%)")


def _channel_svg(table: pd.DataFrame) -> bytes:
    return interval_chart(
        channel_points(table, ["feels_unsafe"]), "percent", series=["web", "telegram"]
    )


def test_a_suppressed_cell_leaves_no_trace_in_the_svg() -> None:
    svg = _municipality_svg(_table(27.35)).decode()
    # one bar per published municipality, none for Sherbrooke (row 2) or Gatineau (row 3)
    assert re.findall(r'id="(bar-\d+-\d+)"', svg) == ["bar-0-0", "bar-1-0"]
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "Sherbrooke (x)" in texts and "Gatineau (F)" in texts and "Québec (E)" in texts
    for figure in ("27.35", "27.4", "18.35", "36.35", "28.35", "7.35", "49.35"):
        assert figure not in svg
    # Whatever the hidden figures are, the chart is the same, byte for byte.
    assert _municipality_svg(_table(27.35)) == _municipality_svg(_table(88.8))
    assert _channel_svg(_table(27.35)) == _channel_svg(_table(3.0))
    channel = _channel_svg(_table(27.35)).decode()
    assert re.findall(r'id="(bar-\d+-\d+)"', channel) == ["bar-0-0"]  # web only
    assert "feels_unsafe (F)" in channel


def _groups(hidden: float) -> pd.DataFrame:
    """Two age groups of women and men; young men suppressed (x), older women too
    unreliable (F), both with figures behind them (``hidden``)."""
    rows = [
        ("a15_24", "woman", 30.25, 22.5, 38.0, ""),
        ("a65_plus", "woman", hidden, hidden - 11, hidden + 12, "F"),
        ("a15_24", "man", hidden + 1, hidden - 8, hidden + 9, "x"),
        ("a65_plus", "man", 44.5, 39.0, 50.0, "E"),
    ]
    groups = pd.DataFrame(
        rows, columns=["age_group", "gender", "estimate", "ci_low", "ci_high", "flag"]
    )
    groups["indicator"] = "feels_unsafe"
    groups["se"] = 2.0
    groups["cv"] = np.where(groups["flag"] == "F", 40.0, 5.0)
    return groups


def _group_svg(groups: pd.DataFrame) -> bytes:
    points = group_points(groups, "feels_unsafe")
    return interval_chart(points, "Feels unsafe (%)", series=["woman", "man"])


def test_the_age_and_gender_chart_draws_published_cells_only_and_always_alike() -> None:
    svg = _group_svg(_groups(27.35)).decode()
    # rows: a15_24 (0), a65_plus (1); series: woman (0), man (1)
    assert re.findall(r'id="(bar-\d+-\d+)"', svg) == ["bar-0-0", "bar-1-1"]
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "a15_24 (x)" in texts and "a65_plus (F/E)" in texts
    words = " ".join(texts)
    for figure in ("27.35", "27.4", "16.35", "39.35", "28.35", "19.35", "37.35"):
        assert figure not in words
    # Nothing else of the hidden figures either: other hidden figures, the same bytes.
    assert _group_svg(_groups(27.35)) == _group_svg(_groups(71.5))


def test_charts_are_deterministic_small_and_free_of_dates_and_fonts() -> None:
    first = _municipality_svg(_table(27.35))
    assert first == _municipality_svg(_table(27.35))
    text = first.decode()
    assert "<dc:date>" not in text and "Matplotlib" not in text and "<dc:creator>" not in text
    assert "@font-face" not in text and "http://" not in text.replace(
        "http://www.w3.org", ""
    ).replace("http://purl.org", "").replace("http://creativecommons.org", "")
    assert len(first) < 30_000, len(first)
    days = count_chart([f"2026-11-{d:02d}" for d in range(1, 31)], list(range(30)), "Responses")
    assert len(days) < 40_000 and days == count_chart(
        [f"2026-11-{d:02d}" for d in range(1, 31)], list(range(30)), "Responses"
    )
    assert b"2026-11-01" in days and b"2026-11-02" not in days  # one label in three


def test_a_point_without_an_interval_is_a_bar_only() -> None:
    svg = interval_chart([Point("Q1", 5.0), Point("Q2", 2.0)], "Abandoned").decode()
    assert re.findall(r'id="(bar-\d+-\d+)"', svg) == ["bar-0-0", "bar-1-0"]


def test_importing_the_charts_does_not_load_matplotlib() -> None:
    code = "import sys, observatory.charts; print('matplotlib' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"
