"""What respondents type that CLDR cannot read for Vigie: number words and date words.

One module per language (:mod:`.fr`, :mod:`.en`); :mod:`.every_language` merges them for the
parsers (:mod:`questionnaire.answers.text`, :mod:`questionnaire.answers.dates`). Month names
come from CLDR (:func:`i18n.formats.month_names`); docs/i18n.md says why these words cannot.
"""
