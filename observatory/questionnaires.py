"""Questionnaire versions from the data page: check an upload, register it, activate it.

The questionnaires served are the ``*.yaml`` files of the definitions folder
(``VIGIE_SURVEY_DEFS``), loaded at start-up. An upload is checked by the same
loader as ``vigie survey check`` (its blocks are the folder's ``blocks/``), and
every problem comes back with its file, line, code and fix. A clean file is
registered in storage as a version (by content hash, as at start-up), then:

- a questionnaire id not served yet becomes ``<id>.yaml`` in the folder and is
  served at once (``new``);
- a new definition of a questionnaire already served waits as
  ``<id>.<hash>.pending`` in the folder (``pending``) until an analyst activates
  it: :meth:`Questionnaires.activate` puts it in place of the served file, so
  every process serves it from its next start, and returns it for the running
  one to serve now. Responses already started keep their own version.
- the definition served now, uploaded again, changes nothing (``served``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy.orm import Session, sessionmaker

from i18n import N_
from observatory.campaigns import SurveyLookup
from observatory.errors import ObservatoryError
from questionnaire.definition.model import LocalText, QuestionType, Survey
from questionnaire.loader import load_file
from storage.surveys import list_survey_versions, register_survey_version

CODES = (
    N_("observatory.definition_rejected"),
    N_("observatory.definition_too_large"),
    N_("observatory.definition_id_unusable"),
    N_("observatory.no_pending_version"),
    N_("observatory.definitions_folder_unwritable"),
)
#: Largest definition accepted (the shipped victimisation questionnaire is about 30 kB).
MAX_DEFINITION_BYTES = 512 * 1024
#: Questionnaire ids that may name a file of the folder.
_FILE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
_PENDING = re.compile(r"(?P<id>[A-Za-z][A-Za-z0-9_-]{0,63})\.(?P<hash>[0-9a-f]{12})\.pending")


@dataclass(frozen=True, slots=True)
class UploadedDefinition:
    """What an upload did: ``new`` (served now), ``pending`` (waits for activation), ``served``."""

    survey_id: str
    version: str
    content_hash: str
    status: str
    #: The stored version's id.
    version_id: int
    questions: int
    #: The definition, for the running process to serve when ``new``.
    survey: Survey = dataclasses.field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One registered version of a questionnaire, and where it stands."""

    survey_id: str
    version: str
    content_hash: str
    version_id: int
    registered_at: dt.datetime
    #: ``served``, ``pending`` (activation waits), or ``earlier``.
    state: str

    @property
    def key(self) -> str:
        """The short hash that names a pending version in forms and files."""
        return self.content_hash[:12]


def say(text: LocalText | None, language: str) -> str:
    """A questionnaire text in ``language`` (else any language it has)."""
    if not text:
        return ""
    return text.get(language) or next(iter(text.values()))


