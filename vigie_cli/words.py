"""The language of the ``vigie`` command and the help texts of its commands and options.

One negotiation for everything the command says (:func:`i18n.environment_language`):
``VIGIE_LANGUAGE``, then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``; English when none names
French or English. Help texts are catalog entries (``cli.help.*``) read when a command
module is imported, that is in the process that prints them, so ``LANG=fr_CA.UTF-8 vigie
--help`` speaks French. This module imports nothing but :mod:`i18n`, so ``vigie --help``
stays fast.
"""

from __future__ import annotations

import contextlib
import gettext
import os
from collections.abc import Iterator

from i18n import LOCALE_DIR, environment_language, translate


def language() -> str:
    """The language of the command's output (``fr`` or ``en``; English by default)."""
    return environment_language(os.environ, "en")


def help_text(msgid: str, /, **params: object) -> str:
    """The help text ``msgid`` (a ``cli.help.*`` id) in the command's language."""
    return translate(language(), msgid, **params)


def speak_click_in(language: str) -> None:
    """Click's own words ("Usage:", "Options", its errors) in ``language``.

    Click asks the standard :mod:`gettext` module, under its English text; this
    points gettext's domain at ``i18n/locale/<language>/LC_MESSAGES/click.mo``
    (built by ``make catalogs``) and names the language the command negotiated,
    so ``VIGIE_LANGUAGE`` counts as it does for the command's own words.
    """
    gettext.bindtextdomain("click", str(LOCALE_DIR))
    gettext.textdomain("click")
    os.environ["LANGUAGE"] = language


@contextlib.contextmanager
def click_speaking(language: str) -> Iterator[None]:
    """:func:`speak_click_in` for one invocation, the environment put back afterwards."""
    before = os.environ.get("LANGUAGE")
    speak_click_in(language)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = before
