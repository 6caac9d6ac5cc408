"""Everything a channel needs to ask one question, already in one language.

:func:`render_prompt` turns a :class:`~questionnaire.definition.slots.Slot` into a
:class:`Prompt`: the label and hint with earlier answers piped in, the
numbered choices (then the special answers), the bounds evaluated for this
respondent, the section and instance titles. The web and the bot render the
same prompt, so a respondent meets the same words and numbers in both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from questionnaire.answers.bounds import question_bounds
from questionnaire.answers.choices import answer_options
from questionnaire.answers.formatting import format_plain, format_value, local_text
from questionnaire.answers.messages import message
from questionnaire.answers.scope import AnswerScope, instance_count
from questionnaire.definition.model import LocalText, QuestionType, Survey
from questionnaire.definition.slots import Slot
from questionnaire.definition.values import Value

_PIPED: Final = re.compile(r"\{\{|\}\}|\{([a-z_][a-z0-9_]*)\}")


@dataclass(frozen=True)
class PromptChoice:
    """One answer offered, as numbered in both channels."""

    number: int
    code: str
    label: str
    #: Selecting it excludes every other answer (a "none of these", a special answer).
    exclusive: bool
    #: A special answer ("don't know", "prefer not to answer").
    special: bool


@dataclass(frozen=True)
class Prompt:
    """One question ready to be shown, in one language."""

    path: str
    name: str
    type: QuestionType
    label: str
    hint: str | None
    required: bool | Literal["soft"]
    #: The choices (or yes/no), then the special answers, numbered from 1.
    choices: list[PromptChoice]
    #: Bounds for this respondent: numbers, dates or months; ``None`` when open.
    min: object
    max: object
    max_length: int | None
    min_label: str | None
    max_label: str | None
    section_title: str
    #: "Incident 2 of 3" inside a repeat, else ``None``.
    instance_title: str | None
    #: Web only, behind the quick exit.
    sensitive: bool
    #: The stored answer to prefill, if any.
    current: Value | None


def _piped_value(name: str, scope: AnswerScope, language: str, survey: Survey) -> str | None:
    try:
        value = scope.lookup(name)
    except KeyError:
        return None
    try:
        question = survey.question(name)
    except KeyError:
        question = None
    if value is None:
        return ""
    if isinstance(value, str | tuple) and question is not None:
        return format_value(value, question, language)
    return format_plain(value, language)


def pipe(
    text: str,
    scope: AnswerScope,
    language: str,
    survey: Survey,
    *,
    extra: Mapping[str, object] | None = None,
) -> str:
    """Fill ``{name}`` with answers, calculations and context values, formatted.

    ``{reference_date}`` -> "12 mars 2025"; ``{walk_alone_dark}`` -> the
    choice's label; ``extra`` supplies more names (``{index}``, ``{count}`` in
    repeat titles). ``{{`` and ``}}`` are literal braces; an unknown name is
    left as written (the loader reports it); an unanswered one reads as empty.
    """

    def replace(match: re.Match[str]) -> str:
        whole, name = match.group(0), match.group(1)
        if name is None:
            return whole[0]
        if extra is not None and name in extra:
            return format_plain(extra[name], language)
        piped = _piped_value(name, scope, language, survey)
        return whole if piped is None else piped

    return _PIPED.sub(replace, text)


def _localised(
    text: LocalText | None, scope: AnswerScope, language: str, survey: Survey
) -> str | None:
    return None if text is None else pipe(local_text(text, language), scope, language, survey)


def instance_title(slot: Slot, scope: AnswerScope, language: str) -> str | None:
    """The title of the slot's repeat instance: the repeat's own or "Title (2 of 3)"."""
    repeat = slot.section.repeat
    if repeat is None or slot.index is None:
        return None
    count = instance_count(slot.section, scope.top())
    numbers = {"index": slot.index, "count": max(count, slot.index)}
    survey = scope.survey
    if repeat.title is not None:
        return pipe(local_text(repeat.title, language), scope, language, survey, extra=numbers)
    title = pipe(local_text(slot.section.title, language), scope, language, survey)
    if repeat.count is None:
        return message("repeat.title_open", language, title=title, index=slot.index)
    return message("repeat.title", language, title=title, **numbers)


def _hint(slot: Slot, scope: AnswerScope, language: str) -> str | None:
    question = slot.question
    authored = _localised(question.hint, scope, language, scope.survey)
    extra = {
        QuestionType.DATE: "hint.date",
        QuestionType.YEAR_MONTH: "hint.year_month",
    }.get(question.type)
    if extra is None:
        return authored
    added = message(extra, language)
    return added if authored is None else f"{authored} {added}"


def render_prompt(
    slot: Slot, scope: AnswerScope, language: str, current: Value | None = None
) -> Prompt:
    """The prompt for ``slot`` in ``language``, for the respondent of ``scope``.

    ``scope`` is the slot's scope (the instance scope inside a repeat), used
    for piping and for bounds given as expressions.
    """
    question, survey = slot.question, scope.survey
    choices = [
        PromptChoice(o.number, o.code, local_text(o.label, language), o.exclusive, o.special)
        for o in answer_options(question)
    ]
    low, high = (None, None)
    if question.type in (
        QuestionType.INTEGER,
        QuestionType.DECIMAL,
        QuestionType.RATING,
        QuestionType.DATE,
        QuestionType.YEAR_MONTH,
    ):
        low, high = question_bounds(question, scope)
    return Prompt(
        path=slot.path,
        name=question.name,
        type=question.type,
        label=pipe(local_text(question.label, language), scope, language, survey),
        hint=_hint(slot, scope, language),
        required=question.required,
        choices=choices,
        min=low,
        max=high,
        max_length=question.max_length,
        min_label=_localised(question.min_label, scope, language, survey),
        max_label=_localised(question.max_label, scope, language, survey),
        section_title=pipe(local_text(slot.section.title, language), scope, language, survey),
        instance_title=instance_title(slot, scope, language),
        sensitive=question.sensitive or slot.section.sensitive,
        current=current,
    )
