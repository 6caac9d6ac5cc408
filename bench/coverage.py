"""Coverage of the published municipal figures: a simulated opt-in survey, many times over.

    .venv/bin/python bench/coverage.py [--samples 500] [--replicates 500] [--seed 1]
        [--workers 2] [--scenario random|fixed|both] [--first 0] [--save DIR]
        [--interval-cap gvf|gvf_size|respondents|none] [--summarise DIR]
        [--write docs/statistics.md]

Long runs go in chunks (``--first``, ``--samples``, ``--save DIR``: one file per scenario and
chunk), then ``--summarise DIR`` reads every chunk saved there.

Population (invented): 12 municipalities of 5,000 to 1.5 million people aged 15+, with their
own age × gender, household-size and language margins. About 3,000 respondents are recruited
unevenly: their number per municipality follows the square root of its population (so the
smallest get a handful), and within a municipality the young and men answer least
(``PROPENSITY``), so unweighted figures are biased. Four yes/no indicators with base rates of
1, 5, 10 and 30 %: ``logit p = logit(rate) + age effect + u_d``, ``u_d ~ N(0, 0.35²)`` a
municipal effect. The truth of a municipality is the population-weighted mean of ``p`` over its
age groups.

Two scenarios, each of ``--samples`` surveys analysed by the whole pipeline
(:func:`analysis.pipeline.run.estimate_from_frames`, ``--replicates`` bootstrap replicates):

- ``random effects``: ``u_d`` and the outcomes drawn afresh for every survey, as the
  small-area model assumes (what a model-based interval promises to cover);
- ``fixed effects``: ``u_d`` drawn once and kept, only the sample and outcomes redrawn (the
  design-based view of one territory, which a model-based interval does not promise).

Reported over the published figures (flag empty or ``E``), with ``--write`` into the
"## Coverage simulation" section of docs/statistics.md: coverage of the 95 % intervals
overall and by band of rate × respondents, relative bias of municipalities with 100 or more
respondents (the mean of (estimate − truth) / truth, and the mean error over the mean truth),
and how many figures were published. Direct percents are graded by the pipeline's default
(``PipelineOptions.direct_cv_at``). A smaller seeded version runs in the tests
(tests/analysis/test_coverage.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchdoc import replace_section

from analysis.loader import denominator_column, numerator_column
from analysis.pipeline.run import PipelineOptions, estimate_from_frames
from bench.synthetic import AGES, GENDERS, HOUSEHOLDS, LANGUAGES, synthetic_survey

HEADING = "## Coverage simulation"
POPULATIONS = np.array(
    [5e3, 9e3, 15e3, 25e3, 40e3, 70e3, 120e3, 200e3, 350e3, 600e3, 1e6, 1.5e6],
    dtype=float,
)
RATES = (0.01, 0.05, 0.10, 0.30)
AGE_EFFECT = np.array([0.5, 0.2, -0.1, -0.5])  # logit shift by age group
PROPENSITY = np.array([[0.25, 0.15], [0.6, 0.4], [1.0, 0.7], [1.5, 1.1]])  # age × gender
EFFECT_SD = 0.35
RESPONDENTS = 3_000
PUBLISHED = ("", "E")
N_BANDS = ((0, 30), (30, 100), (100, 300), (300, 10**9))


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def territory(rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """Benchmarks of the 12 municipalities and their (D, 4 ages, 2 genders) cell counts."""
    rows = []
    cells = np.empty((POPULATIONS.size, len(AGES), len(GENDERS)))
    for d, size in enumerate(POPULATIONS):
        code = f"99{d:05d}"
        ages = rng.dirichlet([6, 12, 12, 9]) * size
        cells[d] = np.outer(ages, [0.51, 0.49])
        margins = {
            "age_group*gender": {
                f"{a}*{g}": cells[d, i, j]
                for i, a in enumerate(AGES)
                for j, g in enumerate(GENDERS)
            },
            "household_size": dict(zip(HOUSEHOLDS, rng.dirichlet([4, 6, 7]) * size, strict=True)),
            "language_spoken": dict(
                zip(LANGUAGES, rng.dirichlet([20, 6, 2, 1]) * size, strict=True)
            ),
        }
        for variable, counts in margins.items():
            for category, count in counts.items():
                rows.append(
                    {
                        "municipality": code,
                        "municipality_name": f"Invented {d + 1}",
                        "variable": variable,
                        "category": category,
                        "count": float(round(count)),
                    }
                )
    return pd.DataFrame(rows), cells


def one_survey(
    cells: np.ndarray, effects: np.ndarray, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """Respondents of one simulated survey and the truth (D, indicators) in percent."""
    d_count = cells.shape[0]
    share = np.sqrt(POPULATIONS) / np.sqrt(POPULATIONS).sum()
    sizes = rng.multinomial(RESPONDENTS, share)
    linear = np.array([_logit(r) for r in RATES])  # (K,)
    # p[d, age, k]
    p = 1 / (1 + np.exp(-(linear[None, None, :] + AGE_EFFECT[None, :, None] + effects[:, None, :])))
    by_age = cells.sum(axis=2)
    truth = 100 * np.einsum("da,dak->dk", by_age, p) / by_age.sum(axis=1)[:, None]
    people = []
    for d in range(d_count):
        weights = (cells[d] * PROPENSITY).ravel()
        picks = rng.choice(weights.size, size=sizes[d], p=weights / weights.sum())
        age, gender = np.divmod(picks, len(GENDERS))
        people.append(
            pd.DataFrame(
                {
                    "municipality": f"99{d:05d}",
                    "age_group": np.array(AGES)[age],
                    "gender": np.array(GENDERS)[gender],
                    "household_size": rng.choice(HOUSEHOLDS, size=sizes[d]),
                    "language_spoken": rng.choice(
                        LANGUAGES, size=sizes[d], p=[0.7, 0.2, 0.07, 0.03]
                    ),
                    "_age": age,
                    "_d": d,
                }
            )
        )
    frame = pd.concat(people, ignore_index=True)
    n = len(frame)
    frame.insert(0, "response_id", [f"s{i:05d}" for i in range(n)])
    frame.insert(1, "channel", np.where(rng.random(n) < 0.3, "telegram", "web"))
    age, where = frame.pop("_age").to_numpy(), frame.pop("_d").to_numpy()
    for k in range(len(RATES)):
        frame[numerator_column(f"percent_{k}")] = (rng.random(n) < p[where, age, k]).astype(float)
        frame[denominator_column(f"percent_{k}")] = 1.0
    return frame.astype({"municipality": object}), truth


def simulate(
    samples: int,
    replicates: int,
    seed: int,
    fixed: bool,
    first: int = 0,
    options: PipelineOptions | None = None,
) -> pd.DataFrame:
    """Municipal percent rows of ``samples`` surveys with their truth (one frame)."""
    setup = np.random.default_rng(seed)
    benchmarks, cells = territory(setup)
    fixed_effects = setup.normal(0, EFFECT_SD, (POPULATIONS.size, len(RATES)))
    survey = synthetic_survey(len(RATES))
    frames = []
    for s in range(first, first + samples):
        rng = np.random.default_rng([seed, s, int(fixed)])
        effects = (
            fixed_effects if fixed else rng.normal(0, EFFECT_SD, (POPULATIONS.size, len(RATES)))
        )
        respondents, truth = one_survey(cells, effects, rng)
        results = estimate_from_frames(
            respondents,
            benchmarks,
            survey,
            replicates=replicates,
            seed=seed * 100_003 + s,
            # the simulation runs surveys in parallel: one process per pipeline
            options=PipelineOptions(workers=1) if options is None else options,
        )
        rows = results[(results["municipality"] != "ALL") & (results["method"] != "excluded")]
        rows = rows[rows["unit"] == "percent"].copy()
        d = rows["municipality"].str[2:].astype(int).to_numpy()
        k = rows["indicator"].str.split("_").str[1].astype(int).to_numpy()
        rows["truth"] = truth[d, k]
        rows["rate"] = np.array(RATES)[k]
        rows["sample"] = s
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def _bias(rows: pd.DataFrame) -> float:
    """Mean relative error of the estimates (NaN without rows)."""
    if rows.empty:
        return float("nan")
    return float(((rows["estimate"] - rows["truth"]) / rows["truth"]).mean())


def own_cv_flags(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with direct percents flagged as ``direct_cv_at="estimate"`` would flag them:
    on their own CV (bootstrap rows), or at the pooled rate (sample zeros, ``gvf``), the pooled
    rate being the ``weighted_n``-weighted mean of the municipal direct estimates of the same
    survey and indicator. Model rows keep their flags (they do not depend on the rule)."""
    from analysis.quality.release_rules import ReleaseRules, grade

    rules = ReleaseRules()
    out = rows.copy()
    weighted = out["weighted_n"] * out["direct_estimate"].fillna(0.0)
    keys = [out["sample"], out["indicator"]]
    pooled = weighted.groupby(keys).transform("sum") / out["weighted_n"].groupby(keys).transform(
        "sum"
    )
    direct = out["method"] == "direct"
    boot = direct & (out["variance_source"] == "bootstrap")
    cv = pd.Series(np.nan, index=out.index)
    cv[boot] = 100 * out.loc[boot, "se"] / out.loc[boot, "estimate"]
    zero = direct & (out["variance_source"] == "gvf")
    cv[zero] = 100 * out.loc[zero, "se"] / pooled[zero]
    for i in out.index[direct]:
        quality = grade(float(cv[i]), int(out.at[i, "n"]), rules)
        if int(out.at[i, "n"]) >= rules.min_respondents and not out.at[i, "se"] > 0:
            quality = quality.__class__(quality.cv, rules.unreliable_flag, False)
        out.at[i, "flag"] = quality.flag
    return out


