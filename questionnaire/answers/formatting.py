"""Answer values as a respondent reads them, in French or English.

Dates read "12 mars 2025" / "March 12, 2025", months "mars 2025" /
"March 2025", numbers use the language's decimal mark, choice codes become
their labels and special answers their catalogue labels ("Je ne sais pas").
Used to pipe earlier answers into labels, to show bounds in error messages
and to summarise answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final

from questionnaire.answers.messages import language_of, message
from questionnaire.definition.model import Question, QuestionType
from questionnaire.definition.values import SKIPPED, Special, Value, YearMonth

MONTH_NAMES: Final[Mapping[str, tuple[str, ...]]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

#: French groups thousands with a no-break space, English with a comma.
_GROUPING: Final = {"fr": "\u00a0", "en": ","}
_DECIMAL_MARK: Final = {"fr": ",", "en": "."}


def local_text(text: Mapping[str, str], language: str) -> str:
    """A ``LocalText`` in ``language``, else in French, else in its first language."""
    if language in text:
        return text[language]
    base = language_of(language)
    if base in text:
        return text[base]
    return next(iter(text.values()), "")


def format_date(day: dt.date, language: str) -> str:
    """``12 mars 2025``, ``1er mars 2025`` / ``March 12, 2025``."""
    lang = language_of(language)
    month = MONTH_NAMES[lang][day.month - 1]
    if lang == "en":
        return f"{month} {day.day}, {day.year}"
    return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"


def format_year_month(month: YearMonth, language: str) -> str:
    """``mars 2025`` / ``March 2025``."""
    return f"{MONTH_NAMES[language_of(language)][month.month - 1]} {month.year}"


def format_number(number: int | float, language: str) -> str:
    """``1 200`` and ``3,5`` in French, ``1,200`` and ``3.5`` in English.

    Floats show the shortest digits that read back as the same number; whole
    floats show no decimals (``3.0`` -> ``3``).
    """
    lang = language_of(language)
    negative = number < 0
    magnitude = abs(number)
    if isinstance(magnitude, float) and not magnitude.is_integer():
        text = repr(magnitude)
        if "e" in text or "inf" in text or "nan" in text:
            text = f"{magnitude:.6f}".rstrip("0").rstrip(".")
        whole, _, fraction = text.partition(".")
    else:
        whole, fraction = str(int(magnitude)), ""
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = _GROUPING[lang].join(groups)
    if fraction:
        text += _DECIMAL_MARK[lang] + fraction
    return f"-{text}" if negative else text


def special_label(special: Special | str, language: str) -> str:
    """``Je ne sais pas`` / ``Don't know``; ``Je préfère ne pas répondre`` / ..."""
    code = special.code if isinstance(special, Special) else special
    return message(f"special.{code}", language)


def choice_label(question: Question, code: str, language: str) -> str:
    """The label of one of the question's answers; an unknown code stays itself."""
    if question.type in (QuestionType.YES_NO, QuestionType.CONSENT) and code in ("yes", "no"):
        prefix = "consent" if question.type == QuestionType.CONSENT else "yes_no"
        return message(f"{prefix}.{code}", language)
    for choice in question.choices:
        if choice.code == code:
            return local_text(choice.label, language)
    return code


def format_plain(value: object, language: str) -> str:
    """Any value an expression or a bound may give, without a question to label it."""
    if value is None or value is SKIPPED:
        return message("value.skipped", language)
    if isinstance(value, bool):
        return message("yes_no.yes" if value else "yes_no.no", language)
    if isinstance(value, Special):
        return special_label(value, language)
    if isinstance(value, int | float):
        return format_number(value, language)
    if isinstance(value, YearMonth):
        return format_year_month(value, language)
    if isinstance(value, dt.date):
        return format_date(value, language)
    if isinstance(value, tuple | list):
        return ", ".join(format_plain(item, language) for item in value)
    return str(value)


def format_value(value: Value, question: Question | None, language: str) -> str:
    """An answer as the respondent reads it.

    Choice codes become labels (several joined with ", "), yes/no and consent
    answers their catalogue words, special answers "Je ne sais pas" / "Don't
    know", an unanswered question "(sans réponse)" / "(no answer)".
    """
    if question is not None and isinstance(value, str):
        return choice_label(question, value, language)
    if question is not None and isinstance(value, tuple):
        return ", ".join(choice_label(question, code, language) for code in value)
    return format_plain(value, language)
