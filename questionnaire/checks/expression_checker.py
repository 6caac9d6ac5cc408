"""Parsing and type-checking one expression, and reporting its problems.

:class:`ExpressionChecker` turns :class:`~questionnaire.expressions.ExpressionError`
codes into definition error codes, with the column of the offending character
when the expression is written on one line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from i18n import N_
from questionnaire.checks.context import CheckContext
from questionnaire.definition.errors import Param, words
from questionnaire.definition.source import KeyPath
from questionnaire.expressions import (
    Expr,
    ExpressionError,
    ExprType,
    Kind,
    check_types,
    parse_expression,
)

Env = dict[str, ExprType]

_SYNTAX_CODES = frozenset(
    {
        "syntax",
        "unexpected_end",
        "bad_number",
        "bad_date_literal",
        "unknown_function",
        "wrong_arity",
        "too_complex",
    }
)
_CODE_MAP = {
    "unknown_name": "unknown_reference",
    "type_mismatch": "type_mismatch",
    "not_a_repeat": "type_mismatch",
    "unknown_choice_code": "unknown_choice_code",
}
_NAME_AT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

CONDITION = frozenset({Kind.BOOL})
NUMBER = frozenset({Kind.NUMBER})
FIGURE = frozenset({Kind.NUMBER, Kind.BOOL})


@dataclass
class ExpressionChecker:
    """Parses and type-checks expressions of one survey, reporting problems."""

    ctx: CheckContext
    #: Repeat member -> repeat name, for helpful messages.
    members: Mapping[str, str]

    def check(
        self,
        text: str,
        path: KeyPath,
        env: Mapping[str, ExprType],
        expected: frozenset[Kind],
        key: Param,
        subject: Mapping[str, Param],
        question: str | None = None,
    ) -> tuple[Expr | None, ExprType | None]:
        """The tree and type of the expression at ``path``; ``(None, None)`` after an error.

        A result of an unexpected kind is reported but still returns the tree.
        """
        try:
            tree = parse_expression(text)
        except ExpressionError as exc:
            self._report(exc, text, path, env, key, subject, question)
            return None, None
        try:
            found = check_types(tree, env)
        except ExpressionError as exc:
            self._report(exc, text, path, env, key, subject, question)
            return None, None
        if found.kind not in expected | {Kind.ANY, Kind.NULL}:
            detail = words(
                N_("definition.detail.gives_instead"),
                found=found.describe(),
                wanted=words(_EXPECTED_WORDS[expected]),
            )
            self.ctx.add(
                "type_mismatch", path, question=question, detail=detail, key=key, subject=subject
            )
        return tree, found

    def _report(
        self,
        exc: ExpressionError,
        text: str,
        path: KeyPath,
        env: Mapping[str, ExprType],
        key: Param,
        subject: Mapping[str, Param],
        question: str | None,
    ) -> None:
        start = self.ctx.positions.text_at(path)
        at = start.model_copy(update={"column": start.column + exc.offset}) if start else None
        if exc.code in _SYNTAX_CODES:
            code = "expression_syntax"
        else:
            code = _CODE_MAP.get(exc.code, "type_mismatch")
        if code != "unknown_reference":
            self.ctx.add(
                code, path, at=at, question=question, detail=exc.message, key=key, subject=subject
            )
            return
        match = _NAME_AT.match(text, exc.offset)
        name = match.group(0) if match else "?"
        if name in self.ctx.left_out:
            return
        advice = self._reference_advice(name, env)
        self.ctx.add(
            code,
            path,
            at=at,
            question=question,
            value=name,
            advice=advice,
            key=key,
            subject=subject,
        )

    def _reference_advice(self, name: str, env: Mapping[str, ExprType]) -> dict[str, str]:
        repeat = self.members.get(name)
        if repeat is not None:
            return words(N_("definition.advice.repeat_member"), name=name, repeat=repeat)
        if name == "reference_date":
            return words(N_("definition.advice.set_reference_period"))
        if name in ("value", "index"):
            return words(N_("definition.advice.value_or_index"), name=name)
        close = difflib.get_close_matches(name, list(env), n=1, cutoff=0.7)
        if close:
            return words(N_("definition.advice.did_you_mean"), name=close[0])
        return words(N_("definition.advice.name_something_defined"))


_EXPECTED_WORDS: Mapping[frozenset[Kind], str] = {
    CONDITION: N_("definition.word.condition"),
    NUMBER: N_("definition.word.number"),
    FIGURE: N_("definition.word.number_or_condition"),
    frozenset({Kind.DATE}): N_("definition.word.date"),
    frozenset({Kind.DATE, Kind.YEAR_MONTH}): N_("definition.word.date_or_month"),
}
