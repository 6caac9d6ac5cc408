"""Inline keyboards of a question: choices, ticks, months, numbers and actions.

Every button's data comes from :class:`bot.callbacks.CallbackSigner`. A
multiple choice's ticks live in its buttons (a bit mask in each button's
data), so ticking redraws the message without the bot remembering anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import CallbackSigner, Kind, response_prefix, short_hash
from i18n import translate
from questionnaire.answers.formatting import format_year_month
from questionnaire.definition.model import QuestionType
from questionnaire.definition.values import Special, YearMonth
from questionnaire.navigation.prompts import Prompt, PromptChoice

#: A button shows this many characters of a label; longer labels are listed in the text.
BUTTON_CHARS: Final = 40
#: Month buttons offered at most (most recent first).
MAX_MONTHS: Final = 24
#: Months offered before an open-ended question's latest month (a year's reference
#: period and its first month); any other month can be typed.
OPEN_MONTHS: Final = 12
#: A rating's values become buttons when there are at most this many.
MAX_NUMBER_BUTTONS: Final = 11
TICKED: Final = "☑"
UNTICKED: Final = "☐"
CHOSEN: Final = "✓"

Rows = list[list[InlineKeyboardButton]]


def button_label(choice: PromptChoice) -> str:
    """The label on a button: the whole label when short, else its number and a start."""
    if len(choice.label) <= BUTTON_CHARS:
        return choice.label
    return f"{choice.number}. {choice.label[: BUTTON_CHARS - 4].rstrip()}…"


def labels_need_listing(prompt: Prompt) -> bool:
    """Whether some label is cut on its button (then the text lists them all)."""
    return any(len(c.label) > BUTTON_CHARS for c in prompt.choices)


def mask_of(prompt: Prompt, codes: Sequence[str]) -> int:
    """The bit mask of the ticked ``codes`` (bit ``number - 1``)."""
    wanted = set(codes)
    return sum(1 << (c.number - 1) for c in prompt.choices if c.code in wanted)


def codes_of(prompt: Prompt, mask: int) -> list[str]:
    """The codes ticked in ``mask``, in the order offered."""
    return [c.code for c in prompt.choices if mask >> (c.number - 1) & 1]


def toggled(prompt: Prompt, mask: int, number: int) -> int:
    """``mask`` with option ``number`` ticked or unticked.

    Ticking an exclusive option ("none of these", a special answer) unticks
    the others; ticking another option unticks the exclusive ones. This only
    draws the buttons: intake reads the list sent with "done" by the shared rules.
    """
    bit = 1 << (number - 1)
    if mask & bit:
        return mask & ~bit
    choice = next((c for c in prompt.choices if c.number == number), None)
    if choice is None:
        return mask
    if choice.exclusive or choice.special:
        return bit
    exclusive = sum(1 << (c.number - 1) for c in prompt.choices if c.exclusive or c.special)
    return (mask & ~exclusive) | bit


class KeyboardMaker:
    """Builds the keyboards of one chat's messages."""

    def __init__(self, signer: CallbackSigner, chat_id: int, response_id: str) -> None:
        self._signer = signer
        self._chat = chat_id
        self._response = response_prefix(response_id)

    def data(self, kind: Kind, *fields: str) -> str:
        return self._signer.make(self._chat, kind, self._response, *fields)

    def _button(self, text: str, kind: Kind, *fields: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text, callback_data=self.data(kind, *fields))

    def question(self, prompt: Prompt, language: str, actions: Sequence[tuple[str, str]]) -> Rows:
        """The rows of ``prompt``'s keyboard, then its actions (``(name, label)``)."""
        path = short_hash(prompt.path)
        rows: Rows = []
        if prompt.type is QuestionType.MULTIPLE_CHOICE:
            current = prompt.current if isinstance(prompt.current, tuple) else ()
            rows = self.toggles(prompt, mask_of(prompt, current), language)
        elif prompt.type is QuestionType.YEAR_MONTH:
            rows = self._months(prompt, path, language)
        elif prompt.type is QuestionType.RATING:
            rows = self._numbers(prompt, path)
        if prompt.type is not QuestionType.MULTIPLE_CHOICE:
            rows += self._choices(prompt, path)
        bottom = [self._button(label, _ACTION_KINDS[name], path) for name, label in actions]
        if bottom:
            rows.append(bottom)
        return rows

    def _choices(self, prompt: Prompt, path: str) -> Rows:
        rows: Rows = []
        for choice in prompt.choices:
            chosen = _is_current(prompt, choice)
            text = f"{CHOSEN} {button_label(choice)}" if chosen else button_label(choice)
            rows.append([self._button(text, Kind.ANSWER, path, str(choice.number))])
        return rows

    def toggles(self, prompt: Prompt, mask: int, language: str) -> Rows:
        """Tick buttons for a multiple choice, then "done" carrying the ticks."""
        path = short_hash(prompt.path)
        rows: Rows = []
        for choice in prompt.choices:
            tick = TICKED if mask >> (choice.number - 1) & 1 else UNTICKED
            rows.append(
                [
                    self._button(
                        f"{tick} {button_label(choice)}",
                        Kind.TOGGLE,
                        path,
                        str(choice.number),
                        format(mask, "x"),
                    )
                ]
            )
        done = translate(language, "bot.multiple.done")
        rows.append([self._button(done, Kind.DONE, path, format(mask, "x"))])
        return rows

    def _months(self, prompt: Prompt, path: str, language: str) -> Rows:
        low, high = prompt.min, prompt.max
        if not isinstance(high, YearMonth):
            return []
        if not isinstance(low, YearMonth):
            total = high.year * 12 + high.month - 1 - OPEN_MONTHS
            low = YearMonth(total // 12, total % 12 + 1)
        months: list[YearMonth] = []
        year, month = high.year, high.month
        while (year, month) >= (low.year, low.month) and len(months) < MAX_MONTHS:
            months.append(YearMonth(year, month))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        buttons = [
            self._button(
                format_year_month(m, language), Kind.VALUE, path, f"{m.year:04d}-{m.month:02d}"
            )
            for m in months
        ]
        return [buttons[i : i + 3] for i in range(0, len(buttons), 3)]

    def _numbers(self, prompt: Prompt, path: str) -> Rows:
        low, high = prompt.min, prompt.max
        if not isinstance(low, int) or not isinstance(high, int):
            return []
        if high < low or high - low + 1 > MAX_NUMBER_BUTTONS:
            return []
        buttons = [
            InlineKeyboardButton(str(n), callback_data=self.data(Kind.VALUE, path, str(n)))
            for n in range(low, high + 1)
        ]
        return [buttons[i : i + 6] for i in range(0, len(buttons), 6)]

    def markup(self, rows: Rows) -> InlineKeyboardMarkup | None:
        return InlineKeyboardMarkup(rows) if rows else None


def _is_current(prompt: Prompt, choice: PromptChoice) -> bool:
    current = prompt.current
    if isinstance(current, Special):
        return str(current) == choice.code
    return isinstance(current, str) and current == choice.code


#: Which button kind each intake action becomes (pause and erase are commands).
_ACTION_KINDS: Final = {"back": Kind.BACK, "skip": Kind.SKIP, "finish": Kind.FINISH}
