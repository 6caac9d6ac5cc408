"""Storage test fixtures: the database ones (tests/db_fixtures.py) and an answer of every kind."""

import datetime as dt

import pytest
from db_fixtures import (  # noqa: F401
    database_url,
    empty_engine,
    engine,
    make_response,
    register_version,
    session_factory,
)

from questionnaire.definition.model import SpecialCode
from questionnaire.definition.values import SKIPPED, Special, Value, YearMonth


@pytest.fixture
def every_kind() -> dict[str, Value]:
    """One stored answer of every kind of value, by path."""
    return {
        "walk_alone_dark": "very_safe",
        "avoid": ("avoids_places", "stays_home"),
        "times": 3,
        "share": 2.5,
        "whole_share": 4.0,
        "moved_in": dt.date(2020, 6, 1),
        "incident[1].month": YearMonth(2025, 1),
        "incident[2].month": Special(SpecialCode.DONT_KNOW),
        "comment": SKIPPED,
        "police": Special(SpecialCode.PREFER_NOT),
    }
