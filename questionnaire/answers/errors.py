"""Why an answer was not accepted: :class:`AnswerError`, and its message.

An error is a value: a code from the catalogue (``error.<code>`` in
:mod:`questionnaire.answers.messages`), plain-data parameters, and whether it is only
a warning. Channels show :func:`render_error` in the respondent's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from questionnaire.answers.formatting import format_plain, local_text
from questionnaire.answers.messages import message

#: Every code an AnswerError may carry, with the parameters it is raised with.
ERROR_PARAMS: Final[Mapping[str, frozenset[str]]] = {
    "required": frozenset(),
    "not_a_number": frozenset(),
    "not_an_integer": frozenset(),
    "number_too_large": frozenset(),
    "below_min": frozenset({"min"}),
    "above_max": frozenset({"max"}),
    "too_long": frozenset({"length", "max_length"}),
    "pattern_mismatch": frozenset(),
    "unknown_choice": frozenset({"choices"}),
    "ambiguous_choice": frozenset({"matches"}),
    "exclusive_choice": frozenset({"choice"}),
    "too_many_choices": frozenset(),
    "invalid_date": frozenset(),
    "date_too_early": frozenset({"min"}),
    "date_too_late": frozenset({"max"}),
    "invalid_year_month": frozenset(),
    "not_yes_no": frozenset(),
    "not_consent": frozenset(),
    "constraint": frozenset({"message"}),
    "special_not_offered": frozenset({"special"}),
    "no_answer_expected": frozenset(),
}


class AnswerError(Exception):
    """An answer that cannot be accepted as given.

    ``code`` is a key of :data:`ERROR_PARAMS`. ``params`` hold plain data for
    the message: numbers, dates, :class:`~questionnaire.definition.values.YearMonth`,
    ``LocalText`` dicts (a constraint's message, a choice's label) and, for
    ``unknown_choice``, the numbered choices as
    ``[{"number": 1, "code": ..., "label": LocalText}]``. A ``soft`` error is a
    warning: the same answer given again with ``warned=True`` is accepted.
    The three are read-only.
    """

    def __init__(
        self, code: str, params: Mapping[str, object] | None = None, soft: bool = False
    ) -> None:
        plain = dict(params or {})
        super().__init__(code, plain, soft)
        self._code = code
        self._params: Mapping[str, object] = MappingProxyType(plain)
        self._soft = soft

    @property
    def code(self) -> str:
        return self._code

    @property
    def params(self) -> Mapping[str, object]:
        return self._params

    @property
    def soft(self) -> bool:
        return self._soft

    def __reduce__(self) -> tuple[type[AnswerError], tuple[str, dict[str, object], bool]]:
        return (AnswerError, (self.code, dict(self.params), self.soft))

    def __str__(self) -> str:
        kind = "warning" if self.soft else "error"
        return f"{kind} {self.code} {dict(self.params)!r}"

    def __repr__(self) -> str:
        return f"AnswerError({self.code!r}, {dict(self.params)!r}, soft={self.soft!r})"


def _is_local_text(value: object) -> bool:
    return (
        isinstance(value, Mapping)
        and bool(value)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    )


def _quoted(text: str, language: str) -> str:
    return message("quoted", language, text=text)


def display_param(name: str, value: object, language: str) -> str:
    """One parameter as the respondent reads it.

    ``choices`` become ``1. Label, 2. Label``; ``matches`` quoted labels; a
    ``LocalText`` its text in ``language``; numbers, dates and months are
    formatted for the language.
    """
    if name == "choices" and isinstance(value, list | tuple):
        entries = [
            f"{entry['number']}. {local_text(entry['label'], language)}"
            for entry in value
            if isinstance(entry, Mapping) and _is_local_text(entry.get("label"))
        ]
        return ", ".join(entries)
    if name == "matches" and isinstance(value, list | tuple):
        texts = [local_text(v, language) for v in value if _is_local_text(v)]
        return ", ".join(_quoted(text, language) for text in texts)
    if _is_local_text(value):
        assert isinstance(value, Mapping)
        return local_text(value, language)
    return format_plain(value, language)


def render_error(error: AnswerError, language: str) -> str:
    """The message a respondent reads for ``error``, in ``language`` (fr or en).

    Constraint messages come from the questionnaire (``params["message"]``).
    A soft error (a warning) is the bare sentence: channels show it inside the
    catalogue's ``warning.prefix`` (intake's notices do).
    """
    code = "required_soft" if error.code == "required" and error.soft else error.code
    params = {name: display_param(name, value, language) for name, value in error.params.items()}
    wanted = ERROR_PARAMS.get(error.code, frozenset())
    for name in wanted - params.keys():
        params[name] = ""
    return message(f"error.{code}", language, **{name: params[name] for name in wanted})
