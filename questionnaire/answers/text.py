"""Free text as respondents type it: normalisation and numbers, in French and English.

The chat passes whatever the respondent typed; the web posts field strings.
Both go through these functions, whatever language the respondent reads:

- :func:`normalise` folds case, accents and punctuation so that
  « tres en securite » matches « Très en sécurité »;
- :func:`parse_number` reads ``"1 200"``, ``"3,5"``, ``"3.5"``, ``"-2"`` and
  number words from zero to one hundred (``"vingt et un"``,
  ``"quatre-vingt-dix-neuf"``, ``"twenty-one"``).

Errors are :class:`~questionnaire.answers.errors.AnswerError` values.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from questionnaire.answers.errors import AnswerError

#: Integers are stored as 64-bit numbers; answers stay well inside.
MAX_DIGITS: Final = 15

_LIGATURES: Final = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "Œ": "oe", "Æ": "ae"})
_NOT_WORD: Final = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation and spacing reduced to single spaces.

    >>> normalise("  Très en SÉCURITÉ ! ")
    'tres en securite'
    >>> normalise("J'accepte")
    'j accepte'
    """
    folded = unicodedata.normalize("NFKD", text.translate(_LIGATURES).casefold())
    bare = "".join(c for c in folded if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare).strip()


# -- number words --------------------------------------------------------------

_FR_UNITS: Final = [
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
]
_FR_TENS: Final = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
_EN_UNITS: Final = [
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
]
_EN_TENS: Final = {
    2: "twenty",
    3: "thirty",
    4: "forty",
    5: "fifty",
    6: "sixty",
    7: "seventy",
    8: "eighty",
    9: "ninety",
}
#: Belgian and Swiss French tens.
_FR_REGIONAL_TENS: Final = {7: "septante", 8: ("huitante", "octante"), 9: "nonante"}


def _french_below_100(n: int) -> set[str]:
    """Every normalised French spelling of ``n`` (0-99), hyphens read as spaces."""
    if n < 17:
        forms = {_FR_UNITS[n]}
    elif n < 20:
        forms = {f"dix {_FR_UNITS[n - 10]}"}
    elif n < 70:
        tens, unit = _FR_TENS[n // 10], n % 10
        if unit == 0:
            forms = {tens}
        elif unit == 1:
            forms = {f"{tens} et un", f"{tens} et une"}
        else:
            forms = {f"{tens} {_FR_UNITS[unit]}"}
    elif n < 80:
        forms = {"soixante et onze"} if n == 71 else {f"soixante {w}" for w in _french(n - 60)}
    elif n == 80:
        forms = {"quatre vingts", "quatre vingt"}
    else:
        forms = {f"quatre vingt {w}" for w in _french(n - 80)}
    for tens_digit, names in _FR_REGIONAL_TENS.items():
        if n // 10 == tens_digit:
            for name in (names,) if isinstance(names, str) else names:
                unit = n % 10
                if unit == 0:
                    forms.add(name)
                elif unit == 1:
                    forms.add(f"{name} et un")
                else:
                    forms.add(f"{name} {_FR_UNITS[unit]}")
    return forms


def _french(n: int) -> set[str]:
    return _french_below_100(n) | ({"une"} if n == 1 else set())


def _english(n: int) -> set[str]:
    if n < 20:
        return {_EN_UNITS[n]}
    tens, unit = _EN_TENS[n // 10], n % 10
    return {tens} if unit == 0 else {f"{tens} {_EN_UNITS[unit]}"}


def _number_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for n in range(100):
        for form in _french(n) | _english(n):
            words[form] = n
    words.update({"cent": 100, "one hundred": 100, "a hundred": 100, "hundred": 100})
    words.update({"aucun": 0, "aucune": 0, "none": 0, "jamais": 0, "never": 0, "nil": 0})
    words.update({"once": 1, "twice": 2})
    return words


#: Normalised number words in French and English -> their value.
NUMBER_WORDS: Final[dict[str, int]] = _number_words()

#: Trailing words that say "times" ("3 fois", "three times"), dropped before reading.
_TIMES: Final = re.compile(r"\s*\b(?:fois|times?)\s*$", re.IGNORECASE)


# -- numerals --------------------------------------------------------------------

_SPACES: Final = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2212": "-"})
_NUMERAL: Final = re.compile(r"([+-]?)\s*([0-9][0-9 .,]*|[.,][0-9]+)")


def _grouped(text: str, sep: str) -> bool:
    """Whether ``text`` is digits grouped by three with ``sep`` (``1 200 000``)."""
    return re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(sep)}[0-9]{{3}})+", text) is not None


def _split_numeral(body: str, *, integer: bool, language: str) -> tuple[str, str] | None:
    """``(whole digits, fraction digits)`` of a numeral, or ``None`` if malformed."""
    body = body.rstrip(".,") if re.fullmatch(r"[0-9 ]+[.,]", body) else body
    has_comma, has_dot = "," in body, "." in body
    whole, fraction = body, ""
    if has_comma and has_dot:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        whole, _, fraction = body.rpartition(decimal)
        thousands = "." if decimal == "," else ","
        if not _grouped(whole, thousands):
            return None
        whole = whole.replace(thousands, "")
    elif has_comma or has_dot:
        sep = "," if has_comma else "."
        if body.count(sep) > 1 or (
            sep == "," and _grouped(body, ",") and (integer or language.startswith("en"))
        ):
            if not _grouped(body, sep):
                return None
            whole = body.replace(sep, "")
        else:
            whole, _, fraction = body.partition(sep)
    if " " in whole:
        if not _grouped(whole, " "):
            return None
        whole = whole.replace(" ", "")
    whole = whole or "0"
    if not re.fullmatch(r"[0-9]+", whole) or not re.fullmatch(r"[0-9]*", fraction):
        return None
    return whole, fraction


def parse_number(text: str, *, integer: bool, language: str = "fr") -> int | float:
    """Read a number typed in French or English.

    Spaces group thousands (``"1 200"``); a comma or a point marks decimals
    (``"3,5"``, ``"3.5"``). When both appear the last one is the decimal mark
    (``"1,200.5"``, ``"1.200,5"``). A lone comma followed by exactly three
    digits (``"1,200"``) groups thousands in an integer, and in a decimal when
    the respondent reads English; otherwise it is the decimal mark. With
    ``integer``, ``"3.0"`` is 3 and ``"3.5"`` raises ``not_an_integer``.

    >>> parse_number("vingt et un", integer=True)
    21
    >>> parse_number("3,5", integer=False)
    3.5
    """
    stripped = _TIMES.sub("", text.translate(_SPACES).strip())
    match = _NUMERAL.fullmatch(stripped)
    if match is None:
        word = NUMBER_WORDS.get(normalise(stripped))
        if word is None:
            raise AnswerError("not_a_number")
        return word if integer else float(word)
    sign, body = match.groups()
    parts = _split_numeral(body.strip(), integer=integer, language=language)
    if parts is None:
        raise AnswerError("not_a_number")
    whole, fraction = parts
    whole = whole.lstrip("0") or "0"
    if len(whole) > MAX_DIGITS:
        raise AnswerError("number_too_large")
    fraction = fraction[:MAX_DIGITS].rstrip("0")
    if integer:
        if fraction:
            raise AnswerError("not_an_integer")
        return -int(whole) if sign == "-" else int(whole)
    number = float(f"{whole}.{fraction or '0'}")
    return -number if sign == "-" and number != 0 else number
