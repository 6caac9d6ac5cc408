"""Relative bias of the direct municipal percents, weighting rules compared (run by hand).

    .venv/bin/python bench/direct_bias.py [--samples 600] [--first 0] [--seed 1]

The surveys of ``bench/coverage.py`` (municipal effects drawn afresh), each analysed by the
pipeline with its default rules, without collapsing (``min_cell_respondents=1``) and without
trimming (``max_weight_ratio=None``), and by post-stratifying every municipality's respondents
to its 8 population age × gender cells (the estimator the simulation makes unbiased). Prints
the mean relative error of the direct estimate (standard error) by true rate and band of
respondents, the paired difference default − no collapsing, and, at 300+ respondents, the
bias by the number of age × gender cells left after collapsing; first, how often the
collapsing rule merges which neighbours in 300 of these surveys. Two bootstrap replicates per
survey: the direct estimates do not depend on them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.loader import numerator_column
from analysis.pipeline.run import PipelineOptions, estimate_from_frames
from analysis.weighting.collapse import collapse_rows
from bench.coverage import AGES, EFFECT_SD, GENDERS, POPULATIONS, RATES, one_survey, territory
from bench.synthetic import synthetic_survey

RULES = {
    "default": {},
    "no_collapsing": {"min_cell_respondents": 1.0},
    "no_trimming": {"max_weight_ratio": None},
}


def post_stratified(respondents: pd.DataFrame, cells: np.ndarray) -> np.ndarray:
    """(D, indicators) percents post-stratified to the exact age × gender cells (NaN where a
    cell has no respondent)."""
    age = pd.Categorical(respondents["age_group"], categories=AGES).codes
    gender = pd.Categorical(respondents["gender"], categories=GENDERS).codes
    where = respondents["municipality"].str[2:].astype(int).to_numpy()
    cell = (where * len(AGES) + age) * len(GENDERS) + gender
    size = cells.size
    counts = np.bincount(cell, minlength=size)
    out = np.empty((cells.shape[0], len(RATES)))
    for k in range(len(RATES)):
        y = respondents[numerator_column(f"percent_{k}")].to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.bincount(cell, weights=y, minlength=size) / counts
        means = means.reshape(cells.shape)
        out[:, k] = 100 * (cells * means).sum(axis=(1, 2)) / cells.sum(axis=(1, 2))
    return out


def rows_of(first: int, samples: int, seed: int) -> pd.DataFrame:
    """One row per survey, municipality and indicator: truth, n, and every estimator."""
    setup = np.random.default_rng(seed)
    benchmarks, cells = territory(setup)
    setup.normal(0, EFFECT_SD, (POPULATIONS.size, len(RATES)))  # the fixed effects' draw
    survey = synthetic_survey(len(RATES))
    frames = []
    for s in range(first, first + samples):
        rng = np.random.default_rng([seed, s, 0])  # as bench/coverage.py, effects afresh
        effects = rng.normal(0, EFFECT_SD, (POPULATIONS.size, len(RATES)))
        respondents, truth = one_survey(cells, effects, rng)
        oracle = post_stratified(respondents, cells)
        found: dict[str, pd.DataFrame] = {}
        for name, rule in RULES.items():
            table = estimate_from_frames(
                respondents,
                benchmarks,
                survey,
                replicates=2,
                seed=s,
                options=PipelineOptions(workers=1, **rule),  # type: ignore[arg-type]
            )
            keep = (table["municipality"] != "ALL") & (table["method"] != "excluded")
            found[name] = table[keep & (table["unit"] == "percent")].reset_index(drop=True)
        base = found["default"]
        d = base["municipality"].str[2:].astype(int).to_numpy()
        k = base["indicator"].str.split("_").str[1].astype(int).to_numpy()
        frame = pd.DataFrame({"sample": s, "k": k, "n": base["n"], "truth": truth[d, k]})
        for name in RULES:
            frame[name] = found[name]["direct_estimate"].to_numpy()
        frame["post_stratified"] = oracle[d, k]
        cells_left = base["weighting"].str.extract(r"age_group\*gender: 8 to (\d)")[0]
        frame["age_cells"] = cells_left.fillna("8").astype(int)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def merges(samples: int, seed: int, block: int | None) -> str:
    """How often, in the municipalities of 300+ respondents of ``samples`` surveys, the
    collapsing rule (``collapse_rows`` on their age × gender counts, cells as the plan lays
    them out: the age groups of women, then of men) merges each pair of neighbours."""
    setup = np.random.default_rng(seed)
    _, cells = territory(setup)
    pairs = {"15-24 men with 25-44 men": (4, 5), "15-24 women with 25-44 women": (0, 1)}
    pairs["65+ women with 15-24 men"] = (3, 4)
    found = dict.fromkeys(pairs, 0)
    municipalities = 0
    for s in range(samples):
        rng = np.random.default_rng([seed, s, 0])
        effects = rng.normal(0, EFFECT_SD, (POPULATIONS.size, len(RATES)))
        respondents, _ = one_survey(cells, effects, rng)
        age = pd.Categorical(respondents["age_group"], categories=AGES).codes
        gender = pd.Categorical(respondents["gender"], categories=GENDERS).codes
        where = respondents["municipality"].str[2:].astype(int).to_numpy()
        counts = np.zeros((POPULATIONS.size, len(GENDERS) * len(AGES)))
        np.add.at(counts, (where, gender * len(AGES) + age), 1.0)
        big = counts[counts.sum(axis=1) >= 300]
        groups = collapse_rows(big, 10.0, block=block).groups
        municipalities += len(big)
        for name, (a, b) in pairs.items():
            found[name] += int((groups[:, a] == groups[:, b]).sum())
    shares = ", ".join(
        f"{name} {n} ({100 * n / municipalities:.0f} %)" for name, n in found.items()
    )
    return f"{municipalities} municipalities of 300+ respondents: {shares}"


def _mean(errors: pd.Series) -> str:
    return f"{100 * errors.mean():+.1f} % ({100 * errors.std() / np.sqrt(errors.count()):.1f})"


def report(rows: pd.DataFrame) -> str:
    """The Markdown tables."""
    names = [*RULES, "post_stratified"]
    lines = [
        "| true rate | respondents | rows | " + " | ".join(names) + " | default − no_collapsing |",
        "|---:|---|---:|" + "---:|" * (len(names) + 1),
    ]
    for k, rate in enumerate(RATES):
        for low, high, label in ((100, 300, "100–299"), (300, 10**9, "300+")):
            g = rows[(rows["k"] == k) & (rows["n"] >= low) & (rows["n"] < high)]
            errors = [_mean((g[name] - g["truth"]) / g["truth"]) for name in names]
            paired = _mean((g["default"] - g["no_collapsing"]) / g["truth"])
            lines.append(
                f"| {100 * rate:g} % | {label} | {len(g)} | "
                + " | ".join(errors)
                + f" | {paired} |"
            )
    lines += [
        "",
        "| age × gender cells left (300+, 5 and 10 %) | rows | default |",
        "|---|---:|---:|",
    ]
    big = rows[(rows["n"] >= 300) & rows["k"].isin([1, 2])]
    for cells_left, g in big.groupby("age_cells"):
        lines.append(
            f"| {cells_left} | {len(g)} | {_mean((g['default'] - g['truth']) / g['truth'])} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=600)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    for block in (None, len(AGES)):
        print(f"collapse_rows(block={block}):", merges(300, args.seed, block))
    rows = rows_of(args.first, args.samples, args.seed)
    print(f"{rows['sample'].nunique()} surveys")
    print(report(rows))


if __name__ == "__main__":
    main()
