"""Where the relative bias of a band of the coverage simulation comes from.

    .venv/bin/python bench/rare_bias.py DIR [--rate 0.01] [--low 100] [--high 300]
    .venv/bin/python bench/rare_bias.py --model-only 4000 [--rate 0.01] [--seed 1]

Reads the rows ``bench/coverage.py --save DIR`` saved (both scenarios) and prints, for the
municipal rows of one band of true rate × respondents, by the method that published them:

- the mean relative error ``mean((estimate − truth) / truth)`` (the goal's metric) and its
  standard error over the rows, the same for the direct estimate of the same rows;
- the mean error over the mean truth ``mean(estimate − truth) / mean(truth)``, free of the
  Jensen effect of averaging a ratio over truths spread around the estimate;
- ``oracle``: the mean relative error of an estimator that knows each municipality's mean
  truth over the simulated surveys and publishes it (fully shrunk, without error on
  average): what the metric gives an estimator with no bias at all in the mean;
- ``shrinkage``: the slope of (estimate − oracle) on (direct − oracle) over the rows, i.e.
  the weight γ the model leaves on the direct estimate, and the relative error that weight
  predicts, ``γ × direct + (1 − γ) × oracle``;
- ``sin²(θ̂)``: for model rows, the mean relative error without the back-transform's
  correction ``E[sin²θ | y]`` (``θ | y ~ N(θ̂, g1)``); ``θ̂`` is read off the published
  interval ``sin²(θ̂ ± q√m)`` (rows whose lower limit is clipped at 0 are left out, so it is
  compared with the published estimate's mean relative error on the same rows).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd


def _mean_se(values: pd.Series) -> str:
    if values.empty:
        return "—"
    se = values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else float("nan")
    return f"{100 * values.mean():+.1f} % ({100 * se:.1f})"


def band_rows(rows: pd.DataFrame, rate: float, low: int, high: int) -> pd.DataFrame:
    """Municipal rows of the band, with each municipality's mean truth (the oracle)."""
    at_rate = rows[rows["rate"] == rate].copy()
    at_rate["oracle"] = at_rate.groupby("municipality")["truth"].transform("mean")
    return at_rate[(at_rate["n"] >= low) & (at_rate["n"] < high)]


