"""What the observatory publishes about itself: the indicators of the questionnaires served."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from questionnaire.definition.model import LocalText, Survey


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    """One indicator of one questionnaire, in one language."""

    survey_id: str
    name: str
    label: str
    description: str | None
    unit: str
    population: str


def _say(text: LocalText | None, language: str) -> str | None:
    if not text:
        return None
    return text.get(language) or next(iter(text.values()))


def choice_labels(
    surveys: Mapping[str, Survey], survey_id: str, question: str, language: str
) -> dict[str, str]:
    """The labels of a question's choices by code, in ``language`` (empty when the
    questionnaire or the question is not served, or the question has no choices)."""
    survey = surveys.get(survey_id)
    if survey is None:
        return {}
    try:
        choices = survey.question(question).choices
    except KeyError:
        return {}
    return {c.code: _say(c.label, language) or c.code for c in choices}


def list_indicators(
    surveys: Mapping[str, Survey], language: str, survey_id: str | None = None
) -> list[IndicatorInfo]:
    """Every indicator (of ``survey_id`` only, when given), labelled in ``language``."""
    found: list[IndicatorInfo] = []
    for sid in sorted(surveys):
        if survey_id is not None and sid != survey_id:
            continue
        for indicator in surveys[sid].indicators:
            found.append(
                IndicatorInfo(
                    survey_id=sid,
                    name=indicator.name,
                    label=_say(indicator.label, language) or indicator.name,
                    description=_say(indicator.description, language),
                    unit=indicator.unit.value,
                    population=indicator.population,
                )
            )
    return found
