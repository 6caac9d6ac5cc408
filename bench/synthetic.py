"""A synthetic population of municipalities and respondents for the pipeline benchmark.

    from bench.synthetic import make_synthetic   (or run bench/pipeline.py)

Municipalities get invented 15+ populations (log-normal, a few large ones and many small ones)
and census margins (age group × gender, household size, first official language) with shares
that vary between municipalities. Respondents are drawn with an age-dependent response
propensity (the young answer least) and spread over municipalities roughly like the
population's square root, so that many municipalities have few respondents and some none.
Indicators: ``percent_k`` (yes/no, probability depending on age group and language) and
``rate_k`` (incident counts, negative binomial with a long tail, per 1,000). Every number is
invented; nothing here describes a real municipality.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from questionnaire.definition.model import Indicator, IndicatorUnit, Survey
from questionnaire.loader import load_survey

AGES = ("a15_24", "a25_44", "a45_64", "a65_plus")
GENDERS = ("woman", "man")
HOUSEHOLDS = ("p1", "p2", "p3_plus")
LANGUAGES = ("french", "english", "both", "neither")
PROPENSITY = np.array([0.3, 0.7, 1.0, 1.4])
SURVEY_FILE = Path(__file__).resolve().parent.parent / "survey_defs" / "victimisation.yaml"
LABEL = {"fr": "Indicateur synthétique", "en": "Synthetic indicator"}


@dataclass(frozen=True)
class Synthetic:
    """Respondent table, benchmark table and questionnaire, ready for estimate_from_frames."""

    respondents: pd.DataFrame
    benchmarks: pd.DataFrame
    survey: Survey


def synthetic_survey(indicators: int) -> Survey:
    """The victimisation questionnaire with ``indicators`` synthetic indicators (1 in 5 a rate)."""
    survey = load_survey(SURVEY_FILE)
    declared = []
    for k in range(indicators):
        rate = k % 5 == 4
        declared.append(
            Indicator(
                name=f"rate_{k}" if rate else f"percent_{k}",
                label=LABEL,
                unit=IndicatorUnit.PER_1000 if rate else IndicatorUnit.PERCENT,
                numerator="true",
                denominator="true",
            )
        )
    return survey.model_copy(update={"indicators": declared})


def _benchmarks(rng: np.random.Generator, municipalities: int) -> tuple[pd.DataFrame, dict]:
    population = np.exp(rng.normal(8.0, 1.4, municipalities)).round() + 200
    ages = rng.dirichlet([5, 12, 13, 10], municipalities)
    women = np.clip(rng.normal(0.51, 0.015, municipalities), 0.45, 0.56)
    households = rng.dirichlet([4, 6, 7], municipalities)
    languages = rng.dirichlet([20, 4, 1.5, 0.8], municipalities)
    codes = np.array([f"9{m:06d}" for m in range(municipalities)])
    frames = []
    cells = ages[:, :, None] * np.stack([women, 1 - women], axis=1)[:, None, :]
    crossed = [f"{a}*{g}" for a in AGES for g in GENDERS]
    for variable, categories, shares in (
        ("age_group*gender", crossed, cells.reshape(municipalities, -1)),
        ("household_size", HOUSEHOLDS, households),
        ("language_spoken", LANGUAGES, languages),
    ):
        k = len(categories)
        frames.append(
            pd.DataFrame(
                {
                    "municipality": np.repeat(codes, k),
                    "municipality_name": np.repeat([f"Synthétique {c}" for c in codes], k),
                    "variable": variable,
                    "category": np.tile(categories, municipalities),
                    "count": (shares * population[:, None]).round().ravel(),
                }
            )
        )
    parts = {
        "codes": codes,
        "population": population,
        "cells": cells,
        "households": households,
        "languages": languages,
    }
    return pd.concat(frames, ignore_index=True), parts


def make_synthetic(
    respondents: int = 50_000, municipalities: int = 1_100, indicators: int = 10, seed: int = 1
) -> Synthetic:
    """The synthetic population (see the module docstring)."""
    rng = np.random.default_rng(seed)
    benchmarks, parts = _benchmarks(rng, municipalities)
    share = np.sqrt(parts["population"])
    share[rng.random(municipalities) < 0.03] = 0.0  # a few municipalities without respondents
    municipality = rng.choice(municipalities, respondents, p=share / share.sum())
    cells = parts["cells"].reshape(municipalities, -1) * np.repeat(PROPENSITY, 2)[None, :]
    cumulative = np.cumsum(cells / cells.sum(axis=1, keepdims=True), axis=1)[municipality]
    cell = (cumulative < rng.random(respondents)[:, None]).sum(axis=1).clip(max=7)
    age, gender = cell // 2, cell % 2
    house = _draw(rng, parts["households"][municipality])
    language = _draw(rng, parts["languages"][municipality])
    frame = pd.DataFrame(
        {
            "response_id": [f"s{i:07d}" for i in range(respondents)],
            "channel": np.where(rng.random(respondents) < 0.35, "telegram", "web"),
            "municipality": parts["codes"][municipality],
            "age_group": np.array(AGES, dtype=object)[age],
            "gender": np.array(GENDERS, dtype=object)[gender],
            "household_size": np.array(HOUSEHOLDS, dtype=object)[house],
            "language_spoken": np.array(LANGUAGES, dtype=object)[language],
        }
    ).astype(object)
    missing = rng.random((respondents, 3)) < [0.02, 0.03, 0.02]
    frame.loc[missing[:, 0], "gender"] = "another_gender"
    frame.loc[missing[:, 1], "household_size"] = None
    frame.loc[missing[:, 2], "age_group"] = None
    survey = synthetic_survey(indicators)
    columns: dict[str, np.ndarray] = {}
    for k, indicator in enumerate(survey.indicators):
        answered = rng.random(respondents) > 0.05
        if indicator.unit is IndicatorUnit.PERCENT:
            p = 0.05 + 0.04 * (k % 4) + 0.12 * (3 - age) / 3 + 0.05 * (language == 1)
            value = (rng.random(respondents) < p).astype(float)
        else:
            value = rng.negative_binomial(0.3, 0.3 / (0.3 + 0.2 * (4 - age)), respondents)
        columns[f"num:{indicator.name}"] = np.where(answered, value, np.nan)
        columns[f"den:{indicator.name}"] = np.where(answered, 1.0, np.nan)
    frame = pd.concat([frame, pd.DataFrame(columns)], axis=1)
    return Synthetic(frame, benchmarks, survey)


def _draw(rng: np.random.Generator, shares: np.ndarray) -> np.ndarray:
    """One category per row of ``shares`` (rows sum to 1)."""
    cumulative = np.cumsum(shares, axis=1)
    draws = rng.random((shares.shape[0], 1))
    return np.minimum((cumulative < draws).sum(axis=1), shares.shape[1] - 1)
