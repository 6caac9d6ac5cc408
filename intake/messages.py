"""The words only the intake conversation says, looked up in gettext.

Answer errors, prompts and the default end texts come from
:mod:`questionnaire.answers.messages`; these are the operation errors, the pause and
erase confirmations and the settings errors shown at start-up, under
``intake.<code>`` in the Vigie catalogs, with ``{name}`` placeholders filled
from the error's params. A test checks both languages and their placeholders.
"""

from __future__ import annotations

from typing import Final

from i18n import LANGUAGES, N_, MessageTable

__all__ = ["INTAKE_MESSAGES", "LANGUAGES", "intake_message"]

#: Every intake message, read-only: ``INTAKE_MESSAGES[code][language]``.
INTAKE_MESSAGES: Final = MessageTable(
    "intake.",
    (
        N_("intake.default_secret"),
        N_("intake.short_secret"),
        N_("intake.invalid_abandon_after_days"),
        N_("intake.unknown_survey"),
        N_("intake.duplicate_survey"),
        N_("intake.unknown_language"),
        N_("intake.unknown_channel"),
        N_("intake.chat_id_required"),
        N_("intake.unknown_campaign"),
        N_("intake.inactive_campaign"),
        N_("intake.campaign_other_survey"),
        N_("intake.response_not_found"),
        N_("intake.unknown_resume_code"),
        N_("intake.unknown_handoff"),
        N_("intake.busy"),
        N_("intake.unavailable"),
        N_("intake.too_many_attempts"),
        N_("intake.weak_secret"),
        N_("intake.response_closed"),
        N_("intake.path_not_open"),
        N_("intake.no_previous_question"),
        N_("intake.paused"),
        N_("intake.paused_chat"),
        N_("intake.abandoned"),
        N_("intake.erased"),
    ),
)


def intake_message(code: str, language: str, /, **params: object) -> str:
    """The text of ``code`` in ``language`` (:data:`i18n.DEFAULT_LANGUAGE` if unknown).

    Raises ``KeyError`` for an unknown code: every code is in the catalogue.
    """
    return INTAKE_MESSAGES.render(code, language, **params)
