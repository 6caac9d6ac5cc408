"""Census benchmarks: a whole file or nothing, every bad line named."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo import DEMO_BENCHMARKS_CSV
from observatory import ObservatoryError
from services import Services


def test_the_demonstration_margins_load_once_then_need_replace(services: Services) -> None:
    loaded = services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
    assert (loaded.rows, loaded.municipalities, loaded.replaced) == (240, 16, 0)
    assert loaded.path.name == "benchmarks_demo.csv"
    with pytest.raises(ObservatoryError) as raised:
        services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV)
    error = raised.value
    assert error.code == "benchmarks_rejected"
    assert error.params["count"] == 240 == len(error.problems)
    assert error.problem_lines("en")[0].startswith("line 2: Already loaded")
    assert error.render("fr").endswith("240 erreur(s), rien n'a été chargé.")
    again = services.observatory.load_benchmarks(DEMO_BENCHMARKS_CSV, replace=True)
    assert (again.rows, again.replaced) == (240, 240)


def test_a_broken_file_is_rejected_line_by_line_and_nothing_is_stored(
    services: Services, data_dir: Path
) -> None:
    broken = data_dir / "benchmarks" / "broken_benchmarks.csv"
    with pytest.raises(ObservatoryError) as raised:
        services.observatory.load_benchmarks(broken)
    lines = raised.value.problem_lines("fr")
    assert [line.split(" :")[0] for line in lines] == [f"ligne {n}" for n in range(3, 13)]
    assert "ligne 4 : Effectif -5 négatif." in lines
    good = data_dir / "benchmarks" / "demo_benchmarks.csv"
    loaded = services.observatory.load_benchmarks(good)
    assert (loaded.rows, loaded.municipalities, loaded.replaced) == (30, 2, 0)
