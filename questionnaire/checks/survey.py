"""Checks that relate the parts of a well-shaped definition to each other.

:func:`check_survey` runs them all and returns every problem: names
(:func:`check_names`), question keys by type (:mod:`questionnaire.checks.questions`),
texts and piping (:mod:`questionnaire.checks.texts`), expressions
(:mod:`questionnaire.checks.expressions`) and weighting (:func:`check_weighting`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from i18n import N_
from questionnaire.checks.context import CheckContext
from questionnaire.checks.expressions import check_expressions
from questionnaire.checks.questions import check_questions
from questionnaire.checks.texts import check_texts
from questionnaire.definition.error_catalogue import SUBJECT_WORDS
from questionnaire.definition.errors import DefinitionError, words
from questionnaire.definition.model import QuestionType, SourcePos, Survey
from questionnaire.definition.source import KeyPath, SourceMap
from questionnaire.expressions import RESERVED_WORDS, ExprType, Kind

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

#: Names no question, section, repeat or calculation may take: the words and
#: functions of the expression language and its context names.
RESERVED_NAMES = RESERVED_WORDS | frozenset(
    {"value", "index", "today", "reference_date", "reference_month", "language", "channel"}
)


def check_survey(
    survey: Survey, positions: SourceMap, left_out: frozenset[str] = frozenset()
) -> list[DefinitionError]:
    """Every problem found by the checks, in no particular order."""
    ctx = CheckContext(survey, positions, left_out)
    check_names(ctx)
    check_questions(ctx)
    check_texts(ctx)
    calculation_types = check_expressions(ctx)
    check_weighting(ctx, calculation_types)
    return ctx.errors


def suggest_name(name: str) -> str:
    """A lower snake case spelling of ``name``: ``"Walk Alone"`` -> ``walk_alone``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    text = re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")
    if not text:
        return "name"
    return text if text[0].isalpha() else f"q_{text}"


def _check_name(ctx: CheckContext, name: str, path: KeyPath, question: str | None) -> bool:
    """Report a malformed or reserved name; whether it is sound."""
    if not NAME_PATTERN.match(name):
        ctx.add("bad_name", path, question=question, value=name, suggestion=suggest_name(name))
        return False
    if name in RESERVED_NAMES:
        ctx.add("reserved_name", path, question=question, value=name)
        return False
    return True


def check_names(ctx: CheckContext) -> None:
    """Names well formed, not reserved, and unique across questions, sections,
    repeats and calculations (indicators among themselves)."""
    survey = ctx.survey
    if not NAME_PATTERN.match(survey.id):
        ctx.add("bad_name", ("id",), value=survey.id, suggestion=suggest_name(survey.id))
    taken: dict[str, tuple[str, SourcePos]] = {}

    def claim(name: str, kind: str, path: KeyPath, question: str | None = None) -> None:
        if not _check_name(ctx, name, path, question):
            return
        pos = ctx.pos(path)
        if name in taken:
            other_kind, first = taken[name]
            ctx.add(
                "duplicate_name",
                path,
                question=question,
                value=name,
                other=SUBJECT_WORDS[other_kind],
                first_line=str(first.line),
                first_file=first.file,
            )
        else:
            taken[name] = (kind, pos)

    for _, section, spath in ctx.sections():
        claim(section.name, "section", (*spath, "name"))
        if section.repeat is not None:
            claim(section.repeat.name, "repeat", (*spath, "repeat", "name"))
        members: set[str] = set()
        for j, question in enumerate(section.questions):
            qpath: KeyPath = (*spath, "questions", j, "name")
            claim(question.name, "question", qpath, question.name)
            members.add(question.name)
        repeat = section.repeat
        if repeat is not None and repeat.another is not None and "another" in members:
            j = next(j for j, q in enumerate(section.questions) if q.name == "another")
            ctx.add(
                "duplicate_name",
                (*spath, "questions", j, "name"),
                question="another",
                value="another",
                other=SUBJECT_WORDS["repeat"],
                first_line=str(ctx.pos((*spath, "repeat", "another"), key=True).line),
                first_file=ctx.pos((*spath, "repeat", "another"), key=True).file,
            )
    for k, calculation in enumerate(survey.calculations):
        claim(calculation.name, "calculation", ("calculations", k, "name"))
    indicators: dict[str, SourcePos] = {}
    for k, indicator in enumerate(survey.indicators):
        path: KeyPath = ("indicators", k, "name")
        if not _check_name(ctx, indicator.name, path, None):
            continue
        if indicator.name in indicators:
            first = indicators[indicator.name]
            ctx.add(
                "duplicate_name",
                path,
                value=indicator.name,
                other=SUBJECT_WORDS["indicator"],
                first_line=str(first.line),
                first_file=first.file,
            )
        else:
            indicators[indicator.name] = ctx.pos(path)


_CATEGORICAL_CALCULATION = frozenset({Kind.TEXT, Kind.CHOICE, Kind.ANY})


def check_weighting(ctx: CheckContext, calculation_types: Mapping[str, ExprType]) -> None:
    """Domain and margins name respondent-level categorical questions or calculations."""
    weighting = ctx.survey.weighting
    if weighting is None:
        return
    placed = {p.question.name: p for p in ctx.placed_questions()}
    named: list[tuple[str, KeyPath]] = [(weighting.domain, ("weighting", "domain"))]
    for m, margin in enumerate(weighting.margins):
        mpath: KeyPath = ("weighting", "margins", m)
        if not margin:
            ctx.add("bad_weighting", mpath, value=str(m + 1), reason=words(_EMPTY_MARGIN))
        seen: set[str] = set()
        for n, name in enumerate(margin):
            if name in seen:
                ctx.add("bad_weighting", (*mpath, n), value=str(m + 1), reason=words(_TWICE))
            seen.add(name)
            named.append((name, (*mpath, n)))
    for name, path in named:
        if name in ctx.left_out:
            continue
        where = placed.get(name)
        if where is not None and where.repeat is None:
            qtype = where.question.type
            if qtype != QuestionType.SINGLE_CHOICE:
                ctx.add("weighting_not_categorical", path, value=name, found=str(qtype))
        elif name in calculation_types:
            kind = calculation_types[name].kind
            if kind not in _CATEGORICAL_CALCULATION:
                found = words(N_("definition.word.calculation_giving"), kind=str(kind))
                ctx.add("weighting_not_categorical", path, value=name, found=found)
        else:
            ctx.add("weighting_unknown_question", path, value=name)


_EMPTY_MARGIN = N_("definition.reason.empty_margin")
_TWICE = N_("definition.reason.margin_names_twice")
