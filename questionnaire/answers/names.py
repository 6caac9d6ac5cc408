"""The names of a questionnaire and the names each expression reads.

Built once per definition (definitions are frozen) and shared by the scope of
answers (:mod:`questionnaire.answers.scope`) and by navigation, which follows
what each rule reads to know what a changed answer can affect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from questionnaire.definition.model import Section, Survey
from questionnaire.expressions import parse_expression


@dataclass(frozen=True)
class SurveyNames:
    """What each name of a questionnaire stands for, built once per definition."""

    #: Repeat name -> its section.
    repeats: dict[str, Section]
    #: Question inside a repeat -> the repeat's name.
    members: dict[str, str]
    #: Calculation name -> its expression.
    calculations: dict[str, str]
    #: Every question name.
    questions: frozenset[str]
    #: How :meth:`AnswerScope.lookup` resolves each name, in its order of
    #: precedence (``value``, ``index`` and the context names are left out):
    #: a calculation, a question of a repeat (the repeat's name), a question,
    #: or a repeat.
    kinds: dict[str, str | NameKind]
    #: Expression text -> the names it reads, calculations expanded (filled on use).
    reads: dict[str | None, frozenset[str]] = field(default_factory=dict)


class NameKind:
    """What a name stands for in :attr:`SurveyNames.kinds` (besides a repeat's name)."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __repr__(self) -> str:
        return self.label


CALCULATION: Final = NameKind("calculation")
QUESTION: Final = NameKind("question")
REPEAT: Final = NameKind("repeat")

_NAMES_CACHE_SIZE: Final = 64
_names_by_survey: dict[int, tuple[Survey, SurveyNames]] = {}


def survey_names(survey: Survey) -> SurveyNames:
    """The names of ``survey``, kept while the definition is in use (it is frozen)."""
    found = _names_by_survey.get(id(survey))
    if found is not None and found[0] is survey:
        return found[1]
    repeats: dict[str, Section] = {}
    members: dict[str, str] = {}
    for section in survey.sections:
        if section.repeat is not None:
            repeats[section.repeat.name] = section
            for q in section.questions:
                members[q.name] = section.repeat.name
    calculations = {c.name: c.expression for c in survey.calculations}
    questions = frozenset(q.name for q in survey.questions())
    kinds: dict[str, str | NameKind] = dict.fromkeys(repeats, REPEAT)
    kinds.update(dict.fromkeys(questions, QUESTION))
    kinds.update(members)
    kinds.update(dict.fromkeys(calculations, CALCULATION))
    for name in ("value", "index"):
        kinds.pop(name, None)
    names = SurveyNames(repeats, members, calculations, questions, kinds)
    if len(_names_by_survey) >= _NAMES_CACHE_SIZE:
        _names_by_survey.clear()
    _names_by_survey[id(survey)] = (survey, names)
    return names


@lru_cache(maxsize=4096)
def expression_names(text: str | None) -> frozenset[str]:
    """The names an expression reads (empty for a missing expression)."""
    if text is None:
        return frozenset()
    return parse_expression(text).references()


def read_names(survey: Survey, text: str | None) -> frozenset[str]:
    """The names an expression reads, with calculations replaced by what they read.

    Kept per definition and text (definitions are frozen).
    """
    names = survey_names(survey)
    found = names.reads.get(text)
    if found is None:
        found = names.reads[text] = _read_names(names.calculations, text)
    return found


def _read_names(calculations: dict[str, str], text: str | None) -> frozenset[str]:
    names: set[str] = set()
    todo = list(expression_names(text))
    while todo:
        name = todo.pop()
        if name in names:
            continue
        names.add(name)
        if name in calculations:
            todo.extend(expression_names(calculations[name]))
    return frozenset(names)
