"""The respondent's language: which ones a questionnaire offers.

Changing it mid-way is a compare-and-set of the response's state
(``storage.responses.update_response_state(..., language=...)``).
"""

from __future__ import annotations

from intake.errors import IntakeError
from questionnaire.definition.model import Survey


def check_language(survey: Survey, language: str) -> None:
    """Raise :class:`IntakeError` ``unknown_language`` unless the survey offers ``language``."""
    if language not in survey.languages:
        raise IntakeError(
            "unknown_language", {"language": language, "languages": ", ".join(survey.languages)}
        )
