"""The Telegram channel: a python-telegram-bot ``Application`` over the intake service.

The bot parses an update, calls one method of :class:`intake.service.IntakeService`
and renders the :class:`intake.turns.Turn` it returns as messages and inline
keyboards. It keeps no conversation state of its own: the response, its
position and its answers live in the database (the chat only as a keyed hash),
and a multiple-choice selection in progress lives in the signed buttons of the
message being edited. See docs/telegram.md.
"""
