"""Ready-to-run R and Stata code that reproduces a run's direct estimates from an export.

Vigie's variance of an estimate θ is the Rao–Wu bootstrap's
``V = (1/R) Σ_r (θ_r − θ)²``: deviations from the full-sample estimate (not from the mean of
the replicates), divided by R (docs/statistics.md). In R that is ``svrepdesign(type =
"bootstrap", scale = 1/R, rscales = 1, mse = TRUE)``; in Stata ``svyset ... bsrweight(...)
vce(bootstrap) mse`` (``bsn(1)``, the default, divides by R). Every indicator is a ratio of
weighted sums, ``m × Σ w·n / Σ w·d`` (m = 100 for a percent, 1,000 per 1,000), with the
respondent's numerator and denominator in the ``n_`` and ``d_`` columns (series counts
already capped as the run capped them). The design degrees of freedom of a municipality are
its respondents minus one (the Korn–Graubard interval of a percent uses them).

The snippets say the run's own figure for their example, so the reader can compare. Model-
based estimates (EBLUP, synthetic) of small municipalities are not reproduced by a design-
based ratio: the example is a direct one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    """One direct estimate of the run, and how to select its domain in the export."""

    indicator: str
    multiplier: float
    municipality_code: str
    municipality_export: int
    estimate: float
    se: float
    n: int


READERS_R = {
    "csv": 'respondents <- read.csv("respondents.csv")',
    "parquet": 'respondents <- as.data.frame(arrow::read_parquet("respondents.parquet"))',
    "sav": 'respondents <- as.data.frame(haven::zap_labels(haven::read_sav("respondents.sav")))',
    "dta": 'respondents <- as.data.frame(haven::zap_labels(haven::read_dta("respondents.dta")))',
}
READERS_STATA = {
    "csv": "import delimited using respondents.csv, clear case(preserve)",
    "parquet": "* Stata does not read Parquet: take the Stata (.dta) or CSV export for Stata.",
    "sav": "import spss using respondents.sav, clear",
    "dta": "use respondents.dta, clear",
}


def r_snippet(
    survey_id: str, run_id: int, replicates: int, fmt: str, example: Example | None
) -> str:
    """``svrepdesign.R``: the replicate design and one of the run's estimates."""
    width = len(str(replicates))
    lines = [
        f"# Vigie: questionnaire {survey_id}, estimate run {run_id}, "
        f"{replicates} bootstrap replicates.",
        "# V = (1/R) sum_r (theta_r - theta)^2: scale = 1/R, rscales = 1, mse = TRUE.",
        "library(survey)",
        READERS_R[fmt],
        "design <- svrepdesign(",
        "  data = respondents,",
        "  weights = ~final_weight,",
        f'  repweights = "^rw_[0-9]{{{width}}}$",',
        '  type = "bootstrap",',
        f"  scale = 1 / {replicates},",
        "  rscales = 1,",
        "  mse = TRUE,",
        "  combined.weights = TRUE",
        ")",
    ]
    if example is not None:
        ind = example.indicator
        lines += [
            f"# {ind} in municipality {example.municipality_code} "
            f"(municipality == {example.municipality_export}), a direct estimate.",
            f"# Vigie's run: estimate {example.estimate:.4f}, "
            f"SE {example.se:.4f}, n = {example.n}.",
            f"domain <- subset(design, municipality == {example.municipality_export} "
            f"& !is.na(d_{ind}))",
            f"ratio <- svyratio(~n_{ind}, ~d_{ind}, domain)",
            f"print(c(estimate = {example.multiplier:g} * coef(ratio), "
            f"se = {example.multiplier:g} * SE(ratio)))",
        ]
    return "\n".join(lines) + "\n"


def stata_snippet(
    survey_id: str, run_id: int, replicates: int, fmt: str, example: Example | None
) -> str:
    """``svyset.do``: the replicate design and one of the run's estimates."""
    width = len(str(replicates))
    last = f"rw_{replicates:0{width}d}"
    first = f"rw_{1:0{width}d}"
    lines = [
        f"* Vigie: questionnaire {survey_id}, estimate run {run_id}, "
        f"{replicates} bootstrap replicates.",
        "* V = (1/R) sum_r (theta_r - theta)^2: bootstrap replicate weights, bsn(1), mse.",
        READERS_STATA[fmt],
    ]
    if example is None:
        lines.append(
            f"svyset [pweight=final_weight], bsrweight({first}-{last}) vce(bootstrap) bsn(1) mse"
        )
        return "\n".join(lines) + "\n"
    ind = example.indicator
    lines += [
        f"* {ind} in municipality {example.municipality_code} "
        f"(municipality == {example.municipality_export}), a direct estimate.",
        f"* Vigie's run: estimate {example.estimate:.4f}, SE {example.se:.4f}, n = {example.n}.",
        "* Design degrees of freedom of a municipality: its respondents minus one.",
        f"quietly count if municipality == {example.municipality_export} "
        f"& !missing(d_{ind}) & final_weight > 0",
        "local dof = r(N) - 1",
        f"svyset [pweight=final_weight], bsrweight({first}-{last}) vce(bootstrap) bsn(1) mse "
        "dof(`dof')",
        f"svy, subpop(if municipality == {example.municipality_export}): "
        f"ratio (ind: n_{ind} / d_{ind})",
        f"nlcom {example.multiplier:g} * _b[ind]",
    ]
    return "\n".join(lines) + "\n"
