"""Interface words: every string a page shows comes from the shared gettext catalogue.

Templates call ``t("web.welcome.title", count=2)``; the language is the one
chosen for this request (:func:`page_language`): the link's ``lang``, then the
one kept in the session, then the browser's Accept-Language.
"""

from __future__ import annotations

from flask import Flask, g, request, session

from i18n import LANGUAGES, negotiate, translate


def chosen_language() -> str:
    """The language asked for by the link, else kept in the session, else the browser's."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    kept = session.get("lang")
    if isinstance(kept, str) and kept in LANGUAGES:
        return kept
    return negotiate([value for value, _quality in request.accept_languages])


def page_language() -> str:
    """The language of the page being built."""
    language = g.get("lang")
    return language if isinstance(language, str) else chosen_language()


def set_page_language(language: str) -> None:
    """Show this page in ``language`` (the response's own, once one is open)."""
    if language in LANGUAGES:
        g.lang = language
        if session.get("lang") != language:  # unchanged: the cookie is not signed again
            session["lang"] = language


def t(msgid: str, /, **params: object) -> str:
    """The text of ``msgid`` in the page's language."""
    return translate(page_language(), msgid, **params)


def t_in(language: str, msgid: str, /, **params: object) -> str:
    """The text of ``msgid`` in ``language`` (a language's own name on the switch link)."""
    return translate(language, msgid, **params)


def other_languages() -> list[str]:
    """The languages a page offers to switch to."""
    current = page_language()
    return [language for language in LANGUAGES if language != current]


def install_words(app: Flask) -> None:
    """Pick the language of each request; give templates ``t`` and the language list."""

    @app.before_request
    def _language() -> None:
        g.lang = chosen_language()

    app.jinja_env.globals.update(
        t=t, t_in=t_in, page_language=page_language, other_languages=other_languages
    )
