"""French words respondents type for numbers and dates (parse vocabulary).

CLDR gives Vigie the month names it displays and reads
(:func:`i18n.formats.month_names`) but no data to *read* a number written in
words or a day such as « aujourd'hui »: those words are listed here, one
module per language (docs/i18n.md). Every word is normalised
(:func:`questionnaire.answers.text.normalise`: lower case, no accents,
hyphens read as spaces).
"""

from __future__ import annotations

from typing import Final

UNITS: Final = (
    "zero",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
)
TENS: Final = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
#: Belgian and Swiss French tens.
REGIONAL_TENS: Final = {7: ("septante",), 8: ("huitante", "octante"), 9: ("nonante",)}


def _tens_and_unit(tens: str, unit: int) -> set[str]:
    if unit == 0:
        return {tens}
    if unit == 1:
        return {f"{tens} et un", f"{tens} et une"}
    return {f"{tens} {UNITS[unit]}"}


def spellings(n: int) -> set[str]:
    """Every normalised French spelling of ``n`` (0-99)."""
    if n < 17:
        forms = {UNITS[n]}
    elif n < 20:
        forms = {f"dix {UNITS[n - 10]}"}
    elif n < 70:
        forms = _tens_and_unit(TENS[n // 10], n % 10)
    elif n < 80:
        forms = {"soixante et onze"} if n == 71 else {f"soixante {w}" for w in spellings(n - 60)}
    elif n == 80:
        forms = {"quatre vingts", "quatre vingt"}
    else:
        forms = {f"quatre vingt {w}" for w in spellings(n - 80)}
    for name in REGIONAL_TENS.get(n // 10, ()):
        unit = n % 10
        forms |= {f"{name} et un"} if unit == 1 else _tens_and_unit(name, unit)
    return forms | ({"une"} if n == 1 else set())


def _number_words() -> dict[str, int]:
    words = {form: n for n in range(100) for form in spellings(n)}
    words.update({"cent": 100, "aucun": 0, "aucune": 0, "jamais": 0})
    return words


#: Number words -> their value: zero to one hundred, and « aucun », « jamais ».
NUMBER_WORDS: Final[dict[str, int]] = _number_words()
#: A trailing word that says "times" (« 3 fois »), dropped before reading the number.
TIMES_WORDS: Final = ("fois",)
#: Words a date may hold around its day, month and year (« le 12 de mars »).
DATE_FILLERS: Final = frozenset({"le", "de", "du", "en"})
TODAY: Final = frozenset({"aujourd hui", "aujourdhui"})
YESTERDAY: Final = frozenset({"hier"})
#: The first day of a month written as a word (« premier mars 2025 »).
FIRST_DAY: Final = frozenset({"premier"})
#: What may follow a day's digits (« 1er », « 1re », « 2e »).
DAY_SUFFIXES: Final = ("er", "re", "e")
