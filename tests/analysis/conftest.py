"""Factories for the analysis tests: the apiclus1 design and the milk areas from tests/data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.typing import NDArray
from pipeline_population import Population, make_population

from analysis.pipeline.run import PipelineOptions, estimate_from_frames
from analysis.variance.design import CalibrationModel, Design, make_design
from analysis.weighting.calibration import margin_design_matrix
from analysis.weighting.raking import rake

STYPE_TARGETS = np.array([4421.0, 755.0, 1018.0])  # E, H, M
SCH_WIDE_TARGETS = np.array([1072.0, 5122.0])  # No, Yes


@dataclass(frozen=True)
class Apiclus1:
    """The apiclus1 sample: data, cluster design, margins, and the raked design."""

    data: pd.DataFrame
    design: Design
    stype: NDArray[np.intp]
    sch_wide: NDArray[np.intp]
    margins: list[tuple[NDArray[np.intp], NDArray[np.float64]]]
    raked: Design


@pytest.fixture
def create_apiclus1(data_dir: Path) -> Callable[[], Apiclus1]:
    """Factory: load apiclus1.csv, build the design (dnum, pw, fpc) and rake it as R does."""

    def create() -> Apiclus1:
        data = pd.read_csv(data_dir / "reference" / "apiclus1.csv")
        design = make_design(data["pw"], clusters=data["dnum"], fpc=data["fpc"])
        stype = data["stype"].map({"E": 0, "H": 1, "M": 2}).to_numpy(np.intp)
        sch_wide = (data["sch.wide"] == "Yes").to_numpy(np.intp)
        margins = [(stype, STYPE_TARGETS), (sch_wide, SCH_WIDE_TARGETS)]
        raked_weights = rake(design.weights, margins, tol=1e-14, max_iter=200).weights
        x = margin_design_matrix([stype, sch_wide]).matrix
        raked = design.with_weights(
            raked_weights, CalibrationModel(x, raked_weights, design.weights)
        )
        return Apiclus1(data, design, stype, sch_wide, margins, raked)

    return create


@pytest.fixture
def create_milk(data_dir: Path) -> Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Factory: the milk areas as (y, sampling variance SD², X with intercept + MajorArea 2-4)."""

    def create() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        milk = pd.read_csv(data_dir / "reference" / "milk.csv")
        major = milk["MajorArea"].to_numpy()
        x = np.column_stack([np.ones(len(milk))] + [major == k for k in (2, 3, 4)]).astype(float)
        return milk["yi"].to_numpy(float), milk["SD"].to_numpy(float) ** 2, x

    return create


@pytest.fixture
def run() -> Callable[..., tuple[Population, pd.DataFrame]]:
    """Factory: a population (``make_population`` arguments) and its results table."""

    def make(
        population: Population | None = None, *, replicates: int = 20, seed: int = 3, **options
    ) -> tuple[Population, pd.DataFrame]:
        population = population or make_population()
        rules = options.pop("rules", None)
        results = estimate_from_frames(
            population.respondents,
            population.benchmarks,
            population.survey,
            replicates=replicates,
            seed=seed,
            rules=rules,
            options=PipelineOptions(**options),
        )
        return population, results

    return make
