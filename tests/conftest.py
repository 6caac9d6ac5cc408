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


#: The longest test files, started first: with two processes taking a file at a time
#: (``make test``), a long file picked up last would leave one process idle at the end.
LONG_FIRST = (
    "bot/test_fuzz.py",
    "webapp/test_fuzz.py",
    "analyst/test_api_schemathesis.py",
    "bot/test_answer_cases.py",
    "webapp/test_browser.py",
    "analyst/test_browser.py",
    "analyst/test_overview_browser.py",
    "analyst/test_export_browser.py",
    "analyst/test_jobs.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.path.as_posix()
        return next((i for i, end in enumerate(LONG_FIRST) if path.endswith(end)), len(LONG_FIRST))

    items.sort(key=rank)  # stable: every other test keeps its order
