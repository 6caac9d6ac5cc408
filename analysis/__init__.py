"""Survey statistics for Vigie: weighting, variance, estimators, small areas, release rules.

The notebook API, in R ``survey``'s vocabulary (docs/statistics.md, "In a notebook")::

    import analysis as sv

    des = sv.svydesign(df, ids="dnum", weights="pw", fpc="fpc")
    raked = des.rake({"stype": {"E": 4421, "H": 755, "M": 1018}})
    sv.svymean(raked, "api00", by="stype")  # or raked.mean("api00", by="stype")

Names are imported on first use (``__getattr__``), so ``import analysis`` loads neither
pandas nor scipy.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "SurveyDesign": "analysis.survey.design",
    "svydesign": "analysis.survey.design",
    "svrepdesign": "analysis.survey.design",
    "svymean": ("analysis.survey.estimates", "mean"),
    "svytotal": ("analysis.survey.estimates", "total"),
    "svyratio": ("analysis.survey.estimates", "ratio"),
    "svyciprop": ("analysis.survey.estimates", "proportion"),
    "mean": "analysis.survey.estimates",
    "total": "analysis.survey.estimates",
    "ratio": "analysis.survey.estimates",
    "proportion": "analysis.survey.estimates",
    "ReleaseRules": "analysis.quality.release_rules",
    "assess": "analysis.quality.release_rules",
    "rake": "analysis.weighting.raking",
    "calibrate": "analysis.weighting.calibration",
    "fit_fay_herriot": "analysis.sae.fay_herriot",
    "fit_proportions": "analysis.sae.arcsine",
    "korn_graubard_interval": "analysis.estimators.intervals",
    "logit_interval": "analysis.estimators.intervals",
    "proportion_interval": "analysis.estimators.intervals",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    module, attribute = target if isinstance(target, tuple) else (target, name)
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
