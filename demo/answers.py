"""Raw answers of demo respondents that follow their profile instead of chance.

Demographic questions get the profile's answers (:mod:`demo.population`). A few
perception answers depend on the profile, so that the estimates have structure:

- feeling unsafe walking alone after dark and dissatisfaction with personal safety grow with a
  propensity ``-2.0 + 1.1 (woman) + 0.4 (65+) - 0.2 (15-24) + 0.8 (Montréal or Trois-Rivières)``
  on the logit scale (about 12 % of men elsewhere feel unsafe, 29 % of women, 47 % in those two
  cities); not walking alone after dark is more frequent at 65+;
- "crime increased over 5 years" is more frequent in the two cities and at 45+.

In the victimisation questionnaire, each screener item is "yes" for :data:`CRIME_RATE` of
respondents (more in the two cities), so that about a quarter report at least one crime, and
counts are mostly 1 or 2. Every other answer is random
(:mod:`questionnaire.simulation.sampling`). All of them go through
:func:`questionnaire.answers.reading.read_answer` like any channel's.
"""

from __future__ import annotations

import math
import random

from demo.population import Profile
from questionnaire.definition.model import QuestionType, Survey
from questionnaire.navigation.prompts import Prompt
from questionnaire.simulation.sampling import RawAnswer

#: The two cities where the demo residents feel less safe.
HOTSPOTS = ("2466023", "2437067")
#: Chance that a respondent answers "yes" to one screener item (x 1.5 in the hotspots).
CRIME_RATE = 0.018
HOTSPOT_CRIME_FACTOR = 1.5
#: Counts of incidents reported by a victim, and how often.
TIMES = {"1": 0.62, "2": 0.2, "3": 0.09, "4": 0.04, "5": 0.03, "8": 0.015, "12": 0.005}
VEHICLE_RATE = 0.8
SCREENER_NOT_ITEMS = ("has_vehicle", "screener_confirm")


def logistic(x: float) -> float:
    """``1 / (1 + e^-x)``."""
    return 1.0 / (1.0 + math.exp(-x))


def unease(profile: Profile) -> float:
    """The logit of feeling unsafe after dark (see the module docstring)."""
    group = profile.age_group
    return (
        -2.0
        + 1.1 * (profile.gender == "woman")
        + 0.4 * (group == "a65_plus")
        - 0.2 * (group == "a15_24")
        + 0.8 * (profile.municipality in HOTSPOTS)
    )


def _weighted(shares: dict[str, float], rng: random.Random) -> str:
    codes = list(shares)
    return rng.choices(codes, weights=[shares[c] for c in codes])[0]


def walk_alone_dark(profile: Profile, rng: random.Random) -> str:
    """Feeling when walking alone after dark."""
    does_not_walk = (
        0.04 + 0.10 * (profile.age_group == "a65_plus") + 0.03 * (profile.gender == "woman")
    )
    if rng.random() < does_not_walk:
        return "does_not_walk"
    if rng.random() < logistic(unease(profile)):
        return "somewhat_unsafe" if rng.random() < 0.7 else "very_unsafe"
    return "very_safe" if rng.random() < 0.4 else "reasonably_safe"


def safety_satisfaction(profile: Profile, rng: random.Random) -> str:
    """Satisfaction with personal safety from crime."""
    if rng.random() < logistic(unease(profile) - 1.0):
        return "somewhat_dissatisfied" if rng.random() < 0.7 else "very_dissatisfied"
    shares = {"very_satisfied": 0.4, "somewhat_satisfied": 0.5, "no_opinion": 0.1}
    return _weighted(shares, rng)


def crime_trend_5y(profile: Profile, rng: random.Random) -> str:
    """Whether crime in the neighbourhood went up over five years."""
    increased = (
        0.22
        + 0.15 * (profile.municipality in HOTSPOTS)
        + 0.08 * (profile.age_group in ("a45_64", "a65_plus"))
    )
    shares = {"increased": increased, "decreased": 0.12, "dont_know": 0.08}
    shares["same"] = max(0.0, 1.0 - sum(shares.values()))
    return _weighted(shares, rng)


def screener_answer(name: str, profile: Profile, rng: random.Random) -> str:
    """A screener item: yes/no, with demo victimisation rates."""
    if name == "has_vehicle":
        return "yes" if rng.random() < VEHICLE_RATE else "no"
    if name == "screener_confirm":
        return "yes" if rng.random() < 0.95 else "no"
    rate = CRIME_RATE * (HOTSPOT_CRIME_FACTOR if profile.municipality in HOTSPOTS else 1.0)
    return "yes" if rng.random() < rate else "no"


def demo_raw_answer(
    survey: Survey, prompt: Prompt, profile: Profile, rng: random.Random
) -> RawAnswer | None:
    """The raw answer this respondent gives to ``prompt``, or ``None`` to answer at random."""
    if "[" in prompt.path:  # inside a repeat
        return None
    name = prompt.name
    fixed: dict[str, str] = {
        "age": str(profile.age),
        "gender": profile.gender,
        "municipality": profile.municipality,
        "household_size": profile.household_size,
        "language_spoken": profile.language_spoken,
    }
    if name in fixed:
        return fixed[name]
    if name == "walk_alone_dark":
        return walk_alone_dark(profile, rng)
    if name == "safety_satisfaction":
        return safety_satisfaction(profile, rng)
    if name == "crime_trend_5y":
        return crime_trend_5y(profile, rng)
    if survey.section_of(name).name == "screener":
        if name.endswith("_times"):
            return _weighted(TIMES, rng)
        if prompt.type == QuestionType.YES_NO and (
            name in SCREENER_NOT_ITEMS or not name.startswith("screener")
        ):
            return screener_answer(name, profile, rng)
    return None
