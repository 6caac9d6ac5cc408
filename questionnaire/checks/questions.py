"""Checks of each question's keys against its type, and of repeats.

Choices (codes, duplicates, export codes, ``exclusive``), keys a type does not
take, bounds, ``pattern``, special answers, and each repeat's ``count`` /
``another`` / ``max``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from i18n import N_
from questionnaire.checks.context import CheckContext, PlacedQuestion, question_subject
from questionnaire.definition.errors import Param, words
from questionnaire.definition.model import (
    CHOICE_TYPES,
    MAX_CHOICE_CODE_BYTES,
    SPECIAL_EXPORT_CODES,
    QuestionType,
)
from questionnaire.definition.source import KeyPath

CHOICE_CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]*$")

T = QuestionType
NUMBER_TYPES = frozenset({T.INTEGER, T.DECIMAL, T.RATING})
DATE_TYPES = frozenset({T.DATE, T.YEAR_MONTH})
BOUNDED_TYPES = NUMBER_TYPES | DATE_TYPES
TEXT_TYPES = frozenset({T.TEXT, T.LONG_TEXT})

#: Optional keys and the types that take them.
_KEYS_FOR_TYPES: dict[str, frozenset[QuestionType]] = {
    "min": BOUNDED_TYPES,
    "max": BOUNDED_TYPES,
    "max_length": TEXT_TYPES,
    "pattern": TEXT_TYPES,
    "min_label": frozenset({T.RATING}),
    "max_label": frozenset({T.RATING}),
}

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ISO_MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}$")


def iso_bound(text: str) -> dt.date | None:
    """An ISO date (``2024-01-01``) or month (``2024-01``) bound; ``None`` if not one."""
    try:
        if _ISO_DATE.match(text):
            return dt.date.fromisoformat(text)
        if _ISO_MONTH.match(text):
            return dt.date.fromisoformat(text + "-01")
    except ValueError:
        return None
    return None


def check_questions(ctx: CheckContext) -> None:
    """Every question's keys, choices and bounds, and every repeat."""
    for placed in ctx.placed_questions():
        _check_choices(ctx, placed)
        _check_keys(ctx, placed)
        _check_bounds(ctx, placed)
    for _, section, spath in ctx.sections():
        repeat = section.repeat
        if repeat is None:
            continue
        rpath: KeyPath = (*spath, "repeat")
        subject = {"kind": "repeat", "name": repeat.name}
        if (repeat.count is None) == (repeat.another is None):
            detail = (
                words(N_("definition.detail.count_and_another"))
                if repeat.count is not None
                else words(N_("definition.detail.neither_count_nor_another"))
            )
            advice = words(N_("definition.advice.count_or_another"))
            ctx.add("bad_repeat", rpath, at_key=True, detail=detail, advice=advice, subject=subject)
        if repeat.max < 1:
            ctx.add(
                "bad_repeat",
                (*rpath, "max"),
                detail=words(N_("definition.detail.repeat_max"), max=str(repeat.max)),
                advice=words(N_("definition.advice.repeat_max_at_least_one")),
                subject=subject,
            )


def _check_choices(ctx: CheckContext, placed: PlacedQuestion) -> None:
    q, path = placed.question, placed.path
    subject = question_subject(q)
    if q.type in CHOICE_TYPES and not q.choices:
        ctx.add("choices_missing", (*path, "type"), at_key=True, type=str(q.type), subject=subject)
    if q.type not in CHOICE_TYPES and q.choices:
        ctx.add(
            "choices_not_allowed",
            (*path, "choices"),
            at_key=True,
            type=str(q.type),
            subject=subject,
        )
        return
    codes: dict[str, int] = {}
    exports: dict[int, int] = {}
    specials = {str(s) for s in q.special}
    for k, choice in enumerate(q.choices):
        cpath: KeyPath = (*path, "choices", k)
        code = choice.code
        size = len(code.encode("utf-8"))
        if size > MAX_CHOICE_CODE_BYTES:
            ctx.add(
                "choice_code_too_long",
                (*cpath, "code"),
                value=code,
                size=str(size),
                subject=subject,
            )
        elif not CHOICE_CODE_PATTERN.match(code):
            ctx.add("bad_choice_code", (*cpath, "code"), value=code, subject=subject)
        if code in codes:
            first = str(codes[code])
            ctx.add(
                "duplicate_choice", (*cpath, "code"), value=code, first_line=first, subject=subject
            )
        elif code in specials:
            first = str(ctx.pos((*path, "special"), key=True).line)
            ctx.add(
                "duplicate_choice", (*cpath, "code"), value=code, first_line=first, subject=subject
            )
        codes.setdefault(code, ctx.pos((*cpath, "code")).line)
        if choice.exclusive and q.type != T.MULTIPLE_CHOICE:
            ctx.add(
                "exclusive_not_allowed",
                (*cpath, "exclusive"),
                at_key=True,
                value=code,
                subject=subject,
            )
        if choice.export is not None:
            epath: KeyPath = (*cpath, "export")
            if choice.export in SPECIAL_EXPORT_CODES.values():
                reason = words(N_("definition.reason.export_reserved"))
                ctx.add(
                    "duplicate_export",
                    epath,
                    value=str(choice.export),
                    reason=reason,
                    subject=subject,
                )
            elif choice.export in exports:
                line = exports[choice.export]
                reason = words(N_("definition.reason.export_taken"), line=str(line))
                ctx.add(
                    "duplicate_export",
                    epath,
                    value=str(choice.export),
                    reason=reason,
                    subject=subject,
                )
            exports.setdefault(choice.export, ctx.pos(epath).line)


