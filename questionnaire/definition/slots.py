"""A slot: one question at one answer path, the unit navigation walks over."""

from __future__ import annotations

from dataclasses import dataclass

from questionnaire.definition.model import Question, QuestionType, Repeat, Section


@dataclass(frozen=True)
class Slot:
    """One question as asked at one path (``incident[2].reported``)."""

    path: str
    question: Question
    section: Section
    #: The repeat and 1-based instance number, for questions inside a repeat.
    repeat: str | None = None
    index: int | None = None

    @property
    def answerable(self) -> bool:
        """Notes are shown, never answered."""
        return self.question.type != QuestionType.NOTE


def another_question(repeat: Repeat) -> Question:
    """The generated yes/no question that ends each instance of an "another one?" repeat."""
    assert repeat.another is not None
    return Question(name="another", type=QuestionType.YES_NO, label=repeat.another, required=True)
