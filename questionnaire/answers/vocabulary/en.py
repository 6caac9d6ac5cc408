"""English words respondents type for numbers and dates (parse vocabulary).

CLDR gives Vigie the month names it displays and reads
(:func:`i18n.formats.month_names`) but no data to *read* a number written in
words or a day such as "yesterday": those words are listed here, one module
per language (docs/i18n.md). Every word is normalised
(:func:`questionnaire.answers.text.normalise`: lower case, hyphens read as
spaces).
"""

from __future__ import annotations

from typing import Final

UNITS: Final = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
TENS: Final = {
    2: "twenty",
    3: "thirty",
    4: "forty",
    5: "fifty",
    6: "sixty",
    7: "seventy",
    8: "eighty",
    9: "ninety",
}


def spellings(n: int) -> set[str]:
    """Every normalised English spelling of ``n`` (0-99)."""
    if n < 20:
        return {UNITS[n]}
    tens, unit = TENS[n // 10], n % 10
    return {tens} if unit == 0 else {f"{tens} {UNITS[unit]}"}


def _number_words() -> dict[str, int]:
    words = {form: n for n in range(100) for form in spellings(n)}
    words.update({"one hundred": 100, "a hundred": 100, "hundred": 100})
    words.update({"none": 0, "never": 0, "nil": 0, "once": 1, "twice": 2})
    return words


#: Number words -> their value: zero to one hundred, "none", "never", "once", "twice".
NUMBER_WORDS: Final[dict[str, int]] = _number_words()
#: A trailing word that says "times" ("three times"), dropped before reading the number.
TIMES_WORDS: Final = ("time", "times")
#: Words a date may hold around its day, month and year ("the 12th of March").
DATE_FILLERS: Final = frozenset({"the", "of", "in"})
TODAY: Final = frozenset({"today"})
YESTERDAY: Final = frozenset({"yesterday"})
#: The first day of a month written as a word (none is read in English today).
FIRST_DAY: Final = frozenset[str]()
#: What may follow a day's digits ("1st", "2nd", "3rd", "12th").
DAY_SUFFIXES: Final = ("st", "nd", "rd", "th")
