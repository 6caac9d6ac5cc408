"""Build ``benchmarks_demo.csv``: demonstration census margins, not official figures.

Run ``python -m demo.build_demo_benchmarks`` to rewrite the file; a test
checks that the shipped file is what this module builds.

- Ten largest municipalities of Quebec: 2021 census populations (all ages) and
  census subdivision codes; the population aged 15+ is 84% of it, split by
  Quebec-wide age shares (15-24 12.5%, 25-44 30.4%, 45-64 32.6%, 65+ 24.5%),
  women 50% below 65 and 55% at 65+. Source ``demo-approx-census-2021``.
- Six small municipalities, codes 2499901-2499906, names marked "(fictive)",
  invented outright. Source ``demo-invented``.
- Household size (p1, p2, p3_plus: people aged 15+ by the size of their
  household) and first official language spoken (french, english, both,
  neither) use plausible shares chosen per kind of municipality, not census
  figures.

Every margin of a municipality sums to the same population aged 15+, as
calibration requires.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from demo import DEMO_BENCHMARKS_CSV
from storage.benchmark_csv import COLUMNS

YEAR = 2021
SHARE_15_PLUS = 0.84
AGE_SHARES = {"a15_24": 0.125, "a25_44": 0.304, "a45_64": 0.326, "a65_plus": 0.245}
WOMEN_SHARE = {"a15_24": 0.50, "a25_44": 0.50, "a45_64": 0.50, "a65_plus": 0.55}

#: Plausible shares of people aged 15+ by household size, per kind of place.
HOUSEHOLD_SHARES = {
    "metropolis": {"p1": 0.24, "p2": 0.34, "p3_plus": 0.42},
    "city": {"p1": 0.20, "p2": 0.37, "p3_plus": 0.43},
    "suburb": {"p1": 0.13, "p2": 0.34, "p3_plus": 0.53},
    "village": {"p1": 0.17, "p2": 0.41, "p3_plus": 0.42},
}


@dataclass(frozen=True)
class DemoMunicipality:
    code: str
    name: str
    region: str
    population: int
    kind: str
    #: Plausible first-official-language shares: french, english, both, neither.
    languages: tuple[float, float, float, float]
    source: str


_REAL = "demo-approx-census-2021"
_INVENTED = "demo-invented"

MUNICIPALITIES = (
    DemoMunicipality(
        "2466023", "Montréal", "Montréal", 1762949, "metropolis", (0.60, 0.33, 0.05, 0.02), _REAL
    ),
    DemoMunicipality(
        "2423027", "Québec", "Capitale-Nationale", 549459, "city", (0.97, 0.02, 0.007, 0.003), _REAL
    ),
    DemoMunicipality(
        "2465005", "Laval", "Laval", 438366, "suburb", (0.68, 0.27, 0.04, 0.01), _REAL
    ),
    DemoMunicipality(
        "2481017", "Gatineau", "Outaouais", 291041, "city", (0.80, 0.17, 0.025, 0.005), _REAL
    ),
    DemoMunicipality(
        "2458227", "Longueuil", "Montérégie", 254483, "city", (0.83, 0.13, 0.03, 0.01), _REAL
    ),
    DemoMunicipality(
        "2443027", "Sherbrooke", "Estrie", 172950, "city", (0.90, 0.08, 0.015, 0.005), _REAL
    ),
    DemoMunicipality(
        "2425213",
        "Lévis",
        "Chaudière-Appalaches",
        149683,
        "suburb",
        (0.985, 0.01, 0.004, 0.001),
        _REAL,
    ),
    DemoMunicipality(
        "2494068",
        "Saguenay",
        "Saguenay–Lac-Saint-Jean",
        144723,
        "city",
        (0.99, 0.006, 0.003, 0.001),
        _REAL,
    ),
    DemoMunicipality(
        "2437067", "Trois-Rivières", "Mauricie", 139163, "city", (0.98, 0.015, 0.004, 0.001), _REAL
    ),
    DemoMunicipality(
        "2464008", "Terrebonne", "Lanaudière", 119944, "suburb", (0.93, 0.06, 0.008, 0.002), _REAL
    ),
    DemoMunicipality(
        "2499901",
        "Saint-Exemple (fictive)",
        "Estrie",
        420,
        "village",
        (0.70, 0.27, 0.02, 0.01),
        _INVENTED,
    ),
    DemoMunicipality(
        "2499902",
        "Lac-des-Essais (fictive)",
        "Mauricie",
        880,
        "village",
        (0.96, 0.03, 0.007, 0.003),
        _INVENTED,
    ),
    DemoMunicipality(
        "2499903",
        "Sainte-Démo (fictive)",
        "Bas-Saint-Laurent",
        1350,
        "village",
        (0.97, 0.02, 0.008, 0.002),
        _INVENTED,
    ),
    DemoMunicipality(
        "2499904",
        "Rivière-Fictive (fictive)",
        "Chaudière-Appalaches",
        2100,
        "village",
        (0.98, 0.012, 0.006, 0.002),
        _INVENTED,
    ),
    DemoMunicipality(
        "2499905",
        "Mont-Modèle (fictive)",
        "Outaouais",
        3250,
        "village",
        (0.85, 0.12, 0.025, 0.005),
        _INVENTED,
    ),
    DemoMunicipality(
        "2499906",
        "Pointe-Témoin (fictive)",
        "Abitibi-Témiscamingue",
        4700,
        "village",
        (0.96, 0.03, 0.008, 0.002),
        _INVENTED,
    ),
)


def apportion(total: int, shares: Sequence[float]) -> list[int]:
    """Split ``total`` into whole counts proportional to ``shares`` (largest remainder).

    The counts always add up to ``total``: ``apportion(10, [0.5, 0.25, 0.25])
    == [5, 3, 2]`` (ties go to the earlier share).
    """
    weight = sum(shares)
    exact = [total * s / weight for s in shares]
    counts = [int(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def margins(place: DemoMunicipality) -> list[tuple[str, str, int]]:
    """``(variable, category, count)`` of the three margins of one municipality."""
    adults = round(place.population * SHARE_15_PLUS)
    cells = [
        (
            f"{age}*{gender}",
            share * (WOMEN_SHARE[age] if gender == "woman" else 1 - WOMEN_SHARE[age]),
        )
        for age, share in AGE_SHARES.items()
        for gender in ("woman", "man")
    ]
    rows = [
        ("age_group*gender", category, count)
        for (category, _), count in zip(
            cells, apportion(adults, [share for _, share in cells]), strict=True
        )
    ]
    households = HOUSEHOLD_SHARES[place.kind]
    rows += [
        ("household_size", category, count)
        for category, count in zip(
            households, apportion(adults, list(households.values())), strict=True
        )
    ]
    languages = ("french", "english", "both", "neither")
    rows += [
        ("language_spoken", category, count)
        for category, count in zip(languages, apportion(adults, place.languages), strict=True)
    ]
    return rows


def demo_csv_text() -> str:
    """The whole demonstration file, header first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for place in MUNICIPALITIES:
        for variable, category, count in margins(place):
            writer.writerow(
                [
                    place.code,
                    place.name,
                    place.region,
                    variable,
                    category,
                    count,
                    place.source,
                    YEAR,
                ]
            )
    return out.getvalue()


if __name__ == "__main__":
    DEMO_BENCHMARKS_CSV.write_text(demo_csv_text(), encoding="utf-8")
    print(f"wrote {DEMO_BENCHMARKS_CSV}")
