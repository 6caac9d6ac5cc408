"""The notebook API (``import analysis as sv``) against the values R printed.

References: tests/data/reference/README.md (apiclus1, R 4.2.2 with survey 4.1-1) and
``rake_unequal.txt``, printed by ``rake_unequal.R`` beside it (unequal design weights, domains
as small as one school district).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.survey import design as sv_design
from analysis.survey import estimates as sv_estimates

STYPE = {"E": 4421.0, "H": 755.0, "M": 1018.0}
SCH_WIDE = {"No": 1072.0, "Yes": 5122.0}
COLUMNS = [
    "variable",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "cv",
    "deff",
    "n",
    "effective_n",
]


@pytest.fixture
def api(data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(data_dir / "reference" / "apiclus1.csv")


@pytest.fixture
def unequal(data_dir: Path) -> dict[str, list[list[str]]]:
    """The lines of rake_unequal.txt by their first word."""
    found: dict[str, list[list[str]]] = {}
    for line in (data_dir / "reference" / "rake_unequal.txt").read_text().splitlines():
        name, *values = line.split()
        found.setdefault(name, []).append(values)
    return found


def test_unraked_mean_and_design_effect_match_r(api) -> None:
    design = sv_design.svydesign(api, ids="dnum", weights="pw", fpc="fpc")
    row = sv_estimates.mean(design, "api00").iloc[0]
    assert list(sv_estimates.mean(design, "api00").columns) == COLUMNS
    assert np.isclose(row["estimate"], 644.16939891, rtol=1e-9)
    assert np.isclose(row["se"], 23.54224069, rtol=1e-8)
    assert np.isclose(row["deff"], 9.34587, rtol=1e-5)
    assert np.isclose(row["effective_n"], 183 / row["deff"])


def test_raking_returns_a_new_design_and_matches_r(api) -> None:
    design = sv_design.svydesign(api, ids="dnum", weights="pw", fpc="fpc")
    raked = design.rake({"stype": STYPE, "sch.wide": SCH_WIDE})
    assert np.allclose(design.weights, api["pw"])  # the original is untouched
    mean = raked.mean("api00").iloc[0]
    assert np.isclose(mean["estimate"], 641.230320927, rtol=1e-9)
    assert np.isclose(mean["se"], 23.7036168879, rtol=1e-8)
    enroll = raked.total("enroll").iloc[0]
    assert np.isclose(enroll["estimate"], 3647280.14807, rtol=1e-9)
    assert np.isclose(enroll["se"], 400603.256862, rtol=1e-8)
    by = raked.mean("api00", by="stype").set_index("stype")
    assert np.allclose(by["estimate"], [647.446579228, 621.291861055, 629.021538267], rtol=1e-9)
    assert np.allclose(by["se"], [22.8084121941, 36.7431448778, 29.9628809591], rtol=1e-8)
    both = raked.proportion("both", "Yes").iloc[0]
    assert np.isclose(both["estimate"], 0.6801575413, rtol=1e-9)
    assert np.isclose(both["se"], 0.01616, atol=5e-6)


def test_raked_design_with_unequal_weights_and_small_domains_matches_r_rake(api, unequal) -> None:
    api = api.assign(w=api["pw"] * (1 + (api["snum"] % 3) / 2))
    design = sv_design.svydesign(api, ids="dnum", weights="w", fpc="fpc")
    raked = design.rake({"stype": STYPE, "sch.wide": SCH_WIDE})
    (mean,) = unequal["mean_api00"]
    row = raked.mean("api00").iloc[0]
    assert np.allclose([row["estimate"], row["se"]], np.array(mean, float), rtol=1e-9)
    (total,) = unequal["total_enroll"]
    row = raked.total("enroll").iloc[0]
    assert np.allclose([row["estimate"], row["se"]], np.array(total, float), rtol=1e-9)
    by = raked.mean("api00", by="dnum").set_index("dnum")
    expected = pd.DataFrame(unequal["by_dnum"], columns=["dnum", "estimate", "se"]).astype(float)
    expected = expected.set_index(expected["dnum"].astype(int))
    assert np.allclose(by["estimate"], expected["estimate"], rtol=1e-9)
    assert np.allclose(by["se"], expected["se"], rtol=1e-6, atol=1e-9)
    assert by["n"].min() <= 2  # some domains are a school or two
    stype = raked.mean("api00", by="stype").set_index("stype")
    reference = {k: (float(e), float(s)) for k, e, s in unequal["by_stype"]}
    for level, (estimate, se) in reference.items():
        assert np.isclose(stype.loc[level, "estimate"], estimate, rtol=1e-9)
        assert np.isclose(stype.loc[level, "se"], se, rtol=1e-6)
    (prop,) = unequal["prop_both"]
    row = raked.proportion("both", "Yes").iloc[0]
    assert np.allclose([row["estimate"], row["se"]], np.array(prop, float), rtol=1e-8)
    (unraked,) = unequal["unraked_mean_api00"]
    row = design.mean("api00").iloc[0]
    assert np.allclose([row["estimate"], row["se"]], np.array(unraked, float), rtol=1e-9)


def test_jk1_replicates_redo_the_raking_as_r(api) -> None:
    design = sv_design.svydesign(api, ids="dnum", weights="pw", fpc="fpc").as_replicate("JK1")
    raked = design.rake({"stype": STYPE, "sch.wide": SCH_WIDE})
    mean = raked.mean("api00").iloc[0]
    assert np.isclose(mean["estimate"], 641.230320927, rtol=1e-9)
    assert np.isclose(mean["se"], 26.8739804355, rtol=1e-8)
    enroll = raked.total("enroll").iloc[0]
    assert np.isclose(enroll["se"], 463582.186211, rtol=1e-8)


def test_supplied_replicate_weights_give_the_same_figures(api) -> None:
    jk = sv_design.svydesign(api, ids="dnum", weights="pw", fpc="fpc").as_replicate("JK1")
    assert jk.replicates is not None
    columns = {f"rep{r}": jk.replicates.weights[r] for r in range(jk.replicates.replicates)}
    supplied = api.assign(**columns)
    design = sv_design.svrepdesign(
        supplied,
        weights="pw",
        repweights="^rep",
        type="JK1",
        scale=jk.replicates.scale,
        mse=False,
    )
    ours = design.mean("api00", by="stype")
    theirs = jk.mean("api00", by="stype")
    assert np.allclose(ours["se"], theirs["se"], rtol=1e-12)


def test_proportion_intervals_logit_matches_r_and_korn_graubard_is_the_default(api) -> None:
    design = sv_design.svydesign(api, ids="dnum", weights="pw", fpc="fpc")
    logit = design.proportion("sch.wide", "Yes", method="logit").iloc[0]
    assert np.isclose(logit["estimate"], 0.8743169399, rtol=1e-9)
    assert np.allclose(
        [logit["ci_low"], logit["ci_high"]], [0.823798892379, 0.911900077021], rtol=1e-9
    )
    beta = design.proportion("sch.wide", "Yes").iloc[0]
    assert beta["ci_low"] < beta["estimate"] < beta["ci_high"]
    assert beta["ci_low"] != logit["ci_low"]


def test_calibrate_and_trim_return_new_designs(api) -> None:
    design = sv_design.svydesign(api, ids="dnum", weights="pw", fpc="fpc")
    population = {"(Intercept)": 6194.0, "api99": 6194.0 * 630.0}
    calibrated = design.calibrate(["api99"], population)
    assert np.isclose(calibrated.weights.sum(), 6194.0)
    assert np.isclose(calibrated.weights @ api["api99"], 6194.0 * 630.0)
    loose = calibrated.trim(upper=float(np.quantile(calibrated.weights, 0.9)))
    assert np.isclose(loose.weights.sum(), calibrated.weights.sum())
    trimmed = calibrated.trim(upper=float(np.quantile(calibrated.weights, 0.9)), strict=True)
    assert np.isclose(trimmed.weights.sum(), calibrated.weights.sum())
    assert trimmed.weights.max() <= np.quantile(calibrated.weights, 0.9) + 1e-9
    assert not np.allclose(trimmed.weights, calibrated.weights)


def test_importing_analysis_loads_neither_scipy_stats_nor_pandas() -> None:
    # In a fresh interpreter (the test runner's own ``analysis`` is this test folder).
    code = (
        "import sys, analysis\n"
        "print('scipy.stats' in sys.modules, 'pandas' in sys.modules)\n"
        "from analysis.survey import design, estimates\n"
        "print(analysis.svydesign is design.svydesign, analysis.svymean is estimates.mean)\n"
        "print(sorted(set(analysis.__all__) - set(dir(analysis))))\n"
        "print('scipy.stats' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert out.stdout.split("\n")[:4] == ["False False", "True True", "[]", "False"]
