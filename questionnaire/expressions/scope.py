"""What an expression needs from a respondent's answers: a :class:`Scope`.

Implemented by :class:`questionnaire.answers.scope.AnswerScope` (and, in the
checks, by scopes that stand for "never asked"); the compiled form of an
expression is a function of a scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Scope(Protocol):
    """Names -> values for one respondent (and, inside a repeat, one instance)."""

    def lookup(self, name: str) -> object:
        """The raw answer value, or ``None`` when unanswered or not applicable.

        Raises ``KeyError`` for a name the questionnaire does not know.
        """
        ...

    def is_repeat(self, name: str) -> bool:
        """Whether ``name`` is a repeat (``incident``)."""
        ...

    def instances(self, repeat: str) -> Sequence[Scope]:
        """One scope per instance, where the repeat's questions name its answers."""
        ...
