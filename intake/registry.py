"""The questionnaires intake serves, each registered as an exact version.

At start-up the web app and the bot build one :class:`SurveyRegistry` from
``survey_defs/*.yaml``: every file is loaded once (:func:`load_survey`) and its
definition registered in storage by content hash, so that each response points
at exactly what its respondent saw. A response started under an older
definition keeps being served with that definition, read back from storage.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from intake.errors import IntakeError
from questionnaire.definition.model import Survey
from questionnaire.loader import load_survey
from storage.surveys import get_survey_version, register_survey_version


@dataclass(frozen=True)
class RegisteredSurvey:
    """A questionnaire as served now, with the id of its stored version."""

    survey: Survey
    version_id: int


class SurveyRegistry:
    """Questionnaires by id (the current definition) and by stored version id.

    Thread-safe: a channel shares one registry between its workers.
    """

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._current: dict[str, RegisteredSurvey] = {}
        self._versions: dict[int, Survey] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_directory(
        cls, session_factory: sessionmaker[Session], directory: str | Path
    ) -> SurveyRegistry:
        """Load and register every ``*.yaml`` directly in ``directory`` (blocks excluded).

        Raises :class:`questionnaire.definition.errors.DefinitionErrors` for a definition
        that does not load, and :class:`IntakeError` ``duplicate_survey`` when
        two files declare the same questionnaire id.
        """
        registry = cls(session_factory)
        registry.register_all(load_survey(p) for p in sorted(Path(directory).glob("*.yaml")))
        return registry

    def register_all(self, surveys: Iterable[Survey]) -> None:
        """Register several questionnaires; their ids must differ."""
        seen: set[str] = set()
        for survey in surveys:
            if survey.id in seen:
                raise IntakeError("duplicate_survey", {"survey_id": survey.id})
            seen.add(survey.id)
            self.register(survey)

    def register(self, survey: Survey) -> RegisteredSurvey:
        """Store ``survey``'s definition (idempotent) and serve it from now on."""
        with self._session_factory.begin() as session:
            version = register_survey_version(session, survey)
        registered = RegisteredSurvey(survey, version.id)
        with self._lock:
            self._current[survey.id] = registered
            self._versions[version.id] = survey
        return registered

    def survey_ids(self) -> list[str]:
        """The ids of the questionnaires served, sorted."""
        with self._lock:
            return sorted(self._current)

    def current(self, survey_id: str) -> RegisteredSurvey:
        """The definition served for ``survey_id``; :class:`IntakeError` ``unknown_survey``."""
        with self._lock:
            found = self._current.get(survey_id)
        if found is None:
            raise IntakeError("unknown_survey", {"survey_id": survey_id})
        return found

    def by_version(self, session: Session, version_id: int) -> Survey:
        """The definition of stored version ``version_id`` (read once, then cached).

        ``session`` is the caller's open session: an older version is read in
        the same transaction as the response that points at it.
        """
        with self._lock:
            cached = self._versions.get(version_id)
        if cached is not None:
            return cached
        stored = get_survey_version(session, version_id)
        if stored is None:
            raise IntakeError("unknown_survey", {"survey_id": f"#{version_id}"})
        survey = stored.survey()
        with self._lock:
            self._versions.setdefault(version_id, survey)
        return survey
