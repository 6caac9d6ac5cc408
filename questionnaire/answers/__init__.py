"""Answers: reading a raw answer into a value, the scope expressions see, display.

``reading.read_answer`` (with ``bounds``, ``choices``, ``dates``, ``text``)
turns what a channel received (:data:`~questionnaire.answers.reading.RawAnswer`)
into a value or an ``AnswerError`` (``errors``); ``scope``, ``names`` and
``run_context`` are what expressions see of a respondent; ``formatting`` and
``messages`` give the words; ``indicators`` the value of an indicator for one
response. Nothing is imported here: import the module you need.
"""
