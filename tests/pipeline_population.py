"""A synthetic population whose truth is known, for the pipeline tests (tests/analysis).

Municipalities have census margins (age group × gender, household size, language); the
indicator ``victimised`` depends on the age group only (``PREVALENCE``) and the incident count
``incidents`` is Poisson with an age-dependent mean (``INCIDENCE``). Respondents answer with an
age-dependent propensity (``PROPENSITY``: the young answer least), so unweighted estimates are
biased and estimates weighted to the age margin are not. The true value of a municipality is
the expectation under the model, ``sum_cells N_cell p_age / N``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.loader import denominator_column, numerator_column
from questionnaire.definition.model import Indicator, IndicatorUnit, Survey
from questionnaire.loader import load_survey

AGES = ("a15_24", "a25_44", "a45_64", "a65_plus")
GENDERS = ("woman", "man")
HOUSEHOLDS = ("p1", "p2", "p3_plus")
LANGUAGES = ("french", "english", "both", "neither")
PREVALENCE = np.array([0.40, 0.25, 0.15, 0.08])
INCIDENCE = np.array([0.9, 0.5, 0.3, 0.15])
PROPENSITY = np.array([0.25, 0.6, 1.0, 1.6])
SURVEY_DEFS = Path(__file__).resolve().parents[1] / "survey_defs"
BOTH = {"fr": "Indicateur de test", "en": "Test indicator"}


@dataclass(frozen=True)
class Population:
    """Respondents, benchmarks, the questionnaire, and the truth per municipality."""

    respondents: pd.DataFrame
    benchmarks: pd.DataFrame
    survey: Survey
    truth: dict[str, dict[str, float]]


def synthetic_survey() -> Survey:
    """perceived_safety with two synthetic indicators (a percent and a rate per 1,000)."""
    survey = load_survey(SURVEY_DEFS / "perceived_safety.yaml")
    indicators = [
        Indicator(
            name="victimised",
            label=BOTH,
            unit=IndicatorUnit.PERCENT,
            numerator="true",
            denominator="true",
        ),
        Indicator(
            name="incidents",
            label=BOTH,
            unit=IndicatorUnit.PER_1000,
            numerator="1",
            denominator="true",
        ),
    ]
    return survey.model_copy(update={"indicators": indicators})


def make_population(
    sizes: tuple[int, ...] = (300, 250, 200, 150, 60, 12),
    *,
    empty: int = 1,
    seed: int = 7,
) -> Population:
    """Municipalities with ``sizes`` respondents each plus ``empty`` without any respondent."""
    rng = np.random.default_rng(seed)
    bench_rows: list[dict[str, object]] = []
    people: list[dict[str, object]] = []
    truth: dict[str, dict[str, float]] = {}
    for m, size in enumerate((*sizes, *(0,) * empty)):
        code = f"24990{m:02d}"
        population = float(rng.integers(5_000, 60_000))
        age_share = rng.dirichlet([6, 12, 12, 9])
        cells = np.outer(age_share, [0.51, 0.49]) * population
        households = rng.dirichlet([4, 6, 7]) * population
        languages = rng.dirichlet([20, 6, 2, 1]) * population
        for a, age in enumerate(AGES):
            for g, gender in enumerate(GENDERS):
                bench_rows.append(_bench(code, "age_group*gender", f"{age}*{gender}", cells[a, g]))
        for h, value in enumerate(households):
            bench_rows.append(_bench(code, "household_size", HOUSEHOLDS[h], value))
        for lang, value in enumerate(languages):
            bench_rows.append(_bench(code, "language_spoken", LANGUAGES[lang], value))
        ages_total = cells.sum(axis=1)
        truth[code] = {
            "victimised": 100 * float(ages_total @ PREVALENCE) / population,
            "incidents": 1000 * float(ages_total @ INCIDENCE) / population,
        }
        draw = (cells * PROPENSITY[:, None]).ravel()
        picks = rng.choice(draw.size, size=size, p=draw / draw.sum())
        for pick in picks:
            a, g = divmod(int(pick), 2)
            people.append(
                {
                    "age": a,
                    "municipality": code,
                    "age_group": AGES[a],
                    "gender": GENDERS[g],
                    "household_size": HOUSEHOLDS[rng.choice(3, p=households / population)],
                    "language_spoken": LANGUAGES[rng.choice(4, p=languages / population)],
                }
            )
    frame = pd.DataFrame(people)
    n = len(frame)
    age = frame.pop("age").to_numpy()
    frame.insert(0, "response_id", [f"r{i:05d}" for i in range(n)])
    frame.insert(1, "channel", np.where(rng.random(n) < 0.3, "telegram", "web"))
    frame[numerator_column("victimised")] = (rng.random(n) < PREVALENCE[age]).astype(float)
    frame[denominator_column("victimised")] = 1.0
    frame[numerator_column("incidents")] = rng.poisson(INCIDENCE[age]).astype(float)
    frame[denominator_column("incidents")] = 1.0
    return Population(
        frame.astype({"municipality": object}), pd.DataFrame(bench_rows), synthetic_survey(), truth
    )


def _bench(code: str, variable: str, category: str, count: float) -> dict[str, object]:
    return {
        "municipality": code,
        "municipality_name": f"Test {code}",
        "variable": variable,
        "category": category,
        "count": float(round(count)),
    }
