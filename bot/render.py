"""A turn as chat messages: the text of a question, its notes, its error, the end.

Texts are HTML (Telegram's ``parse_mode="HTML"``); every piece that comes from
a questionnaire or a catalogue is escaped. A text longer than Telegram's
4,096 characters is cut at line breaks into several messages, the keyboard
going with the last one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

from telegram import InlineKeyboardMarkup

from bot.keyboards import KeyboardMaker, button_label, labels_need_listing
from i18n import translate
from intake.turns import Turn
from questionnaire.definition.model import QuestionType
from questionnaire.navigation.prompts import Prompt

#: Telegram's limit on a message's text, in characters.
MAX_TEXT: Final = 4096
#: Question types answered by typing (the text says so).
_TYPED: Final = frozenset(
    {
        QuestionType.INTEGER,
        QuestionType.DECIMAL,
        QuestionType.TEXT,
        QuestionType.LONG_TEXT,
        QuestionType.DATE,
        QuestionType.YEAR_MONTH,
        QuestionType.RATING,
    }
)


@dataclass(frozen=True)
class Outgoing:
    """One message to send."""

    text: str
    markup: InlineKeyboardMarkup | None = None


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at line breaks where possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    pieces.append(rest)
    return [p for p in pieces if p.strip()] or [""]


def messages(text: str, markup: InlineKeyboardMarkup | None = None) -> list[Outgoing]:
    """``text`` as one or more messages; ``markup`` on the last."""
    pieces = split_text(text)
    return [Outgoing(p, markup if i == len(pieces) - 1 else None) for i, p in enumerate(pieces)]


def header(prompt: Prompt, progress: float) -> str:
    """ "<b>Section</b> · Incident 1 of 2 · 40 %"."""
    parts = [f"<b>{escape(prompt.section_title)}</b>"]
    if prompt.instance_title:
        parts.append(escape(prompt.instance_title))
    parts.append(f"{round(progress * 100)} %")
    return " · ".join(parts)


def question_text(prompt: Prompt, language: str) -> str:
    """The question's label, its hint, its long choices listed, how to answer."""
    lines = [f"<b>{escape(prompt.label)}</b>"]
    if prompt.hint:
        lines.append(f"<i>{escape(prompt.hint)}</i>")
    if prompt.type is not QuestionType.MULTIPLE_CHOICE and labels_need_listing(prompt):
        lines += [f"{c.number}. {escape(c.label)}" for c in prompt.choices]
    how = None
    if prompt.type is QuestionType.MULTIPLE_CHOICE:
        how = translate(language, "bot.question.multiple")
    elif prompt.type in _TYPED:
        how = translate(language, "bot.question.typed")
    elif prompt.choices:
        how = translate(language, "bot.question.choice")
    if how is not None:
        lines.append(f"<i>{escape(how)}</i>")
    return "\n".join(lines)


def turn_actions(turn: Turn) -> list[tuple[str, str]]:
    """``(name, label)`` of the buttons under a question: back, skip, finish."""
    return [
        (str(action.name), action.label)
        for action in turn.actions
        if str(action.name) in ("back", "skip", "finish")
    ]


def closing_notes(turn: Turn) -> list[Prompt]:
    """Notes after the last question of its page (the web shows them under it).

    The chat has no page: they come with that last question, before it, so
    that its buttons stay under it (the entry section's privacy note for the
    chat is one).
    """
    prompt = turn.prompt
    paths = [p.path for p in turn.page]
    if prompt is None or prompt.path not in paths:
        return []
    after = turn.page[paths.index(prompt.path) + 1 :]
    if any(p.type is not QuestionType.NOTE for p in after):
        return []
    return list(after)


def turn_text(turn: Turn, *, lead: Sequence[str] = ()) -> str:
    """The whole text of a turn: lead lines, notes, error or warning, question or end."""
    language = turn.language
    blocks = [line for line in lead if line]
    prompt = turn.prompt
    if prompt is None:
        if turn.error is not None:
            blocks.append(f"⚠️ {escape(turn.error.text)}")
        blocks.append(escape(turn.closing or translate(language, "bot.ended")))
        return "\n\n".join(blocks)
    blocks.append(header(prompt, turn.progress))
    blocks += [escape(note.label) for note in (*turn.notes, *closing_notes(turn))]
    if turn.error is not None:
        blocks.append(f"⚠️ {escape(turn.error.text)}")
    if turn.warning is not None:
        blocks.append(f"⚠️ {escape(turn.warning.text)}")
        blocks.append(escape(translate(language, "bot.warning.repeat")))
    blocks.append(question_text(prompt, language))
    return "\n\n".join(blocks)


def render_turn(
    turn: Turn, keyboards: KeyboardMaker | None, *, lead: Sequence[str] = ()
) -> list[Outgoing]:
    """The messages showing ``turn`` (its keyboard when ``keyboards`` is given)."""
    text = turn_text(turn, lead=lead)
    if turn.prompt is None or keyboards is None:
        return messages(text)
    rows = keyboards.question(turn.prompt, turn.language, turn_actions(turn))
    return messages(text, keyboards.markup(rows))


def chosen_text(prompt: Prompt, shown: str, answer: str) -> str:
    """A question message once answered by a button: its text and "→ the answer"."""
    return f"{shown}\n\n→ {escape(answer)}"


def choice_answer_label(prompt: Prompt, number: int) -> str:
    """The label of option ``number`` as shown after answering."""
    for choice in prompt.choices:
        if choice.number == number:
            return choice.label
    return str(number)


__all__ = [
    "Outgoing",
    "button_label",
    "choice_answer_label",
    "chosen_text",
    "messages",
    "render_turn",
    "split_text",
    "turn_text",
]