def _ratio_bias(rows: pd.DataFrame) -> float:
    """Mean error over mean truth (NaN without rows): free of the Jensen effect of averaging
    a ratio over truths spread around a shrunken estimate (docs/statistics.md)."""
    if rows.empty:
        return float("nan")
    return float((rows["estimate"] - rows["truth"]).mean() / rows["truth"].mean())


def summarise(rows: pd.DataFrame) -> dict[str, object]:
    """Coverage overall and by band, relative bias for n >= 100, counts."""
    published = rows[rows["flag"].fillna("").isin(PUBLISHED)].copy()
    published["covered"] = (published["ci_low"] <= published["truth"]) & (
        published["truth"] <= published["ci_high"]
    )
    bands = []
    for rate in RATES:
        for low, high in N_BANDS:
            here = published[
                (published["rate"] == rate) & (published["n"] >= low) & (published["n"] < high)
            ]
            big = rows[(rows["rate"] == rate) & (rows["n"] >= max(low, 100)) & (rows["n"] < high)]
            shown = here[here["n"] >= 100]
            bias = _bias(big) if low >= 100 else float("nan")
            ratio_bias = _ratio_bias(big) if low >= 100 else float("nan")
            bias_published = _bias(shown) if low >= 100 else float("nan")
            bands.append(
                {
                    "rate": rate,
                    "respondents": f"{low}–{high - 1}" if high < 10**9 else f"{low}+",
                    "published": len(here),
                    "of": int(
                        ((rows["rate"] == rate) & (rows["n"] >= low) & (rows["n"] < high)).sum()
                    ),
                    "coverage": float(here["covered"].mean()) if len(here) else float("nan"),
                    "relative_bias": bias,
                    "ratio_bias": ratio_bias,
                    "relative_bias_published": bias_published,
                    "methods": ", ".join(sorted(set(here["method"]))),
                }
            )
    return {
        "coverage": float(published["covered"].mean()) if len(published) else float("nan"),
        "published": len(published),
        "rows": len(rows),
        "bands": pd.DataFrame(bands),
    }


