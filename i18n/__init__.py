"""One catalogue of interface words for every room and channel (gettext).

Every interface string of Vigie (definition errors, answer errors, intake
notices, CLI messages, web pages, bot messages) is a *message id* such as
``"intake.erased"`` looked up in the gettext catalogs under
``i18n/locale/<language>/LC_MESSAGES/vigie.po``. Questionnaire wording stays
in the YAML definitions.

Placeholders are ``str.format`` fields (``{count}``), filled after lookup.
One negotiation (:func:`negotiate`) and one fallback: a language Vigie does
not speak falls back to :data:`DEFAULT_LANGUAGE`; a message id missing from a
catalog falls back to the default language's text, then to the id itself
(a test fails on any missing or fuzzy entry, so the fallback is a safety net,
not a habit).

Compiled ``.mo`` files are built by ``make catalogs`` and not committed; when
a ``.mo`` is missing or older than its ``.po`` (a fresh clone, an editable
install), the ``.po`` is read directly with Babel so nothing breaks.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Final

#: Languages Vigie speaks; the first is the fallback.
LANGUAGES: Final = ("fr", "en")
DEFAULT_LANGUAGE: Final = "fr"
#: The gettext domain: one catalog per language.
DOMAIN: Final = "vigie"
#: Where the catalogs live (``<language>/LC_MESSAGES/vigie.po``).
LOCALE_DIR: Final = Path(__file__).resolve().parent / "locale"


def negotiate(*candidates: str | Iterable[str] | None) -> str:
    """The first language Vigie speaks among ``candidates``, else the default.

    Each candidate is a tag (``"fr-CA"``, ``"en_GB"``, ``"EN"``) or an ordered
    iterable of tags (an Accept-Language list already sorted by quality); the
    primary subtag decides.
    """
    for candidate in candidates:
        if candidate is None:
            continue
        tags = [candidate] if isinstance(candidate, str) else list(candidate)
        for tag in tags:
            primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
            if primary in LANGUAGES:
                return primary
    return DEFAULT_LANGUAGE


@cache
def _catalog(language: str) -> dict[str, str]:
    """``{msgid: text}`` of one language (translated, non-fuzzy entries only)."""
    base = LOCALE_DIR / language / "LC_MESSAGES"
    po, mo = base / f"{DOMAIN}.po", base / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        return {str(k): str(v) for k, v in compiled._catalog.items() if k}  # type: ignore[attr-defined]
    if not po.exists():
        return {}
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return {
        str(entry.id): str(entry.string)
        for entry in catalog
        if entry.id and entry.string and not entry.fuzzy and isinstance(entry.id, str)
    }


def reload_catalogs() -> None:
    """Forget the catalogs read so far (after ``make catalogs`` in a running process)."""
    _catalog.cache_clear()


def has_message(msgid: str, language: str = DEFAULT_LANGUAGE) -> bool:
    """Whether ``msgid`` has a text in ``language``."""
    return msgid in _catalog(negotiate(language))


def translate(language: str | None, msgid: str, /, **params: object) -> str:
    """The text of ``msgid`` in ``language``, its ``{placeholders}`` filled from ``params``."""
    lang = negotiate(language)
    text = _catalog(lang).get(msgid) or _catalog(DEFAULT_LANGUAGE).get(msgid) or msgid
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
