"""The welcome screen: which questionnaires are open, in which languages, for how long.

:func:`offered_surveys` lists the questionnaires the registry serves, each with
its title in the language asked (else in its first language), the languages
it offers and a rough duration, so that a channel can greet a resident who
arrived without a campaign link.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Final

from intake.conversation import answerable_slots
from questionnaire.answers.formatting import local_text
from questionnaire.answers.run_context import RunContext
from questionnaire.definition.model import Survey

#: Seconds a resident takes, on average, to answer one question (a rough rule).
SECONDS_PER_QUESTION: Final = 12


@dataclass(frozen=True)
class OfferedSurvey:
    """One questionnaire a resident may start."""

    survey_id: str
    #: The title in :attr:`language`.
    title: str
    #: The language of :attr:`title`: the one asked when offered, else the first.
    language: str
    #: Every language the questionnaire offers.
    languages: tuple[str, ...]
    #: About how long answering takes, in whole minutes (at least 1).
    estimated_minutes: int


def estimated_minutes(survey: Survey) -> int:
    """Minutes to answer the questions every respondent meets (no skip logic opened).

    Counts the questions that apply before any answer is given (conditional
    questions and repeats are left out), at :data:`SECONDS_PER_QUESTION` each.
    """
    ctx = RunContext(started_on=dt.date.today(), channel="web", language=survey.languages[0])
    questions = len(answerable_slots(survey, {}, ctx))
    return max(1, math.ceil(questions * SECONDS_PER_QUESTION / 60))


def offered_survey(survey: Survey, language: str) -> OfferedSurvey:
    """How ``survey`` is shown on a welcome screen in ``language``."""
    shown = language if language in survey.languages else survey.languages[0]
    return OfferedSurvey(
        survey_id=survey.id,
        title=local_text(survey.title, shown) or survey.id,
        language=shown,
        languages=tuple(survey.languages),
        estimated_minutes=estimated_minutes(survey),
    )