def _table(summary: dict[str, object]) -> list[str]:
    bands = summary["bands"]
    assert isinstance(bands, pd.DataFrame)
    lines = [
        "| true rate | respondents | published / rows | coverage of 95 % intervals "
        "| relative bias, all rows (n ≥ 100) | mean error / mean truth, all rows (n ≥ 100) "
        "| relative bias, published (n ≥ 100) | methods |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in bands.itertuples():
        coverage = "—" if np.isnan(row.coverage) else f"{100 * row.coverage:.1f} %"
        bias = "" if np.isnan(row.relative_bias) else f"{100 * row.relative_bias:+.1f} %"
        ratio = "" if np.isnan(row.ratio_bias) else f"{100 * row.ratio_bias:+.1f} %"
        shown = row.relative_bias_published
        published = "" if np.isnan(shown) else f"{100 * shown:+.1f} %"
        lines.append(
            f"| {100 * row.rate:g} % | {row.respondents} | {row.published} / {row.of} | "
            f"{coverage} | {bias} | {ratio} | {published} | {row.methods} |"
        )
    return lines


def _run(job: tuple[int, int, int, bool, int, str]) -> pd.DataFrame:
    samples, replicates, seed, fixed, first, cap = job
    options = PipelineOptions(workers=1, direct_interval_cap=cap)
    return simulate(samples, replicates, seed, fixed, first, options)


def _section(rows: pd.DataFrame, fixed: bool) -> list[str]:
    summary = summarise(rows)
    name = "fixed municipal effects" if fixed else "municipal effects drawn afresh"
    samples = rows["sample"].nunique()
    return [
        f"### {name}",
        "",
        f"{samples} simulated surveys. Over all published figures (flag empty or E): coverage "
        f"**{100 * float(summary['coverage']):.1f} %** "
        f"({summary['published']:,} published of {summary['rows']:,} municipal rows).",
        "",
        *_table(summary),
        "",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--replicates", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--first", type=int, default=0, help="index of the first survey (to run in chunks)"
    )
    parser.add_argument("--scenario", choices=("random", "fixed", "both"), default="both")
    parser.add_argument(
        "--interval-cap",
        default=PipelineOptions.direct_interval_cap,
        help="PipelineOptions.direct_interval_cap of the runs (gvf, gvf_size, respondents, none)",
    )
    parser.add_argument("--save", default="", help="folder for the rows of each scenario")
    parser.add_argument(
        "--summarise", default="", help="only summarise the rows saved in this folder"
    )
    parser.add_argument("--write", default="", help="Markdown file to update")
    parser.add_argument(
        "--own-cv",
        action="store_true",
        help="with --summarise: flag direct percents on their own CV (own_cv_flags)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    sections = []
    scenarios = {"random": [False], "fixed": [True], "both": [False, True]}[args.scenario]
    for fixed in scenarios:
        name = "fixed" if fixed else "random"
        if args.summarise:
            saved = sorted(Path(args.summarise).glob(f"{name}*.pkl"))
            rows = pd.concat([pd.read_pickle(path) for path in saved], ignore_index=True)
            if args.own_cv:
                rows = own_cv_flags(rows)
        else:
            chunk = -(-args.samples // args.workers)
            end = args.first + args.samples
            jobs = [
                (
                    min(chunk, end - first),
                    args.replicates,
                    args.seed,
                    fixed,
                    first,
                    args.interval_cap,
                )
                for first in range(args.first, end, chunk)
            ]
            with ProcessPoolExecutor(args.workers) as pool:
                rows = pd.concat(list(pool.map(_run, jobs)), ignore_index=True)
            if args.save:
                Path(args.save).mkdir(parents=True, exist_ok=True)
                rows.to_pickle(Path(args.save) / f"{name}-{args.first:05d}.pkl")
        sections += _section(rows, fixed)
        print("\n".join(sections), flush=True)
    elapsed = time.perf_counter() - start
    body = "\n".join(
        [
            HEADING,
            "",
            f"{args.replicates} bootstrap replicates per simulated survey (`bench/coverage.py`; "
            "its docstring describes the population and both scenarios). "
            f"Date: {dt.date.today().isoformat()}.",
            "",
            *sections,
            "Command: `.venv/bin/python bench/coverage.py " + " ".join(sys.argv[1:]) + "`",
        ]
    )
    print(body)
    print(f"{elapsed / 60:.1f} minutes")
    if args.write:
        replace_section(Path(args.write), HEADING, body + "\n")


if __name__ == "__main__":
    main()
