"""The gettext catalogs are complete, consistent with each other and with the code.

Fails when a French or English text is missing or fuzzy, when the two
languages of a message use different placeholders, when the code names a
message id the catalogs lack (ids are extracted exactly as
``make catalogs-extract`` does), or when the catalogs keep entries the code no
longer uses (obsolete ``#~`` entries or ids nobody references). The fix is
``make catalogs-update`` and writing the missing texts.
"""

from __future__ import annotations

import re
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from i18n import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
#: The folders and keywords of ``make catalogs-extract`` (the Makefile test keeps them in step).
SOURCE_FOLDERS = (
    "questionnaire",
    "storage",
    "intake",
    "analysis",
    "i18n",
    "observatory",
    "webapp",
    "bot",
    "vigie_cli",
    "demo",
)
KEYWORDS = ("translate:2", "translate_plural:2,3", "help_text", "N_", "_", "t")
#: A message id: dotted lower-case words (``intake.erased``, ``definition.bad_name.hint``);
#: a last part may keep the case of the code it names (``analysis.flag.E``).
MSGID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.[A-Za-z0-9_]+$")


@cache
def catalog(language: str) -> Catalog:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def entries(language: str) -> dict[str, str]:
    """``{msgid: msgstr}`` of one catalog's singular messages, header left out."""
    return {str(m.id): str(m.string) for m in catalog(language) if m.id and not m.pluralizable}


def plural_entries(language: str) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """``{msgid: ((msgid, msgid_plural), (form 0, form 1, ...))}`` of the plural messages."""
    return {
        str(m.id[0]): (tuple(m.id), tuple(str(form) for form in m.string))
        for m in catalog(language)
        if m.id and m.pluralizable
    }


def all_ids(language: str) -> set[str]:
    """Every message id of a catalog, singular and plural."""
    return set(entries(language)) | set(plural_entries(language))


def texts_of(language: str) -> list[tuple[str, str]]:
    """``(msgid, text)`` for every text of a catalog, each plural form included."""
    found = list(entries(language).items())
    for msgid, (_ids, forms) in plural_entries(language).items():
        found += [(f"{msgid}[{index}]", form) for index, form in enumerate(forms)]
    return found


@cache
def extracted_ids() -> dict[str, list[str]]:
    """Every message id the code names literally -> where (``file:line``)."""
    with (ROOT / "i18n" / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = parse_keywords(list(KEYWORDS))
    found: dict[str, list[str]] = {}
    for folder in SOURCE_FOLDERS:
        if not (ROOT / folder).is_dir():
            continue
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map, options_map, keywords=keywords
        ):
            msgid = message if isinstance(message, str) else message[0]
            found.setdefault(msgid, []).append(f"{folder}/{filename}:{lineno}")
    return found


