"""Errors of the intake service: values with a code and parameters.

A channel shows :func:`render_intake_error` in the respondent's language; tests
assert on :attr:`IntakeError.code`. Answer errors (a number out of range, an
unknown choice) are not raised: they come back inside a
:class:`intake.turns.Turn` as a :class:`intake.turns.Notice`.
"""

from __future__ import annotations

from collections.abc import Mapping

from intake.messages import intake_message


class IntakeError(Exception):
    """An operation that cannot be carried out (unknown response, closed response, ...).

    A plain exception rather than a frozen dataclass: the interpreter sets
    ``__traceback__`` on exceptions as they propagate.
    """

    def __init__(self, code: str, params: Mapping[str, object] | None = None) -> None:
        super().__init__(code)
        #: The catalogue code (:mod:`intake.messages`).
        self.code = code
        #: What the message needs.
        self.params: Mapping[str, object] = dict(params or {})

    def __repr__(self) -> str:
        return f"IntakeError({self.code!r}, {dict(self.params)!r})"

    def __str__(self) -> str:
        return render_intake_error(self, "en")


def render_intake_error(error: IntakeError, language: str) -> str:
    """The message of ``error`` in ``language`` (``fr`` or ``en``)."""
    return intake_message(error.code, language, **error.params)
