"""The residents' seam: the conversation the web form and the Telegram bot drive.

Channels use :class:`IntakeService` and what it returns (:class:`Turn` with its
:class:`~questionnaire.navigation.prompts.Prompt`, :class:`Notice` and :class:`Action`
values, :class:`Review`, :class:`OfferedSurvey`, a chat's :class:`ChatTurn`) and nothing else; see
docs/intake.md.
"""

from intake.actions import Action, ActionName
from intake.chats import ChatTurn
from intake.errors import IntakeError, render_intake_error
from intake.notices import Notice
from intake.offer import OfferedSurvey
from intake.review import Review, ReviewItem
from intake.service import IntakeService
from intake.turns import Turn

__all__ = [
    "Action",
    "ActionName",
    "ChatTurn",
    "IntakeError",
    "IntakeService",
    "Notice",
    "OfferedSurvey",
    "Review",
    "ReviewItem",
    "Turn",
    "render_intake_error",
]
