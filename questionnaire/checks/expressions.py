"""Checks of every expression: syntax, names, types, order and cycles.

Each expression (``relevant``, constraints, eligibility rules, calculations,
repeat counts, indicators, date bounds written as expressions) is parsed and
type-checked against the names visible where it stands:

- everywhere: questions outside repeats, repeats (for ``count``/``sum``),
  calculations, ``today``, ``reference_month``, ``language``, ``channel``, and
  ``reference_date`` when ``reference_period_months`` is set;
- inside a repeat: also that repeat's questions and ``index``;
- in a constraint: also ``value``, the answer being checked.

Calculations are typed in dependency order; a cycle is an error.
``relevant`` and repeat counts may only look back (forward references are
errors), and a question whose ``relevant`` can never hold is reported by
:mod:`questionnaire.checks.reach`.
"""

from __future__ import annotations

from i18n import N_
from questionnaire.checks.calculations import check_calculations
from questionnaire.checks.context import CheckContext, PlacedQuestion
from questionnaire.checks.expression_checker import (
    CONDITION,
    FIGURE,
    NUMBER,
    Env,
    ExpressionChecker,
)
from questionnaire.checks.questions import DATE_TYPES, iso_bound
from questionnaire.checks.reach import check_reach
from questionnaire.definition.errors import Param, words
from questionnaire.definition.model import Section
from questionnaire.definition.source import KeyPath
from questionnaire.expressions import (
    Expr,
    ExprType,
    Kind,
    context_types,
    type_of_question,
    type_of_repeat,
)


def top_environment(ctx: CheckContext) -> Env:
    """Names visible outside repeats (calculations are added as they are typed)."""
    survey = ctx.survey
    env: Env = dict(context_types(survey.languages))
    if survey.reference_period_months is None:
        del env["reference_date"]
    for placed in ctx.placed_questions():
        if placed.repeat is None:
            env[placed.question.name] = type_of_question(placed.question)
    for name, section in ctx.repeat_sections().items():
        env[name] = type_of_repeat(section)
    for name in ctx.left_out:
        env.setdefault(name, ExprType(Kind.ANY))
    return env


def repeat_environment(top: Env, section: Section) -> Env:
    """Names visible inside a repeated section: ``top``, its questions, ``index``."""
    env = dict(top)
    env.update(type_of_repeat(section).members)
    return env


def check_expressions(ctx: CheckContext) -> dict[str, ExprType]:
    """Check every expression; the type of each calculation (``ANY`` if unknown)."""
    members = {
        q.name: name for name, section in ctx.repeat_sections().items() for q in section.questions
    }
    checker = ExpressionChecker(ctx, members)
    env = top_environment(ctx)
    calc_types, calc_trees = check_calculations(checker, env)
    env.update(calc_types)
    trees: dict[KeyPath, Expr] = {}
    for k, rule in enumerate(ctx.survey.eligibility):
        subject: dict[str, Param] = {"kind": "eligibility", "name": str(k + 1)}
        path: KeyPath = ("eligibility", k, "expression")
        checker.check(rule.expression, path, env, CONDITION, "expression", subject)
    for k, indicator in enumerate(ctx.survey.indicators):
        subject = {"kind": "indicator", "name": indicator.name}
        for key in ("numerator", "denominator"):
            path = ("indicators", k, key)
            checker.check(getattr(indicator, key), path, env, FIGURE, key, subject)
    for _, section, spath in ctx.sections():
        subject = {"kind": "section", "name": section.name}
        if section.relevant is not None:
            path = (*spath, "relevant")
            tree, found = checker.check(section.relevant, path, env, CONDITION, "relevant", subject)
            if tree is not None and found is not None:
                trees[path] = tree
        if section.repeat is not None and section.repeat.count is not None:
            path = (*spath, "repeat", "count")
            rsubject: dict[str, Param] = {"kind": "repeat", "name": section.repeat.name}
            tree, _ = checker.check(section.repeat.count, path, env, NUMBER, "count", rsubject)
            if tree is not None:
                trees[path] = tree
    for placed in ctx.placed_questions():
        local = env if placed.repeat is None else repeat_environment(env, placed.section)
        tree = _check_question(checker, placed, local)
        if tree is not None:
            trees[(*placed.path, "relevant")] = tree
    check_reach(ctx, trees, calc_trees)
    return calc_types


def _check_question(checker: ExpressionChecker, placed: PlacedQuestion, env: Env) -> Expr | None:
    """Check a question's relevant, constraints and date bounds; its relevant's tree."""
    q, path = placed.question, placed.path
    subject: dict[str, Param] = {"kind": "question", "name": q.name}
    tree = None
    if q.relevant is not None:
        tree, _ = checker.check(
            q.relevant, (*path, "relevant"), env, CONDITION, "relevant", subject, q.name
        )
    with_value = {**env, "value": type_of_question(q)}
    for k, constraint in enumerate(q.constraints):
        key = words(N_("definition.word.constraint_number"), number=str(k + 1))
        cpath: KeyPath = (*path, "constraints", k, "expression")
        checker.check(constraint.expression, cpath, with_value, CONDITION, key, subject, q.name)
    if q.type in DATE_TYPES:
        for key_name in ("min", "max"):
            bound = getattr(q, key_name)
            if isinstance(bound, str) and iso_bound(bound) is None:
                bpath: KeyPath = (*path, key_name)
                dates = frozenset({Kind.DATE, Kind.YEAR_MONTH})
                checker.check(bound, bpath, env, dates, key_name, subject, q.name)
    return tree
