"""The one vocabulary of a response's status, from its first answer to its erasure.

Navigation decides the first three from the answers
(:func:`questionnaire.navigation.progress.status`); the last two are set from
outside the questionnaire: ``abandoned`` by the retention job, ``erased`` by
the respondent. Storage keeps the value, intake and the channels read it.
"""

from __future__ import annotations

from enum import StrEnum


class ResponseStatus(StrEnum):
    """The life of a response.

    ``in_progress`` is the only status in which answers may be written;
    ``abandoned`` is set by the retention job (:func:`storage.responses.purge_abandoned`),
    ``erased`` by the respondent (:func:`storage.responses.erase_response`).
    """

    #: Answers are still expected.
    IN_PROGRESS = "in_progress"
    #: No applicable question is left unanswered.
    COMPLETED = "completed"
    #: An eligibility rule failed: the respondent is not in the survey's population.
    SCREENED_OUT = "screened_out"
    #: Left in progress longer than the retention period allows.
    ABANDONED = "abandoned"
    #: The respondent asked for their answers to be erased.
    ERASED = "erased"
