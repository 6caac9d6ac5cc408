"""The observatory: every operation an analyst or an administrator performs, in one object.

The ``vigie`` command, the analyst pages and the API call these methods alike
and render what they return; none of them writes SQL or decides a rule. Each
method is one transaction (or one read) on the database the services were
built for (:func:`services.build_services`). Failures are
:class:`observatory.errors.ObservatoryError` values with a code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from observatory import benchmarks, campaigns, dashboard, estimates, retention
from observatory.benchmarks import BenchmarkLoad
from observatory.campaigns import CampaignSummary, SurveyLookup
from observatory.catalogue import IndicatorInfo, choice_labels, list_indicators
from observatory.dashboard import Dimension, QuestionProgress, ResponseCount
from observatory.estimates import EstimateRequest, EstimateRun
from observatory.questionnaires import Questionnaires
from observatory.retention import RetentionRun
from observatory.users import Accounts

#: Days of inactivity before an unfinished response is abandoned, unless configured.
DEFAULT_ABANDON_AFTER_DAYS = 30


class Observatory:
    """Campaigns, benchmarks, estimate runs, retention and the dashboard's reads."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        surveys: SurveyLookup,
        survey_defs: str | Path = "survey_defs",
        abandon_after_days: int = DEFAULT_ABANDON_AFTER_DAYS,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._surveys = surveys
        self._survey_defs = str(survey_defs)
        self.abandon_after_days = abandon_after_days
        #: Staff accounts, API tokens and the audit log.
        self.accounts = Accounts(session_factory)
        #: Questionnaire definitions uploaded, registered and activated (the data page).
        self.questionnaires = Questionnaires(session_factory, surveys, survey_defs)

    def indicators(self, language: str, survey_id: str | None = None) -> list[IndicatorInfo]:
        """The indicators of the questionnaires served, labelled in ``language``."""
        return list_indicators(self._surveys(), language, survey_id)

    def choice_labels(self, survey_id: str, question: str, language: str) -> dict[str, str]:
        """The labels of a served question's choices by code, in ``language``."""
        return choice_labels(self._surveys(), survey_id, question, language)

    # -- campaigns ------------------------------------------------------------------

    def create_campaign(
        self,
        survey_id: str,
        organisation: str,
        *,
        municipality: str | None = None,
        code: str | None = None,
    ) -> CampaignSummary:
        """A new campaign for a questionnaire served now; a code is generated unless given.

        Codes: ``unknown_survey``, ``unknown_municipality``, ``campaign_code_invalid``,
        ``campaign_code_taken``.
        """
        survey = campaigns.find_survey(self._surveys(), survey_id, self._survey_defs)
        return campaigns.create_campaign(
            self._sessions, survey, organisation, municipality=municipality, code=code
        )

    def campaigns(self, survey_id: str | None = None) -> list[CampaignSummary]:
        """Every campaign (or one questionnaire's) with the responses it brought in."""
        return campaigns.list_campaigns(self._sessions, survey_id)

    def set_campaign_active(self, code: str, active: bool) -> None:
        """Open or close a campaign's code; ``no_campaign`` if none has it."""
        campaigns.set_campaign_active(self._sessions, code, active)

    # -- benchmarks -----------------------------------------------------------------

    def load_benchmarks(self, path: Path, *, replace: bool = False) -> BenchmarkLoad:
        """Load a census benchmark file, every row or none.

        Code: ``benchmarks_rejected`` with one problem per bad line.
        """
        return benchmarks.load_benchmark_file(self._sessions, path, replace=replace)

    # -- estimates ------------------------------------------------------------------

    def estimate(
        self,
        request: EstimateRequest,
        *,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> EstimateRun:
        """Weighted estimates of every indicator in every municipality (see docs/statistics.md)."""
        return estimates.run_estimates(self._sessions, request, progress=progress)

    # -- retention ------------------------------------------------------------------

    def apply_retention(
        self, idle_days: int | None = None, *, delete: bool = False, now: dt.datetime | None = None
    ) -> RetentionRun:
        """Abandon (or delete) unfinished responses idle longer than ``idle_days``.

        ``None``: the configured retention period.
        """
        days = self.abandon_after_days if idle_days is None else idle_days
        if now is None and self._clock is not None:
            now = self._clock()
        return retention.apply_retention(self._sessions, days, delete=delete, now=now)

    # -- dashboard ------------------------------------------------------------------

    def responses_by(self, survey_id: str, dimension: Dimension | str) -> list[ResponseCount]:
        """Responses of a questionnaire by day, channel, campaign, municipality, status..."""
        return dashboard.responses_by(self._sessions, survey_id, dimension)

    def question_progress(self, survey_id: str) -> list[QuestionProgress]:
        """Answered and break-off counts, question by question."""
        return dashboard.question_progress(self._sessions, survey_id)

    def median_completion_time(self, survey_id: str) -> dt.timedelta | None:
        """Median time from start to completion; ``None`` before the first completion."""
        return dashboard.median_completion_time(self._sessions, survey_id)
