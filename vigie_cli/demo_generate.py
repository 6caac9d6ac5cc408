"""Generate and store the demo respondents of one questionnaire.

Each respondent is drawn from the demo population (:mod:`vigie_cli.demo_population`), comes
through one of the demo campaigns (:func:`choose_campaign`; a campaign with a municipality
presets that answer with :func:`intake.starting.preset_answers`, as the channels do), starts on
a random moment of the last :data:`DAYS` days on the web or in Telegram, and walks the
questionnaire (:mod:`vigie_cli.demo_walk`). :data:`PARTIAL_SHARE` of them leave midway. Each
respondent is stored in one transaction (:func:`vigie_cli.demo_store.store_response`). The same
seed gives the same respondents.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from intake.registry import RegisteredSurvey
from intake.starting import preset_answers
from questionnaire.answers.reading import RawAnswer
from questionnaire.answers.run_context import RunContext
from questionnaire.definition.slots import Slot
from storage.records import Campaign
from vigie_cli.demo_answers import demo_raw_answer
from vigie_cli.demo_population import SHERBROOKE, DemoPopulation, Profile, draw_profile
from vigie_cli.demo_store import store_response
from vigie_cli.demo_walk import walk_respondent

#: Respondents are started over this many days before now.
DAYS = 60
#: Share of respondents who stop midway (their response stays in progress).
PARTIAL_SHARE = 0.10
#: Most answers a respondent who stops midway gives.
PARTIAL_MAX_ANSWERS = 20
#: Seconds between two answers: drawn uniformly in this range.
ANSWER_SECONDS = (4.0, 40.0)


def choose_campaign(profile: Profile, rng: random.Random) -> str:
    """The key of the demo campaign a respondent comes through.

    Most Sherbrooke residents come through the tenants' association (which presets
    Sherbrooke), most 15-24 through the youth organisation, many 65+ through the seniors'
    club, the others through the community centre.
    """
    group = profile.age_group
    if profile.municipality == SHERBROOKE and rng.random() < 0.6:
        return "locataires"
    if group in ("a15_24", "under_15") and rng.random() < 0.7:
        return "jeunes"
    if group == "a65_plus" and rng.random() < 0.4:
        return "aines"
    return "centre"


def start_time(now: dt.datetime, rng: random.Random) -> dt.datetime:
    """A moment within the last :data:`DAYS` days before ``now``."""
    return now - dt.timedelta(seconds=rng.uniform(0, DAYS * 86_400))


def timeline(start: dt.datetime, answers: int, rng: random.Random) -> list[dt.datetime]:
    """``start``, then the time of each of ``answers`` answers, a few seconds apart."""
    times = [start]
    for _ in range(answers):
        times.append(times[-1] + dt.timedelta(seconds=rng.uniform(*ANSWER_SECONDS)))
    return times


def _picker(profile: Profile) -> Callable[[Slot, random.Random], RawAnswer | None]:
    def pick(slot: Slot, rng: random.Random) -> RawAnswer | None:
        return demo_raw_answer(slot, profile, rng)

    return pick


def populate_survey(
    session_factory: sessionmaker[Session],
    registered: RegisteredSurvey,
    campaigns: dict[str, Campaign],
    population: DemoPopulation,
    *,
    respondents: int,
    seed: int,
    now: dt.datetime,
    progress: Callable[[int], None] | None = None,
) -> Counter[str]:
    """Walk and store ``respondents`` demo respondents; their count by final status."""
    survey = registered.survey
    statuses: Counter[str] = Counter()
    for number in range(respondents):
        rng = random.Random(f"{seed}/{survey.id}/{number}")
        profile = draw_profile(population, rng)
        campaign = campaigns[choose_campaign(profile, rng)]
        language = profile.language if profile.language in survey.languages else survey.languages[0]
        partial = rng.random() < PARTIAL_SHARE
        max_answers = rng.randint(1, PARTIAL_MAX_ANSWERS) if partial else None
        start = start_time(now, rng)
        ctx = RunContext(started_on=start.date(), channel=profile.channel, language=language)
        preset = preset_answers(survey, campaign, ctx)
        walked = walk_respondent(
            survey, ctx, rng, _picker(profile), preset=preset, max_answers=max_answers
        )
        times = timeline(start, len(walked.answers), rng)
        with session_factory.begin() as session:
            store_response(
                session,
                registered.version_id,
                campaign.id,
                profile.channel,
                language,
                walked,
                times,
            )
        statuses[walked.status] += 1
        if progress is not None:
            progress(1)
    return statuses
