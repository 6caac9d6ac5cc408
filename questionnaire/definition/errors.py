"""Definition errors: every problem the loader finds, as a value with a code.

Like pyxform's error catalogue, each problem found in a questionnaire
definition has a stable code (tests and tools assert on it), a place
(file, line, column, and the question concerned) and a message that says what
is wrong and how to fix it. Messages exist in French and English: the loader
fills :attr:`DefinitionError.message` and :attr:`DefinitionError.hint` in
English and :meth:`DefinitionError.render` gives either language.

The codes and their descriptions are :mod:`questionnaire.definition.error_catalogue`
(``docs/definition-errors.md`` prints them); the message and fix templates,
and the words passed into them (:func:`words`), are in the gettext catalogs
under ``definition.*``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from i18n import DEFAULT_LANGUAGE, LANGUAGES, negotiate, translate, translate_plural
from questionnaire.definition.error_catalogue import CATALOGUE, DESCRIPTIONS, SUBJECT_WORDS
from questionnaire.definition.model import SourcePos

#: Every code -> a one-line description (English).
CODES: Mapping[str, str] = DESCRIPTIONS

#: A parameter of a message: plain text, or a text per language.
Param = str | Mapping[str, str]

#: Languages messages are written in.
MESSAGE_LANGUAGES = LANGUAGES


@dataclass(frozen=True)
class DefinitionError:
    """One problem in a definition, where it is and how to fix it."""

    code: str
    file: str
    line: int
    column: int
    message: str
    hint: str = ""
    question: str | None = None
    #: What the message was built from, to render it again in another language.
    params: Mapping[str, Param] = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        """``file:line:col: [code] message. Fix: hint.``"""
        return self.render("en")

    def render(self, language: str = "en") -> str:
        """The one-line form of the error in ``language`` (``en`` or ``fr``)."""
        message, hint = self.texts(language)
        text = f"{self.file}:{self.line}:{self.column}: [{self.code}] {message}"
        if hint:
            fix = translate(language, "definition.fix")
            text += f". {fix}: {hint}"
            if not text.endswith((".", "?", "!")):
                text += "."
        return text

    def texts(self, language: str) -> tuple[str, str]:
        """``(message, hint)`` in ``language``; the stored texts if built by hand."""
        if self.code not in CATALOGUE or (not self.params and language == "en"):
            return self.message, self.hint
        return render_texts(self.code, self.params, language)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)


class DefinitionErrors(Exception):  # noqa: N818 (the name the project uses)
    """Every problem found while loading one or more definitions."""

    def __init__(self, errors: list[DefinitionError]) -> None:
        self.errors = sorted(errors, key=DefinitionError.sort_key)
        super().__init__(len(self.errors))

    def __str__(self) -> str:
        return self.render("en")

    def render(self, language: str = "en") -> str:
        """``N problems in the definition:`` then one line per problem, in ``language``."""
        count = len(self.errors)
        head = translate_plural(language, "definition.heading", "definition.heading_plural", count)
        return "\n".join([head, *(e.render(language) for e in self.errors)])


def _text(param: Param, language: str) -> str:
    if isinstance(param, str):
        return param
    return param.get(language) or param.get(DEFAULT_LANGUAGE) or next(iter(param.values()), "")


def render_texts(code: str, params: Mapping[str, Param], language: str) -> tuple[str, str]:
    """Fill the catalogue templates of ``code`` with ``params`` in ``language``.

    The parameters ``kind`` and ``name`` (when present) prefix the message
    with its subject: ``question 'walk_alone_dark': ...``.
    """
    entry = CATALOGUE[code]
    lang = negotiate(language)
    values = {key: _text(value, lang) for key, value in params.items()}
    message = translate(lang, entry.message_id).format_map(_Missing(values))
    hint = translate(lang, entry.hint_id).format_map(_Missing(values))
    kind = values.get("kind")
    if kind:
        word = SUBJECT_WORDS.render(kind, lang) if kind in SUBJECT_WORDS else kind
        name = values.get("name")
        subject = f"{word} '{name}'" if name else word
        message = f"{subject}: {message}"
    return message, hint


class _Missing(dict[str, str]):
    """A format map that leaves unknown placeholders visible rather than failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def make_error(
    code: str,
    pos: SourcePos,
    *,
    question: str | None = None,
    **params: Param,
) -> DefinitionError:
    """A definition error of ``code`` at ``pos``, its texts taken from the catalogue.

    ``params`` fill the templates; ``kind`` and ``name`` name the subject
    (``kind="question", name="age"``).
    """
    if code not in CATALOGUE:
        raise KeyError(f"unknown definition error code: {code}")
    message, hint = render_texts(code, params, "en")
    return DefinitionError(
        code=code,
        file=pos.file,
        line=pos.line,
        column=pos.column,
        message=message,
        hint=hint,
        question=question,
        params=dict(params),
    )


def words(msgid: str, /, **params: Param) -> dict[str, str]:
    """A message parameter in every language: the catalog text ``msgid``, filled.

    A parameter given per language (a ``words(...)`` itself) fills each
    language with its own text. Declare ``msgid`` with ``N_`` at the call.
    """
    return {
        language: translate(language, msgid, **{k: _text(v, language) for k, v in params.items()})
        for language in LANGUAGES
    }
