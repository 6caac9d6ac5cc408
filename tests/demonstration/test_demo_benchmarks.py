"""The shipped demonstration benchmarks: built as documented, consistent, marked as demo."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from demo import DEMO_BENCHMARKS_CSV
from demo.build_demo_benchmarks import (
    AGE_SHARES,
    MUNICIPALITIES,
    SHARE_15_PLUS,
    apportion,
    demo_csv_text,
)
from questionnaire.loader import load_survey
from storage.benchmark_csv import read_benchmark_csv


def test_the_shipped_file_is_what_the_builder_makes() -> None:
    assert DEMO_BENCHMARKS_CSV.read_text(encoding="utf-8") == demo_csv_text()


def test_the_shipped_file_passes_every_check() -> None:
    parsed = read_benchmark_csv(DEMO_BENCHMARKS_CSV)
    assert parsed.errors == []
    assert len(parsed.municipalities) == 16
    assert len(parsed.rows) == 16 * (8 + 3 + 4)


def test_apportion_keeps_the_total() -> None:
    assert apportion(10, [0.5, 0.25, 0.25]) == [5, 3, 2]
    assert apportion(7, [1, 1, 1]) == [3, 2, 2]
    assert sum(apportion(1_480_877, [0.125, 0.304, 0.326, 0.245])) == 1_480_877


def test_every_margin_of_a_municipality_adds_up_to_its_population_aged_15_plus() -> None:
    parsed = read_benchmark_csv(DEMO_BENCHMARKS_CSV)
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in parsed.rows:
        totals[row.municipality_code][row.variable] += row.count
    for place in MUNICIPALITIES:
        adults = round(place.population * SHARE_15_PLUS)
        assert dict(totals[place.code]) == {
            "age_group*gender": adults,
            "household_size": adults,
            "language_spoken": adults,
        }


def test_montreal_follows_the_quebec_age_and_gender_shares() -> None:
    rows = [
        r for r in read_benchmark_csv(DEMO_BENCHMARKS_CSV).rows if r.municipality_code == "2466023"
    ]
    cells = {r.category: r.count for r in rows if r.variable == "age_group*gender"}
    adults = sum(cells.values())
    assert adults == round(1_762_949 * 0.84)
    for age, share in AGE_SHARES.items():
        in_group = cells[f"{age}*woman"] + cells[f"{age}*man"]
        assert abs(in_group / adults - share) < 1e-5
    assert (
        abs(cells["a65_plus*woman"] / (cells["a65_plus*woman"] + cells["a65_plus*man"]) - 0.55)
        < 1e-5
    )
    assert abs(cells["a25_44*woman"] - cells["a25_44*man"]) <= 1


def test_invented_municipalities_say_so() -> None:
    parsed = read_benchmark_csv(DEMO_BENCHMARKS_CSV)
    invented = [m for m in parsed.municipalities if m.code.startswith("24999")]
    assert [m.code for m in invented] == [f"249990{n}" for n in range(1, 7)]
    assert all(m.name.endswith("(fictive)") for m in invented)
    sources = {r.municipality_code: r.source for r in parsed.rows}
    assert {sources[m.code] for m in invented} == {"demo-invented"}
    assert {s for code, s in sources.items() if not code.startswith("24999")} == {
        "demo-approx-census-2021"
    }
    small = [p.population for p in MUNICIPALITIES if p.code.startswith("24999")]
    assert all(300 <= population <= 5000 for population in small)


def test_demo_municipalities_are_named_as_in_the_questionnaires() -> None:
    # The demo benchmarks and the municipality question describe the same places:
    # the question's French label starts with the benchmark's name (less "(fictive)").
    root = Path(__file__).resolve().parents[2]
    survey = load_survey(root / "survey_defs" / "perceived_safety.yaml")
    labels = {c.code: c.label["fr"] for c in survey.question("municipality").choices}
    parsed = read_benchmark_csv(DEMO_BENCHMARKS_CSV)
    assert not parsed.errors
    for municipality in parsed.municipalities:
        name = municipality.name.removesuffix(" (fictive)")
        assert labels[municipality.code].startswith(name), (municipality.code, name)
