"""Errors of the expression language: a code, a message and a position.

Every problem with an expression, whether found while reading it, while
checking its types against a questionnaire or while evaluating it, is an
:class:`ExpressionError`. The loader turns it into a definition error whose
column is ``offset + 1`` within the expression's text.
"""

from __future__ import annotations

#: Every code an :class:`ExpressionError` may carry, with what it means.
ERROR_CODES: dict[str, str] = {
    "syntax": "the text is not a well-formed expression",
    "unexpected_end": "the expression stops before it is complete",
    "bad_number": "a number is too large to be represented",
    "bad_date_literal": "date(...) needs one quoted date written YYYY-MM-DD",
    "unknown_function": "a call to a function the language does not have",
    "wrong_arity": "a function called with the wrong number of arguments",
    "too_complex": "the expression is too long or too deeply nested",
    "unknown_name": "a name that is neither a question, a calculation nor a context name",
    "type_mismatch": "values of kinds that cannot be combined this way",
    "unknown_choice_code": "a choice question compared with a code it does not declare",
    "not_a_repeat": "count(r, ...) or sum(r, ...) where r is not a repeat",
}


class ExpressionError(Exception):
    """A problem with an expression.

    ``code`` is one of :data:`ERROR_CODES`; ``message`` (English, for
    definition authors) says what is wrong and how to fix it; ``offset`` is
    the 0-based character position in the expression's text.
    """

    code: str
    message: str
    offset: int

    def __init__(self, code: str, message: str, offset: int = 0) -> None:
        super().__init__(code, message, offset)
        self.code = code
        self.message = message
        self.offset = offset

    def __str__(self) -> str:
        return f"{self.message} [{self.code} at character {self.offset + 1}]"
