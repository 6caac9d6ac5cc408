"""The demo's residents: drawn from the demo population, they answer through the intake service.

Each resident is drawn from the demo population (:mod:`demo.population`), comes through one of
the demo campaigns (:func:`choose_campaign`; a campaign with a municipality presets that answer,
as for any respondent), starts on a random moment of the last :data:`DAYS` days on the web or
in Telegram (their channel and language are the profile's), and is walked through
:class:`intake.service.IntakeService` by :func:`intake.walker.walk`: a
:class:`intake.walker.RandomResident` answers as the profile says (:mod:`demo.answers`), at
random otherwise, insisting once on a soft warning. :data:`PARTIAL_SHARE` of them leave midway.
The service decides, as for every respondent, where a response ends (completed, screened out).
The same seed gives the same residents.

The service runs on a :class:`DemoClock` that the walk moves forward a few seconds before each
reply, so that the answers are spread over the last weeks as a real campaign's would be.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import Counter
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from demo.answers import demo_raw_answer
from demo.population import SHERBROOKE, DemoPopulation, Profile, draw_profile
from intake.registry import SurveyRegistry
from intake.service import IntakeService
from intake.settings import IntakeSettings
from intake.turns import Turn
from intake.walker import Picker, RandomResident, Reply, walk
from observatory.campaigns import CampaignSummary
from questionnaire.definition.model import Survey
from questionnaire.navigation.prompts import Prompt
from questionnaire.simulation.sampling import RawAnswer

#: Respondents are started over this many days before now.
DAYS = 60
#: Share of respondents who stop midway (their response stays in progress).
PARTIAL_SHARE = 0.10
#: Most answers a respondent who stops midway gives.
PARTIAL_MAX_ANSWERS = 20
#: Seconds between two answers: drawn uniformly in this range.
ANSWER_SECONDS = (4.0, 40.0)


class DemoClock:
    """The demo service's clock: set to each resident's start, moved on before each reply."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def demo_service(
    sessions: sessionmaker[Session], registry: SurveyRegistry, clock: DemoClock
) -> IntakeService:
    """An intake service for the demo residents.

    Its secret key is random and forgotten: the demo's Telegram chats are invented, and their
    keys need never be found again.
    """
    settings = IntakeSettings(secret_key=secrets.token_hex(32), testing=False)
    return IntakeService(sessions, registry, settings, clock=clock)


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


def _picker(survey: Survey, profile: Profile) -> Picker:
    def pick(prompt: Prompt, rng: random.Random) -> RawAnswer | None:
        return demo_raw_answer(survey, prompt, profile, rng)

    return pick


def walk_resident(
    service: IntakeService,
    clock: DemoClock,
    survey: Survey,
    campaign: CampaignSummary,
    profile: Profile,
    rng: random.Random,
    *,
    chat_id: str,
    max_answers: int | None,
) -> Turn:
    """One resident from the campaign's link to where they stop; the last turn."""
    language = profile.language if profile.language in survey.languages else survey.languages[0]
    telegram = profile.channel == "telegram"
    first = service.start_from_campaign(
        campaign.code, profile.channel, language, chat_id=chat_id if telegram else None
    )
    resident = RandomResident(survey, rng, pick=_picker(survey, profile), max_answers=max_answers)

    def reply(turn: Turn) -> Reply:
        clock.now += dt.timedelta(seconds=rng.uniform(*ANSWER_SECONDS))
        return resident(turn)

    return walk(service, first, reply).last


def populate_survey(
    service: IntakeService,
    clock: DemoClock,
    survey: Survey,
    campaigns: dict[str, CampaignSummary],
    population: DemoPopulation,
    *,
    respondents: int,
    seed: int,
    now: dt.datetime,
    progress: Callable[[int], None] | None = None,
) -> Counter[str]:
    """Walk ``respondents`` demo residents through the service; their count by final status."""
    statuses: Counter[str] = Counter()
    for number in range(respondents):
        rng = random.Random(f"{seed}/{survey.id}/{number}")
        profile = draw_profile(population, rng)
        campaign = campaigns[choose_campaign(profile, rng)]
        partial = rng.random() < PARTIAL_SHARE
        max_answers = rng.randint(1, PARTIAL_MAX_ANSWERS) if partial else None
        clock.now = start_time(now, rng)
        last = walk_resident(
            service,
            clock,
            survey,
            campaign,
            profile,
            rng,
            chat_id=f"demo-{seed}-{survey.id}-{number}",
            max_answers=max_answers,
        )
        statuses[last.status.value] += 1
        if progress is not None:
            progress(1)
    return statuses
