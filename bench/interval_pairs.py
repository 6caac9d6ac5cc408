"""The direct intervals of two coverage runs of the same surveys, row by row.

    .venv/bin/python bench/interval_pairs.py BEFORE_DIR AFTER_DIR

Reads the rows ``bench/coverage.py --save DIR`` saved by two runs with the same seed, surveys
and replicates (e.g. before and after a change of ``PipelineOptions.direct_interval_cap``),
pairs them on survey, municipality and indicator, checks that the estimates, SEs, CVs, flags
and methods are the same, and prints for the direct municipal percents of each band of true
rate × respondents: the share whose interval was capped (``korn_graubard_capped``), the
coverage of all of them and of the published ones (flag empty or ``E``) before and after,
how often the truth lay above the upper or below the lower limit, and how much wider the
capped intervals are.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

KEY = ["sample", "municipality", "indicator"]
SAME = ("estimate", "se", "cv", "flag", "method")
BANDS = [-1, 29, 99, 299, 10**9]
LABELS = ["0–29", "30–99", "100–299", "300+"]


def load(folder: Path, scenario: str) -> pd.DataFrame:
    files = sorted(folder.glob(f"{scenario}-*.pkl"))
    return pd.concat([pd.read_pickle(path) for path in files], ignore_index=True)


def paired(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The rows of both runs side by side (``_a`` before, ``_b`` after), with coverage."""
    rows = before.merge(after, on=KEY, suffixes=("_a", "_b"))
    rows["band"] = pd.cut(rows["n_a"], BANDS, labels=LABELS)
    truth = rows["truth_a"]
    for tag in ("a", "b"):
        low, high = rows[f"ci_low_{tag}"], rows[f"ci_high_{tag}"]
        rows[f"covers_{tag}"] = (low <= truth) & (truth <= high)
        rows[f"above_{tag}"] = truth > high
        rows[f"below_{tag}"] = truth < low
        rows[f"published_{tag}"] = rows[f"flag_{tag}"].isin(["", "E"])
        rows[f"width_{tag}"] = high - low
    return rows


def _percent(values: pd.Series) -> str:
    return f"{100 * values.mean():.1f}" if len(values) else "—"


def report(rows: pd.DataFrame) -> list[str]:
    lines = []
    for column in SAME:
        a, b = rows[f"{column}_a"], rows[f"{column}_b"]
        same = ((a == b) | (a.isna() & b.isna())).mean()
        lines.append(f"same {column}: {100 * same:.2f} % of {len(rows):,} rows")
    for tag, name in (("a", "before"), ("b", "after")):
        published = rows[rows[f"published_{tag}"]]
        lines.append(
            f"published coverage {name}: {_percent(published[f'covers_{tag}'])} % "
            f"of {len(published):,}"
        )
    lines.append(
        "rate | respondents | direct rows | capped % | covering % all | above % | below % "
        "| published | covering % published | capped width ratio median, mean, max"
    )
    direct = rows[rows["method_b"] == "direct"]
    for (rate, band), group in direct.groupby(["rate_a", "band"], observed=True):
        capped = group["ci_method_b"] == "korn_graubard_capped"
        ratio = (group["width_b"] / group["width_a"])[capped]
        pa, pb = group[group["published_a"]], group[group["published_b"]]
        lines.append(
            f"{100 * rate:.0f} % | {band} | {len(group)} | {_percent(capped)} | "
            f"{_percent(group['covers_a'])} → {_percent(group['covers_b'])} | "
            f"{_percent(group['above_a'])} → {_percent(group['above_b'])} | "
            f"{_percent(group['below_a'])} → {_percent(group['below_b'])} | "
            f"{len(pa)} → {len(pb)} | "
            f"{_percent(pa['covers_a'])} → {_percent(pb['covers_b'])} | "
            f"{ratio.median():.3f}, {ratio.mean():.3f}, {ratio.max():.3f}"
        )
    capped = direct["ci_method_b"] == "korn_graubard_capped"
    ratio = (direct["width_b"] / direct["width_a"])[capped]
    lines.append(
        f"all capped direct rows: {int(capped.sum()):,}, width ratio median "
        f"{ratio.median():.3f}, mean {ratio.mean():.3f}, max {ratio.max():.3f}"
    )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    for scenario in ("random", "fixed"):
        if not list(args.after.glob(f"{scenario}-*.pkl")):
            continue
        rows = paired(load(args.before, scenario), load(args.after, scenario))
        print(f"## {scenario}: {rows['sample'].nunique()} surveys paired")
        print("\n".join(report(rows)))


if __name__ == "__main__":
    main()