def describe(band: pd.DataFrame) -> list[str]:
    """One Markdown line per method (and all rows) of the band."""
    lines = []
    groups = [("all rows", band), *((m, g) for m, g in band.groupby("method"))]
    for name, g in groups:
        truth = g["truth"]
        relative = (g["estimate"] - truth) / truth
        direct = (g["direct_estimate"] - truth) / truth
        oracle = (g["oracle"] - truth) / truth
        ratio = (g["estimate"] - truth).mean() / truth.mean()
        x = g["direct_estimate"] - g["oracle"]
        y = g["estimate"] - g["oracle"]
        gamma = float((x * y).sum() / (x * x).sum()) if (x * x).sum() > 0 else float("nan")
        predicted = gamma * direct.mean() + (1 - gamma) * oracle.mean()
        plain = "—"
        if name not in ("all rows", "direct"):
            low = np.arcsin(np.sqrt(g["ci_low"] / 100))
            high = np.arcsin(np.sqrt(g["ci_high"] / 100))
            kept = g["ci_low"] > 0
            theta = (low + high) / 2
            plain = _mean_se(((100 * np.sin(theta) ** 2 - truth) / truth)[kept])
            plain += f" against {_mean_se(relative[kept])} with the correction"
            plain += f", {int(kept.sum())} rows"
        lines.append(
            f"| {name} | {len(g)} | {_mean_se(relative)} | {100 * ratio:+.1f} % | "
            f"{_mean_se(direct)} | {100 * oracle.mean():+.1f} % | {gamma:.2f} | "
            f"{100 * predicted:+.1f} % | {plain} |"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="")
    parser.add_argument("--model-only", type=int, default=0, help="draws of model_only()")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=0.01)
    parser.add_argument("--low", type=int, default=100)
    parser.add_argument("--high", type=int, default=300)
    args = parser.parse_args(argv)
    if args.model_only:
        print(f"\nthe estimator alone, {args.model_only} draws of 12 areas\n")
        print("\n".join(model_only(args.model_only, args.rate, args.seed)))
        print(f"\nσ²_u estimators, {args.model_only} draws of 12 areas\n")
        print("\n".join(sigma2_methods(args.model_only, (0.01, 0.05, 0.10), args.seed)))
    for scenario in ("random", "fixed") if args.folder else ():
        saved = sorted(Path(args.folder).glob(f"{scenario}*.pkl"))
        if not saved:
            continue
        rows = pd.concat([pd.read_pickle(path) for path in saved], ignore_index=True)
        band = band_rows(rows, args.rate, args.low, args.high)
        print(
            f"\n{scenario}: {rows['sample'].nunique()} surveys, true rate {100 * args.rate:g} %,"
            f" {args.low}–{args.high - 1} respondents\n"
        )
        print(
            "| rows | count | mean relative error (SE) | mean error / mean truth "
            "| direct: mean relative error (SE) | oracle | shrinkage γ | γ-predicted "
            "| sin²(θ̂), rows with a positive lower limit: mean relative error (SE) |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        print("\n".join(describe(band)))


def model_only(draws: int, rate: float, seed: int) -> list[str]:
    """The arcsine Fay–Herriot estimator alone, on binomial samples of the simulation's sizes.

    No weighting, no collapsing, intercept only: 12 areas with the respondents the coverage
    simulation gives its municipalities on average, effective sizes ``n / 1.6``, true rates
    ``expit(logit(rate) + u)``, ``u ~ N(0, 0.35²)`` drawn afresh each time; the EBLUP of every
    area is published. Rows: the areas of 100–299 respondents. Also σ²_u as fitted (adjusted
    REML, as the pipeline) and by plain REML on the same y, against the variance of the true
    θ = arcsin √p over the draws.
    """
    from analysis.errors import ModelError
    from analysis.sae.anscombe import anscombe, transform_bias
    from analysis.sae.arcsine import fit_proportions
    from analysis.sae.fay_herriot import fit_fay_herriot

    rng = np.random.default_rng(seed)
    respondents = np.array([40, 54, 69, 89, 113, 150, 196, 253, 335, 439, 566, 694], float)
    n_eff = np.round(respondents / 1.6)
    band = (respondents >= 100) & (respondents < 300)
    logit = np.log(rate / (1 - rate))
    truth, theta_true, eblup, theta_hat, mse, g1, direct = [], [], [], [], [], [], []
    adjusted, reml = [], []
    for _ in range(draws):
        p = 1 / (1 + np.exp(-(logit + rng.normal(0, 0.35, respondents.size))))
        share = rng.binomial(n_eff.astype(int), p) / n_eff
        areas = fit_proportions(share, n_eff, np.zeros((respondents.size, 0)), ())
        fit = areas.fit
        y = anscombe(share, n_eff) - transform_bias(n_eff, rate)
        try:
            reml.append(fit_fay_herriot(y, 1 / (4 * n_eff + 2), np.ones((12, 1))).sigma2_u)
        except ModelError:  # plain REML sometimes fails to converge near 0
            reml.append(np.nan)
        adjusted.append(fit.sigma2_u)
        truth.append(p[band])
        theta_true.append(np.arcsin(np.sqrt(p[band])))
        eblup.append(areas.estimate[band])
        theta_hat.append(np.clip(fit.eblup[band], 0.0, np.pi / 2))
        mse.append(fit.mse[band])
        g1.append(fit.g1[band])
        direct.append(share[band])
    t, e, th, m, g, d = (np.concatenate(v) for v in (truth, eblup, theta_hat, mse, g1, direct))
    spread = float(np.concatenate(theta_true).var())
    lines = [
        "| estimator | mean relative error (SE) | mean error / mean truth |",
        "|---|---:|---:|",
    ]

    def corrected(variance: np.ndarray) -> np.ndarray:
        return (1 - np.cos(2 * th) * np.exp(-2 * variance)) / 2

    for name, estimate in (
        ("EBLUP, back-transformed with g1 (published)", e),
        ("EBLUP, back-transformed with its MSE m (published before)", corrected(m)),
        ("EBLUP, sin²(θ̂): no back-transform correction", corrected(0 * m)),
        ("direct p̂", d),
        ("the mean true rate of the band, every time", np.full_like(t, t.mean())),
    ):
        relative = pd.Series((estimate - t) / t)
        ratio = 100 * (estimate - t).mean() / t.mean()
        lines.append(f"| {name} | {_mean_se(relative)} | {ratio:+.1f} % |")
    lines += [
        "",
        f"σ²_u (θ scale): true variance of θ over the draws {spread:.2e}; adjusted REML mean "
        f"{np.mean(adjusted):.2e} (median {np.median(adjusted):.2e}); plain REML mean "
        f"{np.nanmean(reml):.2e} (zero in {100 * np.nanmean(np.array(reml) < 1e-10):.0f} % of "
        f"the fits, {int(np.isnan(reml).sum())} of {draws} not converged). "
        f"Band: mean MSE m {m.mean():.2e}, mean g1 {g.mean():.2e}.",
    ]
    return lines


def _yoshimori_lahiri(y: np.ndarray, x: np.ndarray, psi: np.ndarray) -> tuple[float, int]:
    """σ²_u maximising ``log h(σ²) + l_R(σ²)``, ``h = arctan(Σ σ²/(σ² + ψ))^(1/m)``
    (Yoshimori and Lahiri, 2014): positive like Li–Lahiri's, with a smaller upward bias."""
    from scipy.optimize import minimize_scalar

    from analysis.sae.fay_herriot import _restricted_loglik

    def minus(s: float) -> float:
        sigma2 = float(np.exp(s))
        adjust = np.log(np.arctan(np.sum(sigma2 / (sigma2 + psi)))) / y.size
        return -(adjust + _restricted_loglik(sigma2, y, x, psi))

    low = float(np.log(1e-8 * np.median(psi)))
    high = float(np.log(10.0 * (np.var(y) + np.max(psi))))
    found = minimize_scalar(minus, bounds=(low, high), method="bounded", options={"xatol": 1e-6})
    return float(np.exp(found.x)), int(found.nfev)


def sigma2_methods(draws: int, rates: tuple[float, ...], seed: int) -> list[str]:
    """Bias and coverage of the EBLUP by band with σ²_u by adjusted REML (the pipeline's) or
    by Yoshimori–Lahiri's adjustment, the same draws as :func:`model_only` (module-level
    replacement of the estimator, for this experiment only)."""
    import analysis.sae.fay_herriot as fay_herriot
    from analysis.sae.arcsine import fit_proportions

    respondents = np.array([40, 54, 69, 89, 113, 150, 196, 253, 335, 439, 566, 694], float)
    n_eff = np.round(respondents / 1.6)
    lines = [
        "| σ²_u | true rate | respondents | mean σ²_u | mean relative error (SE) "
        "| mean error / mean truth | coverage of 95 % intervals |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    pipeline = fay_herriot._adjusted_reml
    for name, method in (("adjusted REML", pipeline), ("Yoshimori–Lahiri", _yoshimori_lahiri)):
        fay_herriot._adjusted_reml = method  # type: ignore[assignment]
        try:
            for rate in rates:
                rng = np.random.default_rng(seed)
                logit = np.log(rate / (1 - rate))
                fits = []
                for _ in range(draws):
                    p = 1 / (1 + np.exp(-(logit + rng.normal(0, 0.35, respondents.size))))
                    share = rng.binomial(n_eff.astype(int), p) / n_eff
                    fits.append((p, fit_proportions(share, n_eff, np.zeros((12, 0)), ())))
                sigma2 = np.mean([areas.fit.sigma2_u for _, areas in fits])
                for low, high in ((30, 100), (100, 300)):
                    band = (respondents >= low) & (respondents < high)
                    t = np.concatenate([p[band] for p, _ in fits])
                    e = np.concatenate([a.estimate[band] for _, a in fits])
                    lo = np.concatenate([a.low[band] for _, a in fits])
                    hi = np.concatenate([a.high[band] for _, a in fits])
                    lines.append(
                        f"| {name} | {100 * rate:g} % | {low}–{high - 1} | {sigma2:.2e} | "
                        f"{_mean_se(pd.Series((e - t) / t))} | "
                        f"{100 * (e - t).mean() / t.mean():+.1f} % | "
                        f"{100 * np.mean((lo <= t) & (t <= hi)):.1f} % |"
                    )
        finally:
            fay_herriot._adjusted_reml = pipeline  # type: ignore[assignment]
    return lines


if __name__ == "__main__":
    main()
