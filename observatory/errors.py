"""Why an analyst operation did not happen: a code, its parameters, and the problems found.

Every operation of :mod:`observatory` either returns its result or raises one
:class:`ObservatoryError`. A channel renders it in the reader's language (the
command prints it, a page shows it, the API returns ``code`` and ``params``);
it never parses the text. Errors of the rooms below (storage, the statistics
engine) are wrapped, keeping their code and their own words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from i18n import N_, translate

#: Codes of the observatory's own errors (message ids ``observatory.<code>``).
CODES = (
    N_("observatory.unknown_survey"),
    N_("observatory.unknown_municipality"),
    N_("observatory.campaign_code_taken"),
    N_("observatory.campaign_code_invalid"),
    N_("observatory.no_campaign"),
    N_("observatory.benchmarks_rejected"),
    N_("observatory.bad_idle_days"),
    N_("observatory.bad_export_days"),
    N_("observatory.unknown_rules"),
    N_("observatory.definitions_rejected"),
)


class Renderable(Protocol):
    """A problem that says itself in a language (a CSV line error, a storage error)."""

    def render(self, language: str) -> str: ...


class ObservatoryError(Exception):
    """An operation refused or failed: ``code`` (stable), ``params``, and ``problems``.

    ``problems`` are the individual findings behind the error (each line of a
    rejected benchmark file), rendered one per line before the message.
    """

    def __init__(
        self,
        code: str,
        params: Mapping[str, Any] | None = None,
        *,
        problems: Sequence[Renderable] = (),
        words: Callable[[str], str] | None = None,
    ) -> None:
        self.code = code
        self.params: Mapping[str, Any] = dict(params or {})
        self.problems = tuple(problems)
        self._words = words
        super().__init__(code)

    def __str__(self) -> str:
        return self.render("en")

    def render(self, language: str) -> str:
        """The message in ``language`` (``fr`` or ``en``)."""
        if self._words is not None:
            return self._words(language)
        msgid = "observatory." + self.code
        return translate(language, msgid, **self.params)

    def problem_lines(self, language: str) -> list[str]:
        """Each problem's line in ``language``."""
        return [problem.render(language) for problem in self.problems]


class _Coded(Protocol):
    code: str
    params: Mapping[str, Any]


def wrapped(error: Exception, words: Callable[[str], str]) -> ObservatoryError:
    """An :class:`ObservatoryError` speaking with the words of ``error`` from a room below."""
    coded: _Coded | Any = error
    return ObservatoryError(
        str(getattr(coded, "code", type(error).__name__)),
        getattr(coded, "params", None),
        words=words,
    )
