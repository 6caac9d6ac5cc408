"""Shared pytest settings. Fixtures live next to the tests that use them."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """tests/data: the project's own copies of reference data and fixtures."""
    return DATA


@pytest.fixture
def survey_defs() -> Path:
    """The shipped questionnaires."""
    return ROOT / "survey_defs"
