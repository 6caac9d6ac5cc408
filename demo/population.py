"""The demonstration population: who answers the demo survey, with a deliberate self-selection bias.

An opt-in survey spread by community organisations does not reach everyone alike. The demo
respondents reproduce that on purpose, so that weighting visibly matters (docs/demo.md):

- **municipality**: in proportion to the benchmarks' population aged 15+, except that
  Sherbrooke counts :data:`SHERBROOKE_BOOST` times (a tenants' association recruits there) and
  the small municipalities (fewer than :data:`SMALL_POPULATION` people aged 15+, the invented
  ``2499901``-``2499906``) get fixed small shares (:data:`SMALL_SHARES`, largest first): a
  handful of respondents, some none, so that small-area estimates show up; a few say "another
  municipality" (:data:`OTHER_SHARE`) or skip the question (:data:`SKIP_SHARE`);
- **age group**: :data:`AGE_GROUP_SHARES` (15-24 under-represented, 45+ over-represented, against
  12.5 / 30.4 / 32.6 / 24.5 % in the population); a few are under 15 (:data:`UNDER_15_SHARE`)
  and are screened out;
- **gender**: :data:`GENDER_SHARES` (women over-represented);
- **household size** and **first official language**: the municipality's benchmark shares.

The answer *language* follows the official language spoken; the channel is Telegram for
:data:`TELEGRAM_SHARE` of respondents. A few perception answers depend on the profile
(:mod:`demo.answers`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pandas as pd

#: Municipalities with fewer people aged 15+ than this count as small.
SMALL_POPULATION = 10_000
#: Shares of the sample given to the small municipalities, the most populous first.
SMALL_SHARES = (0.010, 0.005, 0.002, 0.001, 0.0, 0.0)
#: Sherbrooke's weight in the draw is multiplied by this (the tenants' association's campaign).
SHERBROOKE = "2443027"
SHERBROOKE_BOOST = 3.0
#: Shares answering "another municipality", and skipping the question.
OTHER_SHARE = 0.02
SKIP_SHARE = 0.01
#: Age groups of the respondents (the population's: 12.5 / 30.4 / 32.6 / 24.5 %).
AGE_GROUP_SHARES = {"a15_24": 0.05, "a25_44": 0.25, "a45_64": 0.40, "a65_plus": 0.30}
AGE_RANGES = {"a15_24": (15, 24), "a25_44": (25, 44), "a45_64": (45, 64), "a65_plus": (65, 89)}
#: Share of respondents younger than 15 (screened out by the questionnaires).
UNDER_15_SHARE = 0.02
#: Gender answers of the respondents (the population: about half women).
GENDER_SHARES = {"woman": 0.64, "man": 0.33, "another_gender": 0.015, "prefer_not": 0.015}
TELEGRAM_SHARE = 0.20
#: Share answering in English among those whose first official language is not English.
ENGLISH_OTHERWISE = 0.05

AGE_GENDER = "age_group*gender"
HOUSEHOLD = "household_size"
LANGUAGE = "language_spoken"


@dataclass(frozen=True)
class Municipality:
    """One municipality of the demo population, from its benchmarks."""

    code: str
    name: str
    population: float
    household_shares: dict[str, float]
    language_shares: dict[str, float]


@dataclass(frozen=True)
class DemoPopulation:
    """The municipalities respondents come from, and how often each is drawn."""

    municipalities: dict[str, Municipality]
    #: Municipality code (or ``"other"``, or ``""`` for a skipped answer) -> drawing weight.
    draw_weights: dict[str, float]


@dataclass(frozen=True)
class Profile:
    """One demo respondent's demographic answers, channel and language."""

    age: int
    #: A gender code, or ``"prefer_not"``.
    gender: str
    #: A municipality code, ``"other"``, or ``""`` (skipped).
    municipality: str
    household_size: str
    language_spoken: str
    channel: str
    language: str

    @property
    def age_group(self) -> str:
        """The census age group of :data:`AGE_RANGES` (``"under_15"`` below 15)."""
        for group, (low, high) in AGE_RANGES.items():
            if low <= self.age <= high:
                return group
        return "under_15" if self.age < 15 else "a65_plus"


def _shares(frame: pd.DataFrame, variable: str) -> dict[str, float]:
    rows = frame[frame["variable"] == variable]
    total = float(rows["count"].sum())
    if total <= 0:
        return {}
    return {str(c): float(n) / total for c, n in zip(rows["category"], rows["count"], strict=True)}


def build_population(benchmarks: pd.DataFrame, codes: list[str]) -> DemoPopulation:
    """The demo population of the municipalities ``codes`` that have benchmarks.

    ``benchmarks`` has the columns of :func:`analysis.loader.load_benchmark_frame`
    (``municipality``, ``municipality_name``, ``variable``, ``category``, ``count``).
    The drawing weights follow the rules of the module docstring and add up to 1.
    """
    municipalities: dict[str, Municipality] = {}
    for code in codes:
        rows = benchmarks[benchmarks["municipality"] == code]
        population = float(rows.loc[rows["variable"] == AGE_GENDER, "count"].sum())
        if population <= 0:
            continue
        name = str(rows["municipality_name"].iloc[0]) or code
        municipalities[code] = Municipality(
            code, name, population, _shares(rows, HOUSEHOLD), _shares(rows, LANGUAGE)
        )
    large = {c: m.population for c, m in municipalities.items() if m.population >= SMALL_POPULATION}
    small = sorted(
        (c for c in municipalities if c not in large),
        key=lambda c: (-municipalities[c].population, c),
    )
    small_weights = {
        c: SMALL_SHARES[i] if i < len(SMALL_SHARES) else 0.0 for i, c in enumerate(small)
    }
    if SHERBROOKE in large:
        large[SHERBROOKE] *= SHERBROOKE_BOOST
    rest = 1.0 - OTHER_SHARE - SKIP_SHARE - sum(small_weights.values())
    total_large = sum(large.values()) or 1.0
    weights = {c: rest * p / total_large for c, p in large.items()}
    weights.update(small_weights)
    weights["other"] = OTHER_SHARE
    weights[""] = SKIP_SHARE
    return DemoPopulation(municipalities, weights)


def _pick(shares: dict[str, float], rng: random.Random, default: str) -> str:
    if not shares or sum(shares.values()) <= 0:
        return default
    codes = list(shares)
    return rng.choices(codes, weights=[shares[c] for c in codes])[0]


def draw_profile(population: DemoPopulation, rng: random.Random) -> Profile:
    """One respondent drawn from the (biased) demo population."""
    municipality = _pick(population.draw_weights, rng, "other")
    place = population.municipalities.get(municipality)
    if rng.random() < UNDER_15_SHARE:
        age = rng.randint(12, 14)
    else:
        low, high = AGE_RANGES[_pick(AGE_GROUP_SHARES, rng, "a45_64")]
        age = rng.randint(low, high)
    household = _pick(place.household_shares if place else {}, rng, "p2")
    language_spoken = _pick(place.language_shares if place else {}, rng, "french")
    english = language_spoken == "english" or rng.random() < ENGLISH_OTHERWISE
    return Profile(
        age=age,
        gender=_pick(GENDER_SHARES, rng, "woman"),
        municipality=municipality,
        household_size=household,
        language_spoken=language_spoken,
        channel="telegram" if rng.random() < TELEGRAM_SHARE else "web",
        language="en" if english else "fr",
    )
