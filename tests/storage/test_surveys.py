"""Questionnaire versions: registered once per exact definition."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from db_fixtures import make_survey
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.records import SurveyVersion
from storage.surveys import (
    definition_hash,
    get_survey_version,
    latest_survey_version,
    list_survey_versions,
    register_survey_version,
)
from storage.tables import SurveyVersionModel


def test_registering_the_same_definition_twice_returns_one_version(
    session_factory: sessionmaker[Session],
) -> None:
    survey = make_survey()
    with session_factory.begin() as session:
        first = register_survey_version(session, survey)
    with session_factory.begin() as session:
        again = register_survey_version(session, survey)
        count = len(session.scalars(select(SurveyVersionModel)).all())
    assert again == first
    assert count == 1


def test_a_changed_definition_is_a_new_version_even_with_the_same_label(
    register_version: Callable[..., SurveyVersion],
) -> None:
    first = register_version(make_survey())
    changed = register_version(make_survey(title={"fr": "Autre titre", "en": "Other title"}))
    assert changed.id != first.id
    assert changed.version == first.version == "1.0"
    assert changed.content_hash != first.content_hash


def test_the_stored_definition_rebuilds_the_survey(
    register_version: Callable[..., SurveyVersion], session_factory: sessionmaker[Session]
) -> None:
    survey = make_survey()
    stored = register_version(survey)
    with session_factory() as session:
        loaded = get_survey_version(session, stored.id)
    assert loaded is not None
    assert loaded.definition == survey.model_dump(mode="json")
    assert loaded.survey() == survey
    assert loaded.survey_id == "perceived_safety"
    assert loaded.registered_at.tzinfo is not None


def test_the_loader_hash_is_kept_when_given(register_version: Callable[..., SurveyVersion]) -> None:
    survey = make_survey(content_hash="ab" * 32)
    assert definition_hash(survey) == "ab" * 32
    assert register_version(survey).content_hash == "ab" * 32


def test_computed_hash_ignores_nothing_but_the_hash_field() -> None:
    assert definition_hash(make_survey()) == definition_hash(make_survey())
    assert definition_hash(make_survey()) != definition_hash(make_survey(version="1.1"))


def test_latest_and_list_of_versions(
    register_version: Callable[..., SurveyVersion], session_factory: sessionmaker[Session]
) -> None:
    old = register_version(make_survey(version="1.0"))
    new = register_version(make_survey(version="1.1"))
    register_version(make_survey(survey_id="victimisation"))
    with session_factory() as session:
        assert latest_survey_version(session, "perceived_safety") == new
        assert list_survey_versions(session, "perceived_safety") == [old, new]
        assert latest_survey_version(session, "unknown") is None
        assert get_survey_version(session, 999_999) is None


def test_concurrent_registrations_of_one_definition_make_one_row(
    session_factory: sessionmaker[Session],
) -> None:
    survey = make_survey()

    def register() -> int:
        with session_factory.begin() as session:
            return register_survey_version(session, survey).id

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(lambda _: register(), range(8)))
    with session_factory() as session:
        rows = session.scalars(select(SurveyVersionModel)).all()
    assert len(rows) == 1
    assert set(ids) == {rows[0].id}
