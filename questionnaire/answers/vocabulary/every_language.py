"""The parse vocabulary of every language Vigie speaks, merged: what the parsers read with.

Answers are read with the words of every language, whatever language the respondent reads
(a French respondent typing "three" is understood).
"""

from __future__ import annotations

from typing import Final

from questionnaire.answers.vocabulary import en, fr

#: The language modules, in the order their words are merged (a word in both keeps French).
LANGUAGE_MODULES: Final = (fr, en)

#: Normalised number words of every language -> their value.
NUMBER_WORDS: Final[dict[str, int]] = {
    word: value
    for module in reversed(LANGUAGE_MODULES)
    for word, value in module.NUMBER_WORDS.items()
}
TIMES_WORDS: Final = tuple(w for m in LANGUAGE_MODULES for w in m.TIMES_WORDS)
DATE_FILLERS: Final = frozenset(w for m in LANGUAGE_MODULES for w in m.DATE_FILLERS)
TODAY: Final = frozenset(w for m in LANGUAGE_MODULES for w in m.TODAY)
YESTERDAY: Final = frozenset(w for m in LANGUAGE_MODULES for w in m.YESTERDAY)
FIRST_DAY: Final = frozenset(w for m in LANGUAGE_MODULES for w in m.FIRST_DAY)
DAY_SUFFIXES: Final = tuple(s for m in LANGUAGE_MODULES for s in m.DAY_SUFFIXES)
