"""One catalogue of interface words for every room and channel (gettext).

Every interface string of Vigie (definition errors, answer errors, intake
notices, CLI messages, web pages, bot messages) is a *message id* such as
``"intake.erased"`` looked up in the gettext catalogs under
``i18n/locale/<language>/LC_MESSAGES/vigie.po``. Questionnaire wording stays
in the YAML definitions.

Placeholders are ``str.format`` fields (``{count}``), filled after lookup.
A message said of a number of things has plural forms, chosen by the
language's own rule (:func:`translate_plural`, gettext's ``ngettext``).
One negotiation (:func:`negotiate`) and one fallback: a language Vigie does
not speak falls back to :data:`DEFAULT_LANGUAGE`; a message id missing from a
catalog falls back to the default language's text, then to the id itself
(a test fails on any missing or fuzzy entry, so the fallback is a safety net,
not a habit).

Compiled ``.mo`` files are built by ``make catalogs`` and not committed; when
a ``.mo`` is missing or older than its ``.po`` (a fresh clone, an editable
install), the ``.po`` is read directly with Babel so nothing breaks.

A message id built at run time (``f"storage.{code}"``) must also appear
literally inside :func:`N_` somewhere, so that ``make catalogs-update`` (which
only sees literal ids) keeps it in the catalogs.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Final

#: Languages Vigie speaks; the first is the fallback.
LANGUAGES: Final = ("fr", "en")
DEFAULT_LANGUAGE: Final = "fr"
#: The gettext domain: one catalog per language.
DOMAIN: Final = "vigie"
#: Where the catalogs live (``<language>/LC_MESSAGES/vigie.po``).
LOCALE_DIR: Final = Path(__file__).resolve().parent / "locale"


def N_(msgid: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark ``msgid`` for extraction without translating it (it is returned as is).

    Declares the ids a module builds at run time, e.g. ``N_("intake.erased")``.
    """
    return msgid


def negotiate(*candidates: str | Iterable[str] | None) -> str:
    """The first language Vigie speaks among ``candidates``, else the default.

    Each candidate is a tag (``"fr-CA"``, ``"en_GB"``, ``"EN"``) or an ordered
    iterable of tags (an Accept-Language list already sorted by quality); the
    primary subtag decides.

    >>> negotiate("fr-CA", ["en-GB", "de"])
    'fr'
    >>> negotiate(None, ["de", "en-GB"])
    'en'
    >>> negotiate("de")
    'fr'
    """
    for candidate in candidates:
        if candidate is None:
            continue
        if candidate in LANGUAGES:  # the common case: already a language Vigie speaks
            return str(candidate)
        tags = [candidate] if isinstance(candidate, str) else list(candidate)
        for tag in tags:
            primary = tag.strip().replace("_", "-").split("-", 1)[0].split(".", 1)[0].lower()
            if primary in LANGUAGES:
                return primary
    return DEFAULT_LANGUAGE


