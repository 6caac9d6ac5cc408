"""What every definition check shares: the survey, positions, and the errors found.

Checks walk the model with the key paths of its parts (the same paths as the
YAML data) so that each error points at the key or value it is about.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from questionnaire.definition.errors import DefinitionError, Param, make_error
from questionnaire.definition.model import Question, Section, SourcePos, Survey
from questionnaire.definition.source import KeyPath, SourceMap


@dataclass(frozen=True)
class PlacedQuestion:
    """A question with where it stands: its path, section and order."""

    question: Question
    path: KeyPath
    section: Section
    section_index: int
    #: Position in definition order over the whole survey (0-based).
    order: int

    @property
    def repeat(self) -> str | None:
        """The name of the repeat the question belongs to, if any."""
        return self.section.repeat.name if self.section.repeat is not None else None


@dataclass
class CheckContext:
    """The survey under check, where its parts stand, and the errors so far."""

    survey: Survey
    positions: SourceMap
    #: Names of parts left out of the model because of shape errors.
    left_out: frozenset[str] = frozenset()
    errors: list[DefinitionError] = field(default_factory=list)

    def pos(self, path: KeyPath, *, key: bool = False) -> SourcePos:
        """Where the value (or, with ``key=True``, the key) at ``path`` stands."""
        return self.positions.key_at(path) if key else self.positions.value_at(path)

    def add(
        self,
        code: str,
        path: KeyPath,
        *,
        subject: Mapping[str, Param] | None = None,
        at_key: bool = False,
        at: SourcePos | None = None,
        question: str | None = None,
        **params: Param,
    ) -> None:
        """Record an error of ``code`` about the part at ``path``.

        ``subject`` (``{"kind": "question", "name": "age"}``) names what the
        error is about; ``at_key`` points at the key rather than its value;
        ``at`` overrides the position; ``params`` fill the message.
        """
        where = at if at is not None else self.pos(path, key=at_key)
        subject = subject or {}
        if question is None and subject.get("kind") == "question":
            name = subject.get("name")
            question = name if isinstance(name, str) else None
        params = {**subject, **params}
        self.errors.append(make_error(code, where, question=question, **params))

    def placed_questions(self) -> list[PlacedQuestion]:
        """Every question with its path, section and order."""
        placed: list[PlacedQuestion] = []
        for i, section in enumerate(self.survey.sections):
            for j, question in enumerate(section.questions):
                path: KeyPath = ("sections", i, "questions", j)
                placed.append(PlacedQuestion(question, path, section, i, len(placed)))
        return placed

    def sections(self) -> Iterator[tuple[int, Section, KeyPath]]:
        for i, section in enumerate(self.survey.sections):
            yield i, section, ("sections", i)

    def repeat_sections(self) -> dict[str, Section]:
        """Repeated sections by their repeat's name."""
        return {s.repeat.name: s for s in self.survey.sections if s.repeat is not None}


def question_subject(question: Question) -> dict[str, Param]:
    """Message parameters naming a question as the subject."""
    return {"kind": "question", "name": question.name}
