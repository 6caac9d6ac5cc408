"""Answer values as a respondent reads them, in French or English.

Dates read "12 mars 2025" / "March 12, 2025", months "mars 2025" /
"March 2025", numbers use the language's decimal mark and grouping: all from
CLDR through :mod:`i18n.formats`, the one place Vigie writes dates and numbers.
Choice codes become their labels and special answers their catalogue labels
("Je ne sais pas").
Used to pipe earlier answers into labels, to show bounds in error messages
and to summarise answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from i18n import formats
from questionnaire.answers.messages import language_of, message
from questionnaire.definition.model import Question, QuestionType
from questionnaire.definition.values import SKIPPED, Special, Value, YearMonth


def local_text(text: Mapping[str, str], language: str) -> str:
    """A ``LocalText`` in ``language``, else in French, else in its first language."""
    if language in text:
        return text[language]
    base = language_of(language)
    if base in text:
        return text[base]
    return next(iter(text.values()), "")


def format_date(day: dt.date, language: str) -> str:
    """``12 mars 2025``, ``1er mars 2025`` / ``March 12, 2025`` (CLDR, :mod:`i18n.formats`)."""
    return formats.format_date(day, language)


def format_year_month(month: YearMonth, language: str) -> str:
    """``mars 2025`` / ``March 2025`` (CLDR, :mod:`i18n.formats`)."""
    return formats.format_year_month(month.year, month.month, language)


def format_number(number: int | float, language: str) -> str:
    """``1 200`` and ``3,5`` in French, ``1,200`` and ``3.5`` in English (:mod:`i18n.formats`).

    Floats show the shortest digits that read back as the same number; whole
    floats show no decimals (``3.0`` -> ``3``).
    """
    return formats.format_number(number, language)


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