def fields(template: str) -> list[tuple[str, str, str]]:
    """The ``{name!conversion:spec}`` fields of a template, sorted (raises on a lone brace)."""
    return sorted(
        (name, conversion or "", spec or "")
        for _, name, spec, conversion in string.Formatter().parse(template)
        if name is not None
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    missing = [msgid for msgid, text in texts_of(language) if not text.strip()]
    fuzzy = [str(m.id) for m in catalog(language) if m.id and m.fuzzy]
    assert missing == [], f"{language}: no text for {missing}"
    assert fuzzy == [], f"{language}: fuzzy (check, then remove the flag) {fuzzy}"


def test_french_and_english_catalogs_hold_the_same_ids() -> None:
    french, english = all_ids("fr"), all_ids("en")
    assert sorted(french - english) == [], "in French only"
    assert sorted(english - french) == [], "in English only"


def test_placeholders_are_the_same_in_both_languages() -> None:
    french, english = entries("fr"), entries("en")
    different = {
        msgid: (fields(french[msgid]), fields(english[msgid]))
        for msgid in sorted(set(french) & set(english))
        if fields(french[msgid]) != fields(english[msgid])
    }
    assert different == {}


def test_plural_forms_are_complete_and_use_the_same_placeholders() -> None:
    """Every plural form a language's rule names has a text; all forms share the placeholders.

    A form may leave out ``{count}`` ("One problem" rather than "1 problem"), nothing else.
    """
    french, english = plural_entries("fr"), plural_entries("en")
    assert sorted(set(french) ^ set(english)) == []
    for language, plurals in (("fr", french), ("en", english)):
        expected = catalog(language).num_plurals
        for msgid, (ids, forms) in plurals.items():
            assert len(forms) == expected, f"{language} {msgid}: {expected} forms needed"
            assert ids == english[msgid][0], f"{language} {msgid}: another msgid_plural"
    for msgid in french:
        every_form = [*french[msgid][1], *english[msgid][1]]
        names = {tuple(f for f in fields(form) if f[0] != "count") for form in every_form}
        assert len(names) == 1, f"{msgid}: placeholders differ between forms {names}"
        assert any(("count", "", "") in fields(form) for form in english[msgid][1])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_a_valid_template(language: str) -> None:
    broken = []
    for msgid, text in texts_of(language):
        try:
            fields(text)
        except ValueError:
            broken.append(msgid)
    assert broken == [], f"{language}: lone brace (write {{{{ or }}}}) in {broken}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_message_ids_are_dotted_keys(language: str) -> None:
    plural_ids = [msgid for ids, _forms in plural_entries(language).values() for msgid in ids]
    ids = [*entries(language), *plural_ids]
    assert [msgid for msgid in ids if not MSGID.match(msgid)] == []


def test_every_id_the_code_names_is_in_the_catalogs() -> None:
    known = all_ids("fr") & all_ids("en")
    absent = {msgid: where for msgid, where in extracted_ids().items() if msgid not in known}
    assert absent == {}, "run `make catalogs-update`, then write both texts"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogs_have_no_obsolete_or_unused_entries(language: str) -> None:
    assert sorted(catalog(language).obsolete) == [], "obsolete #~ entries: remove them"
    unused = sorted(all_ids(language) - set(extracted_ids()))
    assert unused == [], "ids no code names: declare them with N_() or remove them"


def test_extraction_finds_the_ids_declared_with_n_() -> None:
    ids = extracted_ids()
    # A dynamic id, declared with N_ in its module, and a literal translate() call.
    assert "answer.special.dont_know" in ids
    assert "definition.bad_name.hint" in ids
    assert "cli.check.ok" in ids
    assert "definition.heading" in ids  # the singular id of a translate_plural() call
    assert any(where.startswith("intake/") for where in ids["intake.erased"])


def test_the_makefile_extracts_with_the_same_keywords_and_folders() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = next(row for row in makefile.splitlines() if "pybabel" in row and " extract " in row)
    assert "--no-default-keywords" in line
    for keyword in KEYWORDS:
        assert f"-k {keyword} " in line
    for folder in SOURCE_FOLDERS:
        assert re.search(rf"\b{folder}\b", line), folder


#: Texts that read the same in French and English: placeholders only, or the same word.
SAME_IN_BOTH = {
    "bot.review.change",  # ✏️ {number}: a pencil and the answer's number
    "answer.error.constraint",  # {message}: the author's own text
    "answer.repeat.title_open",  # {title} ({index})
    "cli.campaigns.active",
    "cli.campaigns.inactive",
    "cli.demo.method_eblup",
    "cli.simulate.verdict_ok",
    "definition.bad_bounds.hint",  # {advice}
    "definition.bad_bounds.message",  # {detail}
    "definition.bad_repeat.hint",
    "definition.bad_repeat.message",
    "definition.subject.question",
    "definition.subject.section",
    "definition.unknown_key.hint",
    "definition.unknown_question_type.hint",
    "definition.unknown_reference.hint",
    "definition.word.soft",  # the YAML keyword itself
    "definition.wrong_type.hint",
    "definition.yaml_syntax.hint",
}


def test_french_and_english_differ_except_where_the_words_are_the_same() -> None:
    """An English text copied into the French catalog (or back) is caught here."""
    french, english = entries("fr"), entries("en")
    same = {msgid for msgid in french if french[msgid] == english.get(msgid)}
    assert sorted(same - SAME_IN_BOTH) == [], "translate these, or list them in SAME_IN_BOTH"
    assert sorted(SAME_IN_BOTH - same) == [], "no longer the same: remove them from SAME_IN_BOTH"
