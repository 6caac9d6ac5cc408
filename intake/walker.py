"""The one way to walk a respondent through the intake service.

A *respondent* looks at each :class:`~intake.turns.Turn` and replies with one
of the :data:`Reply` values (an answer, a page, skip, back, change an earlier
answer, finish, pause, erase, or leave). :func:`walk` sends each reply to the
:class:`~intake.service.IntakeService` method a channel would call and keeps
every turn. The demo's residents, the intake benchmark and the tests all walk
this way; none of them decides where a response ends: the service does (its
turn is :attr:`~intake.turns.Turn.finished`), with the same rules as for the
web and the chat. On the web the last answer leads to the review
(:attr:`~intake.turns.Turn.ready_to_finish`), where the respondent must reply
:class:`Finish` to end the response; a script that stops there leaves it in
progress, as a resident who closes the window at "check your answers".

Respondents provided here: :class:`Scripted` (replies given in advance, for
tests) and :class:`RandomResident` (random answers the channels could send,
optionally steered by a ``pick`` function, for the demo and the benchmark).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from intake.conversation import RawAnswer
from intake.turns import Turn
from questionnaire.answers.run_context import RunContext
from questionnaire.answers.scope import AnswerScope
from questionnaire.definition.model import Question, Survey
from questionnaire.definition.slots import another_question
from questionnaire.definition.values import split_path
from questionnaire.navigation.prompts import Prompt
from questionnaire.simulation.sampling import random_raw_answer

if TYPE_CHECKING:
    from intake.service import IntakeService

#: Replies after which a walk stops whatever happens (far more than any questionnaire needs).
MAX_STEPS: Final = 5_000


@dataclass(frozen=True)
class Answer:
    """Answer the question shown (``raw=None`` is an empty answer); ``confirm`` a warning.

    ``path``: the question this device shows, when it is not the turn's (a
    second device, a page left open, a replayed request).
    """

    raw: RawAnswer
    confirm: bool = False
    path: str | None = None


@dataclass(frozen=True)
class AnswerPage:
    """Post the whole web page shown, with the warned paths to confirm.

    ``to_review``: the page was opened from the review (after :class:`ChangeAnswer`).
    """

    fields: Mapping[str, RawAnswer]
    confirm: Collection[str] = ()
    to_review: bool = False


@dataclass(frozen=True)
class Skip:
    """Leave the question shown unanswered."""


@dataclass(frozen=True)
class Back:
    """Go back one question (``page``: one web page)."""

    page: bool = False


@dataclass(frozen=True)
class ChangeAnswer:
    """Go back to the answered question at ``path`` (from the review)."""

    path: str


@dataclass(frozen=True)
class Finish:
    """Done revisiting: on to the first unanswered question; at the review, send the answers."""


@dataclass(frozen=True)
class Pause:
    """Stop for now (a resume code on the web)."""


@dataclass(frozen=True)
class Erase:
    """Erase every answer."""


@dataclass(frozen=True)
class Leave:
    """Close the window: the walk stops, the response stays as it is."""


Reply = Answer | AnswerPage | Skip | Back | ChangeAnswer | Finish | Pause | Erase | Leave

#: A respondent: the reply to each turn.
Respondent = Callable[[Turn], Reply]


@dataclass(frozen=True)
class Step:
    """One reply and the turn the service answered it with."""

    reply: Reply
    turn: Turn


@dataclass(frozen=True)
class Walk:
    """A walked respondent: the first turn, then every reply and turn."""

    first: Turn
    steps: tuple[Step, ...] = field(default=())

    @property
    def last(self) -> Turn:
        """The turn the respondent was left on."""
        return self.steps[-1].turn if self.steps else self.first

    @property
    def response_id(self) -> str:
        return self.first.response_id

    @property
    def turns(self) -> tuple[Turn, ...]:
        """Every turn, the first included."""
        return (self.first, *(s.turn for s in self.steps))


def reply_to(service: IntakeService, turn: Turn, reply: Reply) -> Turn:
    """Send ``reply`` to the turn shown, as a channel would; the next turn."""
    rid = turn.response_id
    path = turn.prompt.path if turn.prompt is not None else ""
    match reply:
        case Answer(raw, confirm, shown):
            return service.submit(rid, shown or path, raw, confirm=confirm)
        case AnswerPage(fields, confirm, to_review):
            return service.submit_page(rid, path, fields, confirm=confirm, to_review=to_review)
        case Skip():
            return service.skip(rid, path)
        case Back(page):
            return service.back(rid, page=page)
        case ChangeAnswer(changed):
            return service.change_answer(rid, changed)
        case Finish():
            return service.finish(rid)
        case Pause():
            return service.pause(rid)
        case Erase():
            return service.erase(rid)
    raise TypeError(f"not a reply: {reply!r}")


def walk(
    service: IntakeService,
    first: Turn,
    respondent: Respondent,
    *,
    observe: Callable[[Step], None] | None = None,
    max_steps: int = MAX_STEPS,
) -> Walk:
    """Walk ``respondent`` from ``first`` until the service ends the response or they leave.

    ``observe`` sees each step as soon as the service has answered it (the
    answer is then committed). A :class:`Pause` does not end a walk (the
    respondent may go on, or :class:`Leave`). Raises ``RuntimeError`` after
    ``max_steps`` replies.
    """
    turn = first
    steps: list[Step] = []
    for _ in range(max_steps):
        if turn.finished:
            return Walk(first, tuple(steps))
        reply = respondent(turn)
        if isinstance(reply, Leave):
            return Walk(first, tuple(steps))
        turn = reply_to(service, turn, reply)
        steps.append(Step(reply, turn))
        if observe is not None:
            observe(steps[-1])
    raise RuntimeError(f"walk of {first.response_id} did not end in {max_steps} replies")


class Scripted:
    """Replies given in advance, one per turn; then :class:`Leave`."""

    def __init__(self, replies: Iterable[Reply]) -> None:
        self._replies = iter(replies)

    def __call__(self, turn: Turn) -> Reply:
        return next(self._replies, Leave())


def question_at(survey: Survey, path: str) -> Question:
    """The question asked at an answer path (the generated "another one?" included)."""
    repeat, _index, name = split_path(path)
    try:
        return survey.question(name)
    except KeyError:
        for section in survey.sections:
            found = section.repeat
            if found is not None and found.name == repeat and found.another is not None:
                return another_question(found)
        raise


#: ``pick(prompt, rng)``: the raw answer a resident gives, or ``None`` for a random one.
Picker = Callable[[Prompt, random.Random], RawAnswer | None]


class RandomResident:
    """A resident who answers what the channels could send, at random or as ``pick`` says.

    On a question, the picked answer comes first; refused, random answers
    follow, at most ``max_tries`` per question (then the resident leaves).
    A soft warning is confirmed by giving the same answer again, as a
    resident who insists. At the review (the web) the resident finishes.
    After ``max_answers`` accepted answers the resident leaves midway.
    """

    def __init__(
        self,
        survey: Survey,
        rng: random.Random,
        *,
        pick: Picker | None = None,
        max_tries: int = 50,
        max_answers: int | None = None,
    ) -> None:
        self._survey = survey
        self._rng = rng
        self._pick = pick
        self._max_tries = max_tries
        self._max_answers = max_answers
        self._path: str | None = None
        self._tries = 0
        self._last: RawAnswer = None
        self._asked: Turn | None = None
        #: Answers the service accepted so far.
        self.answered = 0

    def __call__(self, turn: Turn) -> Reply:
        if turn.ready_to_finish:
            return Finish()  # at the review (the web): send the answers
        assert turn.prompt is not None
        path = turn.prompt.path
        if self._asked is not None and turn.error is None and turn.warning is None:
            self.answered += 1
        if turn.warning is not None and path == self._path:
            self._asked = turn
            return Answer(self._last)
        if path != self._path or (turn.error is None and turn.warning is None):
            self._path, self._tries = path, 0
        else:
            self._tries += 1
        if self._max_answers is not None and self.answered >= self._max_answers:
            return Leave()
        if self._tries > self._max_tries:
            return Leave()
        self._last = self._choose(turn, first=self._tries == 0)
        self._asked = turn
        return Answer(self._last)

    def _choose(self, turn: Turn, *, first: bool) -> RawAnswer:
        assert turn.prompt is not None
        if first and self._pick is not None:
            picked = self._pick(turn.prompt, self._rng)
            if picked is not None:
                return picked
        ctx = RunContext(started_on=dt.date.today(), channel="web", language=turn.language)
        scope = AnswerScope(self._survey, {}, ctx)
        return random_raw_answer(question_at(self._survey, turn.prompt.path), scope, self._rng)
