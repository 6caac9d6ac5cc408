"""Order checks: forward references and questions that can never be asked.

A ``relevant`` (of a question or a section) or a repeat ``count`` is
evaluated when the respondent reaches it, so it may only use questions asked
before it (through calculations too). Inside a repeat, a question may use the
same instance's earlier questions.

A question is unreachable when its ``relevant`` (or its section's) can never
be true: it is false without reading any answer (``false``, ``1 == 2``), or
it reads only questions that are themselves never asked, which are null.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from i18n import N_
from questionnaire.checks.context import CheckContext, PlacedQuestion
from questionnaire.definition.errors import Param, words
from questionnaire.definition.model import SourcePos
from questionnaire.definition.source import KeyPath
from questionnaire.expressions import Expr, ExpressionError, evaluate, truthy
from questionnaire.expressions.nodes import Name


class _NeverAskedScope:
    """A scope where only never-asked questions (null) and calculations are known."""

    def __init__(self, never: set[str], calculations: Mapping[str, Expr]) -> None:
        self.never = never
        self.calculations = calculations
        self._active: set[str] = set()

    def lookup(self, name: str) -> object:
        if name in self.never:
            return None
        tree = self.calculations.get(name)
        if tree is None or name in self._active:
            raise KeyError(name)
        self._active.add(name)
        try:
            return evaluate(tree, self)
        finally:
            self._active.discard(name)

    def is_repeat(self, name: str) -> bool:
        return False

    def instances(self, repeat: str) -> Sequence[_NeverAskedScope]:
        raise KeyError(repeat)


def never_true(tree: Expr, never: set[str], calculations: Mapping[str, Expr]) -> bool:
    """Whether ``tree`` is false whatever the answers, given never-asked questions."""
    try:
        return not truthy(evaluate(tree, _NeverAskedScope(never, calculations)))
    except (ExpressionError, KeyError):
        return False  # it reads something known only when answering


def _question_names(
    refs: frozenset[str], calculations: Mapping[str, Expr], seen: set[str] | None = None
) -> dict[str, str]:
    """Names ``refs`` read, through calculations: name read -> name written."""
    seen = set() if seen is None else seen
    found: dict[str, str] = {}
    for ref in refs:
        tree = calculations.get(ref)
        if tree is None:
            found.setdefault(ref, ref)
        elif ref not in seen:
            seen.add(ref)
            for name in _question_names(tree.references(), calculations, seen):
                found.setdefault(name, ref)
    return found


@dataclass
class _Order:
    """Where each question and repeat stands, to catch forward references."""

    ctx: CheckContext
    calculations: Mapping[str, Expr]
    #: Question name -> order; repeat name -> order of its last question.
    position: dict[str, int]

    def forward(
        self, tree: Expr, at: int, path: KeyPath, subject: dict[str, Param], key: str
    ) -> None:
        """Report each name ``tree`` reads that is asked at or after ``at``."""
        question = subject["name"] if subject["kind"] == "question" else None
        for name, written in sorted(_question_names(tree.references(), self.calculations).items()):
            position = self.position.get(name)
            if position is not None and position >= at:
                self.ctx.add(
                    "forward_reference",
                    path,
                    at=self._name_position(tree, written, path),
                    question=question if isinstance(question, str) else None,
                    key=key,
                    value=written,
                    subject=subject,
                )

    def _name_position(self, tree: Expr, name: str, path: KeyPath) -> SourcePos | None:
        """Where ``name`` is written in the one-line expression at ``path``."""
        start = self.ctx.positions.text_at(path)
        offsets = [n.offset for n in tree.walk() if isinstance(n, Name) and n.name == name]
        if start is None or not offsets:
            return None
        return start.model_copy(update={"column": start.column + min(offsets)})


def check_reach(
    ctx: CheckContext, trees: Mapping[KeyPath, Expr], calculations: Mapping[str, Expr]
) -> None:
    """Report forward references and unreachable questions and sections."""
    placed = ctx.placed_questions()
    position: dict[str, int] = {}
    for p in placed:
        if p.repeat is not None:
            position[p.repeat] = p.order
    position.update((p.question.name, p.order) for p in placed)
    order = _Order(ctx, calculations, position)
    starts = _section_starts(ctx, placed)
    never: set[str] = set()
    for i, section, spath in ctx.sections():
        ssubject: dict[str, Param] = {"kind": "section", "name": section.name}
        closed = False
        relevant = trees.get((*spath, "relevant"))
        if relevant is not None:
            order.forward(relevant, starts[i], (*spath, "relevant"), ssubject, "relevant")
            closed = never_true(relevant, never, calculations)
            if closed:
                reason = _reason(relevant, never)
                ctx.add(
                    "unreachable_question", (*spath, "relevant"), reason=reason, subject=ssubject
                )
        count = trees.get((*spath, "repeat", "count"))
        if count is not None and section.repeat is not None:
            rsubject: dict[str, Param] = {"kind": "repeat", "name": section.repeat.name}
            order.forward(count, starts[i], (*spath, "repeat", "count"), rsubject, "count")
        for p in (p for p in placed if p.section_index == i):
            if closed:
                never.add(p.question.name)
            else:
                _check_question(order, p, trees, never)


def _check_question(
    order: _Order, p: PlacedQuestion, trees: Mapping[KeyPath, Expr], never: set[str]
) -> None:
    path: KeyPath = (*p.path, "relevant")
    tree = trees.get(path)
    if tree is None:
        return
    subject: dict[str, Param] = {"kind": "question", "name": p.question.name}
    order.forward(tree, p.order, path, subject, "relevant")
    if never_true(tree, never, order.calculations):
        never.add(p.question.name)
        order.ctx.add(
            "unreachable_question",
            path,
            question=p.question.name,
            reason=_reason(tree, never),
            subject=subject,
        )


def _reason(tree: Expr, never: set[str]) -> dict[str, str]:
    unasked = sorted(tree.references() & never)
    if unasked:
        names = ", ".join(f"'{n}'" for n in unasked)
        return words(N_("definition.reason.reads_never_asked"), names=names)
    return words(N_("definition.reason.always_false"))


def _section_starts(ctx: CheckContext, placed: list[PlacedQuestion]) -> list[int]:
    """The order of each section's first question (or of the next one if empty)."""
    starts: list[int] = []
    for i, _section, _path in ctx.sections():
        first = next((p.order for p in placed if p.section_index >= i), len(placed))
        starts.append(first)
    return starts