def _check_keys(ctx: CheckContext, placed: PlacedQuestion) -> None:
    q, path = placed.question, placed.path
    subject = question_subject(q)
    qtype = str(q.type)
    given = q.model_fields_set
    for key, types in _KEYS_FOR_TYPES.items():
        if key in given and getattr(q, key) is not None and q.type not in types:
            ctx.add(
                "key_not_for_type", (*path, key), at_key=True, key=key, type=qtype, subject=subject
            )
    if q.type == T.NOTE:
        if q.required is not False:
            ctx.add(
                "key_not_for_type",
                (*path, "required"),
                at_key=True,
                key="required",
                type=qtype,
                subject=subject,
            )
        if q.constraints:
            ctx.add(
                "key_not_for_type",
                (*path, "constraints"),
                at_key=True,
                key="constraints",
                type=qtype,
                subject=subject,
            )
    if q.special and q.type in (T.NOTE, T.CONSENT):
        ctx.add("special_not_allowed", (*path, "special"), at_key=True, type=qtype, subject=subject)
    if q.pattern is not None and q.type in TEXT_TYPES:
        try:
            re.compile(q.pattern)
        except re.error as exc:
            ctx.add("bad_pattern", (*path, "pattern"), detail=str(exc), subject=subject)
    if q.max_length is not None and q.type in TEXT_TYPES and q.max_length < 1:
        detail = words(N_("definition.detail.max_length_at_least_one"))
        ctx.add(
            "bad_bounds",
            (*path, "max_length"),
            detail=detail,
            advice=words(_FIX_BOUNDS),
            subject=subject,
        )


_FIX_BOUNDS = N_("definition.advice.fix_bounds")


def _check_bounds(ctx: CheckContext, placed: PlacedQuestion) -> None:
    q, path = placed.question, placed.path
    subject = question_subject(q)
    if q.type in NUMBER_TYPES:
        for key in ("min", "max"):
            bound = getattr(q, key)
            if isinstance(bound, str) or (q.type == T.RATING and isinstance(bound, float)):
                what = words(N_("definition.word.whole_number"))
                if q.type != T.RATING:
                    what = words(N_("definition.word.number"))
                detail = words(
                    N_("definition.detail.bound_must_be"), key=key, type=str(q.type), what=what
                )
                ctx.add(
                    "bad_bounds",
                    (*path, key),
                    detail=detail,
                    advice=words(_FIX_BOUNDS),
                    subject=subject,
                )
        if q.type == T.RATING and (q.min is None or q.max is None):
            detail = words(N_("definition.detail.rating_needs_bounds"))
            advice = words(N_("definition.advice.rating_bounds"))
            ctx.add(
                "bad_bounds",
                (*path, "type"),
                at_key=True,
                detail=detail,
                advice=advice,
                subject=subject,
            )
        low, high = q.min, q.max
        if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            _reversed(ctx, path, str(low), str(high), subject)
    elif q.type in DATE_TYPES:
        for key in ("min", "max"):
            bound = getattr(q, key)
            if isinstance(bound, int | float):
                detail = words(N_("definition.detail.date_bound"), key=key, type=str(q.type))
                advice = words(N_("definition.advice.date_bound"))
                ctx.add("bad_bounds", (*path, key), detail=detail, advice=advice, subject=subject)
        if isinstance(q.min, str) and isinstance(q.max, str):
            low_day, high_day = iso_bound(q.min), iso_bound(q.max)
            if low_day is not None and high_day is not None and low_day > high_day:
                _reversed(ctx, path, q.min, q.max, subject)


def _reversed(
    ctx: CheckContext, path: KeyPath, low: str, high: str, subject: Mapping[str, Param]
) -> None:
    detail = words(N_("definition.detail.min_above_max"), low=low, high=high)
    ctx.add("bad_bounds", (*path, "min"), detail=detail, advice=words(_FIX_BOUNDS), subject=subject)
