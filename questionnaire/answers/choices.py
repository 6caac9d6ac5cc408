"""Choices as respondents give them: codes, numbers, labels, prefixes, synonyms.

Every question that offers a fixed list of answers (single and multiple
choice, yes/no, consent, and the special answers of any question) exposes it
as numbered :class:`Option` values; both channels show the same numbering
(:func:`choice_number_map`). A typed answer matches an option by, in order:
its code; its number (choice-like questions only); its label or a synonym in
French or English, ignoring case, accents and punctuation; a unique prefix of
at least three characters of a label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from questionnaire.answers.errors import AnswerError
from questionnaire.answers.formatting import local_text
from questionnaire.answers.messages import labels
from questionnaire.answers.text import normalise
from questionnaire.definition.model import LocalText, Question, QuestionType, SpecialCode

#: Shortest typed text that may select a choice by the start of its label.
MIN_PREFIX: Final = 3

#: Ways of giving a special answer besides its label, normalised.
SPECIAL_SYNONYMS: Final[dict[SpecialCode, frozenset[str]]] = {
    SpecialCode.DONT_KNOW: frozenset(
        {
            "dont know",
            "don t know",
            "do not know",
            "i don t know",
            "i dont know",
            "i do not know",
            "dk",
            "not sure",
            "je ne sais pas",
            "je sais pas",
            "sais pas",
            "ne sais pas",
            "ne sait pas",
            "j sais pas",
            "nsp",
        }
    ),
    SpecialCode.PREFER_NOT: frozenset(
        {
            "prefer not",
            "prefer not to say",
            "prefer not to answer",
            "i prefer not to answer",
            "rather not say",
            "i d rather not say",
            "refuse",
            "refused",
            "refusal",
            "refus",
            "je refuse de repondre",
            "prefere ne pas repondre",
            "je prefere ne pas repondre",
            "nrp",
        }
    ),
}

#: Synonyms of yes and no beyond their labels (normalised).
_YES_NO_SYNONYMS: Final = {
    "yes": frozenset({"oui", "o", "yes", "y", "yep", "yeah", "ouais", "vrai", "true"}),
    "no": frozenset({"non", "n", "no", "nope", "faux", "false"}),
}
_CONSENT_SYNONYMS: Final = {
    "yes": _YES_NO_SYNONYMS["yes"]
    | frozenset({"j accepte", "accepte", "i agree", "agree", "i accept", "accept", "d accord"}),
    "no": _YES_NO_SYNONYMS["no"]
    | frozenset(
        {"je refuse", "refuse", "je n accepte pas", "i do not agree", "i don t agree", "decline"}
    ),
}


@dataclass(frozen=True)
class Option:
    """One answer a question offers, numbered as both channels show it."""

    number: int
    #: A choice code, ``"yes"``/``"no"``, or a special answer's code.
    code: str
    #: Its label in every language.
    label: LocalText
    special: bool = False
    exclusive: bool = False
    #: Normalised words that select it exactly (labels, code, synonyms).
    names: frozenset[str] = frozenset()


def _names(code: str, label: LocalText, synonyms: Iterable[str] = ()) -> frozenset[str]:
    words = {normalise(code), *(normalise(text) for text in label.values()), *synonyms}
    return frozenset(w for w in words if w)


def special_options(question: Question, start: int) -> list[Option]:
    """The special answers the question offers, numbered from ``start``."""
    options = []
    for offset, special in enumerate(question.special):
        label = labels(f"special.{special}")
        names = _names(special, label, SPECIAL_SYNONYMS[special])
        options.append(Option(start + offset, str(special), label, True, True, names))
    return options


#: Options already built, by question identity. Definitions are frozen, so a
#: question's options never change; the question is kept beside them so that its
#: id cannot be reused by another object while the entry lives.
_BUILT: dict[int, tuple[Question, tuple[Option, ...]]] = {}
_BUILT_LIMIT = 4096


def answer_options(question: Question) -> list[Option]:
    """Every option of the question: its choices (or yes/no), then its special answers."""
    found = _BUILT.get(id(question))
    if found is not None and found[0] is question:
        return list(found[1])
    options = _build_options(question)
    if len(_BUILT) >= _BUILT_LIMIT:
        _BUILT.clear()
    _BUILT[id(question)] = (question, tuple(options))
    return options


def _build_options(question: Question) -> list[Option]:
    options: list[Option] = []
    if question.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        for number, choice in enumerate(question.choices, start=1):
            names = _names(choice.code, choice.label)
            options.append(
                Option(number, choice.code, choice.label, False, choice.exclusive, names)
            )
    elif question.type in (QuestionType.YES_NO, QuestionType.CONSENT):
        prefix = "consent" if question.type == QuestionType.CONSENT else "yes_no"
        synonyms = _CONSENT_SYNONYMS if question.type == QuestionType.CONSENT else _YES_NO_SYNONYMS
        for number, code in enumerate(("yes", "no"), start=1):
            label = labels(f"{prefix}.{code}")
            options.append(Option(number, code, label, names=_names(code, label, synonyms[code])))
    if question.type != QuestionType.CONSENT:
        options.extend(special_options(question, len(options) + 1))
    return options


def choice_number_map(question: Question, language: str) -> list[tuple[int, str, str]]:
    """``(number shown, code, label)``: the choices, then the special answers, from 1.

    Yes/no and consent questions list yes (1) then no (2). Both channels show
    this numbering, and a typed number selects the same option.
    """
    return [(o.number, o.code, local_text(o.label, language)) for o in answer_options(question)]


def numbered_choices(options: Sequence[Option]) -> list[dict[str, object]]:
    """The ``choices`` parameter of ``unknown_choice``: plain data for the message."""
    return [{"number": o.number, "code": o.code, "label": dict(o.label)} for o in options]


class NoMatchError(Exception):
    """Raised by :func:`match_option` when nothing matches (callers pick the code)."""


def match_option(
    text: str, options: Sequence[Option], *, by_number: bool = True, by_prefix: bool = True
) -> Option:
    """The option ``text`` selects (by number and by label prefix only when asked).

    Raises :class:`NoMatchError` when none does and ``AnswerError("ambiguous_choice")``
    when a prefix starts the labels of several options.
    """
    stripped = text.strip()
    for option in options:
        if stripped == option.code:
            return option
    words = normalise(stripped)
    if not words:
        raise NoMatchError(text)
    if by_number and re.fullmatch(r"[0-9]{1,4}", words):
        for option in options:
            if option.number == int(words):
                return option
        raise NoMatchError(text)
    for option in options:
        if words in option.names:
            return option
    if by_prefix and len(words) >= MIN_PREFIX:
        found = [
            o for o in options if any(normalise(t).startswith(words) for t in o.label.values())
        ]
        if len(found) == 1:
            return found[0]
        if found:
            raise AnswerError("ambiguous_choice", {"matches": [dict(o.label) for o in found]})
    raise NoMatchError(text)


def offered_special(text: str, question: Question) -> SpecialCode | None:
    """The special answer ``text`` names exactly, among those the question offers."""
    try:
        option = match_option(text, special_options(question, 1), by_number=False, by_prefix=False)
    except (NoMatchError, AnswerError):
        return None
    return SpecialCode(option.code)


def any_special(text: str) -> SpecialCode | None:
    """The special answer ``text`` names exactly (code, label or synonym), offered or not."""
    words = normalise(text)
    for special in SpecialCode:
        if text.strip() == special or words in _names(
            special, labels(f"special.{special}"), SPECIAL_SYNONYMS[special]
        ):
            return special
    return None
