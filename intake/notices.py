"""Notices: an error or a warning as a channel receives it.

Every notice carries its code and parameters (for tests and for channels that
want to lay it out themselves) and the sentence already rendered in the
respondent's language, so that the web and the chat say the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from intake.messages import intake_message
from questionnaire.answers.messages import message
from questionnaire.answers.reading import AnswerError, render_error


@dataclass(frozen=True)
class Notice:
    """One error or warning about a submission."""

    #: ``below_min``, ``constraint``, ``required``, ``path_not_open``, ...
    code: str
    #: What the message needs (bounds, the constraint's text, ...).
    params: Mapping[str, object] = field(default_factory=dict)
    #: The message in the respondent's language.
    text: str = ""
    #: The answer path it is about, if any.
    path: str | None = None
    #: A warning: giving the same answer again is accepted.
    soft: bool = False


def answer_notice(error: AnswerError, language: str, path: str) -> Notice:
    """The notice of an answer error; a soft one reads as a warning."""
    text = render_error(error, language)
    if error.soft:
        text = message("warning.prefix", language, text=text)
    return Notice(code=error.code, params=dict(error.params), text=text, path=path, soft=error.soft)


def intake_notice(code: str, language: str, path: str | None = None, /, **params: object) -> Notice:
    """A notice from the intake catalogue (:mod:`intake.messages`)."""
    all_params = dict(params)
    if path is not None:
        all_params.setdefault("path", path)
    return Notice(
        code=code,
        params=all_params,
        text=intake_message(code, language, **all_params),
        path=path,
    )
