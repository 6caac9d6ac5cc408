"""What the weighting did in each municipality, in words (the ``weighting`` column).

One text per municipality with benchmarks, in French or English: raked to which margins (and
which margins lost cells to collapsing), or post-stratified to the total (too few respondents,
or raking did not converge); how many missing weighting answers were imputed; whether weights
were trimmed and whether the cap then held.
"""

from __future__ import annotations

import numpy as np

from analysis.pipeline.messages import render
from analysis.pipeline.plan import WeightingPlan
from analysis.pipeline.weighting import FullSampleWeights, WeightingSettings


def municipal_texts(
    plan: WeightingPlan,
    full: FullSampleWeights,
    settings: WeightingSettings,
    min_respondents_to_rake: int,
    language: str,
) -> list[str]:
    """The weighting text of every municipality of the plan (index 0..D-1)."""
    d = plan.population.size
    imputed = np.zeros(d, dtype=np.intp)
    inside = plan.municipality >= 0
    for margin in plan.margins:
        imputed += np.bincount(plan.municipality[inside & margin.imputed], minlength=d).astype(
            np.intp
        )
    block = full.block
    margin_names = ", ".join(m.name for m in plan.margins)
    texts = []
    for index in range(d):
        respondents = int(plan.respondents[index])
        if respondents == 0:
            texts.append(render("weighting_no_respondents", {}, language))
            continue
        parts: list[str] = []
        if full.not_converged[index]:
            parts.append(render("weighting_not_converged", {}, language))
        elif full.single[index]:
            parts.append(
                render(
                    "weighting_poststratified",
                    {"respondents": respondents, "minimum": min_respondents_to_rake},
                    language,
                )
            )
        else:
            parts.append(render("weighting_raked", {"margins": margin_names}, language))
            for position, margin in enumerate(plan.margins):
                left = int(block.groups[position, 0, index])
                if left < len(margin.cells):
                    parts.append(
                        render(
                            "weighting_collapsed",
                            {"margin": margin.name, "before": len(margin.cells), "after": left},
                            language,
                        )
                    )
        if imputed[index]:
            parts.append(render("weighting_imputed", {"count": int(imputed[index])}, language))
        if block.trimmed[0, index]:
            parts.append(
                render(
                    "weighting_trimmed",
                    {"ratio": settings.max_weight_ratio, "rounds": block.rounds},
                    language,
                )
            )
        if not block.cap_met[0, index]:
            parts.append(render("weighting_trim_unmet", {"rounds": block.rounds}, language))
        texts.append("; ".join(parts))
    return texts


def excluded_text(code: str, respondents: int, language: str) -> str:
    """The text of respondents left out: municipality without benchmarks, or not stated."""
    if code:
        return render("weighting_no_benchmarks", {"respondents": respondents}, language)
    return render("weighting_unknown_municipality", {"respondents": respondents}, language)
