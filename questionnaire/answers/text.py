"""Free text as respondents type it: normalisation and numbers, in French and English.

The chat passes whatever the respondent typed; the web posts field strings.
Both go through these functions, whatever language the respondent reads:

- :func:`normalise` folds case, accents and punctuation so that
  « tres en securite » matches « Très en sécurité »;
- :func:`parse_number` reads ``"1 200"``, ``"3,5"``, ``"3.5"``, ``"-2"`` and
  number words from zero to one hundred (``"vingt et un"``,
  ``"quatre-vingt-dix-neuf"``, ``"twenty-one"``), listed per language in
  :mod:`questionnaire.answers.vocabulary`.

Errors are :class:`~questionnaire.answers.errors.AnswerError` values.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from questionnaire.answers.errors import AnswerError
from questionnaire.answers.vocabulary import every_language as vocabulary

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

#: Normalised number words in French and English -> their value
#: (:mod:`questionnaire.answers.vocabulary`, one module per language).
NUMBER_WORDS: Final[dict[str, int]] = vocabulary.NUMBER_WORDS

#: Trailing words that say "times" ("3 fois", "three times"), dropped before reading.
_TIMES: Final = re.compile(
    r"\s*\b(?:" + "|".join(map(re.escape, vocabulary.TIMES_WORDS)) + r")\s*$", re.IGNORECASE
)


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
