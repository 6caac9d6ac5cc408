"""How long ids, versions and names may be: the database columns hold exactly this much.

``storage.tables`` declares its columns with these numbers, so the definition
language and the database cannot disagree; the checker reports a longer value
as ``too_long`` (:mod:`questionnaire.checks.survey`), where PostgreSQL would
otherwise refuse it in the middle of registering the questionnaire (and
SQLite would silently keep it).
"""

from __future__ import annotations

from typing import Final

#: A questionnaire's ``id`` (``survey_versions.survey_id``, ``campaigns.survey_id``).
MAX_SURVEY_ID_LENGTH: Final = 64
#: A questionnaire's ``version`` (``survey_versions.version``).
MAX_VERSION_LENGTH: Final = 32
#: A question, section, repeat, calculation or indicator name.
MAX_NAME_LENGTH: Final = 64
#: An answer path (``answers.path``, ``responses.current_path``): ``repeat[12].question``
#: is at most two names, an index of up to 19 digits and three characters.
MAX_ANSWER_PATH_LENGTH: Final = 200
