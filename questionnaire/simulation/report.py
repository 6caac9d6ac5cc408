"""What a simulation found: how paths ended, which questions were reached, problems.

Filled by :func:`questionnaire.simulation.simulate.simulate`; printed by
``vigie survey simulate``.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Final, Literal

from i18n import N_, MessageTable
from questionnaire.definition.model import QuestionType, Survey
from questionnaire.definition.slots import Slot

#: How a path ended: ``stopped`` when a problem cut it short.
PathEnd = Literal["completed", "screened_out", "stopped"]

#: Every kind of problem a simulation records, with what it means.
PROBLEM_KINDS: Final = MessageTable(
    "simulation.problem.",
    (
        N_("simulation.problem.unanswerable"),
        N_("simulation.problem.endless"),
        N_("simulation.problem.prune_dropped"),
        N_("simulation.problem.exception"),
        N_("simulation.problem.inconsistent"),
    ),
)


@dataclass(frozen=True)
class Problem:
    """One problem met on one path, at one slot when there is one."""

    #: One of :data:`PROBLEM_KINDS`.
    kind: str
    #: Number of the simulated path (0-based), to replay it with the same seed.
    path_number: int
    #: Answer path of the slot concerned (``incident[2].month``), if any.
    slot: str | None
    #: Technical details, language-neutral: the answer-error codes of an
    #: unanswerable slot, the dropped paths, the step limit, the exception.
    detail: str


@dataclass
class PathOutcome:
    """How one simulated respondent's path went."""

    number: int
    end: PathEnd = "stopped"
    #: Question keys (see :func:`question_key`) asked on this path.
    asked: set[str] = field(default_factory=set)
    #: Answers held at the end of the path.
    answered: int = 0


def question_key(slot: Slot) -> str:
    """The name a slot's question is counted under: its name, or ``repeat.another``."""
    if slot.repeat is not None and all(q is not slot.question for q in slot.section.questions):
        return f"{slot.repeat}.another"
    return slot.question.name


def question_keys(survey: Survey) -> list[str]:
    """Every question that can be asked, in definition order (notes left out)."""
    keys: list[str] = []
    for section in survey.sections:
        keys.extend(q.name for q in section.questions if q.type != QuestionType.NOTE)
        repeat = section.repeat
        if repeat is not None and repeat.another is not None and repeat.max > 1:
            keys.append(f"{repeat.name}.another")
    return keys


def sensitive_keys(survey: Survey) -> set[str]:
    """Questions asked on the web only (sensitive themselves or in a sensitive section)."""
    keys: set[str] = set()
    for section in survey.sections:
        keys.update(
            q.name
            for q in section.questions
            if (q.sensitive or section.sensitive) and q.type != QuestionType.NOTE
        )
        if section.sensitive and section.repeat is not None:
            keys.add(f"{section.repeat.name}.another")
    return keys


@dataclass
class SimulationReport:
    """The outcome of :func:`questionnaire.simulation.simulate.simulate`."""

    survey_id: str
    channel: str
    seed: int
    paths: int = 0
    completed: int = 0
    screened_out: int = 0
    #: Answers held at the end of each path, in path order.
    questions_asked: list[int] = field(default_factory=list)
    #: Per question key, how many paths asked it (every askable question listed).
    reached: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: Questions a channel never asks by design (sensitive ones on Telegram).
    expected_unreached: set[str] = field(default_factory=set)

    @property
    def stopped(self) -> int:
        """Paths cut short by a problem."""
        return self.paths - self.completed - self.screened_out

    @property
    def unreached(self) -> list[str]:
        """Questions never asked in any path, in definition order."""
        return [key for key, count in self.reached.items() if count == 0]

    @property
    def unexpected_unreached(self) -> list[str]:
        """Unreached questions that the channel should have asked."""
        return [key for key in self.unreached if key not in self.expected_unreached]

    @property
    def ok(self) -> bool:
        """No problem and every question the channel asks was reached."""
        return not self.problems and not self.unexpected_unreached

    def asked_range(self) -> tuple[int, float, int]:
        """(min, median, max) questions answered per path; zeros without paths."""
        if not self.questions_asked:
            return (0, 0.0, 0)
        values = self.questions_asked
        return (min(values), float(statistics.median(values)), max(values))

    def add(self, outcome: PathOutcome, problems: list[Problem]) -> None:
        """Count one path."""
        self.paths += 1
        self.completed += outcome.end == "completed"
        self.screened_out += outcome.end == "screened_out"
        self.questions_asked.append(outcome.answered)
        for key in outcome.asked:
            self.reached[key] = self.reached.get(key, 0) + 1
        self.problems.extend(problems)

    def problem_counts(self) -> list[tuple[str, str | None, int, Problem]]:
        """Problems grouped by (kind, question): count and the first example."""
        groups: dict[tuple[str, str | None], list[Problem]] = {}
        for problem in self.problems:
            groups.setdefault((problem.kind, _question_of(problem.slot)), []).append(problem)
        return [(kind, name, len(found), found[0]) for (kind, name), found in groups.items()]


def _question_of(path: str | None) -> str | None:
    """``incident[2].month`` -> ``incident.month``, so instances group together."""
    if path is None or "[" not in path:
        return path
    head, _, rest = path.partition("[")
    return f"{head}.{rest.partition('].')[2]}"
