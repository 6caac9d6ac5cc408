"""The language of the ``vigie`` command and the help texts of its commands and options.

One negotiation for everything the command says (:func:`i18n.environment_language`):
``VIGIE_LANGUAGE``, then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``; English when none names
French or English. Help texts are catalog entries (``cli.help.*``) read when a command
module is imported, that is in the process that prints them, so ``LANG=fr_CA.UTF-8 vigie
--help`` speaks French. This module imports nothing but :mod:`i18n`, so ``vigie --help``
stays fast.
"""

from __future__ import annotations

import os

from i18n import environment_language, translate


def language() -> str:
    """The language of the command's output (``fr`` or ``en``; English by default)."""
    return environment_language(os.environ, "en")


def help_text(msgid: str, /, **params: object) -> str:
    """The help text ``msgid`` (a ``cli.help.*`` id) in the command's language."""
    return translate(language(), msgid, **params)
