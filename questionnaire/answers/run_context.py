"""What is known about a conversation besides its answers.

:class:`RunContext` holds when the response was started, on which channel and
in which language; expressions read it through the context names
(:data:`CONTEXT_NAMES`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Final

from questionnaire.definition.model import Survey

#: Names every expression may use besides questions and calculations.
CONTEXT_NAMES: Final = frozenset(
    {"today", "reference_date", "reference_month", "language", "channel", "value", "index"}
)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier, clamped to the month's end.

    >>> months_before(dt.date(2026, 3, 31), 1)
    datetime.date(2026, 2, 28)
    """
    total = day.year * 12 + (day.month - 1) - months
    year, month0 = divmod(total, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


@dataclass(frozen=True)
class RunContext:
    """Facts about one conversation that expressions and labels may use."""

    #: Day the response was started: anchors the reference period.
    started_on: dt.date
    #: ``"web"`` or ``"telegram"``.
    channel: str = "web"
    #: Language the respondent reads, one of the survey's languages.
    language: str = "fr"
    #: Today's date; defaults to ``started_on`` (tests and simulations fix it).
    today: dt.date | None = None

    def current_day(self) -> dt.date:
        return self.today if self.today is not None else self.started_on

    def reference_date(self, survey: Survey) -> dt.date | None:
        """Start of the reference period ("since 12 March 2025"), if any."""
        if survey.reference_period_months is None:
            return None
        return months_before(self.started_on, survey.reference_period_months)

    def allows_sensitive(self) -> bool:
        """Sensitive questions are asked on the web only (behind the quick exit)."""
        return self.channel == "web"
