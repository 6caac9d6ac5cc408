"""Whether the census benchmarks a questionnaire is weighted to are stored.

A questionnaire's weighting names its margins (``age_group*gender``, ``municipality``); its
estimates need benchmark counts for them (:mod:`observatory.benchmarks` loads them). This read
says whether any are there, before an estimate run or a demonstration decides to load them.
It imports the statistics loader (for the margins' names): import it where that is paid for.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from analysis.loader import margin_variable
from questionnaire.definition.model import Survey
from storage.benchmarks import get_benchmarks


def margin_variables(survey: Survey) -> list[str]:
    """The benchmark variables of the questionnaire's margins (none without a weighting)."""
    if survey.weighting is None:
        return []
    return [margin_variable(margin) for margin in survey.weighting.margins]


def has_benchmarks(sessions: sessionmaker[Session], survey: Survey) -> bool:
    """Whether benchmark counts of any of the questionnaire's margins are stored."""
    variables = margin_variables(survey)
    if not variables:
        return False
    with sessions() as session:
        return bool(get_benchmarks(session, variables))
