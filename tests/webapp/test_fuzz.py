"""Arbitrary form posts on every page of both questionnaires: never a 5xx, nothing lost.

Residents are first placed on each page of the shipped questionnaires (the
victimisation one with an incident loop). Then hypothesis posts arbitrary
forms to them: the page's own fields with valid codes, junk, huge or empty
texts, lists where one value is expected, unknown field names, missing or
forged page markers and CSRF tokens, forged confirmations. Every answer must
be a page (2xx, 3xx, or 400/404/413/429), and a post the form refuses as a
whole (a 4xx) must leave the stored answers exactly as they were.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker
from web_support import (
    TEST_SECRET,
    Resident,
    make_test_app,
    page_inputs,
    shipped_surveys,
    valid_answers,
)

from intake.registry import SurveyRegistry
from intake.service import IntakeService
from intake.settings import IntakeSettings
from storage.answers import load_answers
from storage.engine import make_engine, make_session_factory
from storage.tables import Base
from webapp.access_log import ACCESS_LOG

#: Form posts in one run (the issue asks for at least 10,000).
POSTS = int(os.environ.get("VIGIE_WEB_FUZZ_POSTS", "10000"))
#: Posts per hypothesis example (fewer examples, same number of posts).
POSTS_PER_EXAMPLE = 8


@dataclass
class Spot:
    """A resident standing on one page, and what that page offers."""

    resident: Resident
    response_id: str
    page_path: str
    names: list[str]
    values: list[str]
    token: str


def place_residents(resident: Callable[[str], Resident]) -> list[Spot]:
    """One resident on each page of each questionnaire (walking there through the form)."""
    spots: list[Spot] = []
    plans = [
        ("perceived_safety", "fr", {}),
        (
            "victimisation",
            "en",
            {"bicycle_theft": "yes", "bicycle_theft_times": "2", "series": "no"},
        ),
    ]
    for survey_id, language, overrides in plans:
        for depth in range(60):
            someone = resident(language)
            someone.start(survey_id)
            for _ in range(depth):
                if 'name="page"' not in someone.page:
                    break
                someone.answer(valid_answers(someone.page, overrides))
            if 'name="page"' not in someone.page:
                break
            with someone.client.session_transaction() as session:
                rid = session["rid"]
            inputs = page_inputs(someone.page)
            spots.append(
                Spot(
                    resident=someone,
                    response_id=rid,
                    page_path=someone.page_path(),
                    names=sorted({i["name"] for i in inputs}),
                    values=sorted({i["value"] for i in inputs if i.get("value")}),
                    token=someone.token(),
                )
            )
    return spots


#: Values no page offers: junk, wrong types, bounds, huge texts (the last is too big to post).
JUNK = [
    "", " ", "0", "-1", "1e9", "99999999999999999999", "3.5", "3,5", "NaN", "dont_know",
    "prefer_not", "yes", "no", "oui", "2026-13", "1999-02-30", "2025-03", "\x00", "<script>",
    "%s", "{age}", "é" * 3, "🙂", "x" * 5000, "x" * 300_000,
]  # fmt: skip
#: Field names no page has.
JUNK_NAMES = ["incident[9].x", "incident[0].reported", "", "csrf_token2", "__proto__", "a" * 300]


@st.composite
def form_posts(draw: st.DrawFn, spots: list[Spot]) -> tuple[Spot, dict[str, Any]]:
    """One arbitrary form for one resident's page."""
    spot = spots[draw(st.integers(0, len(spots) - 1))]
    names = spot.names + JUNK_NAMES
    values = spot.values + JUNK
    form: dict[str, Any] = {}
    for _ in range(draw(st.integers(0, 6))):
        name = names[draw(st.integers(0, len(names) - 1))]
        picked = [
            values[draw(st.integers(0, len(values) - 1))] for _ in range(draw(st.integers(1, 3)))
        ]
        if draw(st.integers(0, 9)) == 0:
            picked = [draw(st.text(max_size=12))]
        form[name] = picked if len(picked) > 1 else picked[0]
    page = draw(st.integers(0, 9))
    if page < 7:
        form["page"] = spot.page_path
    elif page < 9:
        form["page"] = names[draw(st.integers(0, len(names) - 1))]
    token = draw(st.integers(0, 9))
    form["csrf_token"] = spot.token if token < 8 else ("forged" if token == 8 else "")
    if draw(st.integers(0, 3)) == 0:
        form["confirm"] = [names[draw(st.integers(0, len(names) - 1))]]
    return spot, form


@pytest.fixture
def memory_backed_sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """SQLite in RAM-backed storage when the machine has it: the posts wait on no disk sync."""
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() else tmp_path
    engine = make_engine(f"sqlite:///{folder / 'fuzz.db'}")
    Base.metadata.create_all(engine)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()
        if folder != tmp_path:
            shutil.rmtree(folder, ignore_errors=True)


def test_arbitrary_posts_never_fail_and_refusals_change_nothing(
    memory_backed_sessions: sessionmaker[Session],
) -> None:
    session_factory = memory_backed_sessions
    registry = SurveyRegistry(session_factory)
    registry.register_all(shipped_surveys())
    settings = IntakeSettings(secret_key=TEST_SECRET, abandon_after_days=30, testing=True)
    app = make_test_app(IntakeService(session_factory, registry, settings))
    ACCESS_LOG.setLevel(logging.WARNING)
    try:
        spots = place_residents(lambda language: Resident(app.test_client(), language))
        assert len(spots) >= 10
        sent = run_posts(spots, session_factory)
    finally:
        ACCESS_LOG.setLevel(logging.INFO)
    assert sent >= POSTS


def run_posts(spots: list[Spot], session_factory: sessionmaker[Session]) -> int:
    """Post arbitrary forms; returns how many were sent."""
    count = {"posts": 0}
    with session_factory() as session:
        stored = {spot.response_id: load_answers(session, spot.response_id) for spot in spots}

    @settings(
        max_examples=max(1, POSTS // POSTS_PER_EXAMPLE),
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(form_posts(spots), min_size=POSTS_PER_EXAMPLE, max_size=POSTS_PER_EXAMPLE))
    def post_all(posts: list[tuple[Spot, dict[str, Any]]]) -> None:
        for spot, form in posts:
            response = spot.resident.client.post("/survey", data=form)
            count["posts"] += 1
            status = response.status_code
            assert status in (200, 303, 400, 404, 413, 429), (status, form)
            assert "Traceback" not in response.get_data(as_text=True)
            with session_factory() as session:
                now = load_answers(session, spot.response_id)
            if 400 <= status < 500:
                assert now == stored[spot.response_id], form
            stored[spot.response_id] = now

    post_all()
    return count["posts"]
