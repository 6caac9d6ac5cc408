"""One lookup, one negotiation, one fallback; compiled and source catalogs agree."""

from __future__ import annotations

import gettext
import io
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import i18n
from i18n import (
    DEFAULT_LANGUAGE,
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    N_,
    MessageTable,
    environment_language,
    has_message,
    negotiate,
    require,
    texts,
    translate,
    translate_plural,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("candidates", "language"),
    [
        (("fr-CA", ["en-GB", "de"]), "fr"),
        ((None, ["de", "en-GB"]), "en"),
        (("EN",), "en"),
        (("en_CA.UTF-8",), "en"),
        (("de",), DEFAULT_LANGUAGE),
        ((), DEFAULT_LANGUAGE),
        ((None, []), DEFAULT_LANGUAGE),
    ],
)
def test_negotiate_takes_the_first_language_vigie_speaks(candidates, language) -> None:
    assert negotiate(*candidates) == language


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"VIGIE_LANGUAGE": "fr", "LANG": "en_CA.UTF-8"}, "fr"),
        ({"LC_ALL": "C", "LANG": "fr_CA.UTF-8"}, "fr"),
        ({"LC_ALL": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_environment_language_for_commands(environ, language) -> None:
    assert environment_language(environ) == language
    assert environment_language({}, default="fr") == "fr"


def test_translate_fills_placeholders_in_each_language() -> None:
    assert translate("fr", "intake.paused", code="K7") == (
        "Vos réponses sont enregistrées. Pour reprendre plus tard, notez ce code : K7"
    )
    assert translate("en-GB", "intake.paused", code="K7").endswith("this code: K7")
    # Format specifications work as in str.format.
    text = translate(
        "en",
        "analysis.error.not_converged",
        method="Raking",
        iterations=5,
        error=0.012345,
        tol=1e-6,
    )
    assert "largest relative error 0.0123, tolerance 1e-06" in text


def test_one_fallback_for_languages_and_ids() -> None:
    french = translate("fr", "intake.erased")
    assert translate("de", "intake.erased") == french
    assert translate(None, "intake.erased") == french
    # An id no catalog has reads as itself (a test keeps this from ever happening).
    assert translate("en", "nowhere.to.be.found") == "nowhere.to.be.found"
    assert not has_message("nowhere.to.be.found")
    with pytest.raises(KeyError):
        require("nowhere.to.be.found")
    assert require("intake.erased") == "intake.erased"


def test_a_text_whose_params_do_not_fit_is_shown_unfilled_not_raised() -> None:
    assert translate("en", "intake.paused") == translate("en", "intake.paused", other=1)
    assert "{code}" in translate("en", "intake.paused", other=1)


def test_texts_gives_every_language() -> None:
    assert texts("answer.yes_no.yes") == {"fr": "Oui", "en": "Yes"}
    assert set(texts("intake.paused", code="X")) == set(LANGUAGES)


def test_n_marks_without_translating() -> None:
    assert N_("intake.erased") == "intake.erased"


def test_message_table_views_codes_under_a_prefix() -> None:
    table = MessageTable("intake.", (N_("intake.erased"), N_("intake.paused")))
    assert list(table) == ["erased", "paused"] and len(table) == 2
    assert "erased" in table and "busy" not in table
    assert table["erased"]["en"] == "All your answers have been erased."
    assert table.render("paused", "en", code="Q").endswith("code: Q")
    with pytest.raises(KeyError):
        table.render("busy", "en")
    with pytest.raises(TypeError):
        table["erased"]["en"] = "x"  # type: ignore[index]
    with pytest.raises(ValueError, match="outside"):
        MessageTable("intake.", ("storage.csv_empty",))
    flags = MessageTable.keyed({"*": N_("analysis.flag.star")})
    assert flags.msgid("*") == "analysis.flag.star"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_says_what_the_source_says(language: str, tmp_path: Path) -> None:
    """What ``make catalogs`` writes (a .mo) holds exactly the .po's translated texts."""
    po = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    compiled = gettext.GNUTranslations(buffer)
    source = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    assert source
    plural = gettext.c2py(catalog.plural_expr)
    for msgid, text in source.items():
        if isinstance(msgid, str):
            assert compiled.gettext(msgid) == text
            continue
        for count in (0, 1, 2, 5, 1_000_000):  # every form of French and English
            assert compiled.ngettext(msgid[0], msgid[1], count) == text[plural(count)]


def test_reading_the_po_or_the_mo_gives_the_same_words(monkeypatch, tmp_path: Path) -> None:
    """A fresh clone (no .mo) and a built tree (fresh .mo) read the same catalog."""
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    i18n.reload_catalogs()
    try:
        from_po = {language: i18n._catalog(language) for language in LANGUAGES}
        # What `make catalogs` runs: pybabel compile.
        pybabel = "from babel.messages.frontend import main; main()"
        command = ["--quiet", "compile", "-d", str(locale), "-D", DOMAIN]
        subprocess.run([sys.executable, "-c", pybabel, *command], check=True)
        assert (locale / "fr" / "LC_MESSAGES" / f"{DOMAIN}.mo").exists()
        i18n.reload_catalogs()
        from_mo = {language: i18n._catalog(language) for language in LANGUAGES}
    finally:
        monkeypatch.undo()
        i18n.reload_catalogs()
    assert from_po == from_mo
    assert from_po["en"]["intake.erased"] == "All your answers have been erased."
    plurals = {language: i18n._read(language).plurals for language in LANGUAGES}
    assert plurals["fr"]["definition.heading"][0] == "{count} problème dans la définition :"


@pytest.mark.parametrize(
    ("language", "count", "text"),
    [
        ("en", 1, "1 problem in the definition:"),
        ("en", 0, "0 problems in the definition:"),
        ("en", 3, "3 problems in the definition:"),
        ("fr", 0, "0 problème dans la définition :"),
        ("fr", 1, "1 problème dans la définition :"),
        ("fr-CA", 2, "2 problèmes dans la définition :"),
        ("de", 2, "2 problèmes dans la définition :"),  # the default language
    ],
)
def test_plural_forms_follow_each_language_s_rule(language: str, count: int, text: str) -> None:
    singular, plural = "definition.heading", "definition.heading_plural"
    assert translate_plural(language, singular, plural, count) == text


def test_a_plural_message_missing_everywhere_falls_back_to_its_ids() -> None:
    assert translate_plural("en", "cli.nowhere", "cli.nowhere_plural", 1) == "cli.nowhere"
    assert translate_plural("en", "cli.nowhere", "cli.nowhere_plural", 2) == "cli.nowhere_plural"
    assert has_message("definition.heading", "en")
    assert require("definition.heading") == "definition.heading"


@pytest.mark.slow
def test_an_installed_package_carries_the_catalogs(tmp_path: Path) -> None:
    """A wheel (a non-editable install) holds both .po files next to the code."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    with (ROOT / "pyproject.toml").open("rb") as handle:
        find = tomllib.load(handle)["tool"]["setuptools"]["packages"]["find"]
    packages = sorted({pattern.rstrip("*").split(".")[0] for pattern in find["include"]})
    for package in packages:
        shutil.copytree(
            ROOT / package,
            source / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.mo"),
        )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path / "dist"),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("vigie-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for language in LANGUAGES:
        assert f"i18n/locale/{language}/LC_MESSAGES/{DOMAIN}.po" in names
    assert "i18n/__init__.py" in names