class Questionnaires:
    """Upload, list and activate questionnaire definitions in one definitions folder."""

    def __init__(
        self, sessions: sessionmaker[Session], surveys: SurveyLookup, folder: str | Path
    ) -> None:
        self._sessions = sessions
        self._surveys = surveys
        self.folder = Path(folder)

    def question_texts(self, survey_id: str, language: str) -> dict[str, str | None]:
        """Each question of the served ``survey_id`` by name, in its own words.

        A note (a text shown, no answer asked) maps to ``None``.
        """
        survey = self._surveys().get(survey_id)
        if survey is None:
            return {}
        return {
            q.name: None if q.type is QuestionType.NOTE else say(q.label, language)
            for q in survey.questions()
        }

    def upload(self, filename: str, content: bytes) -> UploadedDefinition:
        """Check ``content`` (the file ``filename``) and register it.

        Codes: ``definition_too_large``, ``definition_rejected`` (``problems``: the
        definition errors, file names as uploaded), ``definition_id_unusable``,
        ``definitions_folder_unwritable``.
        """
        shown = Path(filename or "questionnaire.yaml").name[:120]
        if len(content) > MAX_DEFINITION_BYTES:
            raise ObservatoryError(
                "definition_too_large", {"file": shown, "limit": MAX_DEFINITION_BYTES // 1024}
            )
        staged = self.folder / f".upload-{secrets.token_hex(8)}.pending"
        try:
            staged.write_bytes(content)
            survey = self._check(staged, shown)
            return self._register(staged, survey)
        except OSError as error:
            raise self._unwritable() from error
        finally:
            staged.unlink(missing_ok=True)

    def versions(self) -> list[VersionInfo]:
        """Every registered version of the questionnaires served or waiting, newest first."""
        served = {sid: s.content_hash for sid, s in self._surveys().items()}
        waiting = self._pending_keys()
        ids = sorted(set(served) | {sid for sid, _ in waiting})
        found: list[VersionInfo] = []
        with self._sessions() as session:
            for sid in ids:
                for stored in reversed(list_survey_versions(session, sid)):
                    key = (sid, stored.content_hash[:12])
                    if stored.content_hash == served.get(sid):
                        state = "served"
                    elif key in waiting:
                        state = "pending"
                    else:
                        state = "earlier"
                    found.append(
                        VersionInfo(
                            sid,
                            stored.version,
                            stored.content_hash,
                            stored.id,
                            stored.registered_at,
                            state,
                        )
                    )
        return found

    def activate(self, survey_id: str, key: str) -> Survey:
        """Serve the pending version ``key`` of ``survey_id`` in place of the current one.

        The definition is checked again (its blocks may have changed). Codes:
        ``no_pending_version``, ``definition_rejected``, ``definitions_folder_unwritable``.
        """
        name = f"{survey_id}.{key}.pending"
        if not _PENDING.fullmatch(name) or not (self.folder / name).is_file():
            raise ObservatoryError("no_pending_version", {"survey": survey_id[:64]})
        staged = self.folder / name
        survey = self._check(staged, f"{survey_id}.yaml")
        try:
            os.replace(staged, self._served_file(survey_id))
        except OSError as error:
            raise self._unwritable() from error
        with self._sessions.begin() as session:
            register_survey_version(session, survey)
        return survey

    # -- inside ---------------------------------------------------------------------

    def _unwritable(self) -> ObservatoryError:
        return ObservatoryError("definitions_folder_unwritable", {"folder": str(self.folder)})

    def _check(self, path: Path, shown: str) -> Survey:
        result = load_file(path)
        if result.survey is not None:
            return result.survey
        prefix = str(self.folder.resolve()) + os.sep
        problems = [
            dataclasses.replace(
                error,
                file=shown if error.file == str(path) else error.file.removeprefix(prefix),
            )
            for error in result.errors
        ]
        raise ObservatoryError(
            "definition_rejected", {"file": shown, "count": len(problems)}, problems=problems
        )

    def _register(self, staged: Path, survey: Survey) -> UploadedDefinition:
        if not _FILE_ID.fullmatch(survey.id):
            raise ObservatoryError("definition_id_unusable", {"survey": survey.id[:64]})
        current = self._surveys().get(survey.id)
        if current is None:
            status = "new"
            target = self.folder / f"{survey.id}.yaml"
            if target.exists():
                raise ObservatoryError("definition_id_unusable", {"survey": survey.id})
        elif current.content_hash == survey.content_hash:
            status, target = "served", None
        else:
            status = "pending"
            target = self.folder / f"{survey.id}.{survey.content_hash[:12]}.pending"
        with self._sessions.begin() as session:
            stored = register_survey_version(session, survey)
        if target is not None:
            os.replace(staged, target)
        return UploadedDefinition(
            survey.id,
            survey.version,
            survey.content_hash,
            status,
            stored.id,
            len(survey.questions()),
            survey,
        )

    def _pending_keys(self) -> set[tuple[str, str]]:
        found = set()
        for path in self.folder.glob("*.pending"):
            match = _PENDING.fullmatch(path.name)
            if match:
                found.add((match["id"], match["hash"]))
        return found

    def _served_file(self, survey_id: str) -> Path:
        """The folder's file that defines ``survey_id`` (``<id>.yaml`` when none does)."""
        for path in sorted(self.folder.glob("*.yaml")):
            try:
                with path.open(encoding="utf-8") as handle:
                    data = yaml.safe_load(handle)
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue
            if isinstance(data, dict) and data.get("id") == survey_id:
                return path
        return self.folder / f"{survey_id}.yaml"
