"""Prompts that read no answer, rendered once per questionnaire, question and language.

Most questions are shown the same to everyone: no ``{piped}`` answer in their
texts, bounds written as numbers, outside any repeat. Rendering one of them
again on every post (labels looked up, choices numbered, hints added) was a
good part of a page's cost; here it is rendered once and only the stored
answer (``current``) is set per respondent. Anything that could read an answer
or the respondent's context is rendered every time, as before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Final

from questionnaire.definition.model import Question, QuestionType, Survey
from questionnaire.definition.slots import Slot
from questionnaire.definition.values import Value
from questionnaire.navigation.prompts import Prompt

#: Questionnaires whose prompts are kept (the registry serves a handful of versions).
MAX_SURVEYS: Final = 64

_BOUNDED: Final = frozenset(
    {
        QuestionType.INTEGER,
        QuestionType.DECIMAL,
        QuestionType.RATING,
        QuestionType.DATE,
        QuestionType.YEAR_MONTH,
    }
)


def _texts(slot: Slot) -> list[dict[str, str] | None]:
    question = slot.question
    return [
        question.label,
        question.hint,
        question.min_label,
        question.max_label,
        slot.section.title,
    ]


def reads_no_answer(slot: Slot) -> bool:
    """Whether ``slot``'s prompt is the same for every respondent (cacheable)."""
    if slot.repeat is not None or slot.index is not None:
        return False  # instance titles count the instances
    question: Question = slot.question
    if question.type in _BOUNDED and not all(
        bound is None or isinstance(bound, int | float) for bound in (question.min, question.max)
    ):
        return False  # a bound written as an expression or a date reads the context
    for text in _texts(slot):
        if text is not None and any("{" in value for value in text.values()):
            return False
    return True


class PromptCache:
    """Static prompts by questionnaire (identity), answer path and language."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._surveys: OrderedDict[int, tuple[Survey, dict[tuple[str, str], Prompt | None]]]
        self._surveys = OrderedDict()

    def _for(self, survey: Survey) -> dict[tuple[str, str], Prompt | None]:
        key = id(survey)
        with self._lock:
            found = self._surveys.get(key)
            if found is not None and found[0] is survey:
                self._surveys.move_to_end(key)
                return found[1]
            prompts: dict[tuple[str, str], Prompt | None] = {}
            self._surveys[key] = (survey, prompts)  # held: its id cannot be reused meanwhile
            while len(self._surveys) > MAX_SURVEYS:
                self._surveys.popitem(last=False)
            return prompts

    def prompt(
        self,
        survey: Survey,
        slot: Slot,
        language: str,
        current: Value | None,
        render: Callable[[], Prompt],
    ) -> Prompt:
        """``slot``'s prompt with ``current``: from the cache when it reads no answer."""
        prompts = self._for(survey)
        key = (slot.path, language)
        if key not in prompts:
            prompts[key] = replace(render(), current=None) if reads_no_answer(slot) else None
        cached = prompts[key]
        if cached is None:
            return render()
        return cached if current is None else replace(cached, current=current)


#: The process's cache, shared by every intake service (prompts are plain frozen data).
PROMPTS: Final = PromptCache()
