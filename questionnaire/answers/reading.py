"""Where a raw answer becomes a typed value or an :class:`AnswerError`, for every channel.

The web posts choice codes and field strings; the Telegram bot passes the
text the respondent typed. :func:`read_answer` accepts both, checks the
question's bounds, length, pattern and constraints, and either returns a
:data:`~questionnaire.definition.values.Value` or raises :class:`AnswerError` — never
anything else, whatever the input. :func:`render_error` gives the message in
the respondent's language.

The table of accepted and refused inputs that every channel is tested with is
``tests/data/answer_cases.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from questionnaire.answers.bounds import parsed_expression, question_bounds
from questionnaire.answers.choices import (
    NoMatchError,
    answer_options,
    any_special,
    choice_number_map,
    match_option,
    numbered_choices,
    offered_special,
)
from questionnaire.answers.dates import parse_date, parse_year_month
from questionnaire.answers.errors import AnswerError, render_error
from questionnaire.answers.messages import labels
from questionnaire.answers.text import parse_number
from questionnaire.definition.model import Question, QuestionType, SpecialCode
from questionnaire.definition.values import SKIPPED, Special, Value, YearMonth
from questionnaire.expressions import evaluate, truthy

if TYPE_CHECKING:
    from questionnaire.answers.scope import AnswerScope

__all__ = ["AnswerError", "RawAnswer", "choice_number_map", "read_answer", "render_error"]

#: A raw answer as a channel sends it: the text typed in a chat or a web
#: field, the list of codes of a multiple choice, or nothing (``None``).
#: The one raw-answer type of the code base: intake and the channels use it too.
RawAnswer = str | Sequence[str] | None

_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS: Final = re.compile(r"\s*[\r\n\t]+\s*")
#: Separators of several answers typed in one message: "1, 3", "1 et 3", "a; b".
_SEPARATORS: Final = re.compile(r"\s*[,;/+&]\s*|\s+(?:et|and|ou|or)\s+", re.IGNORECASE)
_NUMBERS_ONLY: Final = re.compile(r"[0-9]+(?:\s+[0-9]+)+")
_NUMERIC_TYPES: Final = frozenset({QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.RATING})


def _texts(raw: RawAnswer) -> list[str]:
    """The non-blank strings of a raw answer, without control characters."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else [item for item in raw if isinstance(item, str)]
    cleaned = [_CONTROL.sub("", item).strip() for item in items]
    return [item for item in cleaned if item]


def _no_answer(question: Question, warned: bool) -> Value:
    if question.required is True:
        raise AnswerError("required")
    if question.required == "soft" and not warned:
        raise AnswerError("required", soft=True)
    return SKIPPED


def _unknown_input(question: Question, text: str, error: AnswerError) -> AnswerError:
    """``special_not_offered`` when the text names a special answer, else ``error``."""
    special = any_special(text)
    if special is not None and special not in question.special:
        return AnswerError("special_not_offered", {"special": labels(f"special.{special}")})
    return error


def _one_choice(question: Question, text: str) -> str | Special:
    options = answer_options(question)
    try:
        option = match_option(text, options)
    except NoMatchError:
        if question.type == QuestionType.YES_NO:
            error = AnswerError("not_yes_no")
        elif question.type == QuestionType.CONSENT:
            error = AnswerError("not_consent")
        else:
            error = AnswerError("unknown_choice", {"choices": numbered_choices(options)})
        raise _unknown_input(question, text, error) from None
    return Special(SpecialCode(option.code)) if option.special else option.code


def _split_choices(text: str) -> list[str]:
    parts = [part for part in _SEPARATORS.split(text) if part.strip()]
    pieces: list[str] = []
    for part in parts:
        pieces.extend(part.split() if _NUMBERS_ONLY.fullmatch(part.strip()) else [part])
    return pieces


def _several_choices(question: Question, texts: list[str]) -> tuple[str, ...] | Special:
    options = answer_options(question)
    chosen: set[str] = set()
    for text in texts:
        try:
            chosen.add(match_option(text, options).code)
            continue
        except NoMatchError:
            pass
        for piece in _split_choices(text):
            try:
                chosen.add(match_option(piece, options).code)
            except NoMatchError:
                error = AnswerError("unknown_choice", {"choices": numbered_choices(options)})
                raise _unknown_input(question, piece, error) from None
    picked = [o for o in options if o.code in chosen]
    if len(picked) > 1:
        for option in picked:
            if option.exclusive:
                raise AnswerError("exclusive_choice", {"choice": dict(option.label)})
    if len(picked) == 1 and picked[0].special:
        return Special(SpecialCode(picked[0].code))
    return tuple(o.code for o in picked)


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _check_range(value: object, low: object, high: object, codes: tuple[str, str]) -> None:
    """Raise ``codes[0]``/``codes[1]`` when ``value`` lies outside ``[low, high]``."""
    if low is not None and value < low:  # type: ignore[operator]
        raise AnswerError(codes[0], {"min": low})
    if high is not None and value > high:  # type: ignore[operator]
        raise AnswerError(codes[1], {"max": high})