#: Environment variables naming the language of command output, strongest first.
ENVIRONMENT_KEYS: Final = ("VIGIE_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def environment_language(environ: Mapping[str, str], default: str = "en") -> str:
    """The language of command output: ``VIGIE_LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``.

    The first variable naming a language Vigie speaks decides (``C`` or
    ``de_DE`` name none); ``default`` when none does. The ``vigie`` command
    passes English, the language of administrators' terminals set to ``C``.

    >>> environment_language({"LC_ALL": "C", "LANG": "fr_CA.UTF-8"})
    'fr'
    >>> environment_language({"LANG": "de_DE.UTF-8"})
    'en'
    """
    return negotiate(*[_spoken(environ.get(key)) for key in ENVIRONMENT_KEYS], default)


def _spoken(tag: str | None) -> str | None:
    """``tag`` if it names a language Vigie speaks, else ``None`` (so negotiation goes on)."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].split(".", 1)[0].lower()
    return primary if primary in LANGUAGES else None


@dataclass(frozen=True)
class _Catalog:
    """One language's catalog: its texts, its plural texts and its plural rule."""

    #: ``{msgid: text}`` (translated, non-fuzzy entries only).
    texts: dict[str, str]
    #: ``{msgid: (form 0, form 1, ...)}`` of the messages that have plural forms.
    plurals: dict[str, tuple[str, ...]]
    #: The catalog's ``Plural-Forms`` rule: a count -> the index of its form.
    plural: Callable[[int], int]


def _one_or_other(count: int) -> int:
    """The plural rule of a catalog that declares none (English's)."""
    return 0 if count == 1 else 1


@cache
def _read(language: str) -> _Catalog:
    """One language's catalog, from its ``.mo`` when fresh, else from its ``.po``."""
    base = LOCALE_DIR / language / "LC_MESSAGES"
    po, mo = base / f"{DOMAIN}.po", base / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        raw = compiled._catalog  # type: ignore[attr-defined]
        texts = {str(k): str(v) for k, v in raw.items() if k and isinstance(k, str)}
        forms: dict[str, dict[int, str]] = {}
        for key, value in raw.items():
            if isinstance(key, tuple):
                forms.setdefault(str(key[0]), {})[int(key[1])] = str(value)
        plurals = {msgid: tuple(f[i] for i in sorted(f)) for msgid, f in forms.items()}
        rule = getattr(compiled, "plural", _one_or_other)
        return _Catalog(texts, plurals, rule)
    if not po.exists():
        return _Catalog({}, {}, _one_or_other)
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    texts, plurals = {}, {}
    for entry in catalog:
        if not entry.id or entry.fuzzy:
            continue
        if isinstance(entry.id, str) and isinstance(entry.string, str) and entry.string:
            texts[entry.id] = entry.string
        elif isinstance(entry.id, tuple | list):
            written = entry.string
            if isinstance(written, tuple | list) and written and all(written):
                plurals[str(entry.id[0])] = tuple(str(form) for form in written)
    return _Catalog(texts, plurals, gettext.c2py(catalog.plural_expr))


def _catalog(language: str) -> dict[str, str]:
    """``{msgid: text}`` of one language (translated, non-fuzzy entries only)."""
    return _read(language).texts


def reload_catalogs() -> None:
    """Forget the catalogs read so far (after ``make catalogs`` in a running process)."""
    _read.cache_clear()


def has_message(msgid: str, language: str = DEFAULT_LANGUAGE) -> bool:
    """Whether ``msgid`` has a text in ``language``."""
    catalog = _read(negotiate(language))
    return msgid in catalog.texts or msgid in catalog.plurals


def translate(language: str | None, msgid: str, /, **params: object) -> str:
    """The text of ``msgid`` in ``language``, its ``{placeholders}`` filled from ``params``.

    Every catalog text is a :meth:`str.format` template, with or without
    ``params``: format specifications work (``{error:.3g}``) and a literal
    brace is written twice (``{{``). A text whose placeholders cannot be
    filled is returned unfilled rather than failing in front of a user.
    """
    lang = negotiate(language)
    text = _catalog(lang).get(msgid) or _catalog(DEFAULT_LANGUAGE).get(msgid) or msgid
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return text


def translate_plural(
    language: str | None, msgid: str, plural_id: str, count: int, /, **params: object
) -> str:
    """The text of ``msgid`` for ``count`` things in ``language`` (gettext's ``ngettext``).

    The catalog entry has ``msgid`` and ``msgid_plural`` (``plural_id``) and one
    text per plural form of the language (French: 0 and 1 take the singular;
    English: only 1 does). ``{count}`` is filled with ``count``, the other
    placeholders from ``params``. Extracted with the keyword
    ``translate_plural:2,3``. The fallback is :func:`translate`'s: the default
    language, then the id itself.
    """
    lang = negotiate(language)
    text = _plural_text(lang, msgid, count) or _plural_text(DEFAULT_LANGUAGE, msgid, count)
    if text is None:
        text = msgid if count == 1 else plural_id
    try:
        return text.format(count=count, **params)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return text


def _plural_text(language: str, msgid: str, count: int) -> str | None:
    catalog = _read(language)
    forms = catalog.plurals.get(msgid)
    if not forms:
        return None
    index = catalog.plural(abs(count))
    return forms[index] if 0 <= index < len(forms) else forms[-1]


def texts(msgid: str, /, **params: object) -> dict[str, str]:
    """``msgid`` in every language Vigie speaks: ``{"fr": ..., "en": ...}``.

    For values that travel with every translation (a choice label, a
    parameter of a definition error rendered later in either language).
    """
    return {language: translate(language, msgid, **params) for language in LANGUAGES}


def require(msgid: str) -> str:
    """``msgid`` itself, after checking that the catalogs hold it.

    Raises ``KeyError`` for an id no catalog has: a programming error (a code
    with no message), never a user's.
    """
    catalog = _read(DEFAULT_LANGUAGE)
    if msgid not in catalog.texts and msgid not in catalog.plurals:
        raise KeyError(f"no message {msgid!r} in the catalogs")
    return msgid


class MessageTable(Mapping[str, Mapping[str, str]]):
    """Some catalog entries named by short codes: ``table[code][language]``.

    For a module whose messages share a prefix (``storage.csv_empty`` is the
    code ``csv_empty`` of the table ``"storage."``): iterating gives the
    codes, indexing gives a read-only ``{language: template}``, and
    :meth:`render` fills one in a language. The ids are passed literally
    (``N_("storage.csv_empty")``) so that extraction keeps them.
    """

    def __init__(self, prefix: str, msgids: Iterable[str]) -> None:
        ids = tuple(msgids)
        strays = [msgid for msgid in ids if not msgid.startswith(prefix)]
        if strays:
            raise ValueError(f"message ids outside {prefix!r}: {strays}")
        self.prefix = prefix
        self._ids = {msgid[len(prefix) :]: msgid for msgid in ids}

    @classmethod
    def keyed(cls, ids: Mapping[str, str]) -> MessageTable:
        """A table whose codes are not id suffixes (``{"*": N_("analysis.flag.star")}``)."""
        table = cls("", ())
        table._ids = dict(ids)
        return table

    def msgid(self, code: str) -> str:
        """The catalog id of ``code``; ``KeyError`` for a code the table does not have."""
        try:
            return self._ids[code]
        except KeyError:
            raise KeyError(f"unknown message code {code!r} (in {self.prefix!r})") from None

    def render(self, code: str, language: str | None, /, **params: object) -> str:
        """The message ``code`` in ``language`` with ``params`` filled in."""
        return translate(language, self.msgid(code), **params)

    def __getitem__(self, code: str) -> Mapping[str, str]:
        return MappingProxyType(texts(self.msgid(code)))

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, code: object) -> bool:
        return code in self._ids
