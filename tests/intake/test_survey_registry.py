"""The registry of served questionnaires, on every test database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from intake_support import SHORT_SAFETY
from sqlalchemy.orm import Session, sessionmaker

from intake.errors import IntakeError
from intake.registry import SurveyRegistry
from storage.surveys import list_survey_versions


def test_from_directory_registers_each_file_once(
    tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    shutil.copy(SHORT_SAFETY, tmp_path / "short_safety.yaml")
    first = SurveyRegistry.from_directory(session_factory, tmp_path)
    again = SurveyRegistry.from_directory(session_factory, tmp_path)
    assert first.survey_ids() == ["short_safety"]
    assert first.current("short_safety").version_id == again.current("short_safety").version_id
    with session_factory() as session:
        versions = list_survey_versions(session, "short_safety")
        assert len(versions) == 1
        assert again.by_version(session, versions[0].id).id == "short_safety"
    with pytest.raises(IntakeError) as caught:
        first.current("victimisation")
    assert caught.value.code == "unknown_survey"


def test_two_files_with_one_id_are_refused(
    tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    shutil.copy(SHORT_SAFETY, tmp_path / "a.yaml")
    shutil.copy(SHORT_SAFETY, tmp_path / "b.yaml")
    with pytest.raises(IntakeError) as caught:
        SurveyRegistry.from_directory(session_factory, tmp_path)
    assert caught.value.code == "duplicate_survey"