def _typed_value(question: Question, text: str, scope: AnswerScope, language: str) -> Value:
    """One text read as the question's type, bounds and form checked."""
    kind = question.type
    special = offered_special(text, question)
    if special is not None:
        return Special(special)
    try:
        if kind in _NUMERIC_TYPES:
            number = parse_number(text, integer=kind != QuestionType.DECIMAL, language=language)
            value: Value = float(number) if kind == QuestionType.DECIMAL else number
        elif kind == QuestionType.DATE:
            value = parse_date(text, scope.ctx.current_day())
        elif kind == QuestionType.YEAR_MONTH:
            value = parse_year_month(text, scope.ctx.current_day())
        else:
            value = text if kind == QuestionType.LONG_TEXT else _LINE_BREAKS.sub(" ", text)
    except AnswerError as error:
        raise _unknown_input(question, text, error) from None
    low, high = question_bounds(question, scope)
    if kind in _NUMERIC_TYPES:
        _check_range(value, low, high, ("below_min", "above_max"))
    elif kind == QuestionType.DATE:
        _check_range(value, low, high, ("date_too_early", "date_too_late"))
    elif kind == QuestionType.YEAR_MONTH:
        assert isinstance(value, YearMonth)
        _check_range(value, low, high, ("date_too_early", "date_too_late"))
    else:
        assert isinstance(value, str)
        if question.max_length is not None and len(value) > question.max_length:
            raise AnswerError("too_long", {"length": len(value), "max_length": question.max_length})
        if question.pattern is not None and not _compiled(question.pattern).fullmatch(value):
            raise AnswerError("pattern_mismatch")
    return value


def _check_constraints(question: Question, value: Value, scope: AnswerScope, warned: bool) -> None:
    """Hard constraints first, then soft ones (skipped once the respondent was warned).

    A constraint whose result is null has nothing to check. Special answers
    are not checked: "don't know" cannot break a rule about a value.
    """
    if isinstance(value, Special) or not question.constraints:
        return
    bound = scope.with_value(value)
    for constraint in sorted(question.constraints, key=lambda c: c.soft):
        if constraint.soft and warned:
            continue
        result = evaluate(parsed_expression(constraint.expression), bound)
        if result is not None and not truthy(result):
            raise AnswerError("constraint", {"message": constraint.message}, soft=constraint.soft)


def read_answer(
    question: Question,
    raw: RawAnswer,
    *,
    scope: AnswerScope,
    language: str,
    warned: bool = False,
) -> Value:
    """The typed value of a raw answer, or :class:`AnswerError`.

    ``raw`` is the chat text, the web field string, or the web's list of
    codes; ``None``, blank text and an empty list mean "no answer" (SKIPPED,
    or ``required`` — soft when ``required: soft`` and not yet ``warned``).
    ``scope`` is the slot's scope (an instance scope inside a repeat): date
    bounds and constraints are evaluated there. ``warned=True`` means the
    respondent already saw a soft warning and gave the same answer again.
    """
    texts = _texts(raw)
    if question.type == QuestionType.NOTE:
        if texts:
            raise AnswerError("no_answer_expected")
        return SKIPPED
    if not texts:
        return _no_answer(question, warned)
    if question.type == QuestionType.MULTIPLE_CHOICE:
        value: Value = _several_choices(question, texts)
        if value == ():
            return _no_answer(question, warned)
    else:
        if len(set(texts)) > 1:
            raise AnswerError("too_many_choices")
        if question.type in (
            QuestionType.SINGLE_CHOICE,
            QuestionType.YES_NO,
            QuestionType.CONSENT,
        ):
            value = _one_choice(question, texts[0])
        else:
            value = _typed_value(question, texts[0], scope, language)
    _check_constraints(question, value, scope, warned)
    return value


def soft_warning(question: Question, value: Value, *, scope: AnswerScope) -> AnswerError | None:
    """The soft problem of a value read with ``warned=True``, or ``None``.

    Reading an answer once: ``read_answer(..., warned=True)`` gives the value
    or its hard error, and this gives the warning (soft ``required``, a soft
    constraint) the respondent should see before the value is kept, the same
    one ``read_answer`` without ``warned`` would raise.
    """
    if value is SKIPPED:
        return AnswerError("required", soft=True) if question.required == "soft" else None
    if isinstance(value, Special) or not question.constraints:
        return None
    bound = scope.with_value(value)
    for constraint in question.constraints:
        if not constraint.soft:
            continue
        result = evaluate(parsed_expression(constraint.expression), bound)
        if result is not None and not truthy(result):
            return AnswerError("constraint", {"message": constraint.message}, soft=True)
    return None
